import Foundation
@testable import IncidentCore

/// Where the test sources and fixtures live (tests never read ../shared).
enum TestPaths {
    static let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let fixtures = testsDirectory.appendingPathComponent("Fixtures")
    static let packageRoot = testsDirectory.deletingLastPathComponent().deletingLastPathComponent()
    static let playbooks = packageRoot.appendingPathComponent("playbooks")
}

/// Loads and validates YAML the way `validate` does, with optional shared contacts.
func check(_ yaml: String, path: String = "test.yaml", shared: [String: Contact] = [:],
           today: CalendarDay = CalendarDay(year: 2026, month: 11, day: 29)!) -> (Playbook?, [Diagnostic]) {
    check(Data(yaml.utf8), path: path, shared: shared, today: today)
}

func check(_ data: Data, path: String, shared: [String: Contact] = [:],
           today: CalendarDay = CalendarDay(year: 2026, month: 11, day: 29)!) -> (Playbook?, [Diagnostic]) {
    let result = PlaybookLoader.load(data, path: path)
    guard let playbook = result.value else { return (nil, result.diagnostics) }
    let diagnostics = result.diagnostics + PlaybookValidator(today: today, sharedContacts: shared)
        .validate(playbook, source: result.source)
    return (diagnostics.hasErrors ? nil : playbook, diagnostics)
}

/// A valid playbook from YAML, or a test failure with its diagnostics.
func playbook(_ yaml: String) throws -> Playbook {
    let (playbook, diagnostics) = check(yaml)
    guard let playbook else {
        throw TestFailure("invalid test playbook:\n" + diagnostics.map { "\($0.location.line):\($0.location.column) \($0.message)" }.joined(separator: "\n"))
    }
    return playbook
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Rendered diagnostics, one string each (position line, source line, caret line).
func rendered(_ diagnostics: [Diagnostic], source: String?, language: AdminLanguage = .english) -> [String] {
    let renderer = DiagnosticRenderer(source: source, language: language)
    return diagnostics.normalised().map(renderer.render)
}
