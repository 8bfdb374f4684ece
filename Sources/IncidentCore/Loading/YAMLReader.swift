import Yams

/// Reads a composed YAML node tree into model values, recording a positioned diagnostic for every
/// problem instead of stopping at the first: unknown keys, missing keys, wrong types, bad slugs.
final class YAMLReader {
    let path: String
    private(set) var diagnostics: [Diagnostic] = []
    /// libyaml's positions → the terminal's.
    let positions: SourcePositions
    /// Where nodes repeated through an alias were repeated.
    let aliases: [AliasSite: SourceLocation]
    /// The playbook's language codes, when known (to recognise a text's `en:` that slipped out
    /// of its map). Empty when the file names none (contacts.yaml): then the codes its texts use
    /// (`textLanguages`) and two-letter codes are taken for languages.
    var languages: [String] = []
    var textLanguages: Set<String> = []

    init(path: String, positions: SourcePositions = .identity, aliases: [AliasSite: SourceLocation] = [:]) {
        self.path = path
        self.positions = positions
        self.aliases = aliases
    }

    convenience init(path: String, parsed: SourceText.Parsed) {
        self.init(path: path, positions: parsed.positions, aliases: parsed.aliases)
    }

    // MARK: Diagnostics

    func error(_ text: DiagnosticText, at location: SourceLocation) {
        diagnostics.append(Diagnostic(.error, path: path, at: location, text))
    }

    func warning(_ text: DiagnosticText, at location: SourceLocation) {
        diagnostics.append(Diagnostic(.warning, path: path, at: location, text))
    }

    /// A message not yet in `DiagnosticText`'s table (English in both languages).
    func error(_ message: String, at location: SourceLocation) {
        error(.untranslated(message), at: location)
    }

    func warning(_ message: String, at location: SourceLocation) {
        warning(.untranslated(message), at: location)
    }

    /// Where a node was written, as the terminal counts lines.
    func location(of node: Node) -> SourceLocation {
        guard let mark = node.mark else { return .start }
        return positions.location(of: mark)
    }

    /// Where the child `index` of `parent` was written as an alias (`*name`), if it was one.
    func aliasLocation(in parent: Node, at index: Int) -> SourceLocation? {
        guard !aliases.isEmpty, let mark = parent.mark else { return nil }
        return aliases[AliasSite(mark, index)]
    }

    // MARK: Mappings

    /// Keys that belong to another level than the one being read, and what to tell the
    /// administrator who wrote one here (usually: the indentation is off).
    struct KeyHint {
        var keys: [String]
        var message: (_ key: String) -> DiagnosticText

        /// "'KEY' here looks mis-indented: it belongs WHERE (indent it like 'LIKE')"; `ja`: WHERE
        /// for the Japanese.
        static func misindented(_ keys: [String], belongs place: String, ja: KeyPlace, like: String?) -> KeyHint {
            KeyHint(keys: keys) { key in .misindentedBelongs(key: key, place: place, placeJa: ja, like: like) }
        }
    }

