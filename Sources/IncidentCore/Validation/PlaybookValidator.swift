/// The meaning checks of format v1 on a loaded playbook: references, translations, placeholders,
/// contacts, conditions and reachability. Pure: the caller supplies today's date, the shared
/// contacts and what it knows of the file's permissions.
public struct PlaybookValidator: Sendable {
    /// Contacts older than this many days are warned about.
    public static let contactMaxAgeDays = 365
    static let placeholderMarkers = ["TODO", "XXX", "000-0000-0000", "TBD", "要記入"]

    /// The placeholder marker one of `values` holds (the one rule the validator warns by and
    /// `check` fails a phone number by).
    public static func placeholderMarker(in values: [String]) -> String? {
        placeholderMarkers.first { marker in values.contains { $0.contains(marker) } }
    }

    public var today: CalendarDay
    /// The shared `contacts.yaml`'s contacts: when the file has errors, the ones that could be
    /// read (a contact with a bad date still exists: references to it are no errors).
    public var sharedContacts: [String: Contact]
    /// The shared contacts file exists but nothing of it could be read: a reference to a contact
    /// the playbook does not define is then not reported one by one (the file's own errors are,
    /// and the playbook gets one line about them).
    public var sharedContactsUnreadable: Bool

    public init(today: CalendarDay, sharedContacts: [String: Contact] = [:], sharedContactsUnreadable: Bool = false) {
        self.today = today
        self.sharedContacts = sharedContacts
        self.sharedContactsUnreadable = sharedContactsUnreadable
    }

    /// Every diagnostic for `playbook`. `source` is the file's text (to point at placeholders inside
    /// strings); `writableByOthers` reports a group- or world-writable file.
    public func validate(_ playbook: Playbook, source: String? = nil, writableByOthers: Bool = false) -> [Diagnostic] {
        var check = Check(playbook: playbook, source: source.map(SourceIndex.init),
                          contacts: playbook.mergedContacts(shared: sharedContacts))
        check.contactsUnknown = sharedContactsUnreadable
        if writableByOthers {
            check.warning(.writableByOthers(path: playbook.path), at: .start)
        }
        check.languagesAndTexts()
        check.identifiers()
        check.references()
        check.conditions()
        check.reachability()
        check.backgroundScans()
        check.oneErrorPerUnknownContact()
        for contact in check.usedContacts() {
            check.diagnostics += contactWarnings(contact)
        }
        return check.diagnostics
    }

    /// The references of a playbook to contacts it does not define itself (so: to the shared
    /// `contacts.yaml`), in file order: notify steps' `contact` and `fallback`, then contact
    /// placeholders (at their text).
    public static func sharedContactReferences(in playbook: Playbook) -> [Located<String>] {
        var references: [Located<String>] = []
        for step in playbook.steps {
            if case .notify(let spec) = step.kind { references += [spec.contact] + spec.fallback }
        }
        for (_, text) in Check.texts(of: playbook) {
            for language in text.variants.keys.sorted() {
                for placeholder in Placeholder.all(in: text.variants[language] ?? "")
                where placeholder.parts.first == "contact" && placeholder.parts.count == 3 {
                    references.append(Located(String(placeholder.parts[1]),
                                              at: text.variantLocations[language] ?? text.location))
                }
            }
        }
        return references.filter { playbook.contacts[$0.value] == nil }.sorted { $0.location < $1.location }
    }

    /// The warnings about one contact: old or missing `verified`, placeholder-looking values.
    public func contactWarnings(_ contact: Contact) -> [Diagnostic] {
        var out: [Diagnostic] = []
        func warn(_ message: DiagnosticText, _ location: SourceLocation) {
            out.append(Diagnostic(.warning, path: contact.path, at: location, message))
        }
        if let verified = contact.verified {
            let age = today.dayNumber - verified.value.dayNumber
            if age > Self.contactMaxAgeDays {
                warn(.contactVerifiedOld(id: contact.id, date: "\(verified.value)", days: age), verified.location)
            }
        } else if !contact.verifiedUnreadable {
            warn(.contactNotVerified(id: contact.id, today: "\(today)"), contact.location)
        }
        let values = [contact.phone, contact.email, contact.url].compactMap { $0 }
            + contact.name.variants.values
        if let marker = Self.placeholderMarker(in: values) {
            warn(.contactPlaceholder(id: contact.id, marker: marker), contact.location)
        }
        return out
    }
}

