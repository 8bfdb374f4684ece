import Foundation

/// One step as the employee meets it: its texts (placeholders filled in, control characters
/// neutralised), the state of its widget, an open question or the help, the last message — and
/// `update`, which decides what every input means. Pure: no terminal, no I/O, no clock but the
/// one it is given. The full screen and plain mode are two views over it, and the step driver
/// carries out what it asks (`StepEffect`).
public struct StepModel: Sendable {
    /// What covers the step for a moment.
    public enum Overlay: Sendable, Equatable {
        case help
        /// "Quit? Your answers are saved."
        case quit
        /// "Cancel the scan?" (while a command runs).
        case cancel
        /// "Go back? What you typed is kept." (Esc with text in a field.)
        case leave
        /// The record's QR code, to photograph (on the last screen).
        case code
        /// "The check is still running: stop it?" (the last screen, a background scan running).
        case stopScan
    }

    /// A line for the employee under the widget: a refusal, a missing answer.
    public enum Message: Sendable, Equatable {
        case word(Vocabulary.Key)
        /// The field is longer than its limit.
        case tooLong(maximum: Int)
        /// Already in the employee's words (a refused file, a command that could not start).
        case text(String)
        /// A key or line that does nothing on this screen: each view adds what works here.
        case notHere

        public func text(_ words: Vocabulary) -> String {
            switch self {
            case .word(let key): return words(key)
            case .notHere: return words(.invalidAnswer)
            case .tooLong(let maximum): return words(.inputTooLong) + "\(maximum)"
            case .text(let text): return text
            }
        }
    }

    /// The step type's own state: one model for each kind of interaction.
    public enum Widget: Sendable, Equatable {
        /// `info` and `end`: read, then continue.
        case proceed
        case confirm(ConfirmModel)
        case choice(ChoiceModel)
        case checklist(ChecklistModel)
        case form(FormModel)
        case network(NetworkModel)
        case evidence(EvidenceModel)
        case command(CommandModel)
        case notify(NotifyModel)
    }

    public let step: Step
    public let words: Vocabulary
    public private(set) var title: String
    /// The step's text; on a notify step, its `email_text` instead while the contact being tried
    /// has no phone (when the step has one).
    public var body: String { writing ? emailBody ?? phoneBody : phoneBody }
    public private(set) var help: String
    /// Choice options, checklist items or input field labels (a required field's with " *").
    public let labels: [String]
    /// A notify step's call script; its `email_script` instead while the contact being tried has
    /// no phone (when the step has one).
    public var script: String { writing ? emailScript ?? phoneScript : phoneScript }
    private var phoneBody: String
    private var emailBody: String?
    private var phoneScript: String
    private var emailScript: String?
    /// A background scan is still running (the last screen then asks before it closes).
    public var scanRunning = false
    /// Whether the step's texts say how a scan is doing (`{{scan.STEP}}`): redrawn as it goes.
    public let mentionsScan: Bool
    /// A drill: nothing on the PC is changed (the network screen continues while connected).
    public let drill: Bool
    /// Extra lines under the widget: a drill's notes, the step times on its last screen.
    public var notes: [String] = []
    /// The journal's latest check code (read out on the phone; shown on the notify card and the
    /// last screen), taken as the step is entered.
    public var checkCode: String?
    /// The record's summary as a QR code's modules (on the last screen), from the edge.
    public var qrModules: [[Bool]]?
    /// A critical step on the full screen takes its Enter only once it has been on screen for a
    /// second (`product.md`, "Critical screens and keys typed ahead"): held until `.enterReady`.
    public private(set) var enterHeld: Bool

    public var widget: Widget
    public var overlay: Overlay?
    public var message: Message?
    /// The first help line shown, and the most it can be (known once the view has laid it out).
    public var helpOffset = 0
    private var helpLimit = Int.max
    private var helpPage = 10
    private let clock: @Sendable () -> String

