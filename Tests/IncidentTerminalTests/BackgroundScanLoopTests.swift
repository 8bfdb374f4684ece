import Foundation
import IncidentCore
import IncidentTerminal
import Testing

/// Background scans (`wait: false`) through the one loop: the flow goes on at once, the scan's
/// progress and end come in as messages whatever step is shown, only the loop journals them, and
/// the await step shows and routes on the verdict. Journals are asserted as typed events.
@Suite struct BackgroundScanLoopTests {
    static let playbook = """
        playbook: 1
        id: background
        title: Background
        languages: [en]
        steps:
          - id: pick
            type: choice
            title: Wait for the result?
            options:
              - {value: wait, label: Wait}
              - {value: skip, label: Skip}
          - id: scan
            type: scan
            title: Scan the PC
            command: {linux: [clamscan, "{{home}}"], macos: [clamscan, "{{home}}"]}
            verdicts: {0: clean, 1: detected}
            wait: false
            next: call
          - id: call
            type: info
            title: "Call now"
            text: "Virus check: {{scan.scan}}"
          - id: result
            type: await
            step: scan
            when: {step: pick, is: wait}
            title: The scan's result
            next_on: {detected: bad, clean: good, cancelled: good}
          - id: bad
            type: end
            title: Something was found
          - id: good
            type: end
            title: Done
        """

    /// Starts the walk and answers "wait" (or "skip"): the scan runs, the call is shown.
    static func startToTheCall(_ pick: Int = 0) throws -> (SessionRuntime, FakeEdges, Playbook) {
        let playbook = try loadPlaybook(Self.playbook)
        let (runtime, edges) = try Loop.start(playbook)
        for _ in 0...pick { try runtime.input(.move(1)) }
        try runtime.input(.submit)
        return (runtime, edges, playbook)
    }

    @Test func theFlowGoesOnAtOnceAndTheVerdictIsJournaledOnAnotherStep() throws {
        let (runtime, edges, playbook) = try Self.startToTheCall()
        #expect(edges.labels(after: 3) == ["step.entered scan", "step.answered scan", "step.entered call", "command.started scan"])
        #expect(runtime.stepID == "call")
        #expect(runtime.backgroundRunning && !runtime.commandRunning, "the call waits for nothing")
        #expect(runtime.frame(clock: "").stepNumber == 2, "the scan step is passed, not shown")
        let scan = try #require(edges.started.first)
        #expect(runtime.model?.body == "Virus check: running, nothing found so far")

        // Its progress: the header and the card's text say how far it is, and nothing is journaled.
        scan.advance(seconds: 30, output: ["/home/hanako/a: OK"], progress: ScanProgress(done: 61, total: 100))
        let before = edges.entries.count
        try runtime.poll()
        #expect(runtime.frame(clock: "").status == "Virus check 61 %")
        #expect(runtime.frame(clock: "").statusAlert == false)
        #expect(runtime.model?.body == "Virus check: running (61 %), nothing found so far")
        #expect(edges.entries.count == before)
        // Something found on the way: an alert, not a key taken.
        scan.advance(seconds: 31, output: ["/home/hanako/b.doc: Eicar FOUND"], progress: ScanProgress(done: 62, total: 100, found: 1))
        try runtime.poll()
        #expect(runtime.frame(clock: "").status == "Virus check: possible virus found. Keep the PC on and carry on.")
        #expect(runtime.frame(clock: "").statusAlert)
        #expect(runtime.model?.body == "Virus check: running (62 %), something has been found")
        #expect(runtime.stepID == "call" && runtime.model?.overlay == nil)

        // Its end, while the call is on screen: journaled at once, as the scan step's answer.
        scan.finish(exitCode: 1)
        try runtime.poll()
        #expect(edges.labels(after: before) == ["command.finished scan", "step.answered scan"])
        #expect(edges.answer("scan", in: playbook)?.scanVerdict == .detected)
        #expect(runtime.stepID == "call")
        #expect(runtime.model?.body == "Virus check: something found")
        #expect(runtime.frame(clock: "").statusAlert)

        // The await shows the verdict at once and routes on it.
        try runtime.input(.submit)
        #expect(runtime.stepID == "result")
        #expect(runtime.command?.isFinished == true)
        #expect(runtime.command?.answer?.scanVerdict == .detected)
        #expect(runtime.command?.summary.first == "Something that may be a virus was found.")
        try runtime.input(.submit)
        #expect(runtime.stepID == "bad")
        #expect(edges.answer("result", in: playbook)?.scanVerdict == .detected)
        #expect(runtime.frame(clock: "").status == nil, "the verdict is no longer news once the await is answered")
        edges.checkJournal()

        // The reports show the verdict once, as for a waited scan.
        let report = try Report.build(entries: edges.entries, playbook: playbook, contacts: [:])
        let scans = JSONValue.parse(Data(ReportJSON.render(report).utf8))?["scans"]?.array ?? []
        #expect(scans.count == 1 && scans.first?["step"]?.string == "scan" && scans.first?["verdict"]?.string == "detected")
        #expect(HandoffSummary.text(report).contains("|detected|"))
    }

