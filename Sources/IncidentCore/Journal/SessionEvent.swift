/// Every event the journal records, typed: encoded to a journal line's fields and decoded from
/// them here and nowhere else. The writer (the program loop, the store, the emergency card) builds
/// these; the report, the replay, `verify`, the exports and the loop read them.
public enum SessionEvent: Sendable, Equatable {
    case sessionStarted(SessionStart)
    /// The session stopped before its end (quit, end of input, a signal) at `step`.
    case sessionSuspended(reason: String, step: String)
    /// `tornLine`: a last line cut short by a power loss, ignored.
    case sessionResumed(tornLine: Int?)
    /// The employee chose not to continue this unfinished record: it is closed, never offered again.
    case sessionAbandoned(tornLine: Int?)
    case sessionFinished(outcome: String)
    case stepEntered(step: String)
    case stepSkipped(step: String)
    /// The answer as recorded; `answer(for:)` reads it with the step's definition.
    case stepAnswered(step: String, answer: JSONValue)
    case stepBack(from: String, to: String)
    /// A command is about to run, with the output file it will write (so a file left by a command
    /// that was stopped mid-way is accounted for).
    case commandStarted(CommandStart)
    case commandFinished(CommandEnd)
    /// A command the playbook asks for that did not run (in a drill: `disconnect_command`).
    case commandSkipped(step: String, name: String, argv: [String], reason: String)
    case networkChecked(NetworkCheck)
    case evidenceAdded(EvidenceAdded)
    /// `reasonLocal`: the refusal in the session's language, as the employee read it.
    case evidenceRefused(step: String, reason: String, reasonLocal: String)
    /// The playbook could not be used: the built-in emergency card was shown instead.
    case emergencyCard(EmergencyCardShown)
    /// A try of the notify step's chain (reached, no answer, later).
    case notifyAttempted(step: String, NotifyAttempt)

    // MARK: Payloads

    public struct SessionStart: Sendable, Equatable {
        /// A copy beside the journal: the playbook's (`id`, `revision`) or the contacts'.
        public struct Copy: Sendable, Equatable {
            public var id: String?
            public var revision: String?
            public var sha256: String?
            public var file: String?

            public init(id: String? = nil, revision: String? = nil, sha256: String?, file: String?) {
                self.id = id
                self.revision = revision
                self.sha256 = sha256
                self.file = file
            }
        }

        public var incidentID: String
        /// The emergency card's record (no playbook could be used).
        public var emergency: Bool
        public var playbook: Copy
        /// nil: no contacts file was copied (the emergency card's record leaves the key out).
        public var contacts: Copy?
        public var language: String
        public var host: HostFacts?
        public var toolVersion: String
        public var drill: Bool
        /// The record is kept in the private fallback folder, and why (only then written).
        public var reportsFallback: ReportsFallback?

        public init(incidentID: String, emergency: Bool = false, playbook: Copy, contacts: Copy?, language: String,
                    host: HostFacts?, toolVersion: String, drill: Bool, reportsFallback: ReportsFallback? = nil) {
            self.incidentID = incidentID
            self.emergency = emergency
            self.playbook = playbook
            self.contacts = contacts
            self.language = language
            self.host = host
            self.toolVersion = toolVersion
            self.drill = drill
            self.reportsFallback = reportsFallback
        }
    }

    public struct CommandStart: Sendable, Equatable {
        public var step: String
        public var name: String
        public var argv: [String]
        public var outputFile: String

        public init(step: String, name: String, argv: [String], outputFile: String) {
            self.step = step
            self.name = name
            self.argv = argv
            self.outputFile = outputFile
        }
    }

    public struct CommandEnd: Sendable, Equatable {
        public var step: String
        public var name: String
        public var argv: [String]
        /// nil: it could not be started, or was stopped before it ended.
        public var exitCode: Int?
        public var durationMs: Int
        public var timedOut: Bool
        /// A scan's verdict (`clean`, `detected`…); nil for other commands.
        public var verdict: String?
        /// Why it could not be started or its end was not seen, in the system's words.
        public var failure: String?
        public var outputFile: String?
        public var outputSHA256: String?
        public var outputSize: Int
        /// A scanner's detection lines (`PATH: NAME FOUND`).
        public var detections: [String]
        /// The output's last lines.
        public var tail: [String]

        public init(step: String, name: String, argv: [String], exitCode: Int?, durationMs: Int, timedOut: Bool,
                    verdict: String? = nil, failure: String? = nil, outputFile: String? = nil, outputSHA256: String? = nil,
                    outputSize: Int = 0, detections: [String] = [], tail: [String] = []) {
            self.step = step
            self.name = name
            self.argv = argv
            self.exitCode = exitCode
            self.durationMs = durationMs
            self.timedOut = timedOut
            self.verdict = verdict
            self.failure = failure
            self.outputFile = outputFile
            self.outputSHA256 = outputSHA256
            self.outputSize = outputSize
            self.detections = detections
            self.tail = tail
        }
    }

