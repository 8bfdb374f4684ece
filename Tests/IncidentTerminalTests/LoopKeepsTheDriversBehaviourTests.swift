import Foundation
import IncidentCore
import IncidentTerminal
import Testing

/// What the step driver before the loop did and the loop must keep doing (a review found each).
@Suite struct LoopKeepsTheDriversBehaviourTests {
    /// A network step killed while its disconnect command ran runs the command again on resume.
    @Test func aKillDuringTheDisconnectCommandRunsItAgainOnResume() throws {
        let playbook = try loadPlaybook(SessionLoopTests.disconnect)
        let (runtime, edges) = try Loop.start(playbook, readings: [SessionLoopTests.wifiOn, .offline])
        #expect(edges.labels() == ["session.started", "step.entered net", "network.checked", "command.started disconnect"])
        _ = runtime
        // Killed here (the disconnect hangs). Resume:
        let (resumed, resumedEdges) = try ResumeTests.resume(edges, playbook, readings: [SessionLoopTests.wifiOn])
        #expect(resumed.stepID == "net")
        #expect(resumedEdges.prepared.map(\.name) == ["disconnect"], "the disconnect command is never run again")
    }

    /// Going back to a network step enters it afresh: a `network.checked` before, the disconnect
    /// command again, then a check.
    @Test func goingBackToANetworkStepRunsItsDisconnectAgain() throws {
        let playbook = try loadPlaybook(SessionLoopTests.disconnect)
        let (runtime, edges) = try Loop.start(playbook, readings: [SessionLoopTests.wifiOn, .offline])
        try #require(edges.started.first).finish(exitCode: 0)
        try runtime.poll()
        try runtime.input(.submit)
        #expect(runtime.stepID == "record")
        // the collect step's commands: let them all end
        for _ in 0..<2 { try edges.started.last?.finish(exitCode: 0); try runtime.poll() }
        let before = edges.entries.count
        try runtime.input(.back)
        #expect(runtime.stepID == "net")
        #expect(edges.labels(after: before) == ["step.back", "network.checked", "command.started disconnect"])
    }

    /// Plain mode's "close the earlier record?" takes any line but a clear yes as no, and one line only.
    @Test func anEmptyLineOnTheAbandonQuestionIsNo() throws {
        var lines = ["", "next-script-line"]
        var written: [String] = []
        let prompt = PlainPrompt(readLine: { lines.isEmpty ? nil : lines.removeFirst() }, write: { written.append($0) })
        let ending = prompt.ask(.confirm(title: "t", question: "Close it?", text: "", language: "en", unclearIsNo: true))
        #expect(ending == .answered(.confirm(.no)))
        #expect(lines == ["next-script-line"], "the script's next line is not consumed")
    }
}
