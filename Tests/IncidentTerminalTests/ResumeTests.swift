import Foundation
import IncidentCore
import IncidentTerminal
import Testing

/// A kill at any moment loses nothing the journal holds: the journal so far, replayed
/// (`SessionReplay`) into a fresh program, comes back on the same step in the same state.
@Suite struct ResumeTests {
    static let walk = """
        playbook: 1
        id: loop-walk
        title: Loop walk
        languages: [en]
        contacts:
          boss: {name: Boss, phone: "03-1111-2222", verified: 2026-10-01}
          deputy: {name: Deputy, phone: "03-3333-4444", verified: 2026-10-01}
        steps:
          - id: hello
            type: info
            title: Take a breath
          - id: ok
            type: confirm
            title: Is the PC still on?
          - id: what
            type: choice
            title: What happened?
            options:
              - {value: mail, label: I opened a mail}
              - {value: other, label: Something else}
          - id: net
            type: network
            title: Unplug the network
          - id: photo
            type: evidence
            attach: optional
            title: Photograph the mail
          - id: mail-form
            type: input
            title: The mail
            fields:
              - {id: sender, label: Sender}
              - {id: subject, label: Subject}
          - id: scan
            type: scan
            title: Scan the PC
            command: {linux: [clamscan, "{{home}}"], macos: [clamscan, "{{home}}"]}
            verdicts: {0: clean, 1: detected}
          - id: call
            type: notify
            contact: boss
            fallback: [deputy]
            title: Call the administrator
            script: "This is {{host.name}}: {{answer.what}}, the mail came from {{answer.mail-form.sender}}."
          - id: done
            type: end
            outcome: contained
            title: Done
        """

    static let wifi = NetworkReading.connected("wlan0", kind: "wifi")

    static var mail: MailSummary {
        var mail = MailSummary()
        mail.from = "Yamada <yamada@example.com>"
        mail.subject = "Invoice 2026-11"
        mail.date = "Tue, 01 Dec 2026 09:12:00 +0900"
        return mail
    }

    static let mailFile = EvidenceFile(name: "invoice.eml", sha256: String(repeating: "b", count: 64), size: 2048,
                                       source: "/home/hanako/invoice.eml")

    static func configure(_ edges: FakeEdges) {
        edges.attachments[mailFile.source] = .added(.init(step: "photo", file: mailFile, email: mail))
    }

