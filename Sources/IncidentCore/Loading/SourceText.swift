import Foundation
import Yams

/// Turns a file's bytes into YAML nodes, or into positioned diagnostics for what is not a playbook
/// at all: too large, empty, not UTF-8, binary, nested too deeply, or a YAML syntax error.
enum SourceText {
    /// Playbooks are small hand-written files; the cap keeps a 10 MB paste from stalling `validate`.
    static let maximumBytes = 4 * 1024 * 1024
    /// Deeper nesting than this is never a playbook, and would exhaust the parser's stack.
    static let maximumDepth = 64
    /// Aliases are resolved into shared nodes, so a few lines can expand exponentially ("billion
    /// laughs"); a real 2,000-step playbook has well under this many values.
    static let maximumExpandedNodes = 2_000_000

    struct Parsed {
        var text: String?
        var root: Node?
        var diagnostics: [Diagnostic]
        /// libyaml's positions → the terminal's (see `SourcePositions`).
        var positions: SourcePositions = .identity
        /// Where each node repeated through an alias (`*name`) was repeated, by its place in
        /// the tree (the composed node only carries its anchor's position).
        var aliases: [AliasSite: SourceLocation] = [:]
    }

    static func parse(_ data: Data, path: String) -> Parsed {
        // A UTF-8 byte order mark (Windows editors write one) is not text: libyaml, told the input
        // is UTF-8, would skip it as one column and then misread `playbook:` as indented. Without
        // it, every position is the same as in the file saved without a BOM.
        let data = data.starts(with: [0xEF, 0xBB, 0xBF]) ? Data(data.dropFirst(3)) : data
        func failure(_ message: DiagnosticText, _ location: SourceLocation = .start, text: String? = nil) -> Parsed {
            Parsed(text: text, root: nil, diagnostics: [Diagnostic(.error, path: path, at: location, message)])
        }
        if data.count > maximumBytes {
            let megabytes = String(format: "%.1f", Double(data.count) / 1_048_576)
            return failure(.fileTooLarge(megabytes: megabytes, maximum: maximumBytes / 1_048_576))
        }
        // Binary or not UTF-8: the text is still shown under the diagnostic (invalid bytes as
        // U+FFFD, decoded the same way `location(ofByte:)` counts them), so that the column is
        // a display column and the caret stands under the byte.
        if let offset = data.firstIndex(of: 0) {
            return failure(.binaryData,
                           location(ofByte: offset - data.startIndex, in: data),
                           text: String(decoding: data, as: UTF8.self))
        }
        guard let text = String(validating: data, as: UTF8.self) else {
            let offset = firstInvalidUTF8(in: data)
            return failure(.notUTF8, location(ofByte: offset, in: data),
                           text: String(decoding: data, as: UTF8.self))
        }
        if text.unicodeScalars.allSatisfy({ $0.properties.isWhitespace || $0 == "\u{FEFF}" }) {
            return failure(.emptyFile, text: text)
        }
        let scan = YAMLScan(text, maximumDepth: maximumDepth)
        // The Japanese keyboard's mistakes, each at its own place: libyaml would report the first
        // one later, elsewhere, in its own words (a `title：` on the next line).
        if !scan.keyboardMistakes.isEmpty {
            return Parsed(text: text, root: nil, diagnostics: scan.keyboardMistakes.map {
                Diagnostic(.error, path: path, at: $0.location, $0.text)
            })
        }
        if let deep = scan.tooDeep {
            return failure(.nestedTooDeeply(maximum: maximumDepth), deep, text: text)
        }
        let positions = SourcePositions(text)
        do {
            guard let root = try compose(text) else {
                return failure(.noDocument, text: text)
            }
            if expands(root, beyond: maximumExpandedNodes) {
                return failure(.aliasesExpand(limit: maximumExpandedNodes), text: text)
            }
            return Parsed(text: text, root: root, diagnostics: [], positions: positions,
                          aliases: aliasSites(root, scanned: scan.aliases))
        } catch let error as YamlError {
            let (message, location) = describe(error, text: text, positions: positions)
            return failure(message, location, text: text)
        } catch {
            return failure(.untranslated("YAML error: \(error)"), text: text)
        }
    }

