/// A yes/no (or yes/no/not sure) question: y, n or u answers at once; the list can also be walked
/// with ↑/↓ and Enter. Nothing is highlighted at first: Enter alone answers nothing.
public struct ConfirmModel: Sendable, Equatable {
    public let answers: [ConfirmAnswer]
    public var highlighted: Int?

    public init(unsure: Bool) {
        answers = unsure ? [.yes, .no, .unsure] : [.yes, .no]
    }

    mutating func update(_ input: StepInput) -> Reaction {
        switch input {
        case .yes: return .effect(.answer(.confirm(.yes)))
        case .no: return .effect(.answer(.confirm(.no)))
        case .unsure where answers.contains(.unsure): return .effect(.answer(.confirm(.unsure)))
        case .submit:
            guard let highlighted else { return .message(.word(answers.count == 3 ? .answerYesNoUnsure : .answerYesNo)) }
            return .effect(.answer(.confirm(answers[highlighted])))
        case .move(let delta): highlighted = moved(highlighted, by: delta, count: answers.count)
        case .unsure, .invalid, .pick: return .invalid
        default: break
        }
        return .nothing
    }
}
