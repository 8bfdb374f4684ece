import Foundation
import IncidentCore
import IncidentTerminal
import Testing

/// Review of issue 27 (background scans): sequences the program can write or miss that the
/// change's own tests did not cover; each failed before its fix (commit "Review fixes").
@Suite struct BackgroundScanReviewTests {
    /// A background scan that cannot be made ready (a drill's test folder that could not be made):
    /// its `unavailable` verdict is journaled *before* the pass that left the scan step (the
    /// runtime performs `.runCommand`, whose failure is answered at once, before the journal
    /// effect `answerStep(.none)` returned after it). The replay then takes the verdict for the
    /// current step's answer and rejects the pass: the session cannot be resumed, `report` and
    /// `verify` cannot replay it.
    @Test func aBackgroundScanThatCannotBeMadeReadyLeavesAJournalThatReplays() throws {
        let playbook = try loadPlaybook(BackgroundScanLoopTests.playbook)
        let (runtime, edges) = try Loop.start(playbook) { $0.prepareFailure = "cannot make the drill's test folder" }
        try runtime.input(.move(1), .submit)
        #expect(runtime.stepID == "call")
        #expect(runtime.program.engine.state.answers["scan"]?.scanVerdict == .unavailable)
        // The verdict comes after the pass that left the scan step, as it does for a scan whose
        // command has no argv for this OS.
        let labels = edges.labels()
        let pass = try #require(labels.firstIndex(of: "step.answered scan"))
        #expect(labels.lastIndex(of: "step.answered scan")! > pass, "\(labels)")
        #expect(labels.firstIndex(of: "step.entered call")! == pass + 1, "the pass and the next step are one engine send: \(labels)")
        // The journal replays (resume, verify, report).
        #expect(throws: Never.self) { _ = try SessionReplay.replay(edges.entries, playbook: playbook) }
        edges.checkJournal()
    }
}

/// Plain mode: the input ends (a scripted drill, a closed pipe) while a background scan runs.
@Suite struct PlainBackgroundScanReviewTests {
    /// Mid-walk: `PlainSession.run` sends `.stop(reason: "end-of-input")` and returns at once. The
    /// program waits for the scan's end (`stopping`), which nobody polls: neither the scan's end
    /// (`interrupted`) nor `session.suspended` is journaled, though the full screen's stop and
    /// plain mode's `q` record both.
    @Test func theInputEndingWhileTheScanRunsRecordsTheScanAndSuspends() throws {
        let playbook = try loadPlaybook(BackgroundScanLoopTests.playbook)
        let (session, edges, _, _) = try PlainSessionTests.session(playbook, lines: ["1"])
        #expect(session.run() == .quit)
        #expect(try #require(edges.started.first).cancelCount == 1)
        #expect(edges.labels().suffix(3) == ["command.finished scan", "step.answered scan", "session.suspended end-of-input at call"],
                "\(edges.labels())")
        #expect(edges.answer("scan", in: playbook)?.scanVerdict == .interrupted)
        edges.checkJournal()
    }

    /// On the end screen (the await skipped by its `when:`): the input ends and `run` returns
    /// `.finished` because the session is finished, without stopping or waiting for the scan. Its
    /// end is never journaled (the process group is killed at exit): the finished record never
    /// says what became of the scan, and a finished session is never resumed to record it.
    @Test func theInputEndingOnTheEndScreenWithTheScanRunningRecordsTheScansEnd() throws {
        let playbook = try loadPlaybook(BackgroundScanLoopTests.playbook)
        let (session, edges, _, _) = try PlainSessionTests.session(playbook, lines: ["2", ""])
        #expect(session.run() == .finished(outcome: "completed"))
        #expect(edges.labels().contains("session.finished completed"))
        let scan = try #require(edges.started.first)
        #expect(scan.cancelCount == 1, "the scan is stopped, as the full screen's window closed stops it")
        #expect(edges.labels().suffix(2) == ["command.finished scan", "step.answered scan"], "\(edges.labels())")
        #expect(edges.answer("scan", in: playbook)?.scanVerdict != nil)
        edges.checkJournal()
    }
}
