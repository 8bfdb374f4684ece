import Foundation

/// How long each step took, from the journal: the time from a step's `step.entered` to its
/// `step.answered`, added up when the employee came back to it. Shown at the end of a drill, for
/// training, and in the drill's report.
public enum StepTimes {
    public struct Line: Sendable, Equatable {
        public var step: String
        public var milliseconds: Int
    }

    /// In the order the steps were first entered; steps never answered are left out.
    public static func compute(_ entries: [JournalEntry]) -> [Line] {
        var order: [String] = []
        var total: [String: Int] = [:]
        var enteredAt: [String: Int] = [:]
        for entry in entries {
            guard let time = milliseconds(entry.time) else { continue }
            // A line without its step (decoded as "") names none.
            switch entry.typed {
            case .stepEntered(let step)? where !step.isEmpty:
                enteredAt[step] = time
                if !order.contains(step) { order.append(step) }
            case .stepAnswered(let step, _)? where !step.isEmpty:
                if let start = enteredAt.removeValue(forKey: step) {
                    total[step, default: 0] += max(0, time - start)
                }
            default:
                break
            }
        }
        return order.compactMap { step in total[step].map { Line(step: step, milliseconds: $0) } }
    }

    /// From the first journal entry to the last.
    public static func elapsedMilliseconds(_ entries: [JournalEntry]) -> Int {
        guard let first = entries.first.flatMap({ milliseconds($0.time) }),
              let last = entries.last.flatMap({ milliseconds($0.time) }) else { return 0 }
        return max(0, last - first)
    }

    /// `m:ss`, or `h:mm:ss` from an hour.
    public static func format(milliseconds: Int) -> String {
        let seconds = (milliseconds + 500) / 1000
        if seconds >= 3600 { return String(format: "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60) }
        return String(format: "%d:%02d", seconds / 60, seconds % 60)
    }

    /// Milliseconds since 1970 of an RFC 3339 time as the journal writes it
    /// (`2026-11-29T09:12:03.123+09:00`), parsed by hand (no formatter, no ICU).
    public static func milliseconds(_ text: String) -> Int? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 24, bytes[4] == 0x2D, bytes[7] == 0x2D, bytes[10] == 0x54, bytes[13] == 0x3A,
              bytes[16] == 0x3A, bytes[19] == 0x2E else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                guard bytes[index] >= 0x30, bytes[index] <= 0x39 else { return nil }
                value = value * 10 + Int(bytes[index] - 0x30)
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10), let hour = number(11..<13),
              let minute = number(14..<16), let second = number(17..<19), let milli = number(20..<23) else { return nil }
        var offset = 0
        if bytes[23] != 0x5A {
            guard bytes.count >= 29, bytes[23] == 0x2B || bytes[23] == 0x2D, let hours = number(24..<26),
                  let minutes = number(27..<29) else { return nil }
            offset = (hours * 60 + minutes) * 60 * (bytes[23] == 0x2D ? -1 : 1)
        }
        // Days from the civil date (Howard Hinnant's algorithm).
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        return ((days * 86_400 + hour * 3600 + minute * 60 + second) - offset) * 1000 + milli
    }
}
