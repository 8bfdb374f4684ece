import Foundation
import Yams

/// What loading one file produced: the model when the file's shape was right, and every
/// diagnostic found on the way (shape problems here; meaning problems come from the validator).
public struct LoadResult<Value: Sendable>: Sendable {
    public var value: Value?
    public var diagnostics: [Diagnostic]
    /// The file's text, for rendering source lines under diagnostics.
    public var source: String?
    /// What could be read even when the file has errors (nil when its shape was unreadable): a
    /// contact whose entry has a bad date still exists, for the checks of references to it.
    public var readable: Value?

    public init(value: Value?, diagnostics: [Diagnostic], source: String?, readable: Value? = nil) {
        self.value = value
        self.diagnostics = diagnostics
        self.source = source
        self.readable = readable ?? value
    }
}

/// Parses playbook files (format v1) into `Playbook` values with positions.
public enum PlaybookLoader {
    static let topLevelKeys = ["playbook", "id", "revision", "title", "summary", "audience", "languages",
                               "contacts", "start", "steps", "deadlines", "documents"]
    static let commonStepKeys = ["id", "type", "title", "text", "help", "critical", "when", "next"]
    static let ownStepKeys: [String: [String]] = [
        "info": [],
        "confirm": ["yes_next", "no_next", "unsure", "unsure_next"],
        "choice": ["options"],
        "checklist": ["items", "require"],
        "input": ["fields"],
        "network": ["action", "disconnect_command"],
        "evidence": ["attach"],
        "scan": ["command", "timeout", "verdicts", "next_on", "wait"],
        "await": ["step", "next_on"],
        "collect": ["commands"],
        "notify": ["contact", "fallback", "script", "email_text", "email_script"],
        "end": ["outcome"],
    ]

    /// Loads a playbook from its bytes; `path` is used in diagnostics.
    public static func load(_ data: Data, path: String) -> LoadResult<Playbook> {
        let parsed = SourceText.parse(data, path: path)
        guard let root = parsed.root else {
            return LoadResult(value: nil, diagnostics: parsed.diagnostics, source: parsed.text)
        }
        let reader = YAMLReader(path: path, parsed: parsed)
        let playbook = read(root, reader: reader)
        if playbook == nil && !reader.diagnostics.hasErrors {
            // Never "no errors" without a playbook (every path to nil should have said why).
            reader.error(.playbookUnreadable, at: .start)
        }
        return LoadResult(value: reader.diagnostics.hasErrors ? nil : playbook,
                          diagnostics: reader.diagnostics, source: parsed.text, readable: playbook)
    }

    /// Loads a playbook from a YAML string (tests, generated playbooks).
    public static func load(yaml: String, path: String = "playbook.yaml") -> LoadResult<Playbook> {
        load(Data(yaml.utf8), path: path)
    }

    /// Every key a step of any type may have.
    static let allStepKeys = commonStepKeys + ownStepKeys.keys.sorted().flatMap { ownStepKeys[$0]! }
        .reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
    static let optionKeys = ["value", "label", "next"]
    static let itemKeys = ["value", "label"]
    static let fieldKeys = ["id", "label", "required", "multiline", "max_length"]
    static let commandKeys = ["name", "command", "timeout"]
    static let conditionKeys = ["step", "is", "in", "not", "all", "any"]
    static let deadlineKeys = ["id", "title", "after", "when", "note", "url"]
    static let documentKeys = ["id", "title", "for", "when", "body"]