    private static func compose(_ text: String) throws -> Node? {
        // Nodes only: nothing here turns nodes into Swift values with a constructor's maps; the
        // text is UTF-8 already (`SourceText` checked it).
        try Yams.compose(yaml: text, .basic, Constructor([:], [:], [:]), .utf8)
    }

    private static func describe(_ error: YamlError, text: String, positions: SourcePositions) -> (DiagnosticText, SourceLocation) {
        switch error {
        case let .scanner(context, problem, mark, _),
             let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            let location = withinText(positions.location(of: mark), text)
            let kind = SyntaxProblem(phrase: problem, context: context?.text,
                                     character: character(at: location, in: text))
            let message = DiagnosticText.syntax(kind, phrase: problem, context: context?.text,
                                                contextLine: context.map { positions.location(of: $0.mark).line })
            // An unclosed quote is found at the end of the file: it is fixed where it opened.
            if kind == .unclosedQuote, let context {
                return (message, positions.location(of: context.mark))
            }
            return (message, location)
        case let .reader(problem, offset, _, yaml):
            // libyaml reports a reader error (a control character) as a byte offset; Yams turns it
            // into a count of Characters (grapheme clusters) from the start of the string, which
            // is neither bytes nor scalars. Turn it back into the byte offset, then into line and
            // scalar column like every other position.
            let byte = offset.flatMap { characters in
                yaml.index(yaml.startIndex, offsetBy: characters, limitedBy: yaml.endIndex)
                    .map { yaml.utf8.distance(from: yaml.utf8.startIndex, to: $0) }
            } ?? firstUnreadableByte(in: yaml) ?? 0
            return (.controlCharacter(problem: problem), location(ofByte: byte, in: Data(yaml.utf8)))
        case let .duplicatedKeysInMapping(duplicates, context):
            let first = positions.location(of: context.mark)
            let key = duplicates.first ?? ""
            let again = repeatOfKey(key, firstAt: context.mark, in: text).map(positions.location(of:))
                ?? repeatedKey(key, after: first, in: text) ?? first
            return (.duplicateKey(key: key, firstLine: first.line), again)
        default:
            return (.untranslated("YAML error: \(error)"), .start)
        }
    }

    /// The scalar at a terminal position (to tell a tab from another character libyaml refuses).
    private static func character(at location: SourceLocation, in text: String) -> Unicode.Scalar? {
        let lines = lines(of: text)
        guard location.line >= 1, location.line <= lines.count else { return nil }
        let line = Array(lines[location.line - 1])
        return location.column >= 1 && location.column <= line.count ? line[location.column - 1] : nil
    }