/// Line access for pointing at a placeholder inside a (possibly multi-line) string.
struct SourceIndex {
    let lines: [[Unicode.Scalar]]

    init(_ text: String) {
        // At LF scalars, as every position is counted (`SourceText.lines`): "\r\n" is one
        // Character, so splitting the String at "\n" would join a CRLF file into one line.
        lines = SourceText.lines(of: text).map { Array($0) }
    }

    /// The first occurrence of `needle` at or after `start`, looking a bounded number of lines ahead.
    func find(_ needle: String, from start: SourceLocation) -> SourceLocation? {
        let target = Array(needle.unicodeScalars)
        guard !target.isEmpty, start.line >= 1, start.line <= lines.count else { return nil }
        for lineNumber in start.line..<min(lines.count + 1, start.line + 400) where lineNumber >= 1 {
            let line = lines[lineNumber - 1]
            var column = lineNumber == start.line ? max(0, start.column - 1) : 0
            while column + target.count <= line.count {
                if Array(line[column..<(column + target.count)]) == target {
                    return SourceLocation(line: lineNumber, column: column + 1)
                }
                column += 1
            }
        }
        return nil
    }
}

/// One validation run's state.
private struct Check {
    let playbook: Playbook
    let source: SourceIndex?
    let contacts: [String: Contact]
    /// Which contacts the shared file defines is unknown (it could not be read).
    var contactsUnknown = false
    var diagnostics: [Diagnostic] = []
    /// A misspelt or missing contact is one error per playbook, at its first reference, not one
    /// per step and placeholder that names it.
    mutating func oneErrorPerUnknownContact() {
        func unknownContact(_ diagnostic: Diagnostic) -> String? {
            switch diagnostic.text {
            case .unknownContact(let id, _), .placeholderNoContact(_, let id): return id
            default: return nil
            }
        }
        var first: [String: Diagnostic] = [:]
        for diagnostic in diagnostics {
            guard let id = unknownContact(diagnostic) else { continue }
            if let known = first[id], known.location <= diagnostic.location { continue }
            first[id] = diagnostic
        }
        diagnostics.removeAll { diagnostic in
            unknownContact(diagnostic).map { first[$0] != diagnostic } ?? false
        }
    }

    init(playbook: Playbook, source: SourceIndex?, contacts: [String: Contact]) {
        self.playbook = playbook
        self.source = source
        self.contacts = contacts
    }

    var path: String { playbook.path }

    mutating func error(_ text: DiagnosticText, at location: SourceLocation, path: String? = nil) {
        diagnostics.append(Diagnostic(.error, path: path ?? self.path, at: location, text))
    }

    mutating func warning(_ text: DiagnosticText, at location: SourceLocation) {
        diagnostics.append(Diagnostic(.warning, path: path, at: location, text))
    }

    /// A message not yet in `DiagnosticText`'s table (English in both languages).
    mutating func error(_ message: String, at location: SourceLocation, path: String? = nil) {
        error(.untranslated(message), at: location, path: path)
    }

    mutating func warning(_ message: String, at location: SourceLocation) {
        warning(.untranslated(message), at: location)
    }

    // MARK: Texts

    /// Every Text of the playbook with a name for messages.
    var texts: [(String, LocalizedText)] { Self.texts(of: playbook) }

