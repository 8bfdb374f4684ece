import Foundation
import IncidentCore
import IncidentTerminal
import Testing

/// The one loop in-process: `SessionRuntime` carrying out `SessionProgram`'s effects through fake
/// edges, fed the step models' own inputs as the front ends feed them. What is asserted is the
/// journal (typed events, in order) and the model the front ends draw.
@Suite struct SessionLoopTests {
    static let scan = """
        playbook: 1
        id: scan-only
        title: Scan only
        languages: [en]
        steps:
          - id: scan
            type: scan
            title: Scan the PC
            command: {linux: [clamscan, "{{home}}"], macos: [clamscan, "{{home}}"]}
            verdicts: {0: clean, 1: detected}
          - id: done
            type: end
            title: Done
        """

    static let collect = """
        playbook: 1
        id: collect-only
        title: Collect only
        languages: [en]
        steps:
          - id: record
            type: collect
            title: Record the PC's state
            commands:
              - {name: procs, command: [ps, aux]}
              - {name: conns, command: [ss, -tunap]}
              - {name: users, command: [who]}
          - id: done
            type: end
            title: Done
        """

    static let network = """
        playbook: 1
        id: network-only
        title: Network only
        languages: [en]
        steps:
          - id: net
            type: network
            title: Unplug the network
          - id: done
            type: end
            title: Done
        """

    static let wifiOn = NetworkReading.connected("wlan0", kind: "wifi")

    static let disconnect = """
        playbook: 1
        id: disconnect-only
        title: Disconnect only
        languages: [en]
        steps:
          - id: net
            type: network
            action: disconnect
            disconnect_command: {linux: [nmcli, networking, "off"], macos: [networksetup, -setairportpower, en0, "off"]}
            title: The wizard disconnects the PC
          - id: record
            type: collect
            title: Record the PC's state
            commands:
              - {name: disconnect, command: [ip, link]}
              - {name: procs, command: [ps, aux]}
          - id: done
            type: end
            title: Done
        """

    // MARK: A scan that never ends

