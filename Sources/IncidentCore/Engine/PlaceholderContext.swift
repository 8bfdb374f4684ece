/// What placeholders render from. Built by the edges (host facts, clock, folders) and the engine
/// (answers); rendering itself is pure.
public struct PlaceholderContext: Sendable {
    public var language: String
    public var hostName: String
    public var userName: String
    public var sessionID: String
    public var sessionStarted: String
    public var now: String
    public var reportDir: String
    public var home: String
    public var evidenceDir: String
    public var contacts: [String: Contact]
    /// For documents: the mail's sender and subject (from the parsed `.eml`, else as typed and
    /// marked so); nil when the record has neither.
    public var mailFrom: String? = nil
    public var mailSubject: String? = nil
    /// `{{scan.STEP}}` of a scan still running, in words (set by the program as it goes).
    public var scanStates: [String: String] = [:]

    public init(language: String, hostName: String = "", userName: String = "", sessionID: String = "",
                sessionStarted: String = "", now: String = "", reportDir: String = "", home: String = "",
                evidenceDir: String = "", contacts: [String: Contact] = [:]) {
        self.language = language
        self.hostName = hostName
        self.userName = userName
        self.sessionID = sessionID
        self.sessionStarted = sessionStarted
        self.now = now
        self.reportDir = reportDir
        self.home = home
        self.evidenceDir = evidenceDir
        self.contacts = contacts
    }

    /// Shown for an answer that does not exist (yet), or a value that is unknown.
    public static let missing = "—"

    /// A Text in the session language with its placeholders filled in.
    public func render(_ text: LocalizedText?, playbook: Playbook, answers: [String: Answer]) -> String {
        guard let text else { return "" }
        return render(text.resolved(language), playbook: playbook, answers: answers)
    }

    public func render(_ template: String, playbook: Playbook, answers: [String: Answer]) -> String {
        var out = ""
        for piece in Placeholder.parse(template).pieces {
            switch piece {
            case .literal(let literal): out += literal
            case .placeholder(let placeholder):
                out += value(of: placeholder, playbook: playbook, answers: answers)
            }
        }
        return out
    }

    /// A command's argv with `{{home}}`, `{{report.dir}}` and `{{evidence.dir}}` substituted. Nothing
    /// else is ever substituted here, so no answer can reach a command.
    public func argv(_ template: [String]) -> [String] {
        template.map { element in
            Placeholder.parse(element).pieces.map { piece in
                switch piece {
                case .literal(let literal): return literal
                case .placeholder(let placeholder):
                    switch placeholder.name {
                    case "home": return home
                    case "report.dir": return reportDir
                    case "evidence.dir": return evidenceDir
                    default: return "{{\(placeholder.name)}}"
                    }
                }
            }.joined()
        }
    }

    func value(of placeholder: Placeholder, playbook: Playbook, answers: [String: Answer]) -> String {
        let parts = placeholder.parts.map(String.init)
        let words = Vocabulary(language: language)
        let orMissing: (String) -> String = { $0.isEmpty ? Self.missing : $0 }
        switch placeholder.name {
        case "host.name": return orMissing(hostName)
        case "user.name": return orMissing(userName)
        case "session.id": return orMissing(sessionID)
        // Read aloud on the phone: "12月2日 15:09", not RFC 3339 (the journal keeps that).
        case "session.started": return orMissing(words.spokenTime(sessionStarted))
        case "now": return orMissing(words.spokenTime(now))
        case "report.dir": return orMissing(reportDir)
        default: break
        }
        if parts.count >= 2, parts[0] == "answer" {
            // An answer not given (yet), or a field left empty, reads as "not answered".
            let notAnswered = words(.notAnswered)
            guard let step = playbook.step(parts[1]), let answer = answers[parts[1]] else { return notAnswered }
            if parts.count == 3 {
                guard case .input(let values) = answer, let value = values[parts[2]], !value.isEmpty else { return notAnswered }
                return value
            }
            let described = describe(answer, of: step)
            return described.isEmpty ? notAnswered : described
        }
        if parts.count == 2, parts[0] == "deadline" {
            guard let line = DeadlineClock.compute(playbook, answers: answers, started: sessionStarted)?
                .lines.first(where: { $0.id == parts[1] }) else { return Self.missing }
            let spoken = words.spokenTime(line.due)
            if line.applies { return spoken }
            return spoken + words(.deadlineDoesNotApply)
        }
        if parts.count == 2, parts[0] == "scan" {
            if let state = scanStates[parts[1]] { return state }
            guard case .scan(let outcome)? = answers[parts[1]] else { return words(.notAnswered) }
            return words.verdict(outcome.verdict)
        }
        switch placeholder.name {
        case "mail.from": return mailFrom ?? words(.notAnswered)
        case "mail.subject": return mailSubject ?? words(.notAnswered)
        case "network.disconnected_at":
            for step in playbook.steps {
                guard case .network(let outcome)? = answers[step.id.value] else { continue }
                if outcome.method == .drill {
                    return words.spokenTime(outcome.checkedAt) + (words.isJapanese ? "（\(words(.drillDisconnected))）" : " (\(words(.drillDisconnected)))")
                }
                return outcome.disconnected ? words.spokenTime(outcome.checkedAt) : words(.connected)
            }
            return words(.notAnswered)
        default: break
        }
        if parts.count == 3, parts[0] == "contact", let contact = contacts[parts[1]] {
            switch parts[2] {
            case "name": return orMissing(contact.name.resolved(language))
            case "phone": return orMissing(contact.phone ?? "")
            case "email": return orMissing(contact.email ?? "")
            default: break
            }
        }
        return Self.missing
    }

    /// An answer as the employee saw it, in the session language.
    public func describe(_ answer: Answer, of step: Step) -> String {
        let words = Vocabulary(language: language)
        switch (answer, step.kind) {
        case (.confirm(let value), _):
            return words.confirm(value)
        case (.choice(let value), .choice(let options)):
            return options.first { $0.value.value == value }?.label.resolved(language) ?? value
        case (.checklist(let values), .checklist(let items, _)):
            let labels = items.filter { values.contains($0.value.value) }.map { $0.label.resolved(language) }
            return labels.isEmpty ? words(.none) : words.list(labels)
        case (.input(let values), .input(let fields)):
            return words.list(fields.compactMap { field in
                values[field.id.value].flatMap { $0.isEmpty ? nil : "\(field.label.resolved(language)): \($0)" }
            })
        case (.scan(let outcome), _):
            return words.verdict(outcome.verdict)
        case (.network(let outcome), _):
            if outcome.method == .drill { return words(.drillDisconnected) }
            return words(outcome.disconnected ? .disconnected : .connected)
        case (.evidence(let outcome), _):
            return words.confirm(outcome.photographed == "yes" ? .yes : .no)
        case (.notify(let outcome), _):
            guard let reached = outcome.reached else { return words(.notReached) }
            let name = contacts[reached]?.name.resolved(language) ?? reached
            return outcome.spokeWith.isEmpty ? name : "\(name) (\(outcome.spokeWith))"
        case (.collect(let outcome), _):
            return words.list(outcome.outputs.map(\.name))
        default:
            return ""
        }
    }
}
