import Foundation
import IncidentCore
import IncidentTerminal
import Testing

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A valid playbook from YAML text, loaded and validated as `validate` does.
func loadPlaybook(_ yaml: String) throws -> Playbook {
    let result = PlaybookLoader.load(yaml: yaml, path: "test.yaml")
    var diagnostics = result.diagnostics
    if let playbook = result.value {
        diagnostics += PlaybookValidator(today: CalendarDay(year: 2026, month: 12, day: 2)!).validate(playbook, source: result.source)
    }
    guard let playbook = result.value, !diagnostics.hasErrors else {
        throw TestFailure("invalid test playbook:\n" + diagnostics.map { "\($0.location.line):\($0.location.column) \($0)" }.joined(separator: "\n"))
    }
    return playbook
}

enum Loop {
    static let now = FakeEdges.time

    static func context(_ playbook: Playbook) -> PlaceholderContext {
        PlaceholderContext(language: "en", hostName: "PC-01", userName: "Hanako", sessionID: "8f0c4e0a", sessionStarted: now,
                           now: now, reportDir: "/reports/r1", home: "/home/hanako", evidenceDir: "/reports/r1/evidence",
                           contacts: playbook.contacts)
    }

    /// The program over the edges' journal so far, with the given engine (a new one: not started).
    static func program(_ playbook: Playbook, engine: Engine? = nil, entries: [JournalEntry]) -> SessionProgram {
        SessionProgram(engine: engine ?? Engine(playbook: playbook), context: context(playbook), entries: entries,
                       operatingSystem: "linux", clock: { now })
    }

    /// A new session over fresh fake edges, started: on its first step.
    static func start(_ playbook: Playbook, readings: [NetworkReading] = [],
                      configure: (FakeEdges) -> Void = { _ in }) throws -> (SessionRuntime, FakeEdges) {
        let edges = try FakeEdges(playbook: playbook, readings: readings)
        configure(edges)
        let runtime = SessionRuntime(program: program(playbook, entries: edges.entries), edges: edges)
        try runtime.send(.start)
        return (runtime, edges)
    }
}

extension NetworkReading {
    static let offline = NetworkReading(connected: [], defaultRoute: false)

    static func connected(_ name: String, kind: String, address: String = "192.168.1.5") -> NetworkReading {
        NetworkReading(connected: [.init(name: name, kind: kind, addresses: [address], defaultRoute: true)], defaultRoute: true)
    }
}

extension SessionRuntime {
    func input(_ inputs: StepInput...) throws {
        for input in inputs { try send(.input(input)) }
    }

    var stepID: String? { model?.step.id.value }

    var command: CommandModel? {
        if case .command(let command)? = model?.widget { return command }
        return nil
    }

    var network: NetworkModel? {
        if case .network(let network)? = model?.widget { return network }
        return nil
    }
}

extension Answer {
    var scanVerdict: ScanVerdict? {
        if case .scan(let outcome) = self { return outcome.verdict }
        return nil
    }
}

extension SessionEvent {
    /// The event's name with what tells one line from another, for readable expectations.
    var label: String {
        switch self {
        case .stepEntered(let step): return "step.entered \(step)"
        case .stepAnswered(let step, _): return "step.answered \(step)"
        case .stepSkipped(let step): return "step.skipped \(step)"
        case .commandStarted(let start): return "command.started \(start.name)"
        case .commandFinished(let end): return "command.finished \(end.name)"
        case .sessionSuspended(let reason, let step): return "session.suspended \(reason) at \(step)"
        case .sessionFinished(let outcome): return "session.finished \(outcome)"
        case .notifyAttempted(let step, let attempt): return "notify.attempted \(step) \(attempt.contact) \(attempt.result.rawValue)"
        case .evidenceAdded(let added): return "evidence.added \(added.file.name)"
        default: return name
        }
    }
}

extension FakeEdges {
    /// The journal's events after the first `count`, as labels.
    func labels(after count: Int = 0) -> [String] { events.dropFirst(count).map(\.label) }

    /// The answer journaled for `step` (the last one).
    func answer(_ step: String, in playbook: Playbook) -> Answer? {
        for event in events.reversed() {
            if case .stepAnswered(let answered, _) = event, answered == step { return event.answer(in: playbook) }
        }
        return nil
    }

    /// The journal as a file reads back: the same entries, an unbroken chain.
    func checkJournal(sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let contents = Journal.read(bytes)
        #expect(contents.problems.isEmpty, "the journal's chain is broken: \(contents.problems)", sourceLocation: sourceLocation)
        // Read back, an object's members come sorted by key: the lines are compared by their
        // place, their chain and the hash of their bytes (as `verify` compares them), and their keys.
        let line = { (entry: JournalEntry) in
            "\(entry.line) \(entry.seq) \(entry.time) \(entry.event) \(entry.prev) \(entry.hash) " + entry.fields.map(\.key).sorted().joined(separator: ",")
        }
        #expect(contents.entries.map(line) == entries.map(line), "the journal read back differs from the lines appended",
                sourceLocation: sourceLocation)
    }
}