    /// The journal as a kill leaves it, replayed into a fresh program over new edges that continue
    /// the same file (`session.resumed` first, as `SessionStore.resume` writes it), started.
    static func resume(_ edges: FakeEdges, _ playbook: Playbook, readings: [NetworkReading] = [],
                       sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> (SessionRuntime, FakeEdges) {
        let journal = edges.bytes
        let contents = Journal.read(journal)
        #expect(contents.problems.isEmpty, sourceLocation: sourceLocation)
        let (engine, missing) = try SessionReplay.replay(contents.entries, playbook: playbook)
        #expect(missing.isEmpty, "the loop journals the engine's records before anything else", sourceLocation: sourceLocation)
        let resumedEdges = FakeEdges(journal: journal, readings: readings)
        configure(resumedEdges)
        _ = try resumedEdges.append([.sessionResumed(tornLine: nil)])
        let resumed = SessionRuntime(program: Loop.program(playbook, engine: engine, entries: resumedEdges.entries), edges: resumedEdges)
        try resumed.send(.start)
        return (resumed, resumedEdges)
    }

    /// Kills the session here and resumes it: the same step, engine state, texts and widget.
    /// Returns what the resumed run journaled after `session.resumed`.
    @discardableResult
    static func killAndResume(_ runtime: SessionRuntime, _ edges: FakeEdges, _ playbook: Playbook, at step: String,
                              readings: [NetworkReading] = [], sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> (SessionRuntime, [String]) {
        #expect(runtime.stepID == step, sourceLocation: sourceLocation)
        let before = edges.entries.count
        let (resumed, resumedEdges) = try resume(edges, playbook, readings: readings, sourceLocation: sourceLocation)
        #expect(resumed.stepID == step, sourceLocation: sourceLocation)
        #expect(resumed.program.engine.state == runtime.program.engine.state, sourceLocation: sourceLocation)
        #expect(resumed.model?.title == runtime.model?.title, sourceLocation: sourceLocation)
        #expect(resumed.model?.body == runtime.model?.body, sourceLocation: sourceLocation)
        #expect(resumed.model?.script == runtime.model?.script, sourceLocation: sourceLocation)
        #expect(resumed.model?.widget == runtime.model?.widget, sourceLocation: sourceLocation)
        #expect(resumed.ending == nil, sourceLocation: sourceLocation)
        #expect(edges.entries.count == before, "the original's journal is untouched", sourceLocation: sourceLocation)
        resumedEdges.checkJournal(sourceLocation: sourceLocation)
        return (resumed, resumedEdges.labels(after: before + 1))
    }

    @Test func resumeAfterAKillAtEachStepComesBackOnTheSameStepInTheSameState() throws {
        let playbook = try loadPlaybook(Self.walk)
        let wifi = Self.wifi
        let (runtime, edges) = try Loop.start(playbook, readings: [wifi, wifi, .offline], configure: Self.configure)

        var (resumed, journaled) = try Self.killAndResume(runtime, edges, playbook, at: "hello")
        #expect(journaled.isEmpty, "a resumed step is not entered again")
        try runtime.input(.submit)
        try Self.killAndResume(runtime, edges, playbook, at: "ok")
        try runtime.input(.yes)
        try Self.killAndResume(runtime, edges, playbook, at: "what")
        try runtime.input(.pick(1))

        // The network step, still connected: the resumed visit keeps what it read before the kill
        // and reads the network once more.
        (resumed, journaled) = try Self.killAndResume(runtime, edges, playbook, at: "net", readings: [wifi])
        #expect(journaled == ["network.checked"])
        #expect(resumed.network?.connected?.count == 1)
        // Disconnected, not yet continued.
        try runtime.input(.checkAgain)
        #expect(runtime.network?.isDisconnected == true)
        try Self.killAndResume(runtime, edges, playbook, at: "net", readings: [.offline])
        try runtime.input(.submit)
        guard case .network(let network)? = edges.answer("net", in: playbook) else { throw TestFailure("net is not answered") }
        #expect(network.method == .wifi)

        // The photo, then the mail attached: its headers fill the form's fields.
        try Self.killAndResume(runtime, edges, playbook, at: "photo")
        try runtime.input(.yes, .text(Self.mailFile.source), .submit)
        #expect(edges.events.last?.label == "evidence.added invoice.eml")
        try runtime.input(.submit)
        let form = [Self.mail.from!, Self.mail.subject!]
        guard case .form(let typed)? = runtime.model?.widget else { throw TestFailure("not on the form") }
        #expect(typed.values == form)
        (resumed, _) = try Self.killAndResume(runtime, edges, playbook, at: "mail-form")
        guard case .form(let resumedForm)? = resumed.model?.widget else { throw TestFailure("the resumed step is not the form") }
        #expect(resumedForm.values == form, "the form's values come from the last mail in the journal")
        try runtime.input(.submit, .submit)
        #expect(edges.answer("mail-form", in: playbook) == .input(["sender": form[0], "subject": form[1]]))

        // The scan, killed while it runs: the resumed step runs it again.
        (resumed, journaled) = try Self.killAndResume(runtime, edges, playbook, at: "scan")
        #expect(journaled == ["command.started scan"])
        #expect(resumed.commandRunning)
        try #require(edges.started.last).finish(exitCode: 0, output: ["----------- SCAN SUMMARY -----------", "Infected files: 0"])
        try runtime.poll()
        try runtime.input(.submit)

        // The call: the script renders the answers given before the kill.
        (resumed, _) = try Self.killAndResume(runtime, edges, playbook, at: "call")
        #expect(resumed.model?.script == "This is PC-01: I opened a mail, the mail came from \(form[0]).")
        #expect(resumed.model?.checkCode != nil)
        #expect(resumed.model?.checkCode == resumed.program.entries.last.flatMap { CheckCode.of(hash: $0.hash) },
                "the card's check code is the resumed journal's latest line's")
        // The boss did not answer: the resumed step goes on with the deputy, that try kept.
        try runtime.input(.noAnswer)
        (resumed, journaled) = try Self.killAndResume(runtime, edges, playbook, at: "call")
        #expect(journaled.isEmpty)
        guard case .notify(let notify)? = resumed.model?.widget else { throw TestFailure("the resumed step is not the call") }
        #expect(notify.current?.id == "deputy")
        #expect(notify.attempts.map(\.contact) == ["boss"])
        #expect(notify.attempts.map(\.result) == [.noAnswer])

        // The resumed session finishes on its own, and its journal replays to the same end.
        try resumed.input(.reached, .text("Sato"), .submit)
        #expect(resumed.stepID == "done")
        try resumed.input(.submit)
        #expect(resumed.ending == .finished(outcome: "contained"))

        // The original too.
        try runtime.input(.reached, .text("Sato"), .submit)
        guard case .notify(let called)? = edges.answer("call", in: playbook) else { throw TestFailure("call is not answered") }
        #expect(called.reached == "deputy")
        #expect(called.spokeWith == "Sato")
        #expect(called.attempts.map(\.result) == [.noAnswer, .reached])
        #expect(edges.labels().suffix(3) == ["step.entered done", "step.answered done", "session.finished contained"])
        #expect(edges.handoffTexts.count == 1, "the last screen's QR code is made once the session's last lines are in")
        let (engine, missing) = try SessionReplay.replay(Journal.read(edges.bytes).entries, playbook: playbook)
        #expect(missing.isEmpty)
        #expect(engine.state == runtime.program.engine.state)
        #expect(engine.state.outcome == "contained")
        try runtime.input(.submit)
        #expect(runtime.ending == .finished(outcome: "contained"))
        edges.checkJournal()
    }

    /// Walks the playbook to the network step, turns Wi-Fi off and checks.
    static func disconnectedOnTheNetworkStep() throws -> (SessionRuntime, FakeEdges, Playbook) {
        let playbook = try loadPlaybook(Self.walk)
        let (runtime, edges) = try Loop.start(playbook, readings: [wifi, wifi, .offline], configure: Self.configure)
        try runtime.input(.submit, .yes, .pick(1), .checkAgain)
        #expect(runtime.network?.isDisconnected == true)
        return (runtime, edges, playbook)
    }

    @Test func aNetworkStepResumedAfterTheWiFiWasTurnedOffAnswersAsTheOriginalWould() throws {
        let (runtime, edges, playbook) = try Self.disconnectedOnTheNetworkStep()
        let (resumed, resumedEdges) = try Self.resume(edges, playbook, readings: [.offline])
        try runtime.input(.submit)
        try resumed.input(.submit)
        guard case .network(let original)? = edges.answer("net", in: playbook),
              case .network(let after)? = resumedEdges.answer("net", in: playbook) else { throw TestFailure("not answered") }
        #expect(original.method == .wifi)
        #expect(original.interfacesBefore == ["wlan0"])
        #expect(after.method == .wifi)
        #expect(after.interfacesBefore == ["wlan0"])
    }

    @Test func anEvidenceStepResumedAfterAFileWasAttachedKeepsIt() throws {
        let (runtime, edges, playbook) = try Self.disconnectedOnTheNetworkStep()
        try runtime.input(.submit, .yes, .text(Self.mailFile.source), .submit)
        #expect(edges.events.last?.label == "evidence.added invoice.eml")
        let (resumed, resumedEdges) = try Self.resume(edges, playbook)
        #expect(resumed.stepID == "photo")
        // Photographed is not journaled before the answer: asked again. The file attached is.
        try resumed.input(.yes, .submit)
        try runtime.input(.submit)
        guard case .evidence(let original)? = edges.answer("photo", in: playbook),
              case .evidence(let after)? = resumedEdges.answer("photo", in: playbook) else { throw TestFailure("not answered") }
        #expect(original.files == [Self.mailFile])
        #expect(after.files == [Self.mailFile])
    }
}
