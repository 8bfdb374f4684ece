/// What the employee (or the wizard acting for them) answered at a step. The journal records
/// these; the report shows them; conditions and placeholders read them.
public enum Answer: Sendable, Equatable {
    /// `info` and `end`: nothing to answer.
    case none
    case confirm(ConfirmAnswer)
    /// The chosen option's value.
    case choice(String)
    /// The ticked items' values, in the playbook's order.
    case checklist([String])
    /// Field id → text.
    case input([String: String])
    case network(NetworkOutcome)
    case evidence(EvidenceOutcome)
    case scan(ScanOutcome)
    case collect(CollectOutcome)
    case notify(NotifyOutcome)

    /// The value a `when:` condition compares (`nil` for answers conditions cannot test). A checklist
    /// answers every ticked value.
    public var conditionValues: [String]? {
        switch self {
        case .confirm(let answer): return [answer.rawValue]
        case .choice(let value): return [value]
        case .checklist(let values): return values
        case .scan(let outcome): return [outcome.verdict.rawValue]
        case .network(let outcome): return [outcome.disconnected ? "disconnected" : "connected"]
        case .evidence(let outcome): return [outcome.photographed]
        case .notify(let outcome): return [outcome.reached == nil ? "not-reached" : "reached"]
        case .none, .input, .collect: return nil
        }
    }
}

public enum ConfirmAnswer: String, Sendable, Equatable, CaseIterable, Codable {
    case yes, no, unsure
}

/// How a network step ended.
public struct NetworkOutcome: Sendable, Equatable, Codable {
    public enum Method: String, Sendable, Equatable, Codable, CaseIterable {
        case cable, wifi, command, unknown
        case notDone = "not-done"
        /// A drill on a connected PC: the employee found the cable and the Wi-Fi switch, nothing
        /// was changed, and the drill went on as if disconnected.
        case drill
    }

    public var disconnected: Bool
    public var method: Method
    /// RFC 3339 time of the check that decided the outcome.
    public var checkedAt: String
    public var interfacesBefore: [String]
    public var interfacesAfter: [String]

    public init(disconnected: Bool, method: Method, checkedAt: String, interfacesBefore: [String] = [],
                interfacesAfter: [String] = []) {
        self.disconnected = disconnected
        self.method = method
        self.checkedAt = checkedAt
        self.interfacesBefore = interfacesBefore
        self.interfacesAfter = interfacesAfter
    }
}

/// A file copied into the report's `evidence/` folder.
public struct EvidenceFile: Sendable, Equatable, Codable {
    public var name: String
    public var sha256: String
    public var size: Int
    public var source: String

    public init(name: String, sha256: String, size: Int, source: String) {
        self.name = name
        self.sha256 = sha256
        self.size = size
        self.source = source
    }
}

public struct EvidenceOutcome: Sendable, Equatable, Codable {
    /// `yes` or `no`.
    public var photographed: String
    public var files: [EvidenceFile]

    public init(photographed: Bool, files: [EvidenceFile] = []) {
        self.photographed = photographed ? "yes" : "no"
        self.files = files
    }
}

public struct ScanOutcome: Sendable, Equatable, Codable {
    public var verdict: ScanVerdict
    public var exitCode: Int32?
    public var durationMs: Int
    public var outputFile: String?
    public var outputSHA256: String?

    public init(verdict: ScanVerdict, exitCode: Int32? = nil, durationMs: Int = 0, outputFile: String? = nil,
                outputSHA256: String? = nil) {
        self.verdict = verdict
        self.exitCode = exitCode
        self.durationMs = durationMs
        self.outputFile = outputFile
        self.outputSHA256 = outputSHA256
    }
}

public struct CollectOutput: Sendable, Equatable, Codable {
    public var name: String
    public var exitCode: Int32?
    public var outputFile: String?
    public var outputSHA256: String?

    public init(name: String, exitCode: Int32?, outputFile: String?, outputSHA256: String?) {
        self.name = name
        self.exitCode = exitCode
        self.outputFile = outputFile
        self.outputSHA256 = outputSHA256
    }
}

public struct CollectOutcome: Sendable, Equatable, Codable {
    public var outputs: [CollectOutput]

    public init(outputs: [CollectOutput]) {
        self.outputs = outputs
    }
}

/// One try at reaching a contact.
public struct NotifyAttempt: Sendable, Equatable, Codable {
    public enum Result: String, Sendable, Equatable, Codable, CaseIterable {
        case reached
        case noAnswer = "no-answer"
        case later
    }

    public var contact: String
    public var result: Result
    /// RFC 3339 time of the try.
    public var at: String

    public init(contact: String, result: Result, at: String) {
        self.contact = contact
        self.result = result
        self.at = at
    }
}

public struct NotifyOutcome: Sendable, Equatable, Codable {
    /// The contact id that answered, or nil when nobody was reached (call later).
    public var reached: String?
    public var spokeWith: String
    /// RFC 3339 time the answer was given.
    public var at: String
    /// Every try, in order: who was tried and how it went.
    public var attempts: [NotifyAttempt]

    public init(reached: String?, spokeWith: String, at: String, attempts: [NotifyAttempt] = []) {
        self.reached = reached
        self.spokeWith = spokeWith
        self.at = at
        self.attempts = attempts
    }
}
