/// One option of several: a number picks it, or the highlight and Enter.
public struct ChoiceModel: Sendable, Equatable {
    /// The options' values, in the playbook's order.
    public let values: [String]
    public var highlighted = 0

    public init(values: [String]) {
        self.values = values
    }

    mutating func update(_ input: StepInput) -> Reaction {
        switch input {
        case .pick(let number) where values.indices.contains(number - 1):
            highlighted = number - 1
            return .effect(.answer(.choice(values[number - 1])))
        case .submit where values.indices.contains(highlighted):
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