    public struct NetworkCheck: Sendable, Equatable {
        public struct Interface: Sendable, Equatable {
            public var name: String
            /// `wired`, `wifi`, `other`.
            public var kind: String
            public var addresses: [String]
            public var defaultRoute: Bool

            public init(name: String, kind: String, addresses: [String], defaultRoute: Bool) {
                self.name = name
                self.kind = kind
                self.addresses = addresses
                self.defaultRoute = defaultRoute
            }
        }

        public var step: String
        /// The interfaces still connected.
        public var interfaces: [Interface]
        public var defaultRoute: Bool

        public init(step: String, interfaces: [Interface], defaultRoute: Bool) {
            self.step = step
            self.interfaces = interfaces
            self.defaultRoute = defaultRoute
        }
    }

    public struct EvidenceAdded: Sendable, Equatable {
        public var step: String
        public var file: EvidenceFile
        /// An attached mail's headers and attachments.
        public var email: MailSummary?
        /// An attached EmoCheck report, read.
        public var emocheck: EmoCheckResult?

        public init(step: String, file: EvidenceFile, email: MailSummary? = nil, emocheck: EmoCheckResult? = nil) {
            self.step = step
            self.file = file
            self.email = email
            self.emocheck = emocheck
        }
    }

    public struct EmergencyCardShown: Sendable, Equatable {
        public struct Admin: Sendable, Equatable {
            public var name: String
            public var phone: String

            public init(name: String, phone: String) {
                self.name = name
                self.phone = phone
            }
        }

        /// Why no playbook could be used, for the administrator.
        public var reasons: [String]
        /// The administrator the card named; nil: it showed the printed list.
        public var admin: Admin?

        public init(reasons: [String], admin: Admin?) {
            self.reasons = reasons
            self.admin = admin
        }
    }

    // MARK: Names

    /// The event's name in the journal.
    public var name: String {
        switch self {
        case .sessionStarted: return "session.started"
        case .sessionSuspended: return "session.suspended"
        case .sessionResumed: return "session.resumed"
        case .sessionAbandoned: return "session.abandoned"
        case .sessionFinished: return "session.finished"
        case .stepEntered: return "step.entered"
        case .stepSkipped: return "step.skipped"
        case .stepAnswered: return "step.answered"
        case .stepBack: return "step.back"
        case .commandStarted: return "command.started"
        case .commandFinished: return "command.finished"
        case .commandSkipped: return "command.skipped"
        case .networkChecked: return "network.checked"
        case .evidenceAdded: return "evidence.added"
        case .evidenceRefused: return "evidence.refused"
        case .emergencyCard: return "emergency.card"
        case .notifyAttempted: return "notify.attempted"
        }
    }

    /// The step the event belongs to, if any.
    public var step: String? {
        switch self {
        case .stepEntered(let step), .stepSkipped(let step), .stepAnswered(let step, _),
             .commandSkipped(let step, _, _, _), .evidenceRefused(let step, _, _), .notifyAttempted(let step, _):
            return step
        case .commandStarted(let start): return start.step
        case .commandFinished(let end): return end.step
        case .networkChecked(let check): return check.step
        case .evidenceAdded(let added): return added.step
        default: return nil
        }
    }

    /// The session's opening, if this is `session.started`.
    public var sessionStart: SessionStart? {
        if case .sessionStarted(let start) = self { return start }
        return nil
    }

    /// Whether it closes the session (finished, or closed by the employee): never offered again.
    public var closesSession: Bool {
        switch self {
        case .sessionFinished, .sessionAbandoned: return true
        default: return false
        }
    }

    // MARK: Encoding