    private static func read(_ root: Node, reader: YAMLReader) -> Playbook? {
        // The languages first, so that a text's language code out of place is recognised anywhere.
        if case .mapping(let mapping) = root, case .sequence(let codes)? = mapping["languages"] {
            reader.languages = codes.compactMap { $0.scalar?.string }.filter(isLanguageCode)
        }
        let stepHint = YAMLReader.KeyHint.misindented(
            allStepKeys.filter { !topLevelKeys.contains($0) }, belongs: "to a step (an entry of 'steps'), "
            + "not to the playbook's top level", ja: .step, like: nil)
        let contactHint = YAMLReader.KeyHint.misindented(
            ContactsLoader.contactKeys, belongs: "to a contact (under 'contacts' and its id), "
            + "not to the playbook's top level", ja: .contact, like: nil)
        guard let top = reader.fields(root, of: "the playbook", allowed: topLevelKeys,
                                      required: ["playbook", "id", "title", "languages", "steps"],
                                      hints: [stepHint, contactHint]) else {
            return nil
        }
        if let version = top["playbook"], let number = reader.integer(version, "playbook"), number != 1 {
            reader.error(.wrongFormat(number: number), at: reader.location(of: version))
        }
        let id = top["id"].flatMap { reader.slug($0, "id") }
        let revision = top["revision"].flatMap { reader.string($0, "revision")?.value }
        let title = top["title"].flatMap { reader.text($0, "title", parentKeys: topLevelKeys, parent: "the playbook's top level") }
        let summary = top["summary"].flatMap { reader.text($0, "summary", parentKeys: topLevelKeys, parent: "the playbook's top level") }
        let audience = top["audience"].flatMap {
            reader.word($0, "audience", as: Audience.self, choices: Audience.allCases.map(\.rawValue))
        } ?? .employee
        var languages: [Located<String>] = []
        if let node = top["languages"], let items = reader.sequence(node, "languages", minimum: 1) {
            for item in items {
                guard let code = reader.string(item, "languages") else { continue }
                if !isLanguageCode(code.value) {
                    reader.error(.notLanguageCode(code: code.value), at: code.location)
                } else if languages.contains(where: { $0.value == code.value }) {
                    reader.error(.languageTwice(code: code.value), at: code.location)
                } else {
                    languages.append(code)
                }
            }
        }
        let contacts = top["contacts"].map { ContactsLoader.readContacts($0, reader: reader) } ?? [:]
        let start = top["start"].flatMap { reader.slug($0, "start") }
        var steps: [Step] = []
        if let node = top["steps"], let items = reader.sequence(node, "steps", minimum: 1) {
            for (index, item) in items.enumerated() {
                let repeated = reader.aliasLocation(in: node, at: index)
                if let step = readStep(item, index: index, repeatedAt: repeated, reader: reader) { steps.append(step) }
            }
        }
        var deadlines: [Deadline] = []
        if let node = top["deadlines"], let items = reader.sequence(node, "deadlines") {
            deadlines = items.enumerated().compactMap { readDeadline($1, index: $0, reader: reader) }
        }
        var documents: [DocumentTemplate] = []
        if let node = top["documents"], let items = reader.sequence(node, "documents") {
            documents = items.enumerated().compactMap { readDocument($1, index: $0, reader: reader) }
        }
        guard let id, let title else { return nil }
        var playbook = Playbook(path: reader.path, id: id, revision: revision, title: title, summary: summary,
                                audience: audience, languages: languages, contacts: contacts, start: start,
                                steps: steps)
        playbook.deadlines = deadlines
        playbook.documents = documents
        return playbook
    }

    // MARK: Deadlines and documents

    /// How diagnostics name a list item: by its id when it has a valid one, else by its number.
    private static func itemName(_ node: Node, _ kind: String, index: Int) -> String {
        if case .mapping(let mapping) = node, let id = mapping["id"]?.scalar?.string, YAMLReader.isSlug(id) { return "\(kind) '\(id)'" }
        return "\(kind) \(index + 1)"
    }

    private static func readDeadline(_ node: Node, index: Int, reader: YAMLReader) -> Deadline? {
        let name = itemName(node, "deadline", index: index)
        guard let fields = reader.fields(node, of: name, allowed: deadlineKeys, required: ["id", "title", "after"]) else {
            return nil
        }
        let id = fields["id"].flatMap { reader.slug($0, "id") }
        let title = fields["title"].flatMap { reader.text($0, "title", parentKeys: deadlineKeys, parent: name) }
        let note = fields["note"].flatMap { reader.text($0, "note", parentKeys: deadlineKeys, parent: name) }
        let url = fields["url"].flatMap { reader.string($0, "url")?.value }
        let when = fields["when"].flatMap { readCondition($0, reader: reader, depth: 0) }
        var after: Located<DeadlineDuration>?
        if let node = fields["after"], let text = reader.string(node, "after") {
            if let duration = DeadlineDuration(String(text.value.trimmingWhitespace)) {
                after = Located(duration, at: text.location)
            } else {
                reader.error("'after' of \(name) must be a duration: a whole number and h (hours) or d (calendar days), "
                             + "such as 72h, 3d or 60d, not \"\(text.value)\"", at: text.location)
            }
        }
        guard let id, let title, let after else { return nil }
        return Deadline(id: id, title: title, after: after, when: when, note: note, url: url, location: fields.location)
    }

