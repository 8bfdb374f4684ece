import IncidentCore

/// One step on screen: its texts (placeholders rendered, control characters neutralised), the
/// widget's state, overlays, and the key handling of `product.md`. Pure: the terminal edge feeds it
/// keys and results, and draws what `render` puts in a `ScreenBuffer`.
public struct StepScreen: Sendable {
    public enum Overlay: Sendable, Equatable {
        case help, quit, cancel
    }

    /// A contact as the notify screen shows it.
    public struct ContactCard: Sendable, Equatable {
        public var id: String
        public var lines: [String]

        public init(id: String, lines: [String]) {
            self.id = id
            self.lines = lines
        }
    }

    public let step: Step
    public let words: Vocabulary
    let title: String
    let body: String
    let help: String
    /// Choice options, checklist items or input field labels.
    let labels: [String]
    public let contacts: [ContactCard]
    let script: String

    public var highlighted = 0
    public var ticked: Set<Int> = []
    public var fields: [String] = []
    /// The focused input field; `fields.count` is the Continue button.
    public var focus = 0
    public var overlay: Overlay?
    public var message: String?
    /// A drill: on the network screen Enter continues while still connected (nothing is changed).
    public var drill = false
    /// Extra lines under the widget (a drill's notes, the step times on its last screen).
    public var notes: [String] = []
    // Network
    public var connected: [String]?
    // Evidence
    public var photographed: Bool?
    public var attached: [String] = []
    /// Recent files the employee may pick instead of typing a path (↑/↓, then Enter).
    public var suggestions: [String] = []
    public var suggestion: Int?
    // Scan and collect
    public var commandRunning = false
    public var commandFinished = false
    public var commandLines: [String] = []
    public var commandStatus = ""
    // Notify
    public var contactIndex = 0
    public var askingName = false

    public init(step: Step, language: String, render: (LocalizedText?) -> String, contacts: [ContactCard] = []) {
        self.step = step
        words = Vocabulary(language: language)
        let clean = { (text: String) in Sanitizer.neutralise(text) }
        title = clean(render(step.title))
        body = clean(render(step.text))
        help = clean(render(step.help))
        switch step.kind {
        case .choice(let options): labels = options.map { clean(render($0.label)) }
        case .checklist(let items, _): labels = items.map { clean(render($0.label)) }
        case .input(let fields): labels = fields.map { clean(render($0.label)) + ($0.required ? " *" : "") }
        default: labels = []
        }
        if case .input(let definitions) = step.kind { fields = Array(repeating: "", count: definitions.count) }
        if case .notify(let spec) = step.kind { script = clean(render(spec.script)) } else { script = "" }
        self.contacts = contacts
    }

    /// Whether typing goes into a text field now (letters are text, not commands).
    public var isEditingText: Bool {
        switch step.kind {
        case .input: return focus < fields.count
        case .evidence(let attach): return photographed != nil && attach != .none
        case .notify: return askingName
        default: return false
        }
    }

    // MARK: Keys