    /// The entries of a mapping whose keys are checked against `allowed`; nil (with an error) if
    /// `node` is not a mapping. `hints` name the keys of the levels above and below, so that a
    /// key written at the wrong indentation is called that, not a typo of some other key.
    func fields(_ node: Node, of what: String, allowed: [String], required: [String],
                hints: @autoclosure () -> [KeyHint] = []) -> Fields? {
        guard case .mapping(let mapping) = node else {
            error(.notAMapping(what: what, found: Self.found(node)), at: self.location(of: node))
            return nil
        }
        var fields = Fields(location: self.location(of: node))
        var suggested: Set<String> = []
        for (keyNode, value) in mapping {
            guard case .scalar(let scalar) = keyNode else {
                error(.keysNotWords(what: what), at: self.location(of: keyNode))
                continue
            }
            let key = scalar.string
            guard allowed.contains(key) else {
                let message: DiagnosticText
                if key == "<<" {
                    message = .mergeKey
                } else if let misplaced = misplacedLanguage(key, at: keyNode, in: mapping, of: what) {
                    message = misplaced
                } else if let hint = hints().first(where: { $0.keys.contains(key) }) {
                    message = hint.message(key)
                } else if let suggestion = Self.closest(to: key, in: allowed) {
                    message = .unknownKeySuggest(key: key, what: what, suggestion: suggestion)
                    suggested.insert(suggestion)
                } else {
                    message = .unknownKey(key: key, what: what, allowed: allowed)
                }
                error(message, at: self.location(of: keyNode))
                continue
            }
            fields.entries[key] = (self.location(of: keyNode), value)
        }
        // A typo of a required key is reported once, as the unknown key with its suggestion; a
        // required key written one level too deep, inside a text's map of languages, is reported
        // there by `text` (as mis-indented).
        for key in required where fields.entries[key] == nil && !suggested.contains(key) {
            let inText = !isLanguage(key) && mapping.contains { name, value in
                guard let name = name.scalar?.string, Self.alwaysReadTexts.contains(name),
                      case .mapping(let child) = value else { return false }
                let keys = child.keys.compactMap { $0.scalar?.string }
                return keys.contains(key) && keys.contains(where: isLanguage)
            }
            if !inText { error(.missingKey(what: what, key: key), at: fields.location) }
        }
        fields.suggested = suggested
        return fields
    }

    /// Keys whose value is always read as a Text when the mapping is (so a key of the mapping
    /// written inside it is always reported there).
    static let alwaysReadTexts: Set<String> = ["title", "summary", "text", "help", "label", "name", "role", "hours", "note"]


    /// Whether `key` is one of the playbook's languages (when they are unknown: one the file's
    /// texts use, or a two-letter code).
    func isLanguage(_ key: String) -> Bool {
        guard languages.isEmpty else { return languages.contains(key) }
        return textLanguages.contains(key)
            || (key.unicodeScalars.count == 2 && key.unicodeScalars.allSatisfy { ("a"..."z").contains($0) })
    }

    /// For a language code among a mapping's keys: the text map beside it it slipped out of (a
    /// text's `en:` indented less than its `ja:` lands among the step's own keys).
    private func misplacedLanguage(_ key: String, at keyNode: Node, in mapping: Node.Mapping, of what: String) -> DiagnosticText? {
        guard isLanguage(key) else { return nil }
        let line = keyNode.mark?.line ?? 0
        var best: (name: String, first: String, line: Int)?
        for (siblingKey, value) in mapping {
            guard let name = siblingKey.scalar?.string, case .mapping(let text) = value else { continue }
            let codes = text.keys.compactMap { $0.scalar?.string }
            guard let first = codes.first, codes.count == text.count, codes.allSatisfy(isLanguage),
                  !codes.contains(key) else { continue }
            let at = value.mark?.line ?? 0
            // The nearest text above; else the first one.
            if let current = best {
                if at <= line && (current.line > line || at > current.line) { best = (name, first, at) }
            } else {
                best = (name, first, at)
            }
        }
        if let best {
            return .misindentedUnderText(key: key, text: best.name, like: best.first)
        }
        // Without the file's own list of languages, only a text it fits in makes it one.
        guard !languages.isEmpty else { return nil }
        return .misindentedLanguage(key: key, what: what)
    }

    // MARK: Scalars

    /// A non-empty string scalar.
    func string(_ node: Node, _ key: String) -> Located<String>? {
        let location = self.location(of: node)
        guard case .scalar(let scalar) = node else {
            error(.notText(key: key, found: Self.found(node)), at: location)
            return nil
        }
        if Self.isNull(scalar) || scalar.string.trimmingWhitespace.isEmpty {
            error(.empty(key: key), at: location)
            return nil
        }
        return Located(scalar.string, at: location)
    }

