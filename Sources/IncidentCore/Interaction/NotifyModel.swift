/// The notify step: the contact to call now, "reached" (then who answered), "no answer" (the
/// next contact in the chain), "call later".
public struct NotifyModel: Sendable, Equatable {
    /// A contact as the employee reads it: name first, then phone, e-mail, hours.
    public struct Card: Sendable, Equatable {
        public var id: String
        public var lines: [String]

        public init(id: String, lines: [String]) {
            self.id = id
            self.lines = lines
        }
    }

    public let contacts: [Card]
    /// The contact being tried.
    public var index = 0
    /// Reached: the name of who answered is asked.
    public var askingName = false
    public var name = ""

    public init(contacts: [Card]) {
        self.contacts = contacts
    }

    public var current: Card? { contacts.indices.contains(index) ? contacts[index] : nil }

    mutating func update(_ input: StepInput, at clock: () -> String) -> Reaction {
        if askingName {
            if input == .submit, let current {
                askingName = false
                return .effect(.answer(.notify(NotifyOutcome(reached: current.id, spokeWith: TextEditing.trimmed(name), at: clock()))))
            }
            _ = TextEditing.apply(input, to: &name, limit: 200)
            return .nothing
        }
        switch input {
        case .reached where current != nil:
            askingName = true
            name = ""
        case .noAnswer:
            if index + 1 < contacts.count {
                index += 1
            } else {
                return .message(.word(.noMoreContacts))
            }
        case .later:
            return .effect(.answer(.notify(NotifyOutcome(reached: nil, spokeWith: "", at: clock()))))
        case .reached, .invalid, .pick, .submit:
            return .invalid
        default:
            break
        }
        return .nothing
    }
}
