import Foundation

/// When the incident was noticed, and what each of the playbook's deadlines makes of it. Pure:
/// computed from the session's start (RFC 3339, with the session's offset) and the answers.
public enum DeadlineClock {
    /// Where "noticed" came from.
    public enum NoticedSource: Sendable, Equatable {
        /// The session's `session.started` (no `noticed` field answered).
        case sessionStarted
        /// The employee's answer to an `input` field `noticed`, as typed.
        case typed(String)
        /// A `noticed` answer that could not be read as a date and time, or is later than the
        /// start of the response: the session's start is used instead.
        case unreadable(String)
        case later(String)
    }

    public struct Noticed: Sendable, Equatable {
        /// RFC 3339 in the session's offset.
        public var time: String
        public var milliseconds: Int
        public var source: NoticedSource
    }

    public struct Line: Sendable, Equatable {
        public var id: String
        public var deadline: Deadline
        /// RFC 3339 in the session's offset, with milliseconds as in the journal.
        public var due: String
        public var dueMilliseconds: Int
        public var applies: Bool
    }

    /// The noticed moment and every deadline of `playbook`, in file order; nil when the start
    /// time cannot be read.
    public static func compute(_ playbook: Playbook, answers: [String: Answer],
                               started: String) -> (noticed: Noticed, lines: [Line])? {
        guard let noticed = noticed(playbook, answers: answers, started: started) else { return nil }
        let offset = offsetSeconds(started) ?? 0
        let lines = playbook.deadlines.map { deadline -> Line in
            let due = noticed.milliseconds + deadline.after.value.seconds * 1000
            return Line(id: deadline.id.value, deadline: deadline, due: format(due, offset: offset),
                        dueMilliseconds: due, applies: deadline.when.map { Engine.holds($0, answers: answers) } ?? true)
        }
        return (noticed, lines)
    }

    /// `session.started`, unless an `input` field with the id `noticed` holds an earlier date and time.
    public static func noticed(_ playbook: Playbook, answers: [String: Answer], started: String) -> Noticed? {
        guard let start = StepTimes.milliseconds(started) else { return nil }
        let offset = offsetSeconds(started) ?? 0
        var typed: String?
        for step in playbook.steps {
            guard case .input(let fields) = step.kind, fields.contains(where: { $0.id.value == "noticed" }),
                  case .input(let values)? = answers[step.id.value],
                  let value = values["noticed"]?.trimmingWhitespace, !value.isEmpty else { continue }
            typed = String(value)
            break
        }
        let atStart = { (source: NoticedSource) in
            Noticed(time: format(start, offset: offset), milliseconds: start, source: source)
        }
        guard let typed else { return atStart(.sessionStarted) }
        guard let moment = parseTyped(typed, reference: start, offset: offset) else { return atStart(.unreadable(typed)) }
        guard moment <= start else { return atStart(.later(typed)) }
        return Noticed(time: format(moment, offset: offset), milliseconds: moment, source: .typed(typed))
    }

    // MARK: Times

    /// The offset of an RFC 3339 time (`+09:00` → 32400, `Z` → 0).
    public static func offsetSeconds(_ rfc3339: String) -> Int? {
        let bytes = Array(rfc3339.utf8)
        guard let last = bytes.last else { return nil }
        if last == 0x5A { return 0 }
        guard bytes.count >= 6 else { return nil }
        let tail = Array(bytes.suffix(6))
        guard tail[0] == 0x2B || tail[0] == 0x2D, tail[3] == 0x3A,
              let hours = Int(String(decoding: tail[1..<3], as: UTF8.self)),
              let minutes = Int(String(decoding: tail[4..<6], as: UTF8.self)) else { return nil }
        return (hours * 3600 + minutes * 60) * (tail[0] == 0x2D ? -1 : 1)
    }

    /// Milliseconds since 1970 as RFC 3339 at `offset` seconds east of UTC, as the journal writes times.
    public static func format(_ milliseconds: Int, offset: Int) -> String {
        let local = Int((Double(milliseconds) / 1000).rounded(.down)) + offset
        let (year, month, day) = civil(fromDays: Int((Double(local) / 86_400).rounded(.down)))
        let secondOfDay = local - Int((Double(local) / 86_400).rounded(.down)) * 86_400
        func pad(_ value: Int, _ width: Int = 2) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        let zone = offset == 0 ? "Z"
            : (offset < 0 ? "-" : "+") + pad(abs(offset) / 3600) + ":" + pad(abs(offset) % 3600 / 60)
        return "\(pad(year, 4))-\(pad(month))-\(pad(day))T\(pad(secondOfDay / 3600)):\(pad(secondOfDay % 3600 / 60)):"
            + "\(pad(secondOfDay % 60)).\(pad(((milliseconds % 1000) + 1000) % 1000, 3))" + zone
    }

