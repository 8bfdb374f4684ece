/// A lexical pass over YAML text before it is parsed, following libyaml's tokenisation far enough
/// to tell real structure from text: quoted scalars (a quote opens one only where a node starts,
/// so `it's` is text), comments, block scalars (`|`, `>`: their content lines are text, however
/// many dashes or brackets they hold), and in block context a `[` or `{` inside a plain scalar
/// (text too).
///
/// It finds two things:
/// - where the nesting first goes deeper than the limit: flow collections (`[`, `{`) counted
///   per level, block collections counted by their indentation levels and `- ` entries (a line
///   indented by 300 spaces is one level deeper than its parent, not 300). The YAML composer
///   recurses per level; libyaml itself stops at 1000 levels, so input this pass misjudges is
///   still refused, by libyaml.
/// - the position of every alias (`*name`), in document order, so that a node repeated through
///   an alias can be reported where it is repeated (the composed tree only has the anchor's).
///
/// - the Japanese keyboard's mistakes, each where it is: a full-width colon `：` right after a key,
///   a full-width space `　` in the indentation, full-width quotes (“ ” ＂) around a whole value.
///   libyaml reads the first two as text and fails later, elsewhere, in its own words.
///
/// Positions are terminal positions: the line counted in LF ends, the column in scalars.
struct YAMLScan {
    let tooDeep: SourceLocation?
    let aliases: [SourceLocation]
    let keyboardMistakes: [KeyboardMistake]

    struct KeyboardMistake: Equatable {
        var location: SourceLocation
        var text: DiagnosticText
    }

    init(_ text: String, maximumDepth: Int) {
        let scalars = Array(text.unicodeScalars)
        (tooDeep, aliases, keyboardMistakes) = scalars.withUnsafeBufferPointer { buffer in
            var pass = Pass(buffer)
            pass.run(maximumDepth)
            return (pass.tooDeep, pass.aliases, pass.mistakes)
        }
    }
}

/// The pass itself, over the text's scalars (a buffer: this runs once per scalar of files of up
/// to 4 MiB).
private struct Pass {
    var tooDeep: SourceLocation?
    var aliases: [SourceLocation] = []
    var mistakes: [YAMLScan.KeyboardMistake] = []

    private let s: UnsafeBufferPointer<Unicode.Scalar>
    private var i = 0
    private var line = 1
    private var column = 1
    /// Scalars since the last libyaml line break (0-based), for indentation.
    private var yamlColumn = 0

    private var flowDepth = 0
    /// Open block collections by indentation column.
    private var levels: [Int] = []
    /// The next token may start a node (a quote, `[`, `*`, `|` are indicators only there).
    private var nodeStart = true
    /// The previous scalar was white space or a line start (`#` starts a comment only there).
    private var afterBlank = true
    /// The column a block scalar's content must be indented beyond, were one to start here.
    private var blockParent = -1
    /// Inside a block scalar's content: the column its lines are indented beyond.
    private var blockContent: Int?
    private var pendingBlock: Int?
    /// The column of the node the current line's key starts at.
    private var keyColumn = 0

    init(_ scalars: UnsafeBufferPointer<Unicode.Scalar>) {
        s = scalars
    }

    // MARK: Characters

    private func isBreak(_ index: Int) -> Bool {
        guard index < s.count else { return false }
        let c = s[index]
        return c == "\n" || SourcePositions.isOtherBreak(c)
    }

    private func isBlank(_ index: Int) -> Bool {
        index < s.count && (s[index] == " " || s[index] == "\t")
    }

    /// Blank, a line break or the end of the text.
    private func isBlankZ(_ index: Int) -> Bool {
        index >= s.count || isBlank(index) || isBreak(index)
    }

    private func isFlowIndicator(_ index: Int) -> Bool {
        guard index < s.count else { return false }
        switch s[index] {
        case "[", "]", "{", "}", ",": return true
        default: return false
        }
    }

    /// `---` or `...` followed by white space or the end of the line.
    private func isDocumentMarker(_ index: Int) -> Bool {
        guard index + 3 <= s.count else { return false }
        let marker = s[index..<index + 3]
        return (marker.elementsEqual("---".unicodeScalars) || marker.elementsEqual("...".unicodeScalars))
            && isBlankZ(index + 3)
    }

