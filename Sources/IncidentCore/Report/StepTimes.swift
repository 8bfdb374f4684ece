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
        var enteredAt: [String: Date] = [:]
        let formatter = makeFormatter()
        for entry in entries {
            guard let step = entry["step"]?.string, let time = formatter.date(from: entry.time) else { continue }
            switch entry.event {
            case JournalEventName.stepEntered:
                enteredAt[step] = time
                if !order.contains(step) { order.append(step) }
            case JournalEventName.stepAnswered:
                if let start = enteredAt.removeValue(forKey: step) {
                    total[step, default: 0] += max(0, Int((time.timeIntervalSince(start) * 1000).rounded()))
                }
            default:
                break
            }
        }
        return order.compactMap { step in total[step].map { Line(step: step, milliseconds: $0) } }
    }

    /// From the first journal entry to the last.
    public static func elapsedMilliseconds(_ entries: [JournalEntry]) -> Int {
        let formatter = makeFormatter()
        guard let first = entries.first.flatMap({ formatter.date(from: $0.time) }),
              let last = entries.last.flatMap({ formatter.date(from: $0.time) }) else { return 0 }
        return max(0, Int((last.timeIntervalSince(first) * 1000).rounded()))
    }

    /// `m:ss`, or `h:mm:ss` from an hour.
    public static func format(milliseconds: Int) -> String {
        let seconds = (milliseconds + 500) / 1000
        if seconds >= 3600 { return String(format: "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60) }
        return String(format: "%d:%02d", seconds / 60, seconds % 60)
    }

    /// RFC 3339 with milliseconds and offset, as the journal writes it.
    static func makeFormatter() -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss.SSSXXXXX"
        return formatter
    }
}
