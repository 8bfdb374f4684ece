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
    }

    static func parse(_ data: Data, path: String) -> Parsed {
        // A UTF-8 byte order mark (Windows editors write one) is not text: libyaml, told the input
        // is UTF-8, would skip it as one column and then misread `playbook:` as indented. Without
        // it, every position is the same as in the file saved without a BOM.
        let data = data.starts(with: [0xEF, 0xBB, 0xBF]) ? Data(data.dropFirst(3)) : data
        func failure(_ message: String, _ location: SourceLocation = .start, text: String? = nil) -> Parsed {
            Parsed(text: text, root: nil, diagnostics: [Diagnostic(.error, path: path, at: location, message)])
        }
        if data.count > maximumBytes {
            let megabytes = String(format: "%.1f", Double(data.count) / 1_048_576)
            return failure("the file is too large (\(megabytes) MiB); a playbook may be at most "
                           + "\(maximumBytes / 1_048_576) MiB")
        }
        if let offset = data.firstIndex(of: 0) {
            return failure("the file contains binary data (a NUL byte); a playbook is UTF-8 text",
                           location(ofByte: offset - data.startIndex, in: data))
        }
        guard let text = String(validating: data, as: UTF8.self) else {
            let offset = firstInvalidUTF8(in: data)
            return failure("the file is not valid UTF-8 text (save it as UTF-8)", location(ofByte: offset, in: data))
        }
        if text.unicodeScalars.allSatisfy({ $0.properties.isWhitespace || $0 == "\u{FEFF}" }) {
            return failure("the file is empty; a playbook starts with 'playbook: 1'", text: text)
        }
        if let deep = firstTooDeep(text) {
            return failure("the YAML is nested too deeply (a playbook needs far fewer than \(maximumDepth) levels)",
                           deep, text: text)
        }
        do {
            // Nodes only: no constructor maps (nothing here turns nodes into Swift values with
            // them), and UTF-8 named, since Yams' default encoding reads the whole environment
            // through ProcessInfo — both cost start-up time (bench/README.md).
            guard let root = try Yams.compose(yaml: text, .basic, Constructor([:], [:], [:]), .utf8) else {
                return failure("the file holds no YAML document", text: text)
            }
            if expands(root, beyond: maximumExpandedNodes) {
                return failure("the YAML's aliases (*name) expand to more than \(maximumExpandedNodes) values; "
                               + "a playbook never needs that many", text: text)
            }
            return Parsed(text: text, root: root, diagnostics: [])
        } catch let error as YamlError {
            let (message, location) = describe(error, text: text)
            return failure(message, location, text: text)
        } catch {
            return failure("YAML error: \(error)", text: text)
        }
    }

    private static func describe(_ error: YamlError, text: String) -> (String, SourceLocation) {
        switch error {
        case let .scanner(context, problem, mark, _),
             let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            var message = "YAML syntax error: \(problem)"
            if let context { message += " (\(context.text) at line \(context.mark.line))" }
            return (message, withinText(SourceLocation(line: mark.line, column: mark.column), text))
        case let .reader(problem, offset, _, yaml):
            // libyaml reports a reader error (a control character) as a byte offset; Yams turns it
            // into a count of Characters (grapheme clusters) from the start of the string, which
            // is neither bytes nor scalars. Turn it back into the byte offset, then into line and
            // scalar column like every other position.
            let byte = offset.flatMap { characters in
                yaml.index(yaml.startIndex, offsetBy: characters, limitedBy: yaml.endIndex)
                    .map { yaml.utf8.distance(from: yaml.utf8.startIndex, to: $0) }
            } ?? firstUnreadableByte(in: yaml) ?? 0
            return ("YAML error: \(problem)", location(ofByte: byte, in: Data(yaml.utf8)))
        case let .duplicatedKeysInMapping(duplicates, context):
            let first = SourceLocation(line: context.mark.line, column: context.mark.column)
            let key = duplicates.first ?? ""
            let again = repeatedKey(key, after: first, in: text) ?? first
            return ("duplicate key '\(key)' (first written at line \(first.line))", again)
        default:
            return ("YAML error: \(error)", .start)
        }
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

    /// Where flow brackets or block indentation first go deeper than `maximumDepth`. This is a
    /// conservative pre-scan: the YAML parser recurses per level and would overflow the stack on
    /// hostile input long before reporting anything.
    private static func firstTooDeep(_ text: String) -> SourceLocation? {
        var depth = 0
        var line = 1
        var column = 0
        var inQuote: Unicode.Scalar?
        var inComment = false
        var atLineStart = true
        var indent = 0
        var previous: Unicode.Scalar = "\n"
        for scalar in text.unicodeScalars {
            defer { previous = scalar }
            column += 1
            if scalar == "\n" {
                line += 1
                column = 0
                inComment = false
                atLineStart = true
                indent = 0
                if inQuote == "'" || inQuote == "\"" { continue }
                continue
            }
            if atLineStart {
                if scalar == " " || scalar == "-" {
                    indent += 1
                    if indent > maximumDepth * 4 { return SourceLocation(line: line, column: column) }
                    continue
                }
                atLineStart = false
            }
            if inComment { continue }
            if let quote = inQuote {
                if scalar == quote { inQuote = nil }
                continue
            }
            switch scalar {
            // YAML: `#` starts a comment only at a line's start or after white space (`a#b` is text).
            case "#" where previous == " " || previous == "\t" || previous == "\n": inComment = true
            case "\"", "'": if depth > 0 { inQuote = scalar }
            case "[", "{":
                depth += 1
                if depth > maximumDepth { return SourceLocation(line: line, column: column) }
            case "]", "}": depth = max(0, depth - 1)
            default: break
            }
        }
        return nil
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