    private static func readDocument(_ node: Node, index: Int, reader: YAMLReader) -> DocumentTemplate? {
        let name = itemName(node, "document", index: index)
        guard let fields = reader.fields(node, of: name, allowed: documentKeys, required: ["id", "title", "body"]) else {
            return nil
        }
        let id = fields["id"].flatMap { reader.slug($0, "id") }
        let title = fields["title"].flatMap { reader.text($0, "title", parentKeys: documentKeys, parent: name) }
        let body = fields["body"].flatMap { reader.text($0, "body", parentKeys: documentKeys, parent: name) }
        let audience = fields["for"].flatMap {
            reader.word($0, "for", as: DocumentAudience.self, choices: DocumentAudience.allCases.map(\.rawValue))
        } ?? .consultant
        let when = fields["when"].flatMap { readCondition($0, reader: reader, depth: 0) }
        guard let id, let title, let body else { return nil }
        return DocumentTemplate(id: id, title: title, audience: audience, when: when, body: body, location: fields.location)
    }

    static func isLanguageCode(_ code: String) -> Bool {
        let parts = code.split(separator: "-", omittingEmptySubsequences: false)
        guard let first = parts.first, (2...3).contains(first.count),
              first.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) }) else { return false }
        return parts.dropFirst().allSatisfy { part in
            !part.isEmpty && part.count <= 8 && part.unicodeScalars.allSatisfy {
                ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0)
            }
        }
    }

    // MARK: Steps

    /// `repeatedAt`: where the step was written as an alias of an earlier one (`- *name`): the
    /// step is placed there, not at its anchor, so that a duplicate id is reported at the repeat.
    private static func readStep(_ node: Node, index: Int, repeatedAt: SourceLocation?, reader: YAMLReader) -> Step? {
        // Find the id and type first so that every later message can name the step.
        var name = "step \(index + 1)"
        var typeName: String?
        if case .mapping(let mapping) = node {
            if let id = mapping["id"]?.scalar?.string, YAMLReader.isSlug(id) { name = "step '\(id)'" }
            typeName = mapping["type"]?.scalar?.string
        }
        var allowed = commonStepKeys
        let own = typeName.flatMap { ownStepKeys[$0] }
        allowed += own ?? ownStepKeys.values.flatMap { $0 }
        guard var fields = reader.fields(node, of: name, allowed: allowed, required: ["id", "type", "title"],
                                         hints: stepHints(type: typeName, own: own, name: name)) else {
            return nil
        }
        if let repeatedAt { fields.location = repeatedAt }
        var id = fields["id"].flatMap { reader.slug($0, "id") }
        if let repeatedAt { id?.location = repeatedAt }
        if let id, id.value == "end" {
            reader.error(.endReserved, at: id.location)
        }
        func readText(_ key: String) -> LocalizedText? {
            fields[key].flatMap { reader.text($0, key, parentKeys: allowed, parent: name) }
        }
        let title = readText("title")
        let text = readText("text")
        let help = readText("help")
        let critical = fields["critical"].flatMap { reader.bool($0, "critical") } ?? false
        let when = fields["when"].flatMap { readCondition($0, reader: reader, depth: 0) }
        let next = fields["next"].flatMap { reader.target($0, "next") }
        var kind: StepKind?
        if let typeNode = fields["type"], let type = reader.string(typeNode, "type") {
            if own == nil {
                reader.error(.unknownStepType(type: type.value, known: StepKind.typeNames),
                             at: type.location)
            } else {
                kind = readKind(type.value, fields, stepName: name, reader: reader)
            }
        }
        guard let id, let title, let kind else { return nil }
        return Step(id: id, title: title, text: text, help: help, critical: critical, when: when, next: next,
                    kind: kind, location: fields.location)
    }

    /// What to say about a key a step of this type does not have: it belongs to the top level, to
    /// one of the step's entries or conditions (mis-indented), or to steps of another type.
    private static func stepHints(type: String?, own: [String]?, name: String) -> [YAMLReader.KeyHint] {
        guard let type, let own else { return [] }
        let allowed = commonStepKeys + own
        func unknown(_ keys: [String]) -> [String] { keys.filter { !allowed.contains($0) } }
        var hints: [YAMLReader.KeyHint] = [
            .misindented(unknown(topLevelKeys), belongs: "to the playbook's top level, not to \(name)",
                         ja: .playbookTopLevel(notIn: name), like: "steps"),
        ]
        let entries: [String: (key: String, keys: [String])] = [
            "choice": ("options", optionKeys), "checklist": ("items", itemKeys),
            "input": ("fields", fieldKeys), "collect": ("commands", commandKeys),
        ]
        if let (list, keys) = entries[type] {
            hints.append(.misindented(unknown(keys), belongs: "in an entry of '\(list)', not in \(name) itself",
                                      ja: .listEntry(list: list), like: nil))
        }
        if type == "scan" || type == "await" {
            hints.append(.misindented(unknown(ScanVerdict.routable.map(\.rawValue)),
                                      belongs: "under 'next_on' (a verdict of \(name))",
                                      ja: .nextOn, like: nil))
        }
        hints.append(.misindented(unknown(conditionKeys), belongs: "under 'when' (a condition of \(name))",
                                  ja: .when, like: nil))
        let others = unknown(allStepKeys)
        hints.append(YAMLReader.KeyHint(keys: others) { key in
            let types = ownStepKeys.filter { $0.value.contains(key) }.keys.sorted()
            return .keyOfOtherType(key: key, what: name, types: types, type: type)
        })
        return hints
    }

    /// For the entries of a step's lists: the step's own keys written one level too deep.
    private static func entryHints(_ name: String, stepKeys: [String], own: [String]) -> [YAMLReader.KeyHint] {
        [.misindented(stepKeys.filter { !own.contains($0) }, belongs: "to \(name) itself, not to one of its entries",
                      ja: .stepItself(step: name), like: nil)]
    }

    private static func readKind(_ type: String, _ fields: Fields, stepName: String, reader: YAMLReader) -> StepKind? {
        let stepKeys = commonStepKeys + (ownStepKeys[type] ?? [])
        func required(_ key: String) -> Node? {
            if fields[key] == nil { reader.error(.missingStepKey(step: stepName, type: type, key: key), at: fields.location) }
            return fields[key]
        }
        func positiveSeconds(_ key: String, _ fallback: Int) -> Int {
            fields[key].flatMap { reader.integer($0, key, range: 1...604_800) } ?? fallback
        }
        /// `next_on`: a verdict → where the flow goes (a scan's, an await's).
        func verdictTargets() -> [ScanVerdict: Located<FlowTarget>] {
            var nextOn: [ScanVerdict: Located<FlowTarget>] = [:]
            if let node = fields["next_on"],
               let map = reader.fields(node, of: "'next_on' of \(stepName)",
                                       allowed: ScanVerdict.routable.map(\.rawValue), required: []) {
                for verdict in ScanVerdict.routable {
                    if let value = map[verdict.rawValue], let target = reader.target(value, "next_on.\(verdict.rawValue)") {
                        nextOn[verdict] = target
                    }
                }
            }
            return nextOn
        }
        /// The entries of a step's list (its options, items or fields), each with its `key` and
        /// label; nil unless every one of them reads.
        func entries<Entry>(_ items: [Node], _ noun: String, key: String, allowed: [String],
                            _ build: (Fields, Located<String>, LocalizedText) -> Entry) -> [Entry]? {
            let article = noun.first.map { "aeiou".contains($0) } == true ? "an" : "a"
            let built = items.compactMap { item -> Entry? in
                guard let entry = reader.fields(item, of: "\(article) \(noun) of \(stepName)", allowed: allowed, required: [key, "label"],
                                                hints: entryHints(stepName, stepKeys: stepKeys, own: allowed)),
                      let value = entry[key].flatMap({ reader.slug($0, key) }),
                      let label = entry["label"].flatMap({ reader.text($0, "label", parentKeys: allowed, parent: "the \(noun)") })
                else { return nil }
                return build(entry, value, label)
            }
            return built.count == items.count ? built : nil
        }
        switch type {
        case "info":
            return .info
        case "confirm":
            let unsure = fields["unsure"].flatMap { reader.bool($0, "unsure") } ?? false
            let unsureNext = fields["unsure_next"].flatMap { reader.target($0, "unsure_next") }
            if let unsureNext, !unsure {
                reader.error(.unsureNextNeedsUnsure,
                             at: unsureNext.location)
            }
            return .confirm(ConfirmSpec(yesNext: fields["yes_next"].flatMap { reader.target($0, "yes_next") },
                                        noNext: fields["no_next"].flatMap { reader.target($0, "no_next") },
                                        unsure: unsure, unsureNext: unsureNext))
        case "choice":
            guard let node = required("options"), let items = reader.sequence(node, "options", minimum: 2) else {
                return nil
            }
            let options = entries(items, "option", key: "value", allowed: optionKeys) { option, value, label in
                ChoiceOption(value: value, label: label, next: option["next"].flatMap { reader.target($0, "next") })
            }
            return items.count >= 2 ? options.map(StepKind.choice) : nil
        case "checklist":
            guard let node = required("items"), let items = reader.sequence(node, "items", minimum: 1) else { return nil }
            let checked = entries(items, "item", key: "value", allowed: itemKeys) { _, value, label in
                ChecklistItem(value: value, label: label)
            }
            let require = fields["require"].flatMap {
                reader.word($0, "require", as: ChecklistRequirement.self, choices: ["all", "any", "none"])
            } ?? .none
            return items.isEmpty ? nil : checked.map { .checklist(items: $0, require: require) }
        case "input":
            guard let node = required("fields"), let items = reader.sequence(node, "fields", minimum: 1) else { return nil }
            let inputs = entries(items, "field", key: "id", allowed: fieldKeys) { field, id, label in
                InputField(id: id, label: label,
                                  required: field["required"].flatMap { reader.bool($0, "required") } ?? false,
                                  multiline: field["multiline"].flatMap { reader.bool($0, "multiline") } ?? false,
                                  maxLength: field["max_length"].flatMap { reader.integer($0, "max_length", range: 1...100_000) } ?? 500)
            }
            return items.isEmpty ? nil : inputs.map(StepKind.input)
        case "network":
            let action = fields["action"].flatMap {
                reader.word($0, "action", as: NetworkAction.self, choices: ["verify", "disconnect"])
            } ?? .verify
            let command = fields["disconnect_command"].flatMap { reader.command($0, "disconnect_command") }
            if action == .disconnect, fields["disconnect_command"] == nil {
                reader.error(.disconnectWithoutCommand(step: stepName), at: fields.location)
            }
            return .network(NetworkSpec(action: action, disconnectCommand: command))
        case "evidence":
            let attach = fields["attach"].flatMap {
                reader.word($0, "attach", as: AttachPolicy.self, choices: ["none", "optional", "required"])
            } ?? AttachPolicy.none
            return .evidence(attach: attach)
        case "scan":
            guard let commandNode = required("command"), let command = reader.command(commandNode, "command") else {
                return nil
            }
            var verdicts: [Int: ScanVerdict] = [:]
            if let node = fields["verdicts"], case .mapping(let mapping) = node {
                for (key, value) in mapping {
                    guard let code = reader.integer(key, "verdicts (exit code)", range: 0...255) else { continue }
                    let verdict = reader.word(value, "verdicts.\(code)", as: ScanVerdict.self,
                                              choices: ["clean", "detected", "error"])
                    if let verdict, verdict == .unavailable || verdict == .cancelled {
                        reader.error(.verdictDecidedByWizard(verdict: verdict.rawValue), at: reader.location(of: value))
                    } else if let verdict {
                        verdicts[code] = verdict
                    }
                }
            } else if let node = fields["verdicts"] {
                reader.error(.verdictsNotAMap(found: YAMLReader.found(node)),
                             at: reader.location(of: node))
            }
            let wait = fields["wait"].flatMap { reader.bool($0, "wait") } ?? true
            return .scan(ScanSpec(command: command, timeoutSeconds: positiveSeconds("timeout", 3600),
                                  verdicts: verdicts, nextOn: verdictTargets(), wait: wait,
                                  waitLocation: fields["wait"].map { reader.location(of: $0) }))
        case "await":
            guard let node = required("step"), let scan = reader.string(node, "step") else { return nil }
            return .await(AwaitSpec(step: scan, nextOn: verdictTargets()))
        case "collect":
            guard let node = required("commands"), let items = reader.sequence(node, "commands", minimum: 1) else {
                return nil
            }
            let commands = items.compactMap { item -> CollectCommand? in
                guard let entry = reader.fields(item, of: "a command of \(stepName)",
                                                allowed: commandKeys, required: ["name", "command"],
                                                hints: entryHints(stepName, stepKeys: stepKeys, own: commandKeys)),
                      let name = entry["name"].flatMap({ reader.slug($0, "name") }),
                      let command = entry["command"].flatMap({ reader.command($0, "command") }) else { return nil }
                let timeout = entry["timeout"].flatMap { reader.integer($0, "timeout", range: 1...3600) } ?? 30
                return CollectCommand(name: name, command: command, timeoutSeconds: timeout)
            }
            return commands.count == items.count && !items.isEmpty ? .collect(commands) : nil
        case "notify":
            guard let node = required("contact"), let contact = reader.string(node, "contact") else { return nil }
            var fallback: [Located<String>] = []
            if let node = fields["fallback"], let items = reader.sequence(node, "fallback") {
                fallback = items.compactMap { reader.string($0, "fallback") }
            }
            let script = fields["script"].flatMap { reader.text($0, "script", parentKeys: stepKeys, parent: stepName) }
            let emailText = fields["email_text"].flatMap { reader.text($0, "email_text", parentKeys: stepKeys, parent: stepName) }
            let emailScript = fields["email_script"].flatMap { reader.text($0, "email_script", parentKeys: stepKeys, parent: stepName) }
            return .notify(NotifySpec(contact: contact, fallback: fallback, script: script, emailText: emailText, emailScript: emailScript))
        case "end":
            let outcome = fields["outcome"].flatMap { reader.slug($0, "outcome")?.value } ?? "completed"
            return .end(outcome: outcome)
        default:
            return nil
        }
    }

    // MARK: Conditions

    private static func readCondition(_ node: Node, reader: YAMLReader, depth: Int) -> Condition? {
        guard let fields = reader.fields(node, of: "a 'when' condition", allowed: conditionKeys, required: [],
                                         hints: [.misindented(allStepKeys.filter { !conditionKeys.contains($0) },
                                                              belongs: "to the step, not under 'when'",
                                                              ja: .stepNotWhen, like: "when")]) else {
            return nil
        }
        let combinators = ["all", "any"].filter { fields[$0] != nil }
        if let combinator = combinators.first {
            if fields.entries.count != 1 {
                reader.error(.combinatorAlone(combinator: combinator),
                             at: fields.location)
                return nil
            }
            guard let items = reader.sequence(fields[combinator]!, combinator, minimum: 1) else { return nil }
            let parts = items.compactMap { readCondition($0, reader: reader, depth: depth + 1) }
            guard parts.count == items.count, !parts.isEmpty else { return nil }
            return combinator == "all" ? .all(parts) : .any(parts)
        }
        let tests = ["is", "in", "not"].filter { fields[$0] != nil }
        guard let stepNode = fields["step"] else {
            reader.error(.conditionNeedsStep, at: fields.location)
            return nil
        }
        guard tests.count == 1, let test = tests.first else {
            reader.error(.conditionOneTest, at: fields.location)
            return nil
        }
        guard let step = reader.string(stepNode, "step") else { return nil }
        switch test {
        case "in":
            guard let items = reader.sequence(fields["in"]!, "in", minimum: 1) else { return nil }
            let values = items.compactMap { reader.string($0, "in") }
            return values.count == items.count && !values.isEmpty ? .oneOf(step: step, values: values) : nil
        case "is":
            return reader.string(fields["is"]!, "is").map { .equals(step: step, value: $0) }
        default:
            return reader.string(fields["not"]!, "not").map { .notEquals(step: step, value: $0) }
        }
    }
}
