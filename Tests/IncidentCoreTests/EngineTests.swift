import Testing
@testable import IncidentCore

/// The engine, fed events: every step type, every flow rule, Back, `when`, placeholders, loops.
@Suite struct EngineTests {
    static let allTypes = """
        playbook: 1
        id: all-types
        title: {ja: 全種類, en: All types}
        languages: [ja, en]
        contacts:
          boss: {name: {ja: 上司, en: Boss}, phone: "03-1111-2222", verified: 2026-10-01}
          backup: {name: {ja: 代理, en: Deputy}, email: deputy@example.com, verified: 2026-10-01}
        steps:
          - id: hello
            type: info
            title: {ja: こんにちは, en: Hello}
          - id: ok
            type: confirm
            title: {ja: 大丈夫？, en: OK?}
            unsure: true
            no_next: pick
          - id: only-if-yes
            type: info
            when: {step: ok, is: "yes"}
            title: {ja: よかった, en: Good}
          - id: pick
            type: choice
            title: {ja: 選んで, en: Pick}
            options:
              - {value: red, label: {ja: 赤, en: Red}}
              - {value: blue, label: {ja: 青, en: Blue}, next: ticks}
          - id: red-only
            type: info
            title: {ja: 赤です, en: It is red}
          - id: ticks
            type: checklist
            title: {ja: 確認, en: Check}
            require: any
            items:
              - {value: cable, label: {ja: ケーブル, en: Cable}}
              - {value: wifi, label: {ja: 無線, en: Wi-Fi}}
          - id: form
            type: input
            title: {ja: 入力, en: Form}
            fields:
              - {id: who, label: {ja: 名前, en: Name}, required: true, max_length: 10}
              - {id: notes, label: {ja: メモ, en: Notes}, multiline: true}
          - id: net
            type: network
            title: {ja: 切断, en: Disconnect}
          - id: photo
            type: evidence
            title: {ja: 写真, en: Photo}
            attach: optional
          - id: collect
            type: collect
            title: {ja: 収集, en: Collect}
            commands: [{name: procs, command: [ps, aux]}]
          - id: scan
            type: scan
            title: {ja: スキャン, en: Scan}
            command: {linux: [clamscan, "{{home}}"], macos: [clamscan, "{{home}}"]}
            verdicts: {0: clean, 1: detected}
            next_on: {detected: found, unavailable: call}
          - id: clean
            type: info
            title: {ja: 検出なし, en: Clean}
            next: call
          - id: found
            type: info
            critical: true
            title: {ja: 検出, en: Found}
          - id: call
            type: notify
            title: {ja: 電話, en: Call}
            contact: boss
            fallback: [backup]
            script: {ja: "{{host.name}} の {{answer.form.who}} です。{{answer.scan}}。", en: "{{answer.form.who}} on {{host.name}}: {{answer.scan}}."}
          - id: bye
            type: end
            outcome: reported
            title: {ja: おわり, en: Bye}
        """

    func engine() throws -> Engine { Engine(playbook: try playbook(Self.allTypes)) }

    let scanClean = Answer.scan(ScanOutcome(verdict: .clean, exitCode: 0))
    let network = Answer.network(NetworkOutcome(disconnected: true, method: .cable, checkedAt: "t"))