    /// The journal line's fields, in the order they are written.
    public var fields: [JSONValue.Member] {
        func strings(_ values: [String]) -> JSONValue { .array(values.map(JSONValue.string)) }
        switch self {
        case .sessionStarted(let start):
            var fields: [JSONValue.Member] = [.init("incident_id", .string(start.incidentID))]
            if start.emergency { fields.append(.init("emergency", .bool(true))) }
            fields.append(.init("playbook", .object([
                "id": .some(start.playbook.id.map(JSONValue.string) ?? .null),
                "revision": start.emergency ? nil : .some(start.playbook.revision.map(JSONValue.string) ?? .null),
                "sha256": start.emergency ? start.playbook.sha256.map(JSONValue.string) : .some(start.playbook.sha256.map(JSONValue.string) ?? .null),
                "file": start.emergency ? start.playbook.file.map(JSONValue.string) : .some(start.playbook.file.map(JSONValue.string) ?? .null),
            ])))
            if let contacts = start.contacts {
                fields.append(.init("contacts", .object(["sha256": .some(contacts.sha256.map(JSONValue.string) ?? .null),
                                                         "file": .some(contacts.file.map(JSONValue.string) ?? .null)])))
            }
            fields += [.init("language", .string(start.language))]
            if let host = start.host { fields.append(.init("host", host.json)) }
            fields += [.init("tool_version", .string(start.toolVersion)), .init("drill", .bool(start.drill))]
            if let fallback = start.reportsFallback { fields.append(.init(ReportsFallback.key, fallback.json)) }
            return fields
        case let .sessionSuspended(reason, step):
            return [.init("reason", .string(reason)), .init("step", .string(step))]
        case .sessionResumed(let torn), .sessionAbandoned(let torn):
            return torn.map { [.init("torn_line", .int($0))] } ?? []
        case .sessionFinished(let outcome):
            return [.init("outcome", .string(outcome))]
        case .stepEntered(let step), .stepSkipped(let step):
            return [.init("step", .string(step))]
        case let .stepAnswered(step, answer):
            return [.init("step", .string(step)), .init("answer", answer)]
        case let .stepBack(from, to):
            return [.init("from", .string(from)), .init("to", .string(to))]
        case .commandStarted(let start):
            return [.init("step", .string(start.step)), .init("name", .string(start.name)), .init("argv", strings(start.argv)),
                    .init("output_file", .string(start.outputFile))]
        case .commandFinished(let end):
            var fields: [JSONValue.Member] = [
                .init("step", .string(end.step)), .init("name", .string(end.name)), .init("argv", strings(end.argv)),
                .init("exit_code", end.exitCode.map(JSONValue.int) ?? .null),
                .init("duration_ms", .int(end.durationMs)), .init("timed_out", .bool(end.timedOut)),
            ]
            if let verdict = end.verdict { fields.append(.init("verdict", .string(verdict))) }
            if let failure = end.failure { fields.append(.init("failure", .string(failure))) }
            if let file = end.outputFile, let sha = end.outputSHA256 {
                fields += [.init("output_file", .string(file)), .init("output_sha256", .string(sha)),
                           .init("output_size", .int(end.outputSize))]
            }
            if !end.detections.isEmpty { fields.append(.init("detections", strings(end.detections))) }
            if !end.tail.isEmpty { fields.append(.init("tail", strings(end.tail))) }
            return fields
        case let .commandSkipped(step, name, argv, reason):
            return [.init("step", .string(step)), .init("name", .string(name)), .init("argv", strings(argv)),
                    .init("reason", .string(reason))]
        case .networkChecked(let check):
            return [
                .init("step", .string(check.step)),
                .init("connected", strings(check.interfaces.map(\.name))),
                .init("default_route", .bool(check.defaultRoute)),
                .init("interfaces", .array(check.interfaces.map { interface in
                    .object([.init("name", .string(interface.name)), .init("kind", .string(interface.kind)),
                             .init("addresses", strings(interface.addresses)), .init("default_route", .bool(interface.defaultRoute))])
                })),
            ]
        case .evidenceAdded(let added):
            var fields: [JSONValue.Member] = [.init("step", .string(added.step)), .init("file", AnswerCoding.json(added.file))]
            if let email = added.email { fields.append(.init("email", email.json)) }
            if let emocheck = added.emocheck { fields.append(.init("emocheck", emocheck.json)) }
            return fields
        case let .evidenceRefused(step, reason, local):
            return [.init("step", .string(step)), .init("reason", .string(reason)), .init("reason_local", .string(local))]
        case .emergencyCard(let card):
            return [
                .init("reasons", strings(card.reasons)),
                .init("shown", .string(card.admin == nil ? "printed-list" : "admin-number")),
                .init("contact", card.admin.map { .object(["id": .string("admin"), "name": .string($0.name), "phone": .string($0.phone)]) } ?? .null),
            ]
        case let .notifyAttempted(step, attempt):
            return [.init("step", .string(step)), .init("contact", .string(attempt.contact)),
                    .init("result", .string(attempt.result.rawValue)), .init("at", .string(attempt.at))]
        }
    }

    // MARK: Decoding