    /// `2026-12-10T09:30:00+09:00` as `2026-12-10 09:30 (+09:00)`.
    public static func readable(_ rfc3339: String) -> String {
        let characters = Array(rfc3339)
        guard characters.count >= 20, characters[10] == "T" else { return rfc3339 }
        let zone = rfc3339.hasSuffix("Z") ? "UTC" : String(characters.suffix(6))
        return String(characters[0..<10]) + " " + String(characters[11..<16]) + " (\(zone))"
    }

    static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func civil(fromDays days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    // MARK: What the employee typed

    /// A date and time as people type it: `2026-12-07 09:30`, `2026/12/7 9:30`, `12/7 9:30`,
    /// `9:30` (the session's day), `12月7日 9時30分`, `午後3時`, full-width digits too. A date
    /// without a time counts from 0:00 of that day (the earliest plausible moment); a date
    /// without a year is in the session's year (or the year before, if it would be later).
    /// nil when nothing can be read. `reference`: the session's start (ms); `offset`: its zone.
    public static func parseTyped(_ typed: String, reference: Int, offset: Int) -> Int? {
        var text = ""
        for scalar in typed.unicodeScalars {
            if (0xFF01...0xFF5E).contains(scalar.value), let ascii = Unicode.Scalar(scalar.value - 0xFEE0) {
                text.unicodeScalars.append(ascii)
            } else if scalar == "\u{3000}" {
                text.append(" ")
            } else {
                text.unicodeScalars.append(scalar)
            }
        }
        text = text.lowercased()
        let referenceLocal = Int((Double(reference) / 1000).rounded(.down)) + offset
        let (referenceYear, referenceMonth, referenceDay) = civil(fromDays: Int((Double(referenceLocal) / 86_400).rounded(.down)))
        func groups(_ pattern: String, in string: String) -> (values: [Int?], range: Range<String.Index>)? {
            guard let regex = try? NSRegularExpression(pattern: pattern),
                  let match = regex.firstMatch(in: string, range: NSRange(string.startIndex..., in: string)),
                  let whole = Range(match.range, in: string) else { return nil }
            let values = (1..<match.numberOfRanges).map { index -> Int? in
                Range(match.range(at: index), in: string).flatMap { Int(string[$0]) }
            }
            return (values, whole)
        }
        var year: Int?
        var month: Int?
        var day: Int?
        var rest = text
        if let found = groups(#"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"#, in: text) {
            (year, month, day) = (found.values[0], found.values[1], found.values[2])
            rest.removeSubrange(found.range)
        } else if let found = groups(#"(?<![\d:])(\d{1,2})\s*[/月]\s*(\d{1,2})\s*日?"#, in: text) {
            (month, day) = (found.values[0], found.values[1])
            rest.removeSubrange(found.range)
        }
        var hour: Int?
        var minute = 0
        if let found = groups(#"(\d{1,2})\s*(?::|時)\s*(\d{1,2})?"#, in: rest) {
            hour = found.values[0]
            minute = found.values[1] ?? 0
        }
        guard month != nil || hour != nil else { return nil }
        if var value = hour {
            let afternoon = rest.contains("午後") || rest.contains("pm") || rest.contains("p.m.")
            let morning = rest.contains("午前") || rest.contains("am") || rest.contains("a.m.")
            if afternoon, value < 12 { value += 12 }
            if morning, value == 12 { value = 0 }
            hour = value
        }
        guard (0...23).contains(hour ?? 0), (0...59).contains(minute) else { return nil }
        let explicitYear = year != nil
        var y = year ?? referenceYear
        let m = month ?? referenceMonth
        let d = day ?? referenceDay
        guard (1...12).contains(m), (1...31).contains(d), (1970...9999).contains(y) else { return nil }
        func moment(_ year: Int) -> Int? {
            let dayNumber = days(year: year, month: m, day: d)
            // 2月30日 and the like: the day must exist.
            guard civil(fromDays: dayNumber) == (year, m, d) else { return nil }
            return ((dayNumber * 86_400 + (hour ?? 0) * 3600 + minute * 60) - offset) * 1000
        }
        guard var result = moment(y) else { return nil }
        if !explicitYear, month != nil, result > reference, let earlier = moment(y - 1) {
            y -= 1
            result = earlier
        }
        return result
    }
}
