/// Renders diagnostics as the administrator sees them: the position line, the source line, and a
/// caret under the column. Columns are display columns (a Japanese character is two), so the caret
/// lands under the right character in a terminal.
public struct DiagnosticRenderer: Sendable {
    private let lines: [String]

    /// `source` is the file's text, or nil when it could not be read as text.
    public init(source: String?) {
        // Split at LF scalars: in a CRLF file "\r\n" is one Character, so splitting the String at
        // "\n" would leave the whole file as one line. A byte order mark is not on the screen.
        guard var scalars = source?.unicodeScalars[...] else {
            lines = []
            return
        }
        if scalars.first == "\u{FEFF}" { scalars = scalars.dropFirst() }
        lines = scalars.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            String(String.UnicodeScalarView(line.last == "\r" ? line.dropLast() : line))
        }
    }

    /// The 1-based display column of a scalar column on a line.
    public func displayColumn(of location: SourceLocation) -> Int {
        guard let line = sourceLine(location.line) else { return location.column }
        let prefix = String(String.UnicodeScalarView(line.unicodeScalars.prefix(max(0, location.column - 1))))
        return DisplayWidth.of(Sanitizer.neutralise(prefix, keepNewlines: false)) + 1
    }

    /// `PATH:LINE:COLUMN: severity: message` followed by the source line and the caret line.
    public func render(_ diagnostic: Diagnostic) -> String {
        let column = displayColumn(of: diagnostic.location)
        var out = "\(diagnostic.path):\(diagnostic.location.line):\(column): "
            + "\(diagnostic.severity.rawValue): \(Sanitizer.neutralise(diagnostic.message, keepNewlines: false))"
        if let line = sourceLine(diagnostic.location.line) {
            let shown = Sanitizer.neutralise(line, keepNewlines: false)
            out += "\n" + shown + "\n" + String(repeating: " ", count: column - 1) + "^"
        }
        return out
    }

    private func sourceLine(_ number: Int) -> Substring? {
        guard number >= 1, number <= lines.count else { return nil }
        let line = lines[number - 1][...]
        // A 10 MB one-line file must not print 10 MB back; the caret is what matters.
        return line.count > 400 ? line.prefix(400) : line
    }
}