    /// `render` fills in a text's placeholders; `contacts`: a notify step's chain, as shown;
    /// `suggestions`: recent files an evidence step offers; `clock`: the time an answer records.
    /// `holdsEnter`: the front end holds a critical step's Enter for its first second.
    /// `setup`: what the step starts with besides its definition (see `Setup`).
    public init(step: Step, language: String, render: (LocalizedText?) -> String,
                contacts: [NotifyModel.Card] = [], suggestions: [String] = [], drill: Bool = false,
                holdsEnter: Bool = false, setup: Setup = Setup(), clock: @escaping @Sendable () -> String) {
        self.step = step
        enterHeld = holdsEnter && step.critical
        words = Vocabulary(language: language)
        let clean = { (text: String) in Sanitizer.neutralise(text) }
        mentionsScan = Self.texts(of: step).contains { $0.variants.values.contains { $0.contains("{{scan.") } }
        (title, phoneBody, help, phoneScript, emailBody, emailScript) = Self.rendered(step, render)
        self.drill = drill
        self.clock = clock
        switch step.kind {
        case .choice(let options): labels = options.map { clean(render($0.label)) }
        case .checklist(let items, _): labels = items.map { clean(render($0.label)) }
        case .input(let fields): labels = fields.map { clean(render($0.label)) + ($0.required ? " *" : "") }
        default: labels = []
        }
        switch step.kind {
        case .info, .end: widget = .proceed
        case .confirm(let spec): widget = .confirm(ConfirmModel(unsure: spec.unsure))
        case .choice(let options): widget = .choice(ChoiceModel(values: options.map(\.value.value)))
        case .checklist(let items, let require): widget = .checklist(ChecklistModel(values: items.map(\.value.value), require: require))
        case .input(let fields): widget = .form(FormModel(fields: fields))
        case .network: widget = .network(NetworkModel(drill: drill))
        case .evidence(let attach): widget = .evidence(EvidenceModel(attach: attach, suggestions: suggestions))
        case .scan, .await: widget = .command(CommandModel(isScan: true))
        case .collect: widget = .command(CommandModel(isScan: false))
        case .notify:
            var notify = NotifyModel(contacts: contacts)
            if !setup.attempts.isEmpty { notify.resume(setup.attempts) }
            widget = .notify(notify)
        }
        if case .evidence(var evidence) = widget, !setup.attached.isEmpty {
            evidence.attached = setup.attached.map { EvidenceModel.Attachment(file: $0.file, mail: $0.mail) }
            widget = .evidence(evidence)
        }
        if case .form(var form) = widget {
            if let draft = setup.draft, draft.count == form.values.count {
                form.values = draft
            } else if let mail = setup.mail {
                form.prefill(from: mail)
            }
            widget = .form(form)
        }
        notes = setup.notes
        checkCode = setup.checkCode
        qrModules = setup.qrModules
    }

    /// A step's texts that render placeholders.
    static func texts(of step: Step) -> [LocalizedText] {
        var texts = [step.title] + [step.text, step.help].compactMap { $0 }
        if case .notify(let spec) = step.kind { texts += [spec.script, spec.emailText, spec.emailScript].compactMap { $0 } }
        return texts
    }

    /// Renders the step's texts again (a scan's state changed): labels stay as they were.
    public mutating func refreshTexts(_ render: (LocalizedText?) -> String) {
        (title, phoneBody, help, phoneScript, emailBody, emailScript) = Self.rendered(step, render)
    }

    /// The step's title, text, help and a notify step's scripts, filled in and neutralised.
    private static func rendered(_ step: Step, _ render: (LocalizedText?) -> String)
        -> (title: String, body: String, help: String, script: String, emailBody: String?, emailScript: String?) {
        let clean = { (text: String) in Sanitizer.neutralise(text) }
        guard case .notify(let spec) = step.kind else {
            return (clean(render(step.title)), clean(render(step.text)), clean(render(step.help)), "", nil, nil)
        }
        return (clean(render(step.title)), clean(render(step.text)), clean(render(step.help)), clean(render(spec.script)),
                spec.emailText.map { clean(render($0)) }, spec.emailScript.map { clean(render($0)) })
    }

