import Yams

/// Reads a composed YAML node tree into model values, recording a positioned diagnostic for every
/// problem instead of stopping at the first: unknown keys, missing keys, wrong types, bad slugs.
final class YAMLReader {
    let path: String
    private(set) var diagnostics: [Diagnostic] = []

    init(path: String) {
        self.path = path
    }

    // MARK: Diagnostics

    func error(_ message: String, at location: SourceLocation) {
        diagnostics.append(Diagnostic(.error, path: path, at: location, message))
    }

    func warning(_ message: String, at location: SourceLocation) {
        diagnostics.append(Diagnostic(.warning, path: path, at: location, message))
    }

    static func location(of node: Node) -> SourceLocation {
        guard let mark = node.mark else { return .start }
        return SourceLocation(line: mark.line, column: mark.column)
    }

    // MARK: Mappings

    /// The entries of a mapping whose keys are checked against `allowed`; nil (with an error) if
    /// `node` is not a mapping.
    func fields(_ node: Node, of what: String, allowed: [String], required: [String]) -> Fields? {
        guard case .mapping(let mapping) = node else {
            error("\(what) must be a mapping of keys (key: value), not \(Self.describe(node))",
                  at: Self.location(of: node))
            return nil
        }
        var fields = Fields(location: Self.location(of: node))
        for (keyNode, value) in mapping {
            guard case .scalar(let scalar) = keyNode else {
                error("keys in \(what) must be plain words", at: Self.location(of: keyNode))
                continue
            }
            let key = scalar.string
            guard allowed.contains(key) else {
                var message = "unknown key '\(key)' in \(what)"
                if let suggestion = Self.closest(to: key, in: allowed) {
                    message += " (did you mean '\(suggestion)'?)"
                } else {
                    message += " (allowed: \(allowed.joined(separator: ", ")))"
                }
                error(message, at: Self.location(of: keyNode))
                continue
            }
            fields.entries[key] = (Self.location(of: keyNode), value)
        }
        // A typo of a required key is reported once, as the unknown key with its suggestion (worked
        // out only when a required key is missing: edit distances are not free on big playbooks).
        let missing = required.filter { fields.entries[$0] == nil }
        guard !missing.isEmpty else { return fields }
        let suggested = Set(mapping.compactMap { $0.key.scalar?.string }.filter { !allowed.contains($0) }
            .compactMap { Self.closest(to: $0, in: allowed) })
        for key in missing where !suggested.contains(key) {
            error("\(what) is missing the required key '\(key)'", at: fields.location)
        }
        return fields
    }

    // MARK: Scalars

    /// A non-empty string scalar.
    func string(_ node: Node, _ key: String) -> Located<String>? {
        let location = Self.location(of: node)
        guard case .scalar(let scalar) = node else {
            error("'\(key)' must be a text value, not \(Self.describe(node))", at: location)
            return nil
        }
        if Self.isNull(scalar) || scalar.string.trimmingWhitespace.isEmpty {
            error("'\(key)' is empty", at: location)
            return nil
        }
        return Located(scalar.string, at: location)
    }

    /// A slug: `[a-z0-9][a-z0-9-]*`, at most 64 characters.
    func slug(_ node: Node, _ key: String) -> Located<String>? {
        guard let value = string(node, key) else { return nil }
        guard Self.isSlug(value.value) else {
            error("'\(key)' must be a slug (lower-case letters, digits and '-', starting with a letter "
                  + "or digit, at most 64 characters), not \"\(value.value)\"", at: value.location)
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
        let location = Self.location(of: node)
        guard case .scalar(let scalar) = node, scalar.style == .plain, let value = Int(scalar.string) else {
            error("'\(key)' must be a whole number, not \(Self.describe(node))", at: location)
            return nil
        }
        if let range, !range.contains(value) {
            error("'\(key)' must be between \(range.lowerBound) and \(range.upperBound), not \(value)", at: location)
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
        error("'\(key)' must be true or false, not \(Self.describe(node))", at: Self.location(of: node))
        return nil
    }

    /// One of a fixed set of words.
    func word<T: RawRepresentable<String>>(_ node: Node, _ key: String, as: T.Type,
                                            choices: [String]) -> T? {
        guard let text = string(node, key) else { return nil }
        guard let value = T(rawValue: text.value) else {
            error("'\(key)' must be one of \(choices.joined(separator: ", ")), not \"\(text.value)\"",
                  at: text.location)
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
            error("'\(key)' must be a list, not \(Self.describe(node))", at: Self.location(of: node))
            return nil
        }
        let items = Array(sequence)
        if items.count < minimum {
            error("'\(key)' needs at least \(minimum) \(minimum == 1 ? "entry" : "entries"), it has \(items.count)",
                  at: Self.location(of: node))
        }
        return items
    }

    // MARK: Text and commands

    /// A Text: a plain string, or a map language → string. Languages are checked by the validator.
    func text(_ node: Node, _ key: String) -> LocalizedText? {
        let location = Self.location(of: node)
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
                    error("language codes in '\(key)' must be plain words", at: Self.location(of: keyNode))
                    continue
                }
                guard let string = string(value, "\(key).\(language.string)") else { continue }
                text.variants[language.string] = string.value
                text.variantLocations[language.string] = string.location
                text.languageLocations[language.string] = Self.location(of: keyNode)
            }
            return text.variants.isEmpty ? nil : text
        default:
            error("'\(key)' must be a text or a map of language → text, not \(Self.describe(node))",
                  at: location)
            return nil
        }
    }

    /// A Command: a list of strings, or a map OS → list of strings.
    func command(_ node: Node, _ key: String) -> CommandSpec? {
        let location = Self.location(of: node)
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
                error("'\(key)' names no operating system (linux, macos)", at: location)
            }
            return byOS.isEmpty ? nil : CommandSpec(argvByOS: byOS, location: location)
        default:
            error("'\(key)' must be a list of program and arguments (argv), or a map of OS → argv, not "
                  + Self.describe(node), at: location)
            return nil
        }
    }

    private func argv(_ node: Node, _ key: String) -> [Located<String>]? {
        guard let items = sequence(node, key, minimum: 1), !items.isEmpty else { return nil }
        let argv = items.compactMap { item -> Located<String>? in
            guard case .scalar(let scalar) = item else {
                error("each element of '\(key)' must be a string, not \(Self.describe(item))",
                      at: Self.location(of: item))
                return nil
            }
            return Located(scalar.string, at: Self.location(of: item))
        }
        return argv.count == items.count ? argv : nil
    }

    // MARK: Helpers

    static func isNull(_ scalar: Node.Scalar) -> Bool {
        scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string)
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

    /// The allowed key nearest to a typo (edit distance ≤ 2), for "did you mean".
    static func closest(to word: String, in candidates: [String]) -> String? {
        // Words whose lengths differ by more than 2 are never within distance 2: skip them, so a
        // megabyte-long key costs nothing.
        let length = word.unicodeScalars.count
        let near = candidates.filter { abs($0.unicodeScalars.count - length) <= 2 }
        let scored = near.map { ($0, editDistance(word, $0)) }.filter { $0.1 <= 2 }
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
