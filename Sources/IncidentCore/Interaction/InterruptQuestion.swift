/// Ctrl-C while a command runs in plain mode, where no key can be read: the first asks whether
/// to cancel it, a second within ten seconds says yes, and the question closes by itself after
/// ten seconds. What the presses mean, as the step's inputs; the time is given.
public struct InterruptQuestion: Sendable, Equatable {
    /// When the question was asked (seconds on a monotonic clock), while it is open.
    public private(set) var askedAt: Double?

    public init() {}

    /// `count` Ctrl-Cs since the last look at `now`.
    public mutating func pressed(_ count: Int, now: Double) -> [StepInput] {
        guard count > 0 else { return [] }
        // Two within one look are the question and its answer at once.
        if count >= 2 {
            defer { askedAt = nil }
            return askedAt == nil ? [.quit, .yes] : [.yes]
        }
        if let asked = askedAt, now - asked <= 10 {
            askedAt = nil
            return [.yes]
        }
        askedAt = now
        return [.quit]
    }

    /// The clock: an unanswered question closes after ten seconds.
    public mutating func tick(now: Double) -> [StepInput] {
        guard let asked = askedAt, now - asked > 10 else { return [] }
        askedAt = nil
        return [.dismiss]
    }
}
