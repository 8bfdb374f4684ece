/// A yes/no (or yes/no/not sure) question: y, n or u answers at once; the list can also be walked.
public struct ConfirmModel: Sendable, Equatable {
    public let answers: [ConfirmAnswer]
    public var highlighted = 0

    public init(unsure: Bool) {
        answers = unsure ? [.yes, .no, .unsure] : [.yes, .no]
    }

    mutating func update(_ input: StepInput) -> Reaction {
        switch input {
        case .yes: return .effect(.answer(.confirm(.yes)))
        case .no: return .effect(.answer(.confirm(.no)))
        case .unsure where answers.contains(.unsure): return .effect(.answer(.confirm(.unsure)))
        case .submit: return .effect(.answer(.confirm(answers[min(highlighted, answers.count - 1)])))
        case .move(let delta): highlighted = moved(highlighted, by: delta, count: answers.count)
        case .unsure, .invalid, .pick: return .invalid
        default: break
        }
        return .nothing
    }
}