    @Test func aSignalCancelsAScanThatNeverEndsAndSuspendsOnceItHasEnded() throws {
        let playbook = try loadPlaybook(Self.scan)
        let (runtime, edges) = try Loop.start(playbook)
        #expect(edges.labels() == ["session.started", "step.entered scan", "command.started scan"])
        #expect(edges.prepared.map(\.argv) == [["clamscan", "/home/hanako"]])
        let scan = try #require(edges.started.first)
        #expect(runtime.commandRunning)
        #expect(runtime.model?.isRunning == true)

        // It runs: the model shows its time, its last lines and how far it is.
        scan.advance(seconds: 42, output: ["/home/hanako/a.txt: OK", "/home/hanako/b.txt: OK"], progress: ScanProgress(done: 10, total: 40))
        try runtime.poll()
        let running = try #require(runtime.command)
        #expect(!running.isFinished)
        #expect(running.seconds == 42)
        #expect(running.lines == ["/home/hanako/a.txt: OK", "/home/hanako/b.txt: OK"])
        #expect(running.progress == ScanProgress(done: 10, total: 40))
        #expect(running.progress?.percent == 25)
        for _ in 0..<5 { try runtime.poll() }
        #expect(runtime.commandRunning, "a scan that never ends keeps running")

        // A signal: the scan is cancelled, and the loop waits for its end before anything else.
        try runtime.send(.stop(reason: "signal 15"))
        #expect(scan.cancelCount == 1)
        #expect(runtime.ending == nil, "the session is not suspended before the scan's end is in")
        #expect(runtime.commandRunning)
        #expect(edges.events.last?.label == "command.started scan")

        try runtime.poll(progress: false)
        #expect(!runtime.commandRunning)
        #expect(edges.labels(after: 3) == ["command.finished scan", "session.suspended signal 15 at scan"])
        guard case .commandFinished(let end)? = edges.events.dropLast().last else { throw TestFailure("no command.finished") }
        #expect(end.verdict == "cancelled")
        #expect(end.exitCode == nil)
        #expect(end.outputFile == "evidence/scan-scan-scan.txt")
        #expect(runtime.ending == .suspended)
        #expect(runtime.command?.answer == .scan(ScanOutcome(verdict: .cancelled, durationMs: 42_000, outputFile: end.outputFile,
                                                              outputSHA256: end.outputSHA256)))
        #expect(edges.reportRewrites >= 1, "the suspended session's reports are rewritten")
        // Nothing more happens once the session is over.
        try runtime.poll()
        try runtime.input(.submit)
        #expect(edges.labels(after: 5).isEmpty)
        edges.checkJournal()
    }

    @Test func aStopWaitsForACommandThatIsSlowToDie() throws {
        let playbook = try loadPlaybook(Self.scan)
        let (runtime, edges) = try Loop.start(playbook) { $0.defaultPlan = .ignoresCancel }
        let scan = try #require(edges.started.first)
        try runtime.send(.stop(reason: "signal 1"))
        #expect(scan.cancelCount == 1)
        for _ in 0..<10 {
            try runtime.poll()
            #expect(runtime.ending == nil)
        }
        #expect(edges.events.last?.label == "command.started scan")
        // A second signal asks again; still nothing is journaled before the end.
        try runtime.send(.stop(reason: "signal 15"))
        #expect(scan.cancelCount == 2)
        #expect(runtime.ending == nil)

        scan.finish(exitCode: nil)
        try runtime.poll()
        #expect(edges.labels(after: 3) == ["command.finished scan", "session.suspended signal 15 at scan"])
        #expect(runtime.ending == .suspended)
        edges.checkJournal()
    }

    @Test func theEmployeeCancelsAScanAndTheStepGoesOnWithItsVerdict() throws {
        let playbook = try loadPlaybook(Self.scan)
        let (runtime, edges) = try Loop.start(playbook)
        // Esc while it runs asks first; "no" keeps it running.
        try runtime.input(.back)
        #expect(runtime.model?.overlay == .cancel)
        try runtime.input(.no)
        #expect(runtime.model?.overlay == nil)
        #expect(edges.started.first?.cancelCount == 0)
        // q, then yes: cancelled.
        try runtime.input(.quit, .yes)
        #expect(edges.started.first?.cancelCount == 1)
        try runtime.poll()
        #expect(runtime.ending == nil, "cancelling the scan is not quitting")
        #expect(runtime.command?.answer?.scanVerdict == .cancelled)
        #expect(runtime.model?.overlay == nil)
        try runtime.input(.submit)
        #expect(edges.labels(after: 3) == ["command.finished scan", "step.answered scan", "step.entered done", "step.answered done",
                                           "session.finished completed"])
        #expect(runtime.stepID == "done")
        try runtime.input(.submit)
        #expect(runtime.ending == .finished(outcome: "completed"))
        edges.checkJournal()
    }

    // MARK: A network that comes back

    struct Link: Sendable, CustomTestStringConvertible {
        var name: String
        var kind: String
        var method: NetworkOutcome.Method
        var testDescription: String { "\(kind) \(name)" }
    }

    @Test(arguments: [Link(name: "wlan0", kind: "wifi", method: .wifi), Link(name: "eth0", kind: "wired", method: .cable)])
    func aNetworkThatComesBackIsShownAndNotAnswered(link: Link) throws {
        let playbook = try loadPlaybook(Self.network)
        let on = NetworkReading.connected(link.name, kind: link.kind)
        // Before the step, its first check, then one per check the employee asks for.
        let (runtime, edges) = try Loop.start(playbook, readings: [on, on, .offline, on, .offline, .offline])
        let words = runtime.words
        #expect(edges.probes == 2)
        #expect(runtime.network?.connected == [words.stillConnected(on.connected[0])])

        // Turned off, checked: the screen says disconnected.
        try runtime.input(.checkAgain)
        #expect(runtime.network?.isDisconnected == true)

        // Continue: the reading says it is connected again (Wi-Fi came back by itself).
        try runtime.input(.submit)
        #expect(edges.probes == 4)
        #expect(runtime.network?.connected == [words.stillConnected(on.connected[0])], "the model shows it connected again")
        #expect(runtime.stepID == "net")
        #expect(edges.answer("net", in: playbook) == nil, "nothing is answered from a check the employee did not see")

        // Enter while connected: "not yet", checked again; now offline.
        try runtime.input(.submit)
        #expect(runtime.model?.message == nil)
        #expect(runtime.network?.isDisconnected == true)
        #expect(edges.answer("net", in: playbook) == nil)

        // Continue: offline again, answered with how it was disconnected.
        try runtime.input(.submit)
        guard case .network(let outcome)? = edges.answer("net", in: playbook) else { throw TestFailure("the network step is not answered") }
        #expect(outcome.disconnected)
        #expect(outcome.method == link.method)
        #expect(outcome.interfacesBefore == [link.name])
        #expect(outcome.interfacesAfter == [])
        #expect(outcome.checkedAt == Loop.now)
        #expect(runtime.stepID == "done")
        let checks = edges.events.compactMap { event -> [String]? in
            if case .networkChecked(let check) = event { return check.interfaces.map(\.name) }
            return nil
        }
        // Every reading the screen showed is journaled; the one that decided is in the answer.
        #expect(checks == [[link.name], [link.name], [], [link.name], []])
        edges.checkJournal()
    }

    @Test func cannotDisconnectAnswersNotDoneWithWhatIsStillConnected() throws {
        let playbook = try loadPlaybook(Self.network)
        let on = NetworkReading.connected("wlan0", kind: "wifi")
        let (runtime, edges) = try Loop.start(playbook, readings: [on])
        try runtime.input(.cannotDisconnect)
        guard case .network(let outcome)? = edges.answer("net", in: playbook) else { throw TestFailure("not answered") }
        #expect(!outcome.disconnected)
        #expect(outcome.method == .notDone)
        #expect(outcome.interfacesAfter == ["wlan0"])
        #expect(runtime.stepID == "done")
    }

    @Test func theDisconnectCommandRunsFirstAndTheStepWaitsForIt() throws {
        let playbook = try loadPlaybook(Self.disconnect)
        let (runtime, edges) = try Loop.start(playbook, readings: [Self.wifiOn, .offline])
        #expect(edges.labels() == ["session.started", "step.entered net", "network.checked", "command.started disconnect"])
        #expect(edges.prepared.map(\.argv) == [["nmcli", "networking", "off"]])
        // While it runs (30 s at most) the step waits: nothing the employee presses reads or answers.
        try runtime.input(.checkAgain, .submit, .cannotDisconnect)
        #expect(edges.probes == 1)
        #expect(edges.labels().count == 4)
        try #require(edges.started.first).finish(exitCode: 0)
        try runtime.poll()
        #expect(edges.labels(after: 4) == ["command.finished disconnect", "network.checked"])
        #expect(runtime.network?.isDisconnected == true)
        try runtime.input(.submit)
        guard case .network(let outcome)? = edges.answer("net", in: playbook) else { throw TestFailure("not answered") }
        #expect(outcome.method == .command)
        #expect(outcome.interfacesBefore == ["wlan0"])
        edges.checkJournal()
    }

    @Test func quittingWhileTheDisconnectCommandRunsWaitsForItsEnd() throws {
        let playbook = try loadPlaybook(Self.disconnect)
        let (runtime, edges) = try Loop.start(playbook, readings: [Self.wifiOn, .offline]) { $0.defaultPlan = .ignoresCancel }
        try runtime.input(.quit, .yes)
        #expect(runtime.ending == nil)
        try runtime.poll()
        #expect(runtime.ending == nil)
        try #require(edges.started.first).finish(exitCode: 0)
        try runtime.poll()
        #expect(edges.labels(after: 4) == ["command.finished disconnect", "session.suspended quit at net"])
        #expect(runtime.ending == .suspended)
    }

    @Test func aCollectCommandNamedDisconnectCanBeCancelledLikeAnyOther() throws {
        let playbook = try loadPlaybook(Self.disconnect)
        let (runtime, edges) = try Loop.start(playbook, readings: [Self.wifiOn, .offline])
        try #require(edges.started.first).finish(exitCode: 0)
        try runtime.poll()
        try runtime.input(.submit)
        #expect(runtime.stepID == "record")
        #expect(edges.started.map(\.name) == ["disconnect", "disconnect"])
        let collect = try #require(edges.started.last)
        try runtime.input(.quit)
        #expect(runtime.model?.overlay == .cancel)
        try runtime.input(.yes)
        #expect(collect.cancelCount == 1)
    }

    @Test func theProgramsJournalIsTheJournalAfterTheEnd() throws {
        let playbook = try loadPlaybook(Self.scan)
        let (runtime, edges) = try Loop.start(playbook)
        #expect(runtime.program.entries.map(\.hash) == edges.entries.map(\.hash))
        try runtime.send(.stop(reason: "signal 15"))
        try runtime.poll()
        #expect(runtime.ending == .suspended)
        #expect(runtime.program.entries.map(\.hash) == edges.entries.map(\.hash))
    }

    // MARK: A signal during a collect command

    @Test(arguments: [0, 1, 2])
    func aSignalDuringACollectCommandStartsNoMoreCommands(signalDuring running: Int) throws {
        let playbook = try loadPlaybook(Self.collect)
        let names = ["procs", "conns", "users"]
        let (runtime, edges) = try Loop.start(playbook) { edges in
            for name in names.prefix(running) { edges.plans[name] = .exits(0, output: ["\(name) output"]) }
        }
        // The commands before it end one after another (each end brought in by a poll).
        for _ in 0..<running { try runtime.poll(progress: false) }
        #expect(edges.started.map(\.name) == Array(names.prefix(running + 1)))
        #expect(runtime.commandRunning)

        try runtime.send(.stop(reason: "signal 2"))
        #expect(edges.started.last?.cancelCount == 1)
        #expect(runtime.ending == nil)
        try runtime.poll()

        #expect(edges.started.map(\.name) == Array(names.prefix(running + 1)), "no command is started after the signal")
        #expect(edges.prepared.map(\.name) == Array(names.prefix(running + 1)))
        let ran = names.prefix(running + 1).flatMap { ["command.started \($0)", "command.finished \($0)"] }
        #expect(edges.labels(after: 2) == ran + ["session.suspended signal 2 at record"])
        #expect(runtime.ending == .suspended)
        edges.checkJournal()
    }

    @Test func cancellingACollectStartsNoMoreCommandsAndTheStepSaysItIsPartial() throws {
        let playbook = try loadPlaybook(Self.collect)
        let (runtime, edges) = try Loop.start(playbook) { $0.plans["procs"] = .exits(0, output: ["PID CMD", "1 init"]) }
        try runtime.poll()
        #expect(edges.started.map(\.name) == ["procs", "conns"])
        try runtime.input(.quit)
        #expect(runtime.model?.overlay == .cancel)
        try runtime.input(.yes)
        try runtime.poll()
        #expect(edges.started.map(\.name) == ["procs", "conns"])
        #expect(runtime.ending == nil)
        let command = try #require(runtime.command)
        #expect(command.isFinished)
        #expect(command.summary.contains(runtime.words(.collectPartly)))
        try runtime.input(.submit)
        guard case .collect(let outcome)? = edges.answer("record", in: playbook) else { throw TestFailure("not answered") }
        #expect(outcome.outputs.map(\.name) == ["procs", "conns"])
        #expect(outcome.outputs.map(\.exitCode) == [0, nil])
        #expect(outcome.outputs[0].outputFile == "evidence/collect-record-procs.txt")
        #expect(runtime.stepID == "done")
    }

    @Test func aCommandThatCannotBeMadeReadyIsNeitherStartedNorJournaledAsStarted() throws {
        let playbook = try loadPlaybook(Self.scan)
        let (runtime, edges) = try Loop.start(playbook) { $0.prepareFailure = "cannot make the test folder" }
        #expect(edges.started.isEmpty)
        #expect(!runtime.commandRunning)
        #expect(edges.labels() == ["session.started", "step.entered scan"])
        #expect(runtime.model?.message == .text("cannot make the test folder"))
        #expect(runtime.command?.answer == .scan(ScanOutcome(verdict: .unavailable)))
        try runtime.input(.submit)
        guard case .scan(let outcome)? = edges.answer("scan", in: playbook) else { throw TestFailure("not answered") }
        #expect(outcome.verdict == .unavailable)
    }

    // MARK: The journal is the loop's

    @Test func aCommandsStartIsJournaledBeforeItRunsAndItsThreadNeverWritesTheJournal() throws {
        let playbook = try loadPlaybook(Self.collect)
        let (runtime, edges) = try Loop.start(playbook) { edges in
            edges.commandsOnThreads = true
            edges.defaultPlan = .ignoresCancel
        }
        for (index, name) in ["procs", "conns", "users"].enumerated() {
            #expect(edges.started.count == index + 1)
            let command = edges.started[index]
            #expect(command.name == name)
            // What the journal held as `start` was called: this command's start, with its output file.
            #expect(edges.lastEventAtStart[index] == .commandStarted(command.command.start))
            #expect(command.command.start.outputFile == "evidence/collect-record-\(name).txt")
            command.finish(exitCode: index == 1 ? 1 : 0, output: ["\(name) line"])
            // Its end is set on its own thread: the loop polls for it, with a deadline.
            #expect(command.waitUntilEnded(), "the command's thread did not end it")
            #expect(command.endedOffLoop)
            try runtime.poll(progress: false)
        }
        #expect(edges.labels(after: 2) == ["procs", "conns", "users"].flatMap { ["command.started \($0)", "command.finished \($0)"] })
        #expect(edges.appends > 0)
        #expect(edges.appendsOffThread == 0, "only the loop's thread appends")
        let command = try #require(runtime.command)
        #expect(command.summary.contains(runtime.words(.collectPartly)), "conns exited 1")
        try runtime.input(.submit)
        #expect(runtime.stepID == "done")
        #expect(edges.appendsOffThread == 0)
        edges.checkJournal()
    }

    @Test func aScanOnItsOwnThreadEndsWithItsVerdictAndDetections() throws {
        let playbook = try loadPlaybook(Self.scan)
        let (runtime, edges) = try Loop.start(playbook) { edges in
            edges.commandsOnThreads = true
            edges.defaultPlan = .ignoresCancel
        }
        let scan = try #require(edges.started.first)
        #expect(edges.lastEventAtStart == [.commandStarted(scan.command.start)])
        scan.advance(seconds: 3, output: ["/home/hanako/a.doc: OK"], progress: ScanProgress(done: 1, total: 2))
        try runtime.poll()
        #expect(runtime.command?.progress == ScanProgress(done: 1, total: 2))
        scan.finish(exitCode: 1, output: ["/home/hanako/invoice.doc: Doc.Emotet FOUND"])
        #expect(scan.waitUntilEnded())
        try runtime.poll()
        guard case .commandFinished(let end)? = edges.events.last else { throw TestFailure("no command.finished") }
        #expect(end.verdict == "detected")
        #expect(end.exitCode == 1)
        #expect(end.detections == ["/home/hanako/invoice.doc: Doc.Emotet FOUND"])
        let command = try #require(runtime.command)
        #expect(command.summary.first == runtime.words(.scanSaidDetected))
        #expect(command.details == ["/home/hanako/invoice.doc: Doc.Emotet FOUND"])
        #expect(command.progress?.complete == true, "a verdict is 100 % of what the scanner reported")
        #expect(edges.appendsOffThread == 0)
        try runtime.input(.submit)
        guard case .scan(let outcome)? = edges.answer("scan", in: playbook) else { throw TestFailure("not answered") }
        #expect(outcome.verdict == .detected)
        #expect(outcome.outputSHA256 == end.outputSHA256)
        edges.checkJournal()
    }
}