    /// The text's lines split at LF only (a `String` split at "\n" misses CRLF ends: "\r\n" is one
    /// Character), without the CR of a CRLF end.
    static func lines(of text: String) -> [String.UnicodeScalarView] {
        text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            String.UnicodeScalarView(line.last == "\r" ? line.dropLast() : line[...])
        }
    }

    /// libyaml ends the stream on a line of its own, so an error at the end of a file without a
    /// final newline is reported on the line after the last; it belongs at the end of the last line.
    private static func withinText(_ location: SourceLocation, _ text: String) -> SourceLocation {
        guard let end = text.unicodeScalars.last, end != "\n" else { return location }
        let lines = lines(of: text)
        guard location.line > lines.count, let last = lines.last else { return location }
        return SourceLocation(line: lines.count, column: last.count + 1)
    }

    /// The byte offset of the first scalar libyaml's reader refuses (its `is printable` test), for
    /// when Yams could not express the offset (a position inside a Character).
    private static func firstUnreadableByte(in text: String) -> Int? {
        var offset = 0
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x09, 0x0A, 0x0D, 0x20...0x7E, 0x85, 0xA0...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF:
                break
            default:
                return offset
            }
            offset += UTF8.width(scalar)
        }
        return nil
    }

    /// Whether walking the tree with aliases expanded visits more than `limit` nodes (stops early).
    private static func expands(_ root: Node, beyond limit: Int) -> Bool {
        var budget = limit
        var stack = [root]
        while let node = stack.popLast() {
            budget -= 1
            if budget < 0 { return true }
            switch node {
            case .mapping(let mapping):
                for (key, value) in mapping { stack.append(key); stack.append(value) }
            case .sequence(let sequence):
                stack.append(contentsOf: sequence)
            case .scalar, .alias:
                break
            }
        }
        return false
    }

    /// The second occurrence of `key:` at the same column as its first one, for duplicate keys.
    private static func repeatedKey(_ key: String, after first: SourceLocation, in text: String) -> SourceLocation? {
        let lines = lines(of: text)
        guard first.line >= 1, first.line <= lines.count else { return nil }
        for number in first.line..<lines.count {
            let scalars = Array(lines[number])
            guard scalars.count >= first.column else { continue }
            let rest = String(String.UnicodeScalarView(scalars[(first.column - 1)...]))
            if rest.hasPrefix(key + ":") || rest.hasPrefix("\"\(key)\":") || rest.hasPrefix("'\(key)':") {
                return SourceLocation(line: number + 1, column: first.column)
            }
        }
        return nil
    }

    /// Where the second occurrence of a duplicate key is, found by libyaml itself: Yams reports
    /// only the first, so the first is renamed (one scalar replaced by a private-use one, so no
    /// position moves) and the text composed again; the key that is left is the repeat.
    private static func repeatOfKey(_ key: String, firstAt mark: Mark, in text: String) -> Mark? {
        guard !key.isEmpty else { return nil }
        var scalars = Array(text.unicodeScalars)
        guard var offset = scalarOffset(line: mark.line, column: mark.column, in: scalars) else { return nil }
        // Past an anchor or tag (`&a key:`), and into a quoted key.
        while offset < scalars.count, scalars[offset] == "&" || scalars[offset] == "!" {
            while offset < scalars.count, scalars[offset] != " ", scalars[offset] != "\t" { offset += 1 }
            while offset < scalars.count, scalars[offset] == " " || scalars[offset] == "\t" { offset += 1 }
        }
        if offset < scalars.count, scalars[offset] == "\"" || scalars[offset] == "'" { offset += 1 }
        guard offset < scalars.count, !SourcePositions.isOtherBreak(scalars[offset]), scalars[offset] != "\n" else {
            return nil
        }
        let marker: Unicode.Scalar = key.unicodeScalars.first == "\u{E000}" ? "\u{E001}" : "\u{E000}"
        scalars[offset] = marker
        let renamed = String(String.UnicodeScalarView(scalars))
        do {
            guard let root = try compose(renamed) else { return nil }
            return keyBeside(key, renamedAt: mark, in: root)
        } catch let YamlError.duplicatedKeysInMapping(duplicates, context) {
            // A third occurrence: the second is now the first libyaml reports.
            guard duplicates.first == key, (context.mark.line, context.mark.column) != (mark.line, mark.column) else {
                return nil
            }
            return context.mark
        } catch {
            return nil
        }
    }

    /// In the mapping that holds the renamed key at `mark`, the position of `key`.
    private static func keyBeside(_ key: String, renamedAt mark: Mark, in root: Node) -> Mark? {
        var budget = maximumExpandedNodes
        var stack = [root]
        while let node = stack.popLast() {
            budget -= 1
            if budget < 0 { return nil }
            switch node {
            case .mapping(let mapping):
                let keys = mapping.map(\.key)
                if keys.contains(where: { $0.mark?.line == mark.line && $0.mark?.column == mark.column }),
                   let again = keys.first(where: { $0.scalar?.string == key }) {
                    return again.mark
                }
                for (key, value) in mapping { stack.append(key); stack.append(value) }
            case .sequence(let sequence):
                stack.append(contentsOf: sequence)
            case .scalar, .alias:
                break
            }
        }
        return nil
    }

    /// The scalar offset of a libyaml position (libyaml's line breaks: LF, CRLF, CR, NEL, LS, PS).
    private static func scalarOffset(line: Int, column: Int, in scalars: [Unicode.Scalar]) -> Int? {
        var currentLine = 1
        var index = 0
        while currentLine < line {
            guard index < scalars.count else { return nil }
            let scalar = scalars[index]
            index += 1
            if scalar == "\r", index < scalars.count, scalars[index] == "\n" { index += 1 }
            if scalar == "\n" || SourcePositions.isOtherBreak(scalar) { currentLine += 1 }
        }
        let offset = index + column - 1
        return offset < scalars.count ? offset : nil
    }

    /// Where each alias of the document was written, by the node it stands for in the tree.
    ///
    /// The composed tree has no alias nodes: an alias is replaced by its anchor's node, position
    /// and all. Walked in document order, real nodes start at or after the previous one, and a
    /// node from an alias starts before (at its anchor). The n-th such node is the n-th alias
    /// the scan found. If the counts disagree, no alias is placed (its anchor's position stays).
    static func aliasSites(_ root: Node, scanned: [SourceLocation]) -> [AliasSite: SourceLocation] {
        guard !scanned.isEmpty else { return [:] }
        struct Visit {
            var node: Node
            var site: AliasSite?
            var firstChild: Bool
        }
        func isEmptyScalar(_ node: Node) -> Bool {
            if case .scalar(let scalar) = node { return scalar.string.isEmpty && scalar.style == .plain }
            return false
        }
        var found: [AliasSite] = []
        var last = (line: 0, column: 0)
        var lastWasEmpty = false
        var stack = [Visit(node: root, site: nil, firstChild: false)]
        while let visit = stack.popLast() {
            guard let mark = visit.node.mark else { return [:] }
            let position = (line: mark.line, column: mark.column)
            let empty = isEmptyScalar(visit.node)
            // Two nodes start at one place only as a block mapping and its first key, or next
            // to an empty value (libyaml places it at the following token).
            let before = position < last
                || (position == last && !visit.firstChild && !empty && !lastWasEmpty)
            if before {
                guard let site = visit.site else { return [:] }
                found.append(site)
                if found.count > scanned.count { return [:] }
                continue
            }
            last = position
            lastWasEmpty = empty
            var children: [Node] = []
            switch visit.node {
            case .mapping(let mapping):
                for (key, value) in mapping { children.append(key); children.append(value) }
            case .sequence(let sequence):
                children = Array(sequence)
            case .scalar, .alias:
                break
            }
            for (index, child) in children.enumerated().reversed() {
                stack.append(Visit(node: child, site: AliasSite(mark, index), firstChild: index == 0))
            }
        }
        guard found.count == scanned.count else { return [:] }
        return Dictionary(zip(found, scanned), uniquingKeysWith: { first, _ in first })
    }

    private static func firstInvalidUTF8(in data: Data) -> Int {
        var offset = 0
        let bytes = [UInt8](data)
        while offset < bytes.count {
            let byte = bytes[offset]
            let length: Int
            switch byte {
            case 0x00...0x7F: length = 1
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF4: length = 4
            default: return offset
            }
            guard offset + length <= bytes.count,
                  String(validating: bytes[offset..<offset + length], as: UTF8.self) != nil else {
                return offset
            }
            offset += length
        }
        return offset
    }

    /// Line and scalar column of a byte offset (bytes before it that are not valid UTF-8 count one each).
    static func location(ofByte offset: Int, in data: Data) -> SourceLocation {
        let prefix = data.prefix(max(0, offset))
        var line = 1
        var lineStart = prefix.startIndex
        for index in prefix.indices where prefix[index] == 0x0A {
            line += 1
            lineStart = index + 1
        }
        let lineBytes = prefix[lineStart...]
        let column = String(decoding: lineBytes, as: UTF8.self).unicodeScalars.count + 1
        return SourceLocation(line: line, column: column)
    }
}

/// A place in the composed tree: the child `index` of the node that starts at libyaml's
/// `line`:`column` (in a mapping, key n is child 2n and its value 2n + 1).
struct AliasSite: Hashable, Sendable {
    var line: Int
    var column: Int
    var index: Int

    init(_ parent: Mark, _ index: Int) {
        line = parent.line
        column = parent.column
        self.index = index
    }
}
