/// A scan or collect step: its commands run (the edge reports progress and the end), then Enter
/// continues with the answer they made. Cancelling is the step model's question.
public struct CommandModel: Sendable, Equatable {
    public let isScan: Bool
    public var seconds = 0
    /// The last lines of the output while it runs.
    public var lines: [String] = []
    /// How far a scan the wizard can follow is (ClamAV), while it runs; nil for any other command.
    public var progress: ScanProgress?
    /// Once finished: what happened, in the employee's words.
    public var summary: [String] = []
    /// Once finished: the raw output's last lines, for the help and the consultant.
    public var details: [String] = []
    /// The answer the commands made, once they have ended.
    public var answer: Answer?

    public init(isScan: Bool) {
        self.isScan = isScan
    }

    public var isFinished: Bool { answer != nil }

    mutating func update(_ input: StepInput) -> Reaction {
        switch input {
        case .submit: return answer.map { .effect(.answer($0)) } ?? .nothing
        case .invalid: return .invalid
        default: return .nothing
        }
    }
}