    /// The event of a journal entry; nil for a name this version does not know (a newer
    /// wizard's event, which every reader passes over) or fields that do not make one.
    public init?(_ entry: JournalEntry) {
        func string(_ key: String) -> String? { entry[key]?.string }
        func strings(_ key: String) -> [String] { (entry[key]?.array ?? []).compactMap(\.string) }
        let step = string("step") ?? ""
        switch entry.event {
        case "session.started":
            func copy(_ json: JSONValue?) -> SessionStart.Copy? {
                guard let json, case .object = json else { return nil }
                return SessionStart.Copy(id: json["id"]?.string, revision: json["revision"]?.string, sha256: json["sha256"]?.string,
                                         file: json["file"]?.string)
            }
            self = .sessionStarted(SessionStart(
                incidentID: string("incident_id") ?? "", emergency: entry["emergency"]?.bool ?? false,
                playbook: copy(entry["playbook"]) ?? SessionStart.Copy(sha256: nil, file: nil), contacts: copy(entry["contacts"]),
                language: string("language") ?? "", host: entry["host"].flatMap(HostFacts.init(json:)),
                toolVersion: string("tool_version") ?? "", drill: entry["drill"]?.bool ?? false,
                reportsFallback: ReportsFallback(json: entry[ReportsFallback.key])))
        case "session.suspended": self = .sessionSuspended(reason: string("reason") ?? "", step: step)
        case "session.resumed": self = .sessionResumed(tornLine: entry["torn_line"]?.int)
        case "session.abandoned": self = .sessionAbandoned(tornLine: entry["torn_line"]?.int)
        case "session.finished": self = .sessionFinished(outcome: string("outcome") ?? "")
        case "step.entered": self = .stepEntered(step: step)
        case "step.skipped": self = .stepSkipped(step: step)
        case "step.answered": self = .stepAnswered(step: step, answer: entry["answer"] ?? .null)
        case "step.back": self = .stepBack(from: string("from") ?? "", to: string("to") ?? "")
        case "command.started":
            self = .commandStarted(CommandStart(step: step, name: string("name") ?? "", argv: strings("argv"),
                                                outputFile: string("output_file") ?? ""))
        case "command.finished":
            self = .commandFinished(CommandEnd(
                step: step, name: string("name") ?? "", argv: strings("argv"), exitCode: entry["exit_code"]?.int,
                durationMs: entry["duration_ms"]?.int ?? 0, timedOut: entry["timed_out"]?.bool ?? false, verdict: string("verdict"),
                failure: string("failure"), outputFile: string("output_file"), outputSHA256: string("output_sha256"),
                outputSize: entry["output_size"]?.int ?? 0, detections: strings("detections"), tail: strings("tail")))
        case "command.skipped":
            self = .commandSkipped(step: step, name: string("name") ?? "", argv: strings("argv"), reason: string("reason") ?? "")
        case "network.checked":
            let described = (entry["interfaces"]?.array ?? []).compactMap { json -> NetworkCheck.Interface? in
                guard let name = json["name"]?.string else { return nil }
                return NetworkCheck.Interface(name: name, kind: json["kind"]?.string ?? "other",
                                              addresses: (json["addresses"]?.array ?? []).compactMap(\.string),
                                              defaultRoute: json["default_route"]?.bool ?? false)
            }
            // An older journal names the connected interfaces only.
            let interfaces = entry["interfaces"] == nil
                ? strings("connected").map { NetworkCheck.Interface(name: $0, kind: "other", addresses: [], defaultRoute: false) }
                : described
            self = .networkChecked(NetworkCheck(step: step, interfaces: interfaces, defaultRoute: entry["default_route"]?.bool ?? false))
        case "evidence.added":
            guard let file = entry["file"].flatMap(AnswerCoding.evidenceFile) else { return nil }
            self = .evidenceAdded(EvidenceAdded(step: step, file: file, email: entry["email"].flatMap(MailSummary.init(json:)),
                                                emocheck: entry["emocheck"].flatMap(EmoCheckResult.init(json:))))
        case "evidence.refused":
            let reason = string("reason") ?? ""
            self = .evidenceRefused(step: step, reason: reason, reasonLocal: string("reason_local") ?? reason)
        case "emergency.card":
            let contact = entry["contact"]
            let admin = contact?["name"]?.string.map { EmergencyCardShown.Admin(name: $0, phone: contact?["phone"]?.string ?? "") }
            self = .emergencyCard(EmergencyCardShown(reasons: strings("reasons"), admin: admin))
        case "notify.attempted":
            guard let contact = string("contact"), let result = string("result").flatMap(NotifyAttempt.Result.init(rawValue:)),
                  let at = string("at") else { return nil }
            self = .notifyAttempted(step: step, NotifyAttempt(contact: contact, result: result, at: at))
        default:
            return nil
        }
    }

    /// The recorded answer, read with the step's definition (nil when it cannot be this step's).
    public func answer(in playbook: Playbook) -> Answer? {
        guard case let .stepAnswered(step, json) = self, let definition = playbook.step(step) else { return nil }
        return AnswerCoding.answer(json, for: definition)
    }
}

extension JournalEntry {
    /// The entry's event, typed (nil for an event this version does not know).
    public var typed: SessionEvent? { SessionEvent(self) }
}