    static func texts(of playbook: Playbook) -> [(String, LocalizedText)] {
        var out: [(String, LocalizedText)] = [("title", playbook.title)]
        if let summary = playbook.summary { out.append(("summary", summary)) }
        for step in playbook.steps {
            let name = "step '\(step.id.value)'"
            out.append(("\(name) title", step.title))
            if let text = step.text { out.append(("\(name) text", text)) }
            if let help = step.help { out.append(("\(name) help", help)) }
            switch step.kind {
            case .choice(let options):
                out += options.map { ("\(name) option '\($0.value.value)' label", $0.label) }
            case .checklist(let items, _):
                out += items.map { ("\(name) item '\($0.value.value)' label", $0.label) }
            case .input(let fields):
                out += fields.map { ("\(name) field '\($0.id.value)' label", $0.label) }
            case .notify(let spec):
                if let script = spec.script { out.append(("\(name) script", script)) }
                if let text = spec.emailText { out.append(("\(name) email_text", text)) }
                if let script = spec.emailScript { out.append(("\(name) email_script", script)) }
            default:
                break
            }
        }
        for deadline in playbook.deadlines {
            let name = "deadline '\(deadline.id.value)'"
            out.append(("\(name) title", deadline.title))
            if let note = deadline.note { out.append(("\(name) note", note)) }
        }
        for document in playbook.documents {
            out.append((documentPrefix + "'\(document.id.value)' title", document.title))
            out.append((documentPrefix + "'\(document.id.value)' body", document.body))
        }
        return out
    }

    /// How the texts of documents are named (they may use the documents' own placeholders).
    static let documentPrefix = "document "

    mutating func languagesAndTexts() {
        let languages = playbook.languageCodes
        for (name, text) in texts {
            checkLanguages(name, text, languages: languages, path: path)
            checkPlaceholders(in: text, path: path, inDocument: name.hasPrefix(Self.documentPrefix))
        }
        for contact in usedContacts() {
            let fields: [(String, LocalizedText?)] = [("name", contact.nameUnreadable ? nil : contact.name), ("role", contact.role),
                                                      ("hours", contact.hours), ("note", contact.note)]
            for case let (field, text?) in fields {
                checkLanguages("contact '\(contact.id)' \(field)", text, languages: languages, path: contact.path)
            }
        }
    }

    mutating func checkLanguages(_ name: String, _ text: LocalizedText, languages: [String], path: String) {
        guard !languages.isEmpty else { return }
        if text.isPlain {
            if languages.count > 1 {
                error(.plainTextManyLanguages(name: name, languages: languages),
                      at: text.location, path: path)
            }
            return
        }
        for language in languages where text.variants[language] == nil {
            error(.missingTranslation(name: name, language: language), at: text.location, path: path)
        }
        for language in text.variants.keys.sorted() where !languages.contains(language) {
            error(.languageNotListed(name: name, language: language, languages: languages), at: text.languageLocations[language] ?? text.location,
                  path: path)
        }
    }

    mutating func checkPlaceholders(in text: LocalizedText, path: String, inDocument: Bool = false) {
        for language in text.variants.keys.sorted() {
            let template = text.variants[language] ?? ""
            let location = text.variantLocations[language] ?? text.location
            let (pieces, unterminated) = Placeholder.parse(template)
            if unterminated != nil {
                error(.unclosedPlaceholder, at: find("{{", from: location), path: path)
            }
            for case .placeholder(let placeholder) in pieces {
                if let problem = textPlaceholderProblem(placeholder, inDocument: inDocument) {
                    error(problem, at: find(placeholder.name, from: location, backBy: 2), path: path)
                }
            }
        }
    }