    @Test func theAwaitShowsTheProgressUntilTheVerdictAndCanCancelIt() throws {
        let (runtime, edges, playbook) = try Self.startToTheCall()
        try runtime.input(.submit)
        #expect(runtime.stepID == "result")
        #expect(runtime.commandRunning, "the await waits for the scan")
        let scan = try #require(edges.started.first)
        scan.advance(seconds: 5, output: [], progress: ScanProgress(done: 10, total: 40))
        try runtime.poll()
        #expect(runtime.command?.progress?.percent == 25)
        // Esc asks, yes cancels: the scan's answer is `cancelled`, and the await routes on it.
        try runtime.input(.back)
        #expect(runtime.model?.overlay == .cancel)
        try runtime.input(.yes)
        #expect(scan.cancelCount == 1)
        try runtime.poll(progress: false)
        #expect(edges.answer("scan", in: playbook)?.scanVerdict == .cancelled)
        #expect(runtime.command?.answer?.scanVerdict == .cancelled)
        try runtime.input(.submit)
        #expect(runtime.stepID == "good")
        edges.checkJournal()
    }

    @Test func aStopRecordsTheScanInterruptedAndTheAwaitOffersToRunItAgain() throws {
        let (runtime, edges, playbook) = try Self.startToTheCall()
        let scan = try #require(edges.started.first)
        // The window is closed during the call: the scan is ended and recorded first.
        try runtime.send(.stop(reason: "signal 1"))
        #expect(scan.cancelCount == 1)
        #expect(runtime.ending == nil)
        let before = edges.entries.count
        try runtime.poll(progress: false)
        #expect(edges.labels(after: before) == ["command.finished scan", "step.answered scan", "session.suspended signal 1 at call"])
        #expect(edges.answer("scan", in: playbook)?.scanVerdict == .interrupted)
        #expect(runtime.ending == .suspended)

        // Resumed: the await offers the scan again; yes runs it on the await step, waited.
        let (resumed, resumedEdges) = try ResumeTests.resume(edges, playbook)
        #expect(resumed.stepID == "call")
        #expect(!resumed.backgroundRunning)
        #expect(resumed.model?.body == "Virus check: interrupted")
        try resumed.input(.submit)
        #expect(resumed.stepID == "result")
        #expect(resumed.model?.notes.contains { $0.hasPrefix("The last virus check stopped part-way.") } == true)
        guard case .confirm? = resumed.model?.widget else { throw TestFailure("no question") }
        let count = resumedEdges.entries.count
        try resumed.input(.yes)
        #expect(resumedEdges.labels(after: count) == ["command.started scan"])
        #expect(resumedEdges.prepared.last?.step == "result" && resumedEdges.prepared.last?.background == false)
        #expect(resumed.commandRunning)
        try #require(resumedEdges.started.last).finish(exitCode: 0)
        try resumed.poll(progress: false)
        #expect(resumed.command?.answer?.scanVerdict == .clean)
        try resumed.input(.submit)
        #expect(resumed.stepID == "good")
        #expect(resumedEdges.answer("result", in: playbook)?.scanVerdict == .clean)
        resumedEdges.checkJournal()
        // The report: the rerun's verdict, and the interruption kept.
        let report = try Report.build(entries: resumedEdges.entries, playbook: playbook, contacts: [:])
        let scans = JSONValue.parse(Data(ReportJSON.render(report).utf8))?["scans"]?.array ?? []
        #expect(scans.map { $0["verdict"]?.string } == ["interrupted", "clean"])
    }

