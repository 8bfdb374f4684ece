/// Where the flow goes: a step, or the end of the playbook.
public enum FlowTarget: Sendable, Hashable, CustomStringConvertible {
    case step(String)
    case end

    public var description: String {
        switch self {
        case .step(let id): return id
        case .end: return "end"
        }
    }
}

/// One screen of a playbook.
public struct Step: Sendable, Equatable {
    public var id: Located<String>
    public var title: LocalizedText
    public var text: LocalizedText?
    public var help: LocalizedText?
    public var critical: Bool
    public var when: Condition?
    public var next: Located<FlowTarget>?
    public var kind: StepKind
    public var location: SourceLocation

    public init(id: Located<String>, title: LocalizedText, text: LocalizedText? = nil,
                help: LocalizedText? = nil, critical: Bool = false, when: Condition? = nil,
                next: Located<FlowTarget>? = nil, kind: StepKind, location: SourceLocation = .start) {
        self.id = id
        self.title = title
        self.text = text
        self.help = help
        self.critical = critical
        self.when = when
        self.next = next
        self.kind = kind
        self.location = location
    }
}

/// The step types of format v1 with their own keys.
public enum StepKind: Sendable, Equatable {
    case info
    case confirm(ConfirmSpec)
    case choice([ChoiceOption])
    case checklist(items: [ChecklistItem], require: ChecklistRequirement)
    case input([InputField])
    case network(NetworkSpec)
    case evidence(attach: AttachPolicy)
    case scan(ScanSpec)
    /// Waits for a background scan's verdict (`wait: false`) and routes on it.
    case await(AwaitSpec)
    case collect([CollectCommand])
    case notify(NotifySpec)
    case end(outcome: String)

    /// The `type:` name as written in a playbook.
    public var typeName: String {
        switch self {
        case .info: return "info"
        case .confirm: return "confirm"
        case .choice: return "choice"
        case .checklist: return "checklist"
        case .input: return "input"
        case .network: return "network"
        case .evidence: return "evidence"
        case .scan: return "scan"
        case .await: return "await"
        case .collect: return "collect"
        case .notify: return "notify"
        case .end: return "end"
        }
    }

    public static let typeNames = ["info", "confirm", "choice", "checklist", "input", "network",
                                   "evidence", "scan", "await", "collect", "notify", "end"]
}

public struct ConfirmSpec: Sendable, Equatable {
    public var yesNext: Located<FlowTarget>?
    public var noNext: Located<FlowTarget>?
    public var unsure: Bool
    public var unsureNext: Located<FlowTarget>?

    public init(yesNext: Located<FlowTarget>? = nil, noNext: Located<FlowTarget>? = nil,
                unsure: Bool = false, unsureNext: Located<FlowTarget>? = nil) {
        self.yesNext = yesNext
        self.noNext = noNext
        self.unsure = unsure
        self.unsureNext = unsureNext
    }
}

public struct ChoiceOption: Sendable, Equatable {
    public var value: Located<String>
    public var label: LocalizedText
    public var next: Located<FlowTarget>?

    public init(value: Located<String>, label: LocalizedText, next: Located<FlowTarget>? = nil) {
        self.value = value
        self.label = label
        self.next = next
    }
}

public struct ChecklistItem: Sendable, Equatable {
    public var value: Located<String>
    public var label: LocalizedText

    public init(value: Located<String>, label: LocalizedText) {
        self.value = value
        self.label = label
    }
}

public enum ChecklistRequirement: String, Sendable, Equatable, CaseIterable {
    case all, any, none
}

public struct InputField: Sendable, Equatable {
    public var id: Located<String>
    public var label: LocalizedText
    public var required: Bool
    public var multiline: Bool
    public var maxLength: Int

    public init(id: Located<String>, label: LocalizedText, required: Bool = false,
                multiline: Bool = false, maxLength: Int = 500) {
        self.id = id
        self.label = label
        self.required = required
        self.multiline = multiline
        self.maxLength = maxLength
    }
}

public enum NetworkAction: String, Sendable, Equatable, CaseIterable {
    case verify, disconnect
}

public struct NetworkSpec: Sendable, Equatable {
    public var action: NetworkAction
    public var disconnectCommand: CommandSpec?

    public init(action: NetworkAction = .verify, disconnectCommand: CommandSpec? = nil) {
        self.action = action
        self.disconnectCommand = disconnectCommand
    }
}

public enum AttachPolicy: String, Sendable, Equatable, CaseIterable {
    case none, optional, required
}