    func textPlaceholderProblem(_ placeholder: Placeholder, inDocument: Bool = false) -> DiagnosticText? {
        let parts = placeholder.parts
        if Placeholder.fixedTextNames.contains(placeholder.name) { return nil }
        if Placeholder.documentNames.contains(placeholder.name) {
            return inDocument ? nil : .untranslated("'{{\(placeholder.name)}}' can be used only in a document's title or body "
                + "(under 'documents:'), not here")
        }
        switch parts.first {
        case "deadline" where parts.count == 2:
            guard playbook.deadline(String(parts[1])) != nil else {
                let known = playbook.deadlines.map(\.id.value)
                return .untranslated("unknown placeholder '{{\(placeholder.name)}}': there is no deadline '\(parts[1])' "
                    + "(defined: \(known.isEmpty ? "none" : known.joined(separator: ", ")))")
            }
            return nil
        case "scan" where parts.count == 2:
            guard let step = playbook.step(String(parts[1])) else {
                return .untranslated("unknown placeholder '{{\(placeholder.name)}}': there is no step '\(parts[1])'")
            }
            guard case .scan = step.kind else {
                return .untranslated("unknown placeholder '{{\(placeholder.name)}}': step '\(parts[1])' is not a scan step")
            }
            return nil
        case "answer" where parts.count == 2 || parts.count == 3:
            let stepID = String(parts[1])
            guard let step = playbook.step(stepID) else {
                return .placeholderNoStep(placeholder: placeholder.name, step: stepID)
            }
            if parts.count == 3 {
                guard case .input(let fields) = step.kind else {
                    return .placeholderNotInput(placeholder: placeholder.name, step: stepID)
                }
                if !fields.contains(where: { $0.id.value == parts[2] }) {
                    return .placeholderNoField(placeholder: placeholder.name, step: stepID, field: String(parts[2]))
                }
            }
            return nil
        case "contact" where parts.count == 3:
            guard contacts[String(parts[1])] != nil || contactsUnknown else {
                return .placeholderNoContact(placeholder: placeholder.name, contact: String(parts[1]))
            }
            guard Placeholder.contactFields.contains(String(parts[2])) else {
                return .placeholderContactField(placeholder: placeholder.name)
            }
            return nil
        default:
            var known = Placeholder.fixedTextNames.sorted().map { "{{\($0)}}" }
            known += ["{{answer.STEP}}", "{{answer.STEP.FIELD}}", "{{contact.ID.name|phone|email}}", "{{scan.STEP}}",
                      "{{deadline.ID}}"]
            if inDocument { known += Placeholder.documentNames.sorted().map { "{{\($0)}}" } }
            return .unknownPlaceholder(placeholder: placeholder.name, known: known)
        }
    }

    func find(_ needle: String, from location: SourceLocation, backBy: Int = 0) -> SourceLocation {
        guard var found = source?.find(needle, from: location) else { return location }
        found.column = max(1, found.column - backBy)
        return found
    }

    // MARK: Ids

    mutating func identifiers() {
        for (what, ids) in [("deadline", playbook.deadlines.map(\.id)), ("document", playbook.documents.map(\.id))] {
            var first: [String: SourceLocation] = [:]
            for id in ids {
                if let earlier = first[id.value] {
                    error("duplicate \(what) id '\(id.value)' (first used at line \(earlier.line))", at: id.location)
                } else {
                    first[id.value] = id.location
                }
            }
        }
        var seen: [String: SourceLocation] = [:]
        for step in playbook.steps {
            if let first = seen[step.id.value] {
                error(.duplicateStepID(id: step.id.value, firstLine: first.line), at: step.id.location)
            } else {
                seen[step.id.value] = step.id.location
            }
            var values: [Located<String>] = []
            var what = "value"
            switch step.kind {
            case .choice(let options): values = options.map(\.value)
            case .checklist(let items, _): values = items.map(\.value)
            case .input(let fields): values = fields.map(\.id); what = "field id"
            case .collect(let commands): values = commands.map(\.name); what = "command name"
            default: break
            }
            var names: [String: SourceLocation] = [:]
            for value in values {
                if let first = names[value.value] {
                    error(.duplicateValue(what: what, value: value.value, step: step.id.value, firstLine: first.line),
                          at: value.location)
                } else {
                    names[value.value] = value.location
                }
            }
        }
    }

    // MARK: References

    /// " (did you mean 'X'?)" with the step id nearest to a mistyped one (or `end`, where a flow
    /// target may be `end`), else "".
    func suggestion(forStep id: String, orEnd: Bool = false) -> String? {
        var ids = playbook.steps.map(\.id.value)
        if orEnd { ids.append("end") }
        // Longer ids allow more typos: "disconect-network" is one edit from "disconnect-network".
        let maximum = max(2, id.unicodeScalars.count / 4)
        return YAMLReader.closest(to: id, in: ids, maximum: maximum)
    }

