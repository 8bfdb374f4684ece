import Foundation
import IncidentCore
import IncidentTerminal
import IncidentUI
import Testing

/// Plain mode over fake edges: scripted lines in, the printed lines captured.
@Suite struct PlainSessionTests {
    static let short = """
        playbook: 1
        id: plain-walk
        title: Plain walk
        languages: [en]
        steps:
          - id: hello
            type: info
            title: Take a breath
            text: The wizard guides you one step at a time.
          - id: ok
            type: confirm
            title: Is the PC still on?
          - id: what
            type: choice
            title: What happened?
            options:
              - {value: mail, label: I opened a mail}
              - {value: other, label: Something else}
          - id: scan
            type: scan
            title: Scan the PC
            command: {linux: [clamscan, "{{home}}"], macos: [clamscan, "{{home}}"]}
            verdicts: {0: clean, 1: detected}
          - id: done
            type: end
            outcome: contained
            title: All done for now
        """

    /// Lines handed out one by one, then the end of input.
    final class Script {
        private var lines: [String]
        private(set) var read = 0
        init(_ lines: [String]) { self.lines = lines }
        func next() -> String? {
            guard !lines.isEmpty else { return nil }
            read += 1
            return lines.removeFirst()
        }
    }

    final class Output {
        private(set) var lines: [String] = []
        func write(_ line: String) { lines.append(line) }
    }

    static func session(_ playbook: Playbook, lines: [String], configure: (FakeEdges) -> Void = { _ in })
        throws -> (PlainSession, FakeEdges, Script, Output) {
        let edges = try FakeEdges(playbook: playbook)
        configure(edges)
        let script = Script(lines)
        let output = Output()
        let session = PlainSession(program: Loop.program(playbook, entries: edges.entries), edges: edges,
                                   readLine: script.next, write: output.write)
        return (session, edges, script, output)
    }

    @Test func aShortWalkFinishesAndPrintsEveryStepsTitle() throws {
        let playbook = try loadPlaybook(Self.short)
        let (session, edges, script, output) = try Self.session(playbook, lines: ["", "y", "1", "", ""]) {
            $0.plans["scan"] = .exits(0, output: ["/home/hanako/a.doc: OK", "Infected files: 0"])
        }
        #expect(session.run() == .finished(outcome: "contained"))
        #expect(script.read == 5)
        for title in ["Take a breath", "Is the PC still on?", "What happened?", "Scan the PC", "All done for now"] {
            #expect(output.lines.contains(title), "no title line \(title)")
        }
        #expect(output.lines.contains("The wizard guides you one step at a time."))
        #expect(output.lines.contains("  1) I opened a mail"))
        let words = Vocabulary(language: "en")
        #expect(output.lines.contains(words(.scanSaidClean)), "the scan's verdict is said")
        #expect(edges.labels() == [
            "session.started",
            "step.entered hello", "step.answered hello",
            "step.entered ok", "step.answered ok",
            "step.entered what", "step.answered what",
            "step.entered scan", "command.started scan", "command.finished scan", "step.answered scan",
            "step.entered done", "step.answered done", "session.finished contained",
        ])
        #expect(edges.answer("ok", in: playbook) == .confirm(.yes))
        #expect(edges.answer("what", in: playbook) == .choice("mail"))
        guard case .scan(let scan)? = edges.answer("scan", in: playbook) else { throw TestFailure("scan is not answered") }
        #expect(scan.verdict == .clean)
        #expect(edges.appendsOffThread == 0)
        edges.checkJournal()
    }

    @Test func aRefusedLineIsAskedAgainAndTheEndOfInputSuspends() throws {
        let playbook = try loadPlaybook(Self.short)
        let (session, edges, _, output) = try Self.session(playbook, lines: ["", "maybe", "n"])
        #expect(session.run() == .quit)
        let words = Vocabulary(language: "en")
        #expect(output.lines.contains(StepModel.Message.notHere.text(words)), "the refused line is said")
        #expect(output.lines.filter { $0 == "Is the PC still on?" }.count == 1, "the step is not opened again")
        #expect(output.lines.last == words(.endOfInput))
        #expect(edges.answer("ok", in: playbook) == .confirm(.no))
        #expect(edges.labels().suffix(2) == ["step.entered what", "session.suspended end-of-input at what"])
        edges.checkJournal()
    }

    @Test func quittingAsksFirstAndSuspends() throws {
        let playbook = try loadPlaybook(Self.short)
        let (session, edges, script, output) = try Self.session(playbook, lines: ["", "q", "n", "q", "y", "never read"])
        #expect(session.run() == .quit)
        #expect(script.read == 5)
        let words = Vocabulary(language: "en")
        #expect(output.lines.filter { $0 == "> " + words(.quitAsk) }.count == 2)
        #expect(output.lines.last == words(.quitSaved))
        #expect(edges.labels().suffix(2) == ["step.entered ok", "session.suspended quit at ok"])
        #expect(edges.answer("ok", in: playbook) == nil)
        edges.checkJournal()
    }
}
