/// The notify step: the contact to reach now, "reached" (then, on the phone, who answered),
/// "no answer" (the next contact in the chain), "later". Every try is kept, in order, and goes
/// into the answer's `attempts`.
public struct NotifyModel: Sendable, Equatable {
    /// A contact as the employee reads it: the name, how to reach them, then what else helps.
    public struct Card: Sendable, Equatable {
        public var id: String
        public var name: String
        /// The number to dial, or the address to write to (with where to write from).
        public var reach: [String]
        /// Role, hours, a note for the employee.
        public var details: [String]
        /// Reached by e-mail only: "sent", not "someone answered"; no name to ask for.
        public var emailOnly: Bool
        /// Has a number to dial. Without one (e-mail or a web page only) the step shows its
        /// `email_text` / `email_script` when it has them. Default: all but an e-mail-only card.
        public var hasPhone: Bool

        public init(id: String, name: String, reach: [String], details: [String] = [], emailOnly: Bool = false,
                    hasPhone: Bool? = nil) {
            self.id = id
            self.name = name
            self.reach = reach
            self.details = details
            self.emailOnly = emailOnly
            self.hasPhone = hasPhone ?? !emailOnly
        }

        /// A contact as the card shows it: the name, then how to reach them now (the number to
        /// dial; for an e-mail-only contact the address and "write from another device"), then
        /// hours, role and the note for the employee. Neutralised.
        public init(contact: Contact, words: Vocabulary) {
            let language = words.language
            let clean = { (text: String) in Sanitizer.neutralise(text, keepNewlines: false) }
            var reach: [String] = []
            if let phone = contact.phone { reach.append("\(words(.contactPhone)): \(phone)") }
            if let email = contact.email { reach.append("\(words(.contactEmail)): \(email)") }
            let emailOnly = contact.phone == nil && contact.email != nil
            if emailOnly { reach.append(words(.notifyFromOtherDevice)) }
            if contact.phone == nil, contact.email == nil, let url = contact.url { reach.append("\(words(.contactURL)): \(url)") }
            var details: [String] = []
            if let hours = contact.hours { details.append("\(words(.contactHours)): \(hours.resolved(language))") }
            if let role = contact.role { details.append(role.resolved(language)) }
            if let note = contact.note { details.append(note.resolved(language)) }
            self.init(id: contact.id, name: clean(contact.name.resolved(language)), reach: reach.map(clean),
                      details: details.map(clean), emailOnly: emailOnly, hasPhone: contact.phone != nil)
        }

        /// A card from its lines, name first (for tests and simple callers).
        public init(id: String, lines: [String]) {
            self.init(id: id, name: lines.first ?? id, reach: Array(lines.dropFirst()))
        }

        public var lines: [String] { [name] + reach + details }
    }

    public let contacts: [Card]
    /// The contact being tried.
    public var index = 0
    /// Reached by phone: the name of who answered is asked.
    public var askingName = false
    public var name = ""
    /// Every try so far.
    public var attempts: [NotifyAttempt] = []

    public init(contacts: [Card]) {
        self.contacts = contacts
    }

    public var current: Card? { contacts.indices.contains(index) ? contacts[index] : nil }

    /// Back from "who did you speak with?" to the contact card (the reached try stays recorded).
    mutating func leaveNamePrompt() {
        askingName = false
        name = ""
    }

    /// Continues a visit already begun (after a resume, or a window closed mid-call): the tries
    /// journaled so far, and the contact after the last one that did not answer.
    public mutating func resume(_ earlier: [NotifyAttempt]) {
        attempts = earlier
        if let last = earlier.last(where: { $0.result == .noAnswer }), let position = contacts.firstIndex(where: { $0.id == last.contact }) {
            index = min(position + 1, max(0, contacts.count - 1))
        }
    }

    /// Whether the chain has no one left after the current contact.
    public var isLast: Bool { index + 1 >= contacts.count }

    mutating func update(_ input: StepInput, at clock: () -> String) -> Reaction {
        if askingName {
            if input == .submit, let current {
                askingName = false
                // The reached try is already among the attempts (journaled when 1 was pressed).
                return .effect(.answer(.notify(NotifyOutcome(reached: current.id, spokeWith: TextEditing.trimmed(name), at: clock(),
                                                             attempts: attempts))))
            }
            if case .refused(let message) = TextEditing.apply(input, to: &name, limit: 200) { return .message(message) }
            return .nothing
        }
        switch input {
        case .reached:
            guard let current else { return .invalid }
            if current.emailOnly { return answer(reached: current, spokeWith: "", at: clock()) }
            askingName = true
            name = ""
            // Journaled now: a window closed while the name is typed does not lose that they answered
            // (once: back from the name prompt and 1 again is the same call).
            if attempts.last?.contact == current.id, attempts.last?.result == .reached { return .nothing }
            let attempt = NotifyAttempt(contact: current.id, result: .reached, at: clock())
            attempts.append(attempt)
            return .effect(.recordAttempt(attempt))
        case .noAnswer:
            guard let current else { return .message(.word(.noMoreContacts)) }
            // Once per contact: pressing 2 again on the last one adds no new try.
            var effect = StepEffect.none
            if attempts.last?.contact != current.id || attempts.last?.result != .noAnswer {
                let attempt = NotifyAttempt(contact: current.id, result: .noAnswer, at: clock())
                attempts.append(attempt)
                effect = .recordAttempt(attempt)
            }
            if isLast { return Reaction(effect: effect, message: .word(.noMoreContacts)) }
            index += 1
            return .effect(effect)
        case .later:
            let now = clock()
            if let current { attempts.append(NotifyAttempt(contact: current.id, result: .later, at: now)) }
            return .effect(.answer(.notify(NotifyOutcome(reached: nil, spokeWith: "", at: now, attempts: attempts))))
        case .invalid, .pick, .submit:
            return .message(.word(.notifyKeys))
        default:
            break
        }
        return .nothing
    }

    private mutating func answer(reached: Card, spokeWith: String, at now: String) -> Reaction {
        attempts.append(NotifyAttempt(contact: reached.id, result: .reached, at: now))
        return .effect(.answer(.notify(NotifyOutcome(reached: reached.id, spokeWith: spokeWith, at: now, attempts: attempts))))
    }
}
