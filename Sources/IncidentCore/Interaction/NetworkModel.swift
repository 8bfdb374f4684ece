/// The network step: what is still connected (from the edge's checks), check again, "I can't
/// disconnect", and continue once disconnected (in a drill, also while connected).
public struct NetworkModel: Sendable, Equatable {
    public let drill: Bool
    /// What is still connected, in the employee's words; nil until the first check is in.
    public var connected: [String]?

    public init(drill: Bool) {
        self.drill = drill
    }

    public var isDisconnected: Bool { connected?.isEmpty == true }

    mutating func update(_ input: StepInput) -> Reaction {
        switch input {
        case .checkAgain: return .effect(.checkNetwork)
        case .cannotDisconnect: return .effect(.finishNetwork(gaveUp: true))
        case .submit:
            guard let connected else { return .effect(.checkNetwork) }
            // Still connected: Enter checks again and says why it does not go on.
            return connected.isEmpty || drill ? .effect(.finishNetwork(gaveUp: false))
                : Reaction(effect: .checkNetwork, message: .word(.networkNotYet))
        case .invalid, .pick: return .invalid
        default: return .nothing
        }
    }
}
