/// Renders diagnostics as the administrator sees them: the position line, the source line, and a
/// caret under the column. Columns are display columns (a Japanese character is two), so the caret
/// lands under the right character in a terminal.
public struct DiagnosticRenderer: Sendable {
    /// A source line wider than this many display columns is cut around the caret.
    public static let maximumShownWidth = 160
    static let cutMarker = "..."

    /// The lines of each file, by path; `nil` key: the file of a renderer made for one source.
    private let files: [String?: [String]]
    /// The language of the messages (the severity word stays `error`/`warning`: scripts grep it).
    public var language: AdminLanguage = .english

    /// `source` is the file's text, or nil when it could not be read as text. Every diagnostic
    /// is shown with a line of it: use `init(sources:)` when diagnostics name several files.
    public init(source: String?, language: AdminLanguage = .english) {
        files = [nil: Self.lines(of: source)]
        self.language = language
    }

    /// The text of each file by path, for diagnostics about several files (a playbook's and its
    /// shared `contacts.yaml`'s): each diagnostic is shown with a line of the file its path
    /// names, and with none when that file's text is not known.
    public init(sources: [String: String?], language: AdminLanguage = .english) {
        self.language = language
        var files: [String?: [String]] = [:]
        for (path, text) in sources { files[path] = Self.lines(of: text) }
        self.files = files
    }

    private static func lines(of source: String?) -> [String] {
        // Split at LF scalars: in a CRLF file "\r\n" is one Character, so splitting the String at
        // "\n" would leave the whole file as one line. A byte order mark is not on the screen.
        guard var scalars = source?.unicodeScalars[...] else { return [] }
        if scalars.first == "\u{FEFF}" { scalars = scalars.dropFirst() }
        return scalars.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            String(String.UnicodeScalarView(line.last == "\r" ? line.dropLast() : line))
        }
    }

    /// The 1-based display column of a scalar column on a line of `path`'s source.
    private func displayColumn(of location: SourceLocation, in path: String?) -> Int {
        guard let line = sourceLine(location.line, path: path) else { return location.column }
        let widths = Self.shownWidths(line.unicodeScalars.prefix(max(0, location.column - 1)))
        return widths.reduce(0, +) + 1
    }

    /// `PATH:LINE:COLUMN: severity: message` followed by the source line and the caret line.
    public func render(_ diagnostic: Diagnostic) -> String {
        let path = files.keys.contains(nil) ? nil : diagnostic.path
        let column = displayColumn(of: diagnostic.location, in: path)
        var out = "\(diagnostic.path):\(diagnostic.location.line):\(column): "
            + "\(diagnostic.severity.rawValue): \(Sanitizer.neutralise(diagnostic.message(in: language), keepNewlines: false))"
        if let line = sourceLine(diagnostic.location.line, path: path) {
            let (shown, caret) = Self.window(line, column: diagnostic.location.column)
            out += "\n" + shown + "\n" + String(repeating: " ", count: caret - 1) + "^"
        }
        return out
    }

    /// Text as a terminal shows it: neutralised (controls in caret notation), and the line and
    /// paragraph separators (which libyaml counts as line breaks, a terminal does not) as a
    /// visible one-column mark.
    static func shown(_ scalars: some Sequence<Unicode.Scalar>) -> String {
        var view = String.UnicodeScalarView()
        for scalar in scalars {
            view.append(scalar == "\u{2028}" || scalar == "\u{2029}" ? "\u{FFFD}" : scalar)
        }
        return Sanitizer.neutralise(String(view), keepNewlines: false)
    }

    /// The columns each scalar takes as shown (`Sanitizer` maps each scalar on its own; a width
    /// is worked out once per distinct scalar, so a megabyte of Japanese costs no more).
    static func shownWidths(_ scalars: some Sequence<Unicode.Scalar>) -> [Int] {
        var known: [Unicode.Scalar: Int] = [:]
        return scalars.map { scalar in
            if scalar.value >= 0x20 && scalar.value < 0x7F { return 1 }
            if let width = known[scalar] { return width }
            let width = DisplayWidth.of(shown(CollectionOfOne(scalar)))
            known[scalar] = width
            return width
        }
    }

    /// The line as shown, and the display column of the caret in it: a line too wide for a
    /// terminal is cut around the caret, with a marker where it was cut.
    static func window(_ line: String, column: Int) -> (String, Int) {
        let scalars = Array(line.unicodeScalars)
        let caret = min(max(0, column - 1), scalars.count)
        let widths = shownWidths(scalars)
        let total = widths.reduce(0, +)
        guard total > maximumShownWidth else {
            return (shown(scalars), widths[..<caret].reduce(0, +) + 1)
        }
        // About a third of the room before the caret, the rest after.
        var start = caret
        var before = 0
        while start > 0, before + widths[start - 1] <= maximumShownWidth / 3 {
            start -= 1
            before += widths[start]
        }
        // Never start on a combining mark (it belongs to the character before).
        while start < caret, widths[start] == 0 { start += 1 }
        var end = caret
        var after = 0
        while end < scalars.count, before + after + widths[end] <= maximumShownWidth {
            after += widths[end]
            end += 1
        }
        while end < scalars.count, widths[end] == 0 { end += 1 }
        let head = start > 0 ? cutMarker : ""
        let tail = end < scalars.count ? cutMarker : ""
        let shownBefore = widths[start..<caret].reduce(0, +)
        return (head + shown(scalars[start..<end]) + tail, head.count + shownBefore + 1)
    }

    private func sourceLine(_ number: Int, path: String?) -> String? {
        guard let lines = files[path], number >= 1, number <= lines.count else { return nil }
        return lines[number - 1]
    }
}
