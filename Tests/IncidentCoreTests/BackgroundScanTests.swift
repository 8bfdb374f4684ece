import IncidentCore
import Testing

/// `wait: false` and `await` (playbook-format.md, "Background scans"): the validation rules, each
/// at its place and in both languages, and the engine's side (the verdict recorded while another
/// step is on screen, Back past the scan, `when` false while it runs).
@Suite struct BackgroundScanTests {
    static func playbook(scan: String = "wait: false, next: call", awaiting: String = "{id: result, type: await, title: R, step: scan}",
                         extra: String = "") -> String {
        """
        playbook: 1
        id: bg
        title: B
        languages: [en]
        steps:
          - {id: first, type: info, title: F}
          - {id: scan, type: scan, title: S, command: [clamscan], verdicts: {0: clean, 1: detected}, \(scan)}
          - {id: call, type: info, title: C}
          - \(awaiting)
        \(extra)  - {id: done, type: end, title: D}
        """
    }

    func errors(_ yaml: String) -> [Diagnostic] { check(yaml).1.filter(\.isError) }

    @Test func aValidBackgroundScanAndItsAwait() {
        #expect(errors(Self.playbook()).isEmpty, "\(errors(Self.playbook()).map(\.message))")
    }

    @Test func everyRuleHasItsMessageAtItsPlace() {
        let cases: [(String, String, Int)] = [
            (Self.playbook(scan: "wait: false"), "step 'scan' has 'wait: false' but no 'next'", 7),
            (Self.playbook(scan: "wait: false, next: call, next_on: {clean: done}"), "step 'scan' has 'wait: false' and 'next_on'", 7),
            (Self.playbook(awaiting: "{id: result, type: await, title: R, step: first}"), "step 'result' awaits 'first', which is not a scan with 'wait: false'", 9),
            (Self.playbook(scan: "wait: true", awaiting: "{id: result, type: await, title: R, step: scan}"),
             "step 'result' awaits 'scan', which is not a scan with 'wait: false'", 9),
            (Self.playbook(awaiting: "{id: result, type: info, title: R}"), "step 'scan' has 'wait: false' but no 'await' step names it", 7),
            (Self.playbook(extra: "  - {id: again, type: await, title: A, step: scan}\n"),
             "'scan' is already awaited by 'result': exactly one 'await' step names a background scan", 10),
            (Self.playbook(awaiting: "{id: result, type: await, title: R, step: scan}").replacingOccurrences(
                of: "  - {id: first, type: info, title: F}", with: "  - {id: first, type: info, title: F, next: result}")
                .replacingOccurrences(of: "verdicts: {0: clean, 1: detected}, wait: false, next: call", with: "verdicts: {0: clean, 1: detected}, wait: false, next: done"),
             "step 'result' cannot be reached after 'scan'", 9),
            (Self.playbook(awaiting: "{id: result, type: await, title: R, step: scna}"), "'step' of step 'result' names an unknown step 'scna' (did you mean 'scan'?)", 9),
        ]
        for (yaml, message, line) in cases {
            let found = errors(yaml)
            let match = found.first { $0.message.hasPrefix(message) }
            #expect(match != nil, "\(message)\n\(found.map(\.message))")
            #expect(match?.location.line == line, "\(message): line \(match?.location.line ?? 0)")
        }
    }

    @Test func theMessagesAreInJapaneseToo() {
        let found = check(Self.playbook(scan: "wait: false")).1.filter(\.isError)
        let japanese = found.map { $0.message(in: .japanese) }
        #expect(japanese.contains { $0.contains("ステップ「scan」は「wait: false」ですが、「next」がありません") }, "\(japanese)")
    }

    @Test func interruptedIsRecordedButNeverRoutedOn() {
        let yaml = Self.playbook(awaiting: "{id: result, type: await, title: R, step: scan, next_on: {interrupted: done}}")
        #expect(errors(yaml).contains { $0.message.contains("interrupted") })
    }

    @Test func theEngineTakesTheVerdictWhileAnotherStepIsShown() throws {
        let playbook = try #require(check(Self.playbook()).0)
        var engine = Engine(playbook: playbook)
        try engine.send(.start)
        try engine.send(.answer(.none))
        #expect(engine.state.current == "scan")
        try engine.send(.answer(.none))
        #expect(engine.state.current == "call")
        #expect(!Engine.holds(.equals(step: Located("scan", at: .start), value: Located("clean", at: .start)), answers: engine.state.answers),
                "a `when` on the verdict is false while the scan runs")
        let records = try engine.send(.verdict(step: "scan", answer: .scan(ScanOutcome(verdict: .clean))))
        #expect(records == [.stepAnswered(step: "scan", answer: .scan(ScanOutcome(verdict: .clean)))])
        #expect(engine.state.current == "call")
        #expect(Engine.holds(.equals(step: Located("scan", at: .start), value: Located("clean", at: .start)), answers: engine.state.answers))
        #expect(throws: EngineError.self) { try engine.send(.verdict(step: "call", answer: .scan(ScanOutcome(verdict: .clean)))) }
        // Back goes to the step shown before the scan; passing it again keeps the verdict.
        try engine.send(.back)
        #expect(engine.state.current == "first")
        try engine.send(.answer(.none))
        try engine.send(.answer(.none))
        #expect(engine.state.answers["scan"] == .scan(ScanOutcome(verdict: .clean)))
        #expect(engine.progress.current == 2, "the scan step is no step the employee saw")
        try engine.send(.answer(.none))
        #expect(engine.state.current == "result")
        try engine.send(.answer(.scan(ScanOutcome(verdict: .clean))))
        #expect(engine.state.isFinished)
    }
}
