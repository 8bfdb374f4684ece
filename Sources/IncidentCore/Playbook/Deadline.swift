/// A duty with a clock (`deadlines:`): due `after` the moment the incident was noticed, if `when`
/// holds on the record's answers. Never shown to the employee.
public struct Deadline: Sendable, Equatable {
    public var id: Located<String>
    public var title: LocalizedText
    public var after: Located<DeadlineDuration>
    public var when: Condition?
    public var note: LocalizedText?
    public var url: String?
    public var location: SourceLocation

    public init(id: Located<String>, title: LocalizedText, after: Located<DeadlineDuration>, when: Condition? = nil,
                note: LocalizedText? = nil, url: String? = nil, location: SourceLocation = .start) {
        self.id = id
        self.title = title
        self.after = after
        self.when = when
        self.note = note
        self.url = url
        self.location = location
    }
}

/// `72h`, `3d`, `60d`: hours, or calendar days (the same wall-clock time N days later).
public struct DeadlineDuration: Sendable, Equatable, CustomStringConvertible {
    public enum Unit: String, Sendable, Equatable { case hours = "h", days = "d" }
    public var amount: Int
    public var unit: Unit

    public init(amount: Int, unit: Unit) {
        self.amount = amount
        self.unit = unit
    }

    /// `\d+h` or `\d+d` (ASCII digits, no sign, no space), at most 36,500 days or 876,000 hours
    /// (a hundred years); nil otherwise.
    public init?(_ text: String) {
        guard let last = text.last, let unit = Unit(rawValue: String(last)) else { return nil }
        let digits = text.dropLast()
        guard !digits.isEmpty, digits.count <= 7, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
              let amount = Int(digits), amount <= (unit == .days ? 36_500 : 876_000) else { return nil }
        self.init(amount: amount, unit: unit)
    }

    public var seconds: Int { amount * (unit == .days ? 86_400 : 3_600) }
    public var description: String { "\(amount)\(unit.rawValue)" }
}

/// Who writes a document: the administrator or the consultant.
public enum DocumentAudience: String, Sendable, Equatable, CaseIterable {
    case admin
    case consultant
}

/// A text drafted from the record (`documents:`), printed by `report DIR --document ID`.
public struct DocumentTemplate: Sendable, Equatable {
    public var id: Located<String>
    public var title: LocalizedText
    public var audience: DocumentAudience
    public var when: Condition?
    public var body: LocalizedText
    public var location: SourceLocation

    public init(id: Located<String>, title: LocalizedText, audience: DocumentAudience = .consultant,
                when: Condition? = nil, body: LocalizedText, location: SourceLocation = .start) {
        self.id = id
        self.title = title
        self.audience = audience
        self.when = when
        self.body = body
        self.location = location
    }
}