    @Test func backToTheAwaitAfterARerunShowsTheRerunsVerdict() throws {
        let playbook = try loadPlaybook(Self.playbook.replacingOccurrences(of: "next_on: {detected: bad, clean: good, cancelled: good}",
                                                                             with: "next_on: {detected: bad, clean: advice, cancelled: good}")
            .replacingOccurrences(of: "  - id: bad\n", with: "  - {id: advice, type: info, title: Advice, next: good}\n  - id: bad\n"))
        let (runtime, edges) = try Loop.start(playbook)
        try runtime.input(.move(1), .submit)
        try runtime.send(.stop(reason: "quit"))
        try runtime.poll(progress: false)
        let (resumed, resumedEdges) = try ResumeTests.resume(edges, playbook)
        try resumed.input(.submit, .yes)
        try #require(resumedEdges.started.last).finish(exitCode: 0)
        try resumed.poll(progress: false)
        try resumed.input(.submit)
        #expect(resumed.stepID == "advice", "\(resumedEdges.labels())")
        try resumed.input(.back)
        #expect(resumed.stepID == "result")
        #expect(resumed.command?.answer?.scanVerdict == .clean, "the rerun's verdict, not the question again")
        #expect(resumedEdges.started.count == 1)
        resumedEdges.checkJournal()
    }

    @Test func noToTheRerunAnswersCancelled() throws {
        let (runtime, edges, playbook) = try Self.startToTheCall()
        try runtime.send(.stop(reason: "quit"))
        try runtime.poll(progress: false)
        let (resumed, resumedEdges) = try ResumeTests.resume(edges, playbook)
        try resumed.input(.submit)
        try resumed.input(.no)
        #expect(resumed.stepID == "good")
        #expect(resumedEdges.answer("result", in: playbook)?.scanVerdict == .cancelled)
        #expect(resumedEdges.started.isEmpty)
    }

    @Test func aKillDuringTheScanIsRecordedInterruptedOnResume() throws {
        let (runtime, edges, playbook) = try Self.startToTheCall()
        #expect(runtime.backgroundRunning)
        // Killed: nothing more was written. The resumed run records the interruption first.
        let count = edges.entries.count
        let (resumed, resumedEdges) = try ResumeTests.resume(edges, playbook)
        #expect(resumedEdges.labels(after: count + 1) == ["command.finished scan", "step.answered scan"])
        guard case .commandFinished(let end)? = resumedEdges.events.dropLast().last else { throw TestFailure("no command.finished") }
        #expect(end.verdict == "interrupted" && end.exitCode == nil)
        #expect(resumedEdges.answer("scan", in: playbook)?.scanVerdict == .interrupted)
        #expect(resumed.stepID == "call" && !resumed.backgroundRunning)
        try resumed.input(.submit)
        guard case .confirm? = resumed.model?.widget else { throw TestFailure("the await does not offer the scan again") }
        resumedEdges.checkJournal()
    }

    @Test func theEndWithTheScanRunningAsksBeforeItCloses() throws {
        let (runtime, edges, playbook) = try Self.startToTheCall(1)
        try runtime.input(.submit)
        // The await is skipped (`when:`): the next end is reached with the scan running.
        #expect(runtime.stepID == "bad")
        #expect(runtime.program.isFinished == true)
        #expect(runtime.model?.scanRunning == true)
        #expect(runtime.model?.notes.contains { $0.hasPrefix("The virus check is still running.") } == true)
        #expect(runtime.frame(clock: "").status == "Virus check running")
        try runtime.input(.submit)
        #expect(runtime.model?.overlay == .stopScan)
        try runtime.input(.no)
        #expect(runtime.model?.overlay == nil && runtime.ending == nil)
        try runtime.input(.quit)
        #expect(runtime.model?.overlay == .stopScan)
        let before = edges.entries.count
        try runtime.input(.yes)
        #expect(try #require(edges.started.first).cancelCount == 1)
        #expect(runtime.ending == nil, "the window closes once the scan's end is recorded")
        try runtime.poll(progress: false)
        #expect(edges.labels(after: before) == ["command.finished scan", "step.answered scan"])
        #expect(edges.answer("scan", in: playbook)?.scanVerdict == .cancelled)
        #expect(runtime.ending == .finished(outcome: "completed"))
        edges.checkJournal()
        // The verdict after session.finished replays, and the report shows it.
        let (engine, missing) = try SessionReplay.replay(edges.entries, playbook: playbook)
        #expect(missing.isEmpty)
        #expect(engine.state.answers["scan"]?.scanVerdict == .cancelled)
    }

    @Test func onceTheVerdictIsInTheEndClosesAtOnce() throws {
        let (runtime, edges, _) = try Self.startToTheCall(1)
        try runtime.input(.submit)
        try #require(edges.started.first).finish(exitCode: 0)
        try runtime.poll()
        #expect(runtime.model?.scanRunning == false)
        #expect(runtime.model?.notes.contains { $0.hasPrefix("The virus check is still running.") } == false)
        try runtime.input(.submit)
        #expect(runtime.ending == .finished(outcome: "completed"))
    }