    private var here: SourceLocation { SourceLocation(line: line, column: column) }

    /// Moves past one scalar, or past a whole line break (CRLF is one).
    private mutating func advance() {
        guard i < s.count else { return }
        let c = s[i]
        if c == "\r", i + 1 < s.count, s[i + 1] == "\n" {
            i += 2
            line += 1
            column = 1
            yamlColumn = 0
            return
        }
        i += 1
        if c == "\n" {
            line += 1
            column = 1
            yamlColumn = 0
        } else if SourcePositions.isOtherBreak(c) {
            column += 1
            yamlColumn = 0
        } else {
            column += 1
            yamlColumn += 1
        }
    }

    private mutating func skipToBreak() {
        while i < s.count, !isBreak(i) { advance() }
    }

    // MARK: The pass

    mutating func run(_ maximumDepth: Int) {
        var atLineStart = true
        while i < s.count {
            if atLineStart {
                atLineStart = false
                if !lineStart(maximumDepth) { return }
                continue
            }
            let c = s[i]
            if isBreak(i) {
                advance()
                atLineStart = true
                afterBlank = true
                if let pending = pendingBlock {
                    blockContent = pending
                    pendingBlock = nil
                }
                continue
            }
            if c == " " || c == "\t" {
                afterBlank = true
                advance()
                continue
            }
            if c == "#" && afterBlank {
                skipToBreak()
                continue
            }
            let wasNodeStart = nodeStart
            afterBlank = false
            if wasNodeStart && flowDepth == 0 && Self.fullWidthQuotes.contains(c) {
                fullWidthQuotes()
            }
            if (c == "\"" || c == "'") && wasNodeStart {
                quoted(c)
                nodeStart = false
                // `{"a":1}`: in flow, a ':' right after a quoted key is its value indicator.
                if flowDepth > 0, i < s.count, s[i] == ":" {
                    advance()
                    nodeStart = true
                }
            } else if (c == "[" || c == "{") && (wasNodeStart || flowDepth > 0) {
                flowDepth += 1
                if flowDepth > maximumDepth {
                    tooDeep = here
                    return
                }
                advance()
                nodeStart = true
            } else if (c == "]" || c == "}") && flowDepth > 0 {
                flowDepth -= 1
                advance()
                nodeStart = false
            } else if c == "," && flowDepth > 0 {
                advance()
                nodeStart = true
            } else if c == "*" && wasNodeStart {
                aliases.append(here)
                advance()
                skipName()
                nodeStart = false
            } else if (c == "&" || c == "!") && wasNodeStart {
                // An anchor or a tag: the node itself follows.
                skipName()
                nodeStart = true
            } else if (c == "|" || c == ">") && wasNodeStart && flowDepth == 0 {
                // A block scalar: its header runs to the end of the line, its content is the
                // following lines indented beyond its parent.
                pendingBlock = blockParent
                skipToBreak()
            } else if (c == "-" || c == "?") && wasNodeStart && flowDepth == 0 && isBlankZ(i + 1) {
                if c == "-" { blockParent = yamlColumn }
                advance()
                nodeStart = true
            } else if c == ":" && (isBlankZ(i + 1) || (flowDepth > 0 && isFlowIndicator(i + 1))) {
                if flowDepth == 0 { blockParent = keyColumn }
                advance()
                nodeStart = true
            } else {
                // Plain text (in flow, a plain scalar ends at an indicator, handled above).
                advance()
                nodeStart = false
            }
        }
    }

    static let fullWidthQuotes: Set<Unicode.Scalar> = ["\u{201C}", "\u{201D}", "\u{FF02}"]