    /// A slug: `[a-z0-9][a-z0-9-]*`, at most 64 characters.
    func slug(_ node: Node, _ key: String) -> Located<String>? {
        guard let value = string(node, key) else { return nil }
        guard Self.isSlug(value.value) else {
            error(.notSlug(key: key, value: value.value), at: value.location)
            return nil
        }
        return value
    }

    static func isSlug(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, text.unicodeScalars.count <= 64,
              first != "-" else { return false }
        return text.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }

    /// A whole number written as a plain scalar.
    func integer(_ node: Node, _ key: String, range: ClosedRange<Int>? = nil) -> Int? {
        let location = self.location(of: node)
        guard case .scalar(let scalar) = node, scalar.style == .plain, let value = Int(scalar.string) else {
            error(.notWholeNumber(key: key, found: Self.found(node)), at: location)
            return nil
        }
        if let range, !range.contains(value) {
            error(.outOfRange(key: key, low: range.lowerBound, high: range.upperBound, value: value), at: location)
            return nil
        }
        return value
    }

    /// `true` or `false`, unquoted.
    func bool(_ node: Node, _ key: String) -> Bool? {
        if case .scalar(let scalar) = node, scalar.style == .plain {
            switch scalar.string {
            case "true", "True", "TRUE": return true
            case "false", "False", "FALSE": return false
            default: break
            }
        }
        error(.notBool(key: key, found: Self.found(node)), at: self.location(of: node))
        return nil
    }

    /// One of a fixed set of words.
    func word<T: RawRepresentable<String>>(_ node: Node, _ key: String, as: T.Type,
                                            choices: [String]) -> T? {
        guard let text = string(node, key) else { return nil }
        guard let value = T(rawValue: text.value) else {
            error(.notOneOf(key: key, choices: choices, value: text.value), at: text.location)
            return nil
        }
        return value
    }

    /// A step reference or `end`.
    func target(_ node: Node, _ key: String) -> Located<FlowTarget>? {
        guard let id = string(node, key) else { return nil }
        return Located(id.value == "end" ? .end : .step(id.value), at: id.location)
    }

    /// The elements of a sequence (nil, with an error, for anything else).
    func sequence(_ node: Node, _ key: String, minimum: Int = 0) -> [Node]? {
        guard case .sequence(let sequence) = node else {
            error(.notList(key: key, found: Self.found(node)), at: self.location(of: node))
            return nil
        }
        let items = Array(sequence)
        if items.count < minimum {
            error(.tooFewEntries(key: key, minimum: minimum, count: items.count), at: self.location(of: node))
        }
        return items
    }

    // MARK: Text and commands

    /// A Text: a plain string, or a map language → string. Languages are checked by the validator;
    /// a key of the enclosing level (`parentKeys`, of `parent`) inside the map is reported as
    /// mis-indented here.
    func text(_ node: Node, _ key: String, parentKeys: [String] = [], parent: String = "") -> LocalizedText? {
        let location = self.location(of: node)
        switch node {
        case .scalar:
            guard let value = string(node, key) else { return nil }
            return LocalizedText(variants: [LocalizedText.anyLanguage: value.value],
                                 variantLocations: [LocalizedText.anyLanguage: value.location],
                                 location: location)
        case .mapping(let mapping):
            var text = LocalizedText(variants: [:], location: location)
            for (keyNode, value) in mapping {
                guard case .scalar(let language) = keyNode else {
                    error(.languageCodesNotWords(key: key), at: self.location(of: keyNode))
                    continue
                }
                if language.string == "<<" {
                    error(.mergeKey, at: self.location(of: keyNode))
                    continue
                }
                if parentKeys.contains(language.string), !isLanguage(language.string) {
                    error(.misindentedIntoText(key: language.string, owner: parent, text: key), at: self.location(of: keyNode))
                    continue
                }
                guard let string = string(value, "\(key).\(language.string)") else { continue }
                text.variants[language.string] = string.value
                text.variantLocations[language.string] = string.location
                text.languageLocations[language.string] = self.location(of: keyNode)
            }
            return text.variants.isEmpty ? nil : text
        default:
            error(.notTextOrMap(key: key, found: Self.found(node)), at: location)
            return nil
        }
    }