    @Test func backGoesPastTheScanAndPassingItAgainStartsNothing() throws {
        let (runtime, edges, _) = try Self.startToTheCall()
        try runtime.input(.back)
        #expect(runtime.stepID == "pick", "the scan step was never shown")
        try runtime.input(.move(1), .submit)
        #expect(runtime.stepID == "call")
        #expect(edges.started.count == 1, "the one scan goes on")
        try #require(edges.started.first).finish(exitCode: 0)
        try runtime.poll()
        try runtime.input(.back, .move(1), .submit)
        #expect(edges.started.count == 1)
        try runtime.input(.submit)
        #expect(runtime.command?.answer?.scanVerdict == .clean, "the verdict is kept")
        edges.checkJournal()
    }
}

/// Plain mode with a background scan: its status under each screen's header, the verdict printed
/// between two prompts, the await waiting like a waited scan, and q waiting for the scan's end.
@Suite struct PlainBackgroundScanTests {
    @Test func theStatusIsPrintedBetweenPromptsAndTheAwaitWaits() throws {
        let playbook = try loadPlaybook(BackgroundScanLoopTests.playbook)
        // The scan ends at once: its verdict is in before the call's prompt.
        let (session, edges, _, output) = try PlainSessionTests.session(playbook, lines: ["1", "", "", ""]) {
            $0.plans["scan"] = .exits(1, output: ["/home/hanako/a.doc: Eicar FOUND"])
        }
        #expect(session.run() == .finished(outcome: "completed"))
        let call = try #require(output.lines.firstIndex(of: "Call now"))
        #expect(output.lines[call - 1] == "[Virus check running]", "the status under the header: \(output.lines)")
        let alert = "[Virus check: possible virus found. Keep the PC on and carry on.]"
        let said = try #require(output.lines.firstIndex(of: alert), "\(output.lines)")
        #expect(said > call)
        #expect(output.lines[said + 1].hasPrefix(">"), "a prompt follows the status, whole")
        #expect(output.lines.contains("Something was found"))
        #expect(edges.answer("result", in: playbook)?.scanVerdict == .detected)
        edges.checkJournal()
    }

    @Test func quittingWaitsForTheScansEnd() throws {
        let playbook = try loadPlaybook(BackgroundScanLoopTests.playbook)
        let (session, edges, _, _) = try PlainSessionTests.session(playbook, lines: ["1", "q", "y"])
        #expect(session.run() == .quit)
        #expect(edges.labels().suffix(3) == ["command.finished scan", "step.answered scan", "session.suspended quit at call"])
        #expect(edges.answer("scan", in: playbook)?.scanVerdict == .interrupted)
        edges.checkJournal()
    }
}

/// Plain mode that can wait for a line with a deadline (the live console): a background scan's end
/// is journaled the moment it comes, not with the next line.
@Suite struct PlainWaitingForALineTests {
    @Test func theVerdictIsJournaledWhileTheLineIsAwaited() throws {
        let playbook = try loadPlaybook(BackgroundScanLoopTests.playbook)
        let edges = try FakeEdges(playbook: playbook)
        let script = PlainSessionTests.Script(["1", "", "", ""])
        let output = PlainSessionTests.Output()
        var waits = 0
        var labelsWhenTheLineCame: [String] = []
        let session = PlainSession(program: Loop.program(playbook, entries: edges.entries), edges: edges,
                                   readLine: {
                                       if script.read == 1 { labelsWhenTheLineCame = edges.labels() }
                                       return script.next()
                                   },
                                   lineReady: { _ in
                                       // No line yet at the call's prompt: meanwhile the scan ends.
                                       waits += 1
                                       if waits == 1 { edges.started.first?.finish(exitCode: 1, output: ["/home/hanako/a.doc: Eicar FOUND"]) }
                                       return waits > 3
                                   },
                                   write: output.write)
        #expect(session.run() == .finished(outcome: "completed"))
        #expect(labelsWhenTheLineCame.suffix(2) == ["command.finished scan", "step.answered scan"],
                "journaled before the line came: \(labelsWhenTheLineCame)")
        let alert = try #require(output.lines.firstIndex(of: "[Virus check: possible virus found. Keep the PC on and carry on.]"))
        #expect(output.lines[alert - 1].hasPrefix(">") && output.lines[alert + 1].hasPrefix(">"), "the prompt, the status, the prompt again")
        #expect(waits == 1, "once the scan has ended, the line is read as it comes")
        edges.checkJournal()
    }
}