    @Test func walksEveryStepTypeToTheEnd() throws {
        var engine = try engine()
        #expect(try engine.send(.start) == [.stepEntered(step: "hello")])
        try engine.send(.answer(.none))
        #expect(engine.state.current == "ok")
        // yes: no yes_next → default (the following step), whose `when` holds.
        #expect(try engine.send(.answer(.confirm(.yes))) == [
            .stepAnswered(step: "ok", answer: .confirm(.yes)), .stepEntered(step: "only-if-yes")])
        try engine.send(.answer(.none))
        try engine.send(.answer(.choice("red")))
        #expect(engine.state.current == "red-only")
        try engine.send(.answer(.none))
        try engine.send(.answer(.checklist(["wifi"])))
        try engine.send(.answer(.input(["who": "Sato", "notes": "line 1\nline 2"])))
        try engine.send(.answer(network))
        try engine.send(.answer(.evidence(EvidenceOutcome(photographed: true))))
        try engine.send(.answer(.collect(CollectOutcome(outputs: []))))
        #expect(engine.state.current == "scan")
        try engine.send(.answer(scanClean))
        #expect(engine.state.current == "clean")
        try engine.send(.answer(.none))
        #expect(engine.state.current == "call")
        // Reaching the end finishes the session as its screen is entered (`product.md`, "The end
        // of a walk"): the end step stays on screen, and nothing more can be answered.
        #expect(try engine.send(.answer(.notify(NotifyOutcome(reached: "boss", spokeWith: "Tanaka", at: "t")))) == [
            .stepAnswered(step: "call", answer: .notify(NotifyOutcome(reached: "boss", spokeWith: "Tanaka", at: "t"))),
            .stepEntered(step: "bye"), .stepAnswered(step: "bye", answer: .none), .finished(outcome: "reported"),
        ])
        #expect(engine.state.current == "bye")
        #expect(engine.currentStep?.id.value == "bye")
        #expect(engine.state.isFinished)
        #expect(throws: EngineError.notRunning) { try engine.send(.back) }
        #expect(engine.state.outcome == "reported")
        #expect(throws: EngineError.notRunning) { try engine.send(.answer(.none)) }
    }

    @Test func confirmNoNextAndWhenSkipping() throws {
        var engine = try engine()
        try engine.send(.start)
        try engine.send(.answer(.none))
        // no → no_next: pick (skips only-if-yes without evaluating it: it is not on the path).
        let records = try engine.send(.answer(.confirm(.no)))
        #expect(records == [.stepAnswered(step: "ok", answer: .confirm(.no)), .stepEntered(step: "pick")])
    }

    @Test func unsureFallsThroughAndWhenSkipIsRecorded() throws {
        var engine = try engine()
        try engine.send(.start)
        try engine.send(.answer(.none))
        let records = try engine.send(.answer(.confirm(.unsure)))
        #expect(records == [.stepAnswered(step: "ok", answer: .confirm(.unsure)), .stepSkipped(step: "only-if-yes"),
                            .stepEntered(step: "pick")])
    }

    @Test func optionNextWinsOverFallThrough() throws {
        var engine = try engine()
        try engine.send(.start)
        try engine.send(.answer(.none))
        try engine.send(.answer(.confirm(.no)))
        try engine.send(.answer(.choice("blue")))
        #expect(engine.state.current == "ticks")
    }

    @Test func nextOnVerdicts() throws {
        for (verdict, expected) in [(ScanVerdict.detected, "found"), (.unavailable, "call"), (.clean, "clean"),
                                    (.error, "clean"), (.cancelled, "clean")] {
            let engine = try engine()
            let scan = try #require(engine.playbook.step("scan"))
            #expect(engine.target(after: scan, answer: .scan(ScanOutcome(verdict: verdict))) == .step(expected))
        }
    }

    @Test func unmappedExitCodeIsError() throws {
        let engine = try engine()
        guard case .scan(let spec) = try #require(engine.playbook.step("scan")).kind else { throw TestFailure("not scan") }
        #expect(spec.verdict(forExitCode: 0) == .clean)
        #expect(spec.verdict(forExitCode: 1) == .detected)
        #expect(spec.verdict(forExitCode: 2) == .error)
        #expect(spec.verdict(forExitCode: 137) == .error)
    }

    @Test func backReturnsToThePreviousStepShownAndTheNewAnswerWins() throws {
        var engine = try engine()
        try engine.send(.start)
        #expect(try engine.send(.back) == [], "Back on the first step does nothing")
        try engine.send(.answer(.none))
        try engine.send(.answer(.confirm(.unsure)))
        #expect(engine.state.current == "pick")
        // only-if-yes was skipped, so Back goes to ok, not to the skipped step.
        #expect(try engine.send(.back) == [.stepBack(from: "pick", to: "ok")])
        #expect(engine.state.answers["ok"] == .confirm(.unsure))
        try engine.send(.answer(.confirm(.yes)))
        #expect(engine.state.current == "only-if-yes")
        #expect(engine.state.answers["ok"] == .confirm(.yes))
        #expect(engine.state.history == ["hello", "ok", "only-if-yes"])
    }

    @Test func invalidAnswersAreRejectedWithoutChangingState() throws {
        var engine = try engine()
        try engine.send(.start)
        #expect(throws: EngineError.self) { try engine.send(.answer(.confirm(.yes))) }
        try engine.send(.answer(.none))
        let before = engine.state
        #expect(throws: EngineError.self) { try engine.send(.answer(.choice("red"))) }
        try engine.send(.answer(.confirm(.no)))
        #expect(throws: EngineError.self) { try engine.send(.answer(.choice("green"))) }
        try engine.send(.answer(.choice("blue")))
        // require: any
        #expect(throws: EngineError.self) { try engine.send(.answer(.checklist([]))) }
        #expect(throws: EngineError.self) { try engine.send(.answer(.checklist(["usb"]))) }
        try engine.send(.answer(.checklist(["cable", "wifi"])))
        // required field, max_length, single line
        #expect(throws: EngineError.self) { try engine.send(.answer(.input(["who": "  "]))) }
        #expect(throws: EngineError.self) { try engine.send(.answer(.input(["who": "12345678901"]))) }
        #expect(throws: EngineError.self) { try engine.send(.answer(.input(["who": "a\nb"]))) }
        #expect(throws: EngineError.self) { try engine.send(.answer(.input(["who": "a", "age": "3"]))) }
        try engine.send(.answer(.input(["who": "山田"])))
        #expect(before.current == "ok")
    }

    @Test func unsureIsRefusedWhenNotOffered() throws {
        var engine = Engine(playbook: try playbook("""
            playbook: 1
            id: t
            title: T
            languages: [en]
            steps:
              - {id: q, type: confirm, title: Q}
            """))
        try engine.send(.start)
        #expect(throws: EngineError.self) { try engine.send(.answer(.confirm(.unsure))) }
        // Running past the last step finishes with `completed`.
        #expect(try engine.send(.answer(.confirm(.no))) == [.stepAnswered(step: "q", answer: .confirm(.no)),
                                                            .finished(outcome: "completed")])
    }

    @Test func nextEndFinishesAndSkippedEndStepFallsThrough() throws {
        var engine = Engine(playbook: try playbook("""
            playbook: 1
            id: t
            title: T
            languages: [en]
            steps:
              - {id: q, type: confirm, title: Q}
              - {id: early, type: end, title: Early, outcome: early, when: {step: q, is: "yes"}}
              - {id: a, type: info, title: A, next: end}
            """))
        try engine.send(.start)
        #expect(try engine.send(.answer(.confirm(.no))) == [.stepAnswered(step: "q", answer: .confirm(.no)),
                                                            .stepSkipped(step: "early"), .stepEntered(step: "a")])
        #expect(try engine.send(.answer(.none)).last == .finished(outcome: "completed"))
    }

    @Test func conditionsAllAnyNotAndChecklistMembership() throws {
        let answers: [String: Answer] = ["c": .checklist(["wifi"]), "q": .confirm(.no),
                                         "s": .scan(ScanOutcome(verdict: .detected)),
                                         "n": network]
        func cond(_ step: String, _ value: String) -> Condition {
            .equals(step: Located(step, at: .start), value: Located(value, at: .start))
        }
        #expect(Engine.holds(cond("c", "wifi"), answers: answers))
        #expect(!Engine.holds(cond("c", "cable"), answers: answers))
        #expect(Engine.holds(cond("s", "detected"), answers: answers))
        #expect(Engine.holds(cond("n", "disconnected"), answers: answers))
        #expect(Engine.holds(.notEquals(step: Located("never", at: .start), value: Located("x", at: .start)), answers: answers),
                "not is true when the step did not run")
        #expect(!Engine.holds(cond("never", "x"), answers: answers))
        #expect(Engine.holds(.oneOf(step: Located("q", at: .start), values: [Located("yes", at: .start), Located("no", at: .start)]), answers: answers))
        #expect(Engine.holds(.all([cond("q", "no"), cond("c", "wifi")]), answers: answers))
        #expect(!Engine.holds(.all([cond("q", "no"), cond("c", "cable")]), answers: answers))
        #expect(Engine.holds(.any([cond("q", "yes"), cond("c", "wifi")]), answers: answers))
        #expect(!Engine.holds(.any([]), answers: answers))
    }

    @Test func loopsAreWalkedUntilTheEmployeeLeavesThem() throws {
        var engine = Engine(playbook: try playbook("""
            playbook: 1
            id: loop
            title: Loop
            languages: [en]
            steps:
              - id: check
                type: confirm
                title: Is the cable out?
                no_next: unplug
                yes_next: done
              - id: unplug
                type: info
                title: Unplug it
                next: check
              - {id: done, type: end, title: Done}
            """))
        try engine.send(.start)
        for _ in 0..<3 {
            try engine.send(.answer(.confirm(.no)))
            #expect(engine.state.current == "unplug")
            try engine.send(.answer(.none))
            #expect(engine.state.current == "check")
        }
        try engine.send(.answer(.confirm(.yes)))
        #expect(engine.state.current == "done")
        #expect(engine.state.history.count == 8)
    }

    @Test func skipLoopIsAnErrorNotAHang() throws {
        // The validator refuses this playbook (no end reachable); the engine must still not hang.
        var engine = Engine(playbook: try #require(PlaybookLoader.load(yaml: """
            playbook: 1
            id: skip
            title: Skip
            languages: [en]
            steps:
              - {id: q, type: confirm, title: Q, yes_next: a}
              - {id: a, type: info, title: A, when: {step: q, is: "no"}, next: b}
              - {id: b, type: info, title: B, when: {step: q, is: "no"}, next: a}
              - {id: z, type: end, title: Z}
            """).value))
        try engine.send(.start)
        #expect(throws: EngineError.self) { try engine.send(.answer(.confirm(.yes))) }
        #expect(engine.state.current == "q", "a failed event changes nothing")
    }

    @Test func placeholdersRenderAnswersAsTheEmployeeSawThem() throws {
        var engine = try engine()
        try engine.send(.start)
        try engine.send(.answer(.none))
        try engine.send(.answer(.confirm(.unsure)))
        try engine.send(.answer(.choice("blue")))
        try engine.send(.answer(.checklist(["cable", "wifi"])))
        try engine.send(.answer(.input(["who": "山田"])))
        let contacts = engine.playbook.contacts
        let ja = PlaceholderContext(language: "ja", hostName: "PC-01", contacts: contacts)
        let en = PlaceholderContext(language: "en", hostName: "PC-01", contacts: contacts)
        let p = engine.playbook
        let answers = engine.state.answers
        #expect(ja.render("{{answer.ok}}/{{answer.pick}}/{{answer.ticks}}", playbook: p, answers: answers) == "わからない/青/ケーブル、無線")
        #expect(en.render("{{answer.ok}}/{{answer.pick}}/{{answer.ticks}}", playbook: p, answers: answers) == "not sure/Blue/Cable, Wi-Fi")
        #expect(en.render("{{answer.form.who}} {{answer.form.notes}} {{answer.scan}}", playbook: p, answers: answers) == "山田 not answered not answered")
        #expect(en.render("{{contact.boss.name}} {{contact.boss.phone}} {{contact.backup.phone}}", playbook: p, answers: answers)
                == "Boss 03-1111-2222 —")
        #expect(ja.render("{{ host.name }}", playbook: p, answers: answers) == "PC-01")
        let scanned = answers.merging(["scan": .scan(ScanOutcome(verdict: .detected)), "net": network]) { $1 }
        #expect(ja.render("{{answer.scan}} {{answer.net}}", playbook: p, answers: scanned) == "検出あり 切り離し済み")
        #expect(en.render(p.step("call")!.kind.script!, playbook: p, answers: scanned) == "山田 on PC-01: something found.")
    }

    @Test func commandPlaceholdersNeverCarryAnswers() {
        let context = PlaceholderContext(language: "en", reportDir: "/r", home: "/home/u", evidenceDir: "/r/evidence")
        #expect(context.argv(["clamscan", "{{home}}/Downloads", "--log={{evidence.dir}}/x", "{{answer.form.who}}"])
                == ["clamscan", "/home/u/Downloads", "--log=/r/evidence/x", "{{answer.form.who}}"])
    }

    @Test func progressCountsShownStepsAndTheLongestRemainingPath() throws {
        var engine = try engine()
        try engine.send(.start)
        let (current, total) = engine.progress
        #expect(current == 1)
        #expect(total >= 10 && total <= engine.playbook.steps.count)
        try engine.send(.answer(.none))
        #expect(engine.progress.current == 2)
        #expect(engine.progress.total == total)
    }

    /// A playbook as long as the validator accepts: "step N of M" without a recursion per step
    /// (20,000 frames overflowed the stack). M counts the loop at the start once (the edge back is
    /// not followed again) and does not count skipped edges ahead.
    @Test func progressOfAVeryLongPlaybookNeedsNoRecursion() throws {
        let count = 20_000
        let chain = (5..<count).map { "  - {id: s\($0), type: info, title: Step \($0)}" }
        var engine = Engine(playbook: try playbook("""
            playbook: 1
            id: long
            title: Long
            languages: [en]
            steps:
              - {id: s1, type: info, title: Step 1}
              - {id: s2, type: info, title: Step 2}
              - {id: again, type: confirm, title: Again?, yes_next: s1}
              - {id: extra, type: info, title: Extra, when: {step: again, is: "no"}}
            \(chain.joined(separator: "\n"))
              - {id: last, type: end, title: Last}
            """))
        try engine.send(.start)
        #expect(engine.progress == (1, count))
        try engine.send(.answer(.none))
        try engine.send(.answer(.none))
        #expect(engine.progress == (3, count))
        try engine.send(.answer(.confirm(.yes)))
        #expect(engine.progress == (4, count + 3), "round again: s1 to the end from here")
        try engine.send(.answer(.none))
        try engine.send(.answer(.none))
        try engine.send(.answer(.confirm(.no)))
        #expect(engine.currentStep?.id.value == "extra")
        #expect(engine.progress == (7, count + 3))
        for _ in 0..<100 { try engine.send(.answer(.none)) }
        #expect(engine.progress == (107, count + 3))
    }
}

extension StepKind {
    var script: LocalizedText? {
        if case .notify(let spec) = self { return spec.script }
        return nil
    }
}