    public mutating func handle(_ key: Key) -> ScreenAction {
        if let overlay {
            switch (overlay, key) {
            case (.quit, .character("y")), (.quit, .character("Y")): return .quit
            case (.cancel, .character("y")), (.cancel, .character("Y")):
                self.overlay = nil
                return .cancelCommand
            case (.help, _), (_, .character("n")), (_, .character("N")), (_, .escape): self.overlay = nil
            default: break
            }
            return .none
        }
        message = nil
        switch key {
        case .help:
            overlay = .help
            return .none
        case .interrupt:
            overlay = commandRunning ? .cancel : .quit
            return .none
        case .escape:
            if commandRunning { overlay = .cancel; return .none }
            return .back
        case .left where !isEditingText:
            return commandRunning ? .none : .back
        case .character("?") where !isEditingText:
            overlay = .help
            return .none
        case .character("q") where !isEditingText, .character("Q") where !isEditingText:
            overlay = commandRunning ? .cancel : .quit
            return .none
        default:
            break
        }
        switch step.kind {
        case .info, .end:
            return key == .enter ? .answer(.none) : .none
        case .confirm(let spec):
            let choices: [ConfirmAnswer] = spec.unsure ? [.yes, .no, .unsure] : [.yes, .no]
            switch key {
            case .character("y"), .character("Y"): return .answer(.confirm(.yes))
            case .character("n"), .character("N"): return .answer(.confirm(.no))
            case .character("u") where spec.unsure, .character("U") where spec.unsure: return .answer(.confirm(.unsure))
            case .enter: return .answer(.confirm(choices[min(highlighted, choices.count - 1)]))
            default: moveHighlight(key, count: choices.count)
            }
        case .choice(let options):
            if case .character(let c) = key, let n = c.wholeNumberValue, (1...min(9, options.count)).contains(n) {
                return .answer(.choice(options[n - 1].value.value))
            }
            if key == .enter { return .answer(.choice(options[highlighted].value.value)) }
            moveHighlight(key, count: options.count)
        case .checklist(let items, let require):
            switch key {
            case .character(" "): toggle(highlighted)
            case .character(let c) where c.wholeNumberValue.map { (1...min(9, items.count)).contains($0) } == true:
                toggle(c.wholeNumberValue! - 1)
            case .enter:
                if require == .all, ticked.count != items.count { message = words(.checklistRequireAll); return .none }
                if require == .any, ticked.isEmpty { message = words(.checklistRequireAny); return .none }
                return .answer(.checklist(items.indices.filter(ticked.contains).map { items[$0].value.value }))
            default: moveHighlight(key, count: items.count)
            }
        case .input(let definitions):
            return handleInput(key, definitions)
        case .network:
            switch key {
            case .character("1"): return .checkNetwork
            case .character("2"): return .cannotDisconnect
            case .enter:
                guard let connected else { return .checkNetwork }
                return connected.isEmpty || drill ? .networkContinue : .checkNetwork
            default: break
            }
        case .evidence(let attach):
            guard photographed != nil else {
                if key == .character("y") || key == .character("Y") { photographed = true }
                if key == .character("n") || key == .character("N") { photographed = false }
                if photographed != nil, attach == .none { return .evidenceDone }
                return .none
            }
            if !suggestions.isEmpty, (fields.first ?? "").isEmpty, key == .up || key == .down {
                let count = suggestions.count
                suggestion = key == .down ? ((suggestion ?? -1) + 1) % count : ((suggestion ?? count) + count - 1) % count
                return .none
            }
            if key == .enter, (fields.first ?? "").isEmpty, let picked = suggestion, suggestions.indices.contains(picked) {
                let path = suggestions.remove(at: picked)
                suggestion = nil
                return .attach(path: path)
            }
            if key == .enter {
                let path = fields.first ?? ""
                fields = [""]
                if path.isEmpty {
                    if attach == .required, attached.isEmpty { message = words(.inputRequired); return .none }
                    return .evidenceDone
                }
                return .attach(path: path)
            }
            edit(&fields, 0, key, limit: 4096)
            if !(fields.first ?? "").isEmpty { suggestion = nil }
        case .scan, .collect:
            if commandFinished, key == .enter { return .commandContinue }
        case .notify:
            if askingName {
                if key == .enter {
                    askingName = false
                    return .notifyReached(contact: contacts[contactIndex].id, spokeWith: fields.first ?? "")
                }
                edit(&fields, 0, key, limit: 200)
                return .none
            }
            switch key {
            case .character("1") where contacts.indices.contains(contactIndex):
                askingName = true
                fields = [""]
            case .character("2"):
                if contactIndex + 1 < contacts.count {
                    contactIndex += 1
                } else {
                    message = words(.noMoreContacts)
                }
            case .character("3"): return .notifyLater
            default: break
            }
        }
        return .none
    }

    private mutating func moveHighlight(_ key: Key, count: Int) {
        switch key {
        case .up, .character("k"): highlighted = (highlighted + count - 1) % count
        case .down, .character("j"): highlighted = (highlighted + 1) % count
        default: break
        }
    }

    private mutating func toggle(_ index: Int) {
        if ticked.contains(index) { ticked.remove(index) } else { ticked.insert(index) }
        highlighted = index
    }

    private mutating func handleInput(_ key: Key, _ definitions: [InputField]) -> ScreenAction {
        switch key {
        case .tab:
            focus = (focus + 1) % (fields.count + 1)
        case .backTab:
            focus = (focus + fields.count) % (fields.count + 1)
        case .down where focus < fields.count && !definitions[focus].multiline:
            focus += 1
        case .up where focus > 0:
            focus -= 1
        case .enter where focus == fields.count || (!definitions[focus].multiline && focus == fields.count - 1):
            for (index, field) in definitions.enumerated()
            where field.required && fields[index].trimmingCharacters(in: " ").isEmpty {
                focus = index
                message = words(.inputRequired)
                return .none
            }
            var values: [String: String] = [:]
            for (index, field) in definitions.enumerated() { values[field.id.value] = fields[index] }
            return .answer(.input(values))
        case .enter where !definitions[focus].multiline:
            focus += 1
        default:
            if focus < fields.count {
                if key == .enter {
                    if fields[focus].count < definitions[focus].maxLength { fields[focus].append("\n") }
                } else {
                    edit(&fields, focus, key, limit: definitions[focus].maxLength)
                }
            }
        }
        return .none
    }

    private func edit(_ values: inout [String], _ index: Int, _ key: Key, limit: Int) {
        if values.isEmpty { values = [""] }
        switch key {
        case .backspace:
            if !values[index].isEmpty { values[index].removeLast() }
        case .character(let c) where !c.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }):
            if values[index].count < limit { values[index].append(c) }
        default:
            break
        }
    }
}

extension String {
    func trimmingCharacters(in set: Character) -> String {
        var slice = Substring(self)
        while slice.first == set { slice.removeFirst() }
        while slice.last == set { slice.removeLast() }
        return String(slice)
    }
}