    /// What a step starts with besides its definition, gathered by the program as it is entered.
    public struct Setup: Sendable {
        /// Lines under the widget (a drill's notes, the step times, where the record is kept).
        public var notes: [String]
        /// The journal's latest check code (the notify card and the last screen).
        public var checkCode: String?
        /// The record's summary as a QR code (the last screen).
        public var qrModules: [[Bool]]?
        /// A notify step's tries journaled in this visit so far (a resumed session goes on with them).
        public var attempts: [NotifyAttempt]
        /// A form's values as typed before going back from it.
        public var draft: [String]?
        /// The last attached e-mail: a form's editable defaults.
        public var mail: MailSummary?
        /// An evidence step's files attached in this visit so far (with a mail's line).
        public var attached: [(file: EvidenceFile, mail: String?)]

        public init(notes: [String] = [], checkCode: String? = nil, qrModules: [[Bool]]? = nil, attempts: [NotifyAttempt] = [],
                    draft: [String]? = nil, mail: MailSummary? = nil, attached: [(file: EvidenceFile, mail: String?)] = []) {
            self.attached = attached
            self.notes = notes
            self.checkCode = checkCode
            self.qrModules = qrModules
            self.attempts = attempts
            self.draft = draft
            self.mail = mail
        }
    }

    /// Whether the notify step's contact being tried now has no phone: it is written to.
    private var writing: Bool {
        if case .notify(let notify) = widget, let card = notify.current { return !card.hasPhone }
        return false
    }

    /// Whether typing goes into a text field now: letters are text, not commands.
    public var isEditingText: Bool {
        switch widget {
        case .form(let form): return form.focus < form.values.count
        case .evidence(let evidence): return evidence.photographed != nil && evidence.attach != .none
        case .notify(let notify): return notify.askingName
        default: return false
        }
    }

    /// Whether a form holds typed text (going back then asks first, and the text is kept).
    public var hasTypedText: Bool {
        // Only a form's text is kept for the way back (and so only a form asks): a typed path is
        // one line, and Esc from the name prompt returns to the contact card.
        if case .form(let form) = widget { return form.values.contains { !$0.isEmpty } }
        return false
    }

    /// Whether a command runs (then quitting or going back first asks whether to cancel it).
    public var isRunning: Bool {
        if case .command(let command) = widget { return !command.isFinished }
        return false
    }

    // MARK: Update

