/// Someone the employee can call: from `contacts.yaml` or a playbook's own `contacts:`.
public struct Contact: Sendable, Equatable {
    public var id: String
    public var name: LocalizedText
    public var role: LocalizedText?
    public var phone: String?
    public var email: String?
    public var url: String?
    public var hours: LocalizedText?
    public var note: LocalizedText?
    /// When the administrator last checked this entry.
    public var verified: Located<CalendarDay>?
    /// A `verified:` was written but is no date (reported as an error where it was written; no
    /// second warning that the date is missing).
    public var verifiedUnreadable: Bool = false
    /// Its `name:` could not be read (a misspelt key, reported where it was written): `name` is a
    /// stand-in, never shown (the file does not load) and not checked again. Not archived: only
    /// a file without errors is.
    public var nameUnreadable: Bool = false
    /// The file the contact was defined in, and where.
    public var path: String
    public var location: SourceLocation

    public init(id: String, name: LocalizedText, role: LocalizedText? = nil, phone: String? = nil,
                email: String? = nil, url: String? = nil, hours: LocalizedText? = nil,
                note: LocalizedText? = nil, verified: Located<CalendarDay>? = nil,
                path: String = "", location: SourceLocation = .start) {
        self.id = id
        self.name = name
        self.role = role
        self.phone = phone
        self.email = email
        self.url = url
        self.hours = hours
        self.note = note
        self.verified = verified
        self.path = path
        self.location = location
    }
}

/// A date without time (`YYYY-MM-DD`), compared by day number so the core needs no calendar.
public struct CalendarDay: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1, day <= Self.daysIn(month: month, year: year) else {
            return nil
        }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses exactly `YYYY-MM-DD`.
    public init?(parsing text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]) else {
            return nil
        }
        self.init(year: year, month: month, day: day)
    }

    /// Days since 1970-01-01 (proleptic Gregorian), for differences between days.
    public var dayNumber: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    public var description: String {
        let m = month < 10 ? "0\(month)" : "\(month)"
        let d = day < 10 ? "0\(day)" : "\(day)"
        return "\(year)-\(m)-\(d)"
    }

    public static func < (lhs: CalendarDay, rhs: CalendarDay) -> Bool { lhs.dayNumber < rhs.dayNumber }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