    /// A Command: a list of strings, or a map OS → list of strings.
    func command(_ node: Node, _ key: String) -> CommandSpec? {
        let location = self.location(of: node)
        switch node {
        case .sequence:
            guard let argv = argv(node, key) else { return nil }
            return CommandSpec(argvByOS: [CommandSpec.anyOS: argv], location: location)
        case .mapping:
            guard let fields = fields(node, of: "'\(key)'", allowed: CommandSpec.knownOSes, required: []) else {
                return nil
            }
            var byOS: [String: [Located<String>]] = [:]
            for os in CommandSpec.knownOSes {
                if let value = fields[os], let argv = argv(value, "\(key).\(os)") { byOS[os] = argv }
            }
            if fields.entries.isEmpty {
                error(.noOS(key: key), at: location)
            }
            return byOS.isEmpty ? nil : CommandSpec(argvByOS: byOS, location: location)
        default:
            error(.notCommand(key: key, found: Self.found(node)), at: location)
            return nil
        }
    }

    private func argv(_ node: Node, _ key: String) -> [Located<String>]? {
        guard let items = sequence(node, key, minimum: 1), !items.isEmpty else { return nil }
        let argv = items.compactMap { item -> Located<String>? in
            guard case .scalar(let scalar) = item else {
                error(.argumentNotString(key: key, found: Self.found(item)), at: self.location(of: item))
                return nil
            }
            return Located(scalar.string, at: self.location(of: item))
        }
        return argv.count == items.count ? argv : nil
    }

    // MARK: Helpers

    static func isNull(_ scalar: Node.Scalar) -> Bool {
        scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    static func found(_ node: Node) -> DiagnosticText.Found {
        switch node {
        case .scalar(let scalar):
            if isNull(scalar) { return .empty }
            return .text(scalar.string.count > 40 ? String(scalar.string.prefix(40)) + "…" : scalar.string)
        case .mapping: return .mapping
        case .sequence: return .list
        case .alias: return .alias
        }
    }

    static func describe(_ node: Node) -> String {
        switch node {
        case .scalar(let scalar):
            if isNull(scalar) { return "an empty value" }
            let shown = scalar.string.count > 40 ? String(scalar.string.prefix(40)) + "…" : scalar.string
            return "\"\(shown)\""
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    /// The allowed key nearest to a typo (edit distance ≤ `maximum`, 2 unless given), for "did
    /// you mean"; the first of equally near ones.
    static func closest(to word: String, in candidates: [String], maximum: Int = 2) -> String? {
        // Words whose lengths differ by more than the maximum are never within it: skip them, so
        // a megabyte-long key costs nothing.
        let length = word.unicodeScalars.count
        let near = candidates.filter { abs($0.unicodeScalars.count - length) <= maximum && $0 != word }
        let scored = near.map { ($0, editDistance(word, $0)) }.filter { $0.1 <= maximum }
        return scored.min { $0.1 < $1.1 }?.0
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.unicodeScalars), b = Array(b.unicodeScalars)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = Swift.min(previous[j] + 1, current[j - 1] + 1,
                                       previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}

/// The checked entries of one mapping.
struct Fields {
    var location: SourceLocation
    var entries: [String: (keyLocation: SourceLocation, value: Node)] = [:]
    /// The allowed keys an unknown key was taken for a typo of ("did you mean"): a check that
    /// such a key is missing would report the same mistake twice.
    var suggested: Set<String> = []

    subscript(key: String) -> Node? { entries[key]?.value }
}

extension String {
    var trimmingWhitespace: Substring {
        var slice = Substring(self)
        while let first = slice.first, first.isWhitespace { slice.removeFirst() }
        while let last = slice.last, last.isWhitespace { slice.removeLast() }
        return slice
    }
}