    /// What `input` means here: the new state in `self`, and what the edges must do.
    public mutating func update(_ input: StepInput) -> StepEffect {
        switch input {
        case .networkChecked, .attached, .notice, .commandProgress, .commandFinished, .helpViewport:
            return report(input)
        case .enterReady:
            enterHeld = false
            if message == .word(.readFirst) { message = nil }
            return .none
        default:
            break
        }
        if let open = overlay {
            switch (open, input) {
            case (.quit, .yes):
                overlay = nil
                return .suspend
            case (.cancel, .yes), (.stopScan, .yes):
                overlay = nil
                return .cancelCommand
            case (.leave, .yes):
                overlay = nil
                return .back
            case (.code, _):
                overlay = nil
            case (.help, .scroll(let lines)):
                helpOffset = max(0, min(helpLimit, helpOffset + lines))
            case (.help, .page(let pages)):
                helpOffset = max(0, min(helpLimit, helpOffset + pages * helpPage))
            case (.help, _), (_, .no), (_, .dismiss), (_, .back):
                overlay = nil
            default:
                break
            }
            return .none
        }
        message = nil
        if enterHeld, input == .submit {
            message = .word(.readFirst)
            return .none
        }
        // The last screen: the session is finished, so Esc has nowhere to go and q only closes.
        if case .end = step.kind {
            switch input {
            case .back:
                message = .notHere
                return .none
            // A background scan still running: closing asks first (stopping it records `cancelled`).
            case .quit where scanRunning, .submit where scanRunning:
                overlay = .stopScan
                return .none
            case .quit:
                return .answer(.none)
            default:
                break
            }
        }
        switch input {
        case .help:
            overlay = .help
            helpOffset = 0
            return .none
        case .showCode where qrModules != nil:
            overlay = .code
            return .none
        case .quit:
            overlay = isRunning ? .cancel : .quit
            return .none
        case .back:
            if isRunning {
                overlay = .cancel
                return .none
            }
            if case .notify(var notify) = widget, notify.askingName {
                notify.leaveNamePrompt()
                widget = .notify(notify)
                return .none
            }
            if hasTypedText {
                overlay = .leave
                return .none
            }
            return .back
        default:
            break
        }
        let reaction: Reaction
        switch widget {
        case .proceed:
            reaction = input == .submit ? .effect(.answer(.none)) : input == .invalid ? .invalid : .nothing
        case .confirm(var model):
            reaction = model.update(input)
            widget = .confirm(model)
        case .choice(var model):
            reaction = model.update(input)
            widget = .choice(model)
        case .checklist(var model):
            reaction = model.update(input)
            widget = .checklist(model)
        case .form(var model):
            reaction = model.update(input)
            widget = .form(model)
        case .network(var model):
            reaction = model.update(input)
            widget = .network(model)
        case .evidence(var model):
            reaction = model.update(input)
            widget = .evidence(model)
        case .command(var model):
            reaction = model.update(input)
            widget = .command(model)
        case .notify(var model):
            reaction = model.update(input, at: clock)
            widget = .notify(model)
        }
        message = reaction.message
        return reaction.effect
    }

    /// A report from an edge: it changes the widget and never closes the help (a finished command
    /// closes the question whether to cancel it: nothing is left to cancel).
    private mutating func report(_ input: StepInput) -> StepEffect {
        switch (widget, input) {
        case (.network(var model), .networkChecked(let connected)):
            model.connected = connected
            widget = .network(model)
            if connected.isEmpty, message == .word(.networkNotYet) { message = nil }
        case (.evidence(var model), .attached(let file, let mail)):
            model.attached.append(EvidenceModel.Attachment(file: file, mail: mail))
            widget = .evidence(model)
        case (_, .notice(let text)):
            message = .text(text)
        case (.command(var model), .commandProgress(let seconds, let lines, let progress)) where !model.isFinished:
            model.seconds = seconds
            model.lines = lines
            model.progress = progress
            widget = .command(model)
        case (.command(var model), .commandFinished(let answer, let summary, let details, let progress)):
            model.answer = answer
            model.progress = progress
            model.summary = summary
            model.details = details
            model.lines = []
            widget = .command(model)
            if overlay == .cancel { overlay = nil }
        case (_, .helpViewport(let lines, let rows)):
            helpLimit = max(0, lines - rows)
            // In the middle of the help both "more" marks take a row: a page is what is left.
            helpPage = max(1, rows - 2)
            helpOffset = min(helpOffset, helpLimit)
        default:
            break
        }
        return .none
    }
}

/// What one widget model made of an input.
public struct Reaction: Sendable, Equatable {
    public var effect: StepEffect
    public var message: StepModel.Message?

    public static let nothing = Reaction(effect: .none, message: nil)
    public static func effect(_ effect: StepEffect) -> Reaction { Reaction(effect: effect, message: nil) }
    public static func message(_ message: StepModel.Message) -> Reaction { Reaction(effect: .none, message: message) }
    static let invalid = message(.notHere)
}

/// A highlight that wraps around a list of `count` lines.
func moved(_ highlighted: Int, by delta: Int, count: Int) -> Int {
    guard count > 0 else { return 0 }
    return ((highlighted + delta) % count + count) % count
}

/// A highlight that may be on nothing yet: the first move down lands on the first line, the
/// first move up on the last.
func moved(_ highlighted: Int?, by delta: Int, count: Int) -> Int {
    guard let highlighted else { return delta > 0 ? 0 : max(0, count - 1) }
    return moved(highlighted, by: delta, count: count)
}
