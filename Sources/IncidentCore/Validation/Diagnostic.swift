/// One finding about a playbook file: `PATH:LINE:COLUMN: error|warning: MESSAGE`.
public struct Diagnostic: Sendable, Hashable {
    public enum Severity: String, Sendable, Hashable {
        case error, warning
    }

    public var severity: Severity
    public var path: String
    /// Line and scalar column; `DiagnosticRenderer` turns the column into display columns.
    public var location: SourceLocation
    /// What it says, in both languages (`DiagnosticText`).
    public var text: DiagnosticText

    public init(_ severity: Severity, path: String, at location: SourceLocation, _ text: DiagnosticText) {
        self.severity = severity
        self.path = path
        self.location = location
        self.text = text
    }

    /// A message not (yet) in `DiagnosticText`'s table: English in both languages.
    public init(_ severity: Severity, path: String, at location: SourceLocation, _ message: String) {
        self.init(severity, path: path, at: location, .untranslated(message))
    }

    /// The English message.
    public var message: String { text.english }

    public func message(in language: AdminLanguage) -> String { text.text(in: language) }

    public var isError: Bool { severity == .error }
}

extension Array where Element == Diagnostic {
    public var hasErrors: Bool { contains(where: \.isError) }

    /// Sorted by file and position, duplicates removed (the same shared contact warned about by
    /// several playbooks is reported once).
    public func normalised() -> [Diagnostic] {
        var seen = Set<Diagnostic>()
        return filter { seen.insert($0).inserted }.sorted {
            ($0.path, $0.location.line, $0.location.column) < ($1.path, $1.location.line, $1.location.column)
        }
    }
}
