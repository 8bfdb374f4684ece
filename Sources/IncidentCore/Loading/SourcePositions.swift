import Yams

/// Turns libyaml's positions into the positions an administrator sees in a terminal.
///
/// libyaml ends a line at LF, CRLF, a lone CR, NEL (U+0085), LS (U+2028) and PS (U+2029); a
/// terminal, `cat -n`, `grep -n`, less and vi end lines at LF only. Every diagnostic is placed
/// on the terminal's line, so one of those characters inside a value must not shift the lines
/// after it. Columns stay scalar columns here (the renderer turns them into display columns).
struct SourcePositions: Sendable {
    /// For each libyaml line (index = line - 1): the terminal line and scalar column it starts
    /// at. Nil when the text has no line break other than LF and CRLF: then both count alike.
    private let starts: [Start]?

    private struct Start: Sendable {
        var line: Int
        var column: Int
    }

    static let identity = SourcePositions(starts: nil)

    private init(starts: [Start]?) {
        self.starts = starts
    }

    init(_ text: String) {
        guard Self.hasOtherBreaks(text) else {
            starts = nil
            return
        }
        var starts = [Start(line: 1, column: 1)]
        var line = 1
        var column = 1
        var previousCR = false
        for scalar in text.unicodeScalars {
            defer { previousCR = scalar == "\r" }
            if scalar == "\n" {
                line += 1
                column = 1
                // CRLF is one libyaml break: the CR already started the libyaml line.
                if previousCR { starts[starts.count - 1] = Start(line: line, column: 1) } else {
                    starts.append(Start(line: line, column: 1))
                }
                continue
            }
            column += 1
            if Self.isOtherBreak(scalar) { starts.append(Start(line: line, column: column)) }
        }
        self.starts = starts
    }

    /// A libyaml break that is no terminal line end: CR (alone; before LF it is part of CRLF),
    /// NEL, LS, PS.
    static func isOtherBreak(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "\r" || scalar == "\u{85}" || scalar == "\u{2028}" || scalar == "\u{2029}"
    }

    private static func hasOtherBreaks(_ text: String) -> Bool {
        var previousCR = false
        for scalar in text.unicodeScalars {
            if previousCR && scalar != "\n" { return true }
            if scalar == "\u{85}" || scalar == "\u{2028}" || scalar == "\u{2029}" { return true }
            previousCR = scalar == "\r"
        }
        return previousCR
    }

    /// The terminal position of a libyaml position (1-based line and scalar column).
    func location(line: Int, column: Int) -> SourceLocation {
        guard let starts, line >= 1 else { return SourceLocation(line: line, column: column) }
        guard line <= starts.count else {
            // libyaml's end of stream, on a line of its own after the last one.
            return SourceLocation(line: starts[starts.count - 1].line + line - starts.count, column: column)
        }
        let start = starts[line - 1]
        return SourceLocation(line: start.line, column: start.column + column - 1)
    }

    func location(of mark: Mark) -> SourceLocation {
        location(line: mark.line, column: mark.column)
    }
}