    mutating func references() {
        if let start = playbook.start, playbook.step(start.value) == nil {
            error(.startUnknown(id: start.value, suggestion: suggestion(forStep: start.value)), at: start.location)
        }
        for step in playbook.steps {
            var targets: [(String, Located<FlowTarget>?)] = [("next", step.next)]
            switch step.kind {
            case .confirm(let spec):
                targets += [("yes_next", spec.yesNext), ("no_next", spec.noNext), ("unsure_next", spec.unsureNext)]
            case .choice(let options):
                targets += options.map { ("next", $0.next) }
            case .scan(let spec):
                targets += spec.nextOn.sorted { $0.key.rawValue < $1.key.rawValue }.map { ("next_on.\($0.key.rawValue)", $0.value) }
                checkCommand(spec.command)
            case .collect(let commands):
                commands.forEach { checkCommand($0.command) }
            case .network(let spec):
                if let command = spec.disconnectCommand { checkCommand(command) }
            case .notify(let spec):
                for contact in [spec.contact] + spec.fallback where contacts[contact.value] == nil && !contactsUnknown {
                    error(.unknownContact(id: contact.value, known: contacts.keys.sorted()), at: contact.location)
                }
                // The employee works down the list: someone twice is a wasted call, and usually a
                // typo for someone else.
                var listed: [String: String] = [spec.contact.value: "the step's 'contact'"]
                for (index, contact) in spec.fallback.enumerated() {
                    if let first = listed[contact.value] {
                        warning(.contactTwice(id: contact.value, step: step.id.value, already: first), at: contact.location)
                    } else {
                        listed[contact.value] = "fallback entry \(index + 1)"
                    }
                }
            default:
                break
            }
            for case let (key, target?) in targets {
                if case .step(let id) = target.value, playbook.step(id) == nil {
                    error(.targetUnknown(key: key, step: step.id.value, id: id, suggestion: suggestion(forStep: id, orEnd: true)),
                          at: target.location)
                }
            }
        }
    }

    mutating func checkCommand(_ command: CommandSpec) {
        for (_, argv) in command.argvByOS {
            for element in argv {
                for placeholder in Placeholder.all(in: element.value)
                where !Placeholder.commandNames.contains(placeholder.name) {
                    error(.placeholderInCommand(placeholder: placeholder.name),
                          at: find(placeholder.name, from: element.location, backBy: 2))
                }
            }
        }
    }

    // MARK: Conditions

    mutating func conditions() {
        for step in playbook.steps {
            if let condition = step.when { checkCondition(condition) }
        }
        for condition in playbook.deadlines.compactMap(\.when) + playbook.documents.compactMap(\.when) {
            checkCondition(condition)
        }
    }

    mutating func checkCondition(_ condition: Condition) {
        switch condition {
        case .all(let parts), .any(let parts):
            parts.forEach { checkCondition($0) }
        case .equals(let step, let value), .notEquals(let step, let value):
            checkConditionValues(step: step, values: [value])
        case .oneOf(let step, let values):
            checkConditionValues(step: step, values: values)
        }
    }

    mutating func checkConditionValues(step reference: Located<String>, values: [Located<String>]) {
        guard let step = playbook.step(reference.value) else {
            error(.conditionUnknownStep(id: reference.value, suggestion: suggestion(forStep: reference.value)),
                  at: reference.location)
            return
        }
        guard let possible = ConditionValues.possible(for: step) else {
            error(.conditionOnNoAnswer(step: step.id.value, type: step.kind.typeName),
                  at: reference.location)
            return
        }
        for value in values where !possible.contains(value.value) {
            error(.conditionImpossible(step: step.id.value, value: value.value, possible: possible),
                  at: value.location)
        }
    }

    // MARK: Flow

