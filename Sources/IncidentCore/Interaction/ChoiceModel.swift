/// One option of several: a number picks it, or ↑/↓ and Enter. Nothing is highlighted at first,
/// so Enter pressed twice in a panic cannot land on a branch nobody chose.
public struct ChoiceModel: Sendable, Equatable {
    /// The options' values, in the playbook's order.
    public let values: [String]
    public var highlighted: Int?

    public init(values: [String]) {
        self.values = values
    }

    mutating func update(_ input: StepInput) -> Reaction {
        switch input {
        case .pick(let number) where values.indices.contains(number - 1):
            highlighted = number - 1
            return .effect(.answer(.choice(values[number - 1])))
        case .submit:
            guard let highlighted, values.indices.contains(highlighted) else { return .message(.word(.chooseFirst)) }
            return .effect(.answer(.choice(values[highlighted])))
        case .move(let delta):
            highlighted = moved(highlighted, by: delta, count: values.count)
        case .pick, .invalid:
            return .invalid
        default:
            break
        }
        return .nothing
    }
}