/// A scanner's verdict (`unavailable` and `cancelled` come from the wizard, not from exit codes).
/// `interrupted`: a background scan the wizard's end (a kill, a power loss, the window closed)
/// stopped; recorded, never routed on (the `await` step offers to run it again).
public enum ScanVerdict: String, Sendable, Equatable, CaseIterable, Codable {
    case clean, detected, error, unavailable, cancelled, interrupted

    /// The verdicts a playbook routes on and tests (`next_on`, `when`).
    public static let routable: [ScanVerdict] = [.clean, .detected, .error, .unavailable, .cancelled]
}

public struct ScanSpec: Sendable, Equatable {
    public var command: CommandSpec
    public var timeoutSeconds: Int
    /// Exit code → verdict; unmapped codes are `error`.
    public var verdicts: [Int: ScanVerdict]
    public var nextOn: [ScanVerdict: Located<FlowTarget>]
    /// `wait: false`: the scan runs in the background and the flow goes on at once; where the
    /// key was written, for diagnostics.
    public var wait: Bool
    public var waitLocation: SourceLocation?

    public init(command: CommandSpec, timeoutSeconds: Int = 3600, verdicts: [Int: ScanVerdict] = [:],
                nextOn: [ScanVerdict: Located<FlowTarget>] = [:], wait: Bool = true, waitLocation: SourceLocation? = nil) {
        self.command = command
        self.timeoutSeconds = timeoutSeconds
        self.verdicts = verdicts
        self.nextOn = nextOn
        self.wait = wait
        self.waitLocation = waitLocation
    }

    public func verdict(forExitCode code: Int32) -> ScanVerdict {
        verdicts[Int(code)] ?? .error
    }
}

/// An `await` step: the background scan it waits for, and where each verdict goes.
public struct AwaitSpec: Sendable, Equatable {
    public var step: Located<String>
    public var nextOn: [ScanVerdict: Located<FlowTarget>]

    public init(step: Located<String>, nextOn: [ScanVerdict: Located<FlowTarget>] = [:]) {
        self.step = step
        self.nextOn = nextOn
    }
}

extension Step {
    /// A `scan` step with `wait: false`.
    public var isBackgroundScan: Bool {
        if case .scan(let spec) = kind { return !spec.wait }
        return false
    }
}

public struct CollectCommand: Sendable, Equatable {
    public var name: Located<String>
    public var command: CommandSpec
    public var timeoutSeconds: Int

    public init(name: Located<String>, command: CommandSpec, timeoutSeconds: Int = 30) {
        self.name = name
        self.command = command
        self.timeoutSeconds = timeoutSeconds
    }
}

public struct NotifySpec: Sendable, Equatable {
    public var contact: Located<String>
    public var fallback: [Located<String>]
    public var script: LocalizedText?
    /// `email_text` / `email_script`: what the step's text and script say instead while the
    /// contact being tried has no phone (it is written to, not called). Nil: `text` / `script`.
    public var emailText: LocalizedText?
    public var emailScript: LocalizedText?

    public init(contact: Located<String>, fallback: [Located<String>] = [], script: LocalizedText? = nil,
                emailText: LocalizedText? = nil, emailScript: LocalizedText? = nil) {
        self.contact = contact
        self.fallback = fallback
        self.script = script
        self.emailText = emailText
        self.emailScript = emailScript
    }

    /// The contacts to try, in order.
    public var chain: [String] { [contact.value] + fallback.map(\.value) }
}

/// A command: argv per OS (`linux`, `macos`), or one argv for every OS (stored under `any`).
/// Always executed directly, never through a shell.
public struct CommandSpec: Sendable, Equatable {
    public static let anyOS = "any"
    public static let knownOSes = ["linux", "macos"]

    public var argvByOS: [String: [Located<String>]]
    public var location: SourceLocation

    public init(argvByOS: [String: [Located<String>]], location: SourceLocation = .start) {
        self.argvByOS = argvByOS
        self.location = location
    }

    public init(_ argv: [String]) {
        self.init(argvByOS: [Self.anyOS: argv.map { Located($0, at: .start) }])
    }

    /// The argv template for `os` (`linux` or `macos`), placeholders not yet substituted.
    public func argv(for os: String) -> [String]? {
        (argvByOS[os] ?? argvByOS[Self.anyOS]).map { $0.map(\.value) }
    }
}

/// A `when:` condition.
public indirect enum Condition: Sendable, Equatable {
    case equals(step: Located<String>, value: Located<String>)
    case oneOf(step: Located<String>, values: [Located<String>])
    case notEquals(step: Located<String>, value: Located<String>)
    case all([Condition])
    case any([Condition])
}