    mutating func reachability() {
        // With an id used twice, the flow graph (which knows each id once) is not what was
        // written: a step followed by its own repeat would look like a loop. The duplicate is
        // the error; the flow is checked once the ids are unique.
        guard Set(playbook.steps.map(\.id.value)).count == playbook.steps.count else { return }
        // An unknown 'start' is reported as such; from nowhere, every step would look unreachable.
        if let start = playbook.start, playbook.step(start.value) == nil { return }
        let graph = FlowGraph(playbook)
        let reachable = graph.reachableSteps()
        let canFinish = graph.stepsThatCanFinish()
        var seen: Set<String> = []
        for step in playbook.steps where seen.insert(step.id.value).inserted {
            if !reachable.contains(step.id.value) {
                warning(.unreachable(step: step.id.value), at: step.id.location)
            } else if !canFinish.contains(step.id.value) {
                error(.noEnd(step: step.id.value),
                      at: step.id.location)
            }
        }
    }

    /// `wait: false` scans and their `await` steps (playbook-format.md, "Background scans").
    mutating func backgroundScans() {
        var awaited: [String: String] = [:]
        let graph = FlowGraph(playbook)
        for step in playbook.steps {
            switch step.kind {
            case .scan(let spec) where !spec.wait:
                let place = spec.waitLocation ?? step.id.location
                if step.next == nil { error(.backgroundScanNeedsNext(step: "step '\(step.id.value)'"), at: place) }
                if !spec.nextOn.isEmpty { error(.backgroundScanWithNextOn(step: "step '\(step.id.value)'"), at: place) }
            case .await(let spec):
                let target = spec.step.value
                guard let scan = playbook.step(target) else {
                    error(.targetUnknown(key: "step", step: step.id.value, id: target, suggestion: suggestion(forStep: target)),
                          at: spec.step.location)
                    continue
                }
                guard scan.isBackgroundScan else {
                    error(.awaitNotBackgroundScan(step: "step '\(step.id.value)'", target: target), at: spec.step.location)
                    continue
                }
                if let first = awaited[target] {
                    error(.backgroundScanAwaitedTwice(step: target, first: first), at: spec.step.location)
                    continue
                }
                awaited[target] = step.id.value
                if !graph.reachableSteps(after: target).contains(step.id.value) {
                    error(.awaitNotAfterScan(step: "step '\(step.id.value)'", scan: target), at: step.id.location)
                }
            default:
                break
            }
        }
        for step in playbook.steps where step.isBackgroundScan && awaited[step.id.value] == nil {
            error(.backgroundScanWithoutAwait(step: "step '\(step.id.value)'"), at: step.id.location)
        }
    }

    // MARK: Contacts

    /// Contacts the playbook can show: its notify steps, its contact placeholders and its own contacts.
    func usedContacts() -> [Contact] {
        var ids = Set(playbook.contacts.keys)
        for step in playbook.steps {
            if case .notify(let spec) = step.kind { ids.formUnion(spec.chain) }
        }
        for (_, text) in texts {
            for template in text.variants.values {
                for placeholder in Placeholder.all(in: template) where placeholder.parts.first == "contact"
                    && placeholder.parts.count == 3 {
                    ids.insert(String(placeholder.parts[1]))
                }
            }
        }
        return ids.sorted().compactMap { contacts[$0] }
    }
}

/// The answers a `when:` condition may compare a step against.
public enum ConditionValues {
    public static func possible(for step: Step) -> [String]? {
        switch step.kind {
        case .confirm(let spec): return spec.unsure ? ["yes", "no", "unsure"] : ["yes", "no"]
        case .choice(let options): return options.map(\.value.value)
        case .checklist(let items, _): return items.map(\.value.value)
        case .scan, .await: return ScanVerdict.routable.map(\.rawValue)
        case .network: return ["disconnected", "connected"]
        case .evidence: return ["yes", "no"]
        case .notify: return ["reached", "not-reached"]
        case .info, .input, .collect, .end: return nil
        }
    }
}