    /// At a value that starts with a full-width quote: whether the line's last character before
    /// a comment is one too (the whole value in full-width quotes).
    private mutating func fullWidthQuotes() {
        var j = i + 1
        var last: Int?
        var quotes = 1
        while j < s.count, !isBreak(j) {
            if s[j] == "#", isBlank(j - 1) { break }
            if !isBlank(j) { last = j }
            if Self.fullWidthQuotes.contains(s[j]) { quotes += 1 }
            j += 1
        }
        // Only one pair, around the whole value (“a” and “b” is text with quotes in it).
        guard let last, quotes == 2, Self.fullWidthQuotes.contains(s[last]) else { return }
        mistakes.append(.init(location: here, text: .fullWidthQuotes(open: String(s[i]), close: String(s[last]))))
    }

    private static func isKeyScalar(_ c: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c) || c == "_" || c == "-" || c == "."
    }

    /// At a line's key: a word of key characters followed by a full-width colon.
    private mutating func fullWidthColon() {
        var j = i
        while j < s.count, Self.isKeyScalar(s[j]) { j += 1 }
        guard j > i, j < s.count, s[j] == "\u{FF1A}" else { return }
        let key = String(String.UnicodeScalarView(s[i..<j]))
        mistakes.append(.init(location: SourceLocation(line: line, column: column + (j - i)),
                              text: .fullWidthColon(key: key)))
    }

    /// An anchor, alias or tag name: up to white space (in flow, up to an indicator too).
    private mutating func skipName() {
        while i < s.count, !isBlankZ(i), !(flowDepth > 0 && isFlowIndicator(i)) { advance() }
    }

    /// A quoted scalar, which may run over several lines; `\"` and `''` do not end it.
    private mutating func quoted(_ quote: Unicode.Scalar) {
        advance()
        while i < s.count {
            let c = s[i]
            if quote == "\"" && c == "\\" {
                advance()
                advance()
                continue
            }
            if c == quote {
                if quote == "'", i + 1 < s.count, s[i + 1] == "'" {
                    advance()
                    advance()
                    continue
                }
                advance()
                return
            }
            advance()
        }
    }

    /// The start of a libyaml line: block scalar content, comment lines, document markers, and
    /// in block context the indentation levels and `- ` entries. False when nesting is too deep.
    private mutating func lineStart(_ maximumDepth: Int) -> Bool {
        var spaces = 0
        while i < s.count, s[i] == " " {
            advance()
            spaces += 1
        }
        let rest = i
        var blankLine = true
        var j = rest
        while j < s.count, !isBreak(j) {
            if !isBlank(j) {
                blankLine = false
                break
            }
            j += 1
        }
        if let parent = blockContent {
            if blankLine || (spaces > parent && !(spaces == 0 && isDocumentMarker(rest))) {
                skipToBreak()
                return true
            }
            blockContent = nil
        }
        afterBlank = true
        guard flowDepth == 0 else { return true }
        if blankLine || s[rest] == "#" { return true }
        if s[rest] == "\u{3000}" {
            mistakes.append(.init(location: here, text: .fullWidthSpace))
            while i < s.count, s[i] == "\u{3000}" || s[i] == " " { advance() }
            if i >= s.count || isBreak(i) { return true }
        }
        if spaces == 0 {
            if s[rest] == "%" {
                skipToBreak()
                return true
            }
            if isDocumentMarker(rest) {
                levels.removeAll()
                for _ in 0..<3 { advance() }
                nodeStart = true
                blockParent = -1
                keyColumn = 0
                return true
            }
        }
        while let last = levels.last, last > spaces { levels.removeLast() }
        // A block scalar or key at the line start belongs to the enclosing level.
        blockParent = levels.last(where: { $0 < spaces }) ?? -1
        if levels.last != spaces {
            levels.append(spaces)
            if levels.count > maximumDepth {
                tooDeep = here
                return false
            }
        }
        // `- ` entries: each opens a level at the column of the node after it.
        while i < s.count, s[i] == "-", isBlankZ(i + 1) {
            blockParent = yamlColumn
            advance()
            while isBlank(i) { advance() }
            if i >= s.count || isBreak(i) || s[i] == "#" { break }
            if levels.last.map({ $0 < yamlColumn }) ?? true {
                levels.append(yamlColumn)
                if levels.count > maximumDepth {
                    tooDeep = here
                    return false
                }
            }
        }
        keyColumn = yamlColumn
        nodeStart = true
        fullWidthColon()
        return true
    }
}
