import Foundation
import Testing
@testable import IncidentCore

/// The warnings of the format spec, and the shipped playbooks.
@Suite struct ValidatorTests {
    static let today = CalendarDay(year: 2026, month: 11, day: 29)!

    func contact(_ id: String, phone: String = "03-1234-5678", verified: CalendarDay?) -> Contact {
        Contact(id: id, name: LocalizedText(variants: ["en": "Name \(id)"]), phone: phone,
                verified: verified.map { Located($0, at: SourceLocation(line: 4, column: 15)) },
                path: "contacts.yaml", location: SourceLocation(line: 3, column: 3))
    }

    @Test func contactAgeAndPlaceholderWarnings() {
        let validator = PlaybookValidator(today: Self.today)
        #expect(validator.contactWarnings(contact("fresh", verified: CalendarDay(year: 2025, month: 11, day: 29))).isEmpty,
                "exactly 365 days is still fine")
        let old = validator.contactWarnings(contact("old", verified: CalendarDay(year: 2025, month: 11, day: 28)))
        #expect(old.count == 1 && old[0].severity == .warning && old[0].message.contains("366 days ago"))
        #expect(old[0].location == SourceLocation(line: 4, column: 15))
        let absent = validator.contactWarnings(contact("absent", verified: nil))
        #expect(absent.map(\.message) == ["contact 'absent' has no 'verified' date; check it and add 'verified: 2026-11-29'"])
        for marker in ["TODO", "XXX", "000-0000-0000"] {
            let warnings = validator.contactWarnings(contact("p", phone: "tel \(marker)", verified: Self.today))
            #expect(warnings.count == 1 && warnings[0].message.contains("placeholder"), "\(marker)")
        }
    }

    @Test func unreachableStepIsAWarningNotAnError() {
        let (book, diagnostics) = check("""
            playbook: 1
            id: w
            title: W
            languages: [en]
            steps:
              - {id: a, type: info, title: A, next: end}
              - {id: orphan, type: info, title: Orphan}
            """)
        #expect(book != nil)
        #expect(diagnostics.map(\.message) == ["step 'orphan' can never be reached from the start"])
        #expect(diagnostics[0].severity == .warning && diagnostics[0].location == SourceLocation(line: 7, column: 10))
    }

    @Test func sharedContactsAreMergedAndThePlaybookEntryWins() throws {
        let shared = ["it": contact("it", verified: Self.today), "boss": contact("boss", verified: Self.today)]
        let (book, diagnostics) = check("""
            playbook: 1
            id: m
            title: M
            languages: [en]
            contacts:
              boss: {name: Own boss, phone: "090-1", verified: 2026-11-01}
            steps:
              - {id: n, type: notify, title: "Call {{contact.boss.name}}", contact: it, fallback: [boss]}
            """, shared: shared)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        let merged = try #require(book).mergedContacts(shared: shared)
        #expect(merged["boss"]?.phone == "090-1")
        #expect(merged["it"]?.phone == "03-1234-5678")
    }

    @Test func contactTextsNeedThePlaybookLanguages() {
        let shared = ["it": contact("it", verified: Self.today)]
        let (_, diagnostics) = check("""
            playbook: 1
            id: l
            title: {ja: L, en: L}
            languages: [ja, en]
            steps:
              - {id: n, type: notify, title: {ja: N, en: N}, contact: it}
            """, shared: shared)
        #expect(diagnostics.contains { $0.path == "contacts.yaml" && $0.message == "contact 'it' name has no 'ja' translation" })
    }

    /// A missing (or misspelt) contact is one error per playbook, at its first reference, not
    /// one per step and placeholder that names it.
    @Test func anUnknownContactIsOneErrorAtItsFirstReference() {
        let (_, diagnostics) = check("""
            playbook: 1
            id: p
            title: P
            languages: [en]
            steps:
              - {id: a, type: info, title: "Call {{contact.boss.name}} on {{contact.boss.phone}}"}
              - {id: b, type: notify, title: N, contact: boss}
              - {id: c, type: notify, title: N, contact: ghost, fallback: [boss]}
              - {id: d, type: end, title: "{{contact.boss.name}}"}
            """)
        let errors = diagnostics.filter(\.isError).map { "\($0.location.line):\($0.location.column): \($0.message)" }
        #expect(errors == ["6:38: unknown placeholder '{{contact.boss.name}}': there is no contact 'boss'",
                           "8:46: unknown contact 'ghost' (defined: none; add it to contacts.yaml or the playbook's 'contacts:')"],
                "\(errors)")
    }

    @Test func placeholderReferencesAreChecked() {
        let (_, diagnostics) = check("""
            playbook: 1
            id: p
            title: P
            languages: [en]
            steps:
              - {id: form, type: input, title: F, fields: [{id: who, label: W}]}
              - {id: a, type: info, title: "{{answer.form.what}}"}
              - {id: b, type: info, title: "{{answer.nope}}"}
              - {id: c, type: info, title: "{{answer.a.x}}"}
              - {id: d, type: info, title: "{{contact.ghost.name}}"}
              - {id: e, type: info, title: "{{home}} and {{now"}
              - {id: f, type: info, title: "{{answer.form.who}} {{answer.form}} {{now}} {{session.id}} {{report.dir}}"}
            """)
        let messages = diagnostics.map(\.message)
        #expect(messages.contains { $0.contains("step 'form' has no field 'what'") })
        #expect(messages.contains { $0.contains("there is no step 'nope'") })
        #expect(messages.contains { $0.contains("step 'a' is not an input step") })
        #expect(messages.contains { $0.contains("there is no contact 'ghost'") })
        #expect(messages.contains { $0.hasPrefix("unknown placeholder '{{home}}'") })
        #expect(messages.contains { $0 == "'{{' without a closing '}}'" })
        #expect(!diagnostics.contains { $0.location.line == 12 }, "step f is valid")
    }

    /// `email_text` / `email_script`: optional, read into the notify step, checked like `text`
    /// and `script` (every language, known placeholders), and kept by the run cache's archive.
    @Test func aNotifyStepMaySaySomethingElseToAContactWithoutAPhone() throws {
        let yaml = """
            playbook: 1
            id: m
            title: {ja: M, en: M}
            languages: [ja, en]
            contacts:
              it: {name: {ja: 担当, en: IT}, phone: "03-1234-5678", verified: 2026-11-01}
              desk: {name: {ja: 窓口, en: Desk}, email: desk@example.org, verified: 2026-11-01}
            steps:
              - id: call
                type: notify
                contact: it
                fallback: [desk]
                title: {ja: 連絡, en: Call}
                text: {ja: 読み上げてください。, en: Read it out.}
                email_text: {ja: メールで送ってください。, en: Send it by e-mail.}
                script: {ja: お電話しました。, en: I am calling.}
                email_script: {ja: "{{user.name}}と申します。", en: "My name is {{user.name}}."}
            """
        let book = try playbook(yaml)
        guard case .notify(let spec) = try #require(book.step("call")).kind else { throw TestFailure("no notify step") }
        #expect(spec.emailText?.resolved("ja") == "メールで送ってください。")
        #expect(spec.emailScript?.resolved("en") == "My name is {{user.name}}.")
        #expect(spec.script?.resolved("ja") == "お電話しました。")

        let (_, missing) = check(yaml.replacingOccurrences(of: "email_text: {ja: メールで送ってください。, en: Send it by e-mail.}",
                                                           with: "email_text: {ja: メールで送ってください。}"))
        #expect(missing.contains { $0.isError && $0.message == "step 'call' email_text has no 'en' translation" }, "\(missing.map(\.message))")
        let (_, unknown) = check(yaml.replacingOccurrences(of: "My name is {{user.name}}.", with: "My name is {{answer.nope}}."))
        #expect(unknown.contains { $0.isError && $0.message.hasPrefix("unknown placeholder '{{answer.nope}}'") }, "\(unknown.map(\.message))")
        let (_, typo) = check(yaml.replacingOccurrences(of: "email_script:", with: "email_scrpit:"))
        #expect(typo.contains { $0.isError && $0.message.hasPrefix("unknown key 'email_scrpit'") }, "\(typo.map(\.message))")
        // Without them, a notify step is as before.
        let plain = try playbook(yaml.split(separator: "\n").filter { !$0.contains("email_") }.joined(separator: "\n"))
        guard case .notify(let before) = try #require(plain.step("call")).kind else { throw TestFailure("no notify step") }
        #expect(before.emailText == nil && before.emailScript == nil)
    }

    @Test func conditionValuesPerStepType() throws {
        let (_, diagnostics) = check("""
            playbook: 1
            id: c
            title: C
            languages: [en]
            steps:
              - {id: q, type: confirm, title: Q, unsure: true}
              - {id: s, type: scan, title: S, command: [x]}
              - {id: n, type: network, title: N}
              - {id: k, type: checklist, title: K, items: [{value: a, label: A}]}
              - {id: e, type: evidence, title: E}
              - {id: t, type: notify, title: T, contact: x}
              - {id: ok, type: info, title: OK, when: {all: [{step: q, is: unsure}, {step: s, in: [detected, cancelled]}, {step: n, not: connected}, {step: k, is: a}, {step: e, is: "no"}, {step: t, is: not-reached}]}}
              - {id: bad, type: info, title: Bad, when: {any: [{step: s, is: infected}, {step: n, is: offline}, {step: k, is: b}]}}
            contacts: {x: {name: X, phone: "1", verified: 2026-11-01}}
            """)
        let errors = diagnostics.filter(\.isError)
        #expect(errors.count == 3, "\(errors.map(\.message))")
        #expect(errors.allSatisfy { $0.location.line == 13 })
    }

    @Test func aMistypedStepReferenceGetsTheNearestStep() {
        let (_, diagnostics) = check("""
            playbook: 1
            id: refs
            title: R
            languages: [en]
            start: welcom
            steps:
              - {id: welcome, type: confirm, title: W, unsure: true, yes_next: scan-pc, no_next: ned, unsure_next: wellcome}
              - {id: scan-pc, type: scan, title: S, command: [x], next_on: {detected: disconect-network}}
              - {id: pick, type: choice, title: P, options: [{value: a, label: A, next: scan-cp}, {value: b, label: B}]}
              - {id: disconnect-network, type: info, title: D, when: {step: welcme, is: "yes"}, next: zzzzzz}
            """)
        let messages = diagnostics.filter(\.isError).map(\.message)
        for expected in [
            "'start' names an unknown step 'welcom' (did you mean 'welcome'?)",
            "'no_next' of step 'welcome' names an unknown step 'ned' (did you mean 'end'?)",
            "'unsure_next' of step 'welcome' names an unknown step 'wellcome' (did you mean 'welcome'?)",
            "'next_on.detected' of step 'scan-pc' names an unknown step 'disconect-network' (did you mean 'disconnect-network'?)",
            "'next' of step 'pick' names an unknown step 'scan-cp' (did you mean 'scan-pc'?)",
            "the condition names an unknown step 'welcme' (did you mean 'welcome'?)",
            "'next' of step 'disconnect-network' names an unknown step 'zzzzzz'",
        ] {
            #expect(messages.contains(expected), "\(expected)\n\(messages.joined(separator: "\n"))")
        }
        // An unknown start is one error, not also every step "never reached".
        #expect(!diagnostics.contains { $0.message.contains("can never be reached") }, "\(diagnostics.map(\.message))")
    }

    @Test func aContactListedTwiceForOneStepIsWarnedAboutAtTheRepeat() throws {
        let shared = ["boss": contact("boss", verified: Self.today), "it": contact("it", verified: Self.today)]
        let (book, diagnostics) = check("""
            playbook: 1
            id: twice
            title: T
            languages: [en]
            steps:
              - {id: a, type: notify, title: A, contact: boss, fallback: [boss]}
              - {id: b, type: notify, title: B, contact: it, fallback: [boss, it, boss]}
            """, shared: shared)
        #expect(book != nil, "a warning, not an error")
        let warnings = diagnostics.filter { $0.message.contains("is listed again") }
        #expect(warnings.map(\.location) == [SourceLocation(line: 6, column: 63), SourceLocation(line: 7, column: 67),
                                             SourceLocation(line: 7, column: 71)], "\(diagnostics)")
        #expect(warnings.allSatisfy { $0.severity == .warning })
        #expect(warnings.first?.message == "contact 'boss' is listed again in the 'fallback' of step 'a' (already the step's 'contact'): "
                + "the employee would call the same person twice")
        #expect(warnings.last?.message.contains("(already fallback entry 1)") == true)
    }

    @Test func anUnreadableSharedContactsFileGivesNoErrorPerReference() throws {
        let yaml = """
            playbook: 1
            id: u
            title: U
            languages: [en]
            steps:
              - {id: a, type: notify, title: "Call {{contact.admin.name}}", contact: admin, fallback: [consultant]}
            """
        let book = try #require(PlaybookLoader.load(yaml: yaml).value)
        let unreadable = PlaybookValidator(today: Self.today, sharedContactsUnreadable: true).validate(book, source: yaml)
        #expect(unreadable.filter(\.isError).isEmpty, "\(unreadable)")
        let none = PlaybookValidator(today: Self.today).validate(book, source: yaml)
        #expect(none.filter(\.isError).count == 2, "without a shared file, each is unknown (admin once, at its first reference)")
        #expect(PlaybookValidator.sharedContactReferences(in: book).map(\.value) == ["admin", "admin", "consultant"], "the title's placeholder first")
    }

    @Test func positionsInACRLFFileArePointedAtInsideStrings() throws {
        let yaml = "playbook: 1\r\nid: c\r\ntitle: T\r\nlanguages: [en]\r\nsteps:\r\n  - {id: a, type: info, title: \"x\"}\r\n"
            + "  - {id: b, type: end, title: \"x {{host.nmae}}\", text: \"{{now\"}\r\n"
        let (_, diagnostics) = check(yaml)
        let located = diagnostics.map { ($0.location, $0.message.prefix(22)) }
        #expect(located.contains { $0 == (SourceLocation(line: 7, column: 34), "unknown placeholder '{") }, "\(located)")
        #expect(located.contains { $0 == (SourceLocation(line: 7, column: 57), "'{{' without a closing") }, "\(located)")
    }

    @Test(arguments: ["emotet", "spoofed-mail", "readiness"])
    func shippedPlaybookHasNoErrors(_ id: String) throws {
        let contacts = ContactsLoader.load(try Data(contentsOf: TestPaths.playbooks.appendingPathComponent("contacts.yaml")),
                                           path: "contacts.yaml")
        let shared = try #require(contacts.value)
        let (book, diagnostics) = check(try Data(contentsOf: TestPaths.playbooks.appendingPathComponent("\(id).yaml")),
                                        path: "\(id).yaml", shared: shared, today: Self.today)
        let playbook = try #require(book, "\(diagnostics.map(\.message))")
        #expect(playbook.languageCodes == ["ja", "en"])
        // Only the placeholder contacts the administrator must fill in are warned about.
        for diagnostic in diagnostics {
            #expect(diagnostic.path == "contacts.yaml" && diagnostic.severity == .warning, "\(diagnostic)")
            #expect(diagnostic.message.contains("'admin'") || diagnostic.message.contains("'consultant'"), "\(diagnostic)")
        }
        // Every step is reachable and every reachable step can finish.
        let graph = FlowGraph(playbook)
        #expect(graph.reachableSteps().count == playbook.steps.count)
        #expect(graph.stepsThatCanFinish().count == playbook.steps.count)
    }

    @Test func emotetCoversTheResponseFacts() throws {
        let text = try String(contentsOf: TestPaths.playbooks.appendingPathComponent("emotet.yaml"), encoding: .utf8)
        let book = try #require(PlaybookLoader.load(yaml: text, path: "emotet.yaml").value)
        let types = Set(book.steps.map(\.kind.typeName))
        for type in ["info", "choice", "collect", "network", "evidence", "input", "scan", "notify", "end"] {
            #expect(types.contains(type), "emotet has a \(type) step")
        }
        guard case .choice(let options) = try #require(book.step("what-happened")).kind else { throw TestFailure("choice") }
        #expect(options.map(\.value.value) == ["not-opened", "opened-attachment", "opened-link", "spoofed", "not-sure"])
        guard case .scan(let scan) = try #require(book.steps.first { $0.kind.typeName == "scan" }).kind else {
            throw TestFailure("emotet has no scan step")
        }
        #expect(scan.command.argv(for: "linux")?.first == "clamscan")
        // Downloads first, then the rest of home without it (each file once), every file reported
        // so that the scan can be followed (docs/scan-progress.md).
        let argv = try #require(scan.command.argv(for: "linux"))
        #expect(argv.suffix(2) == ["{{home}}/Downloads/.", "{{home}}"])
        #expect(argv.contains("--exclude-dir=^{{home}}/Downloads$") && !argv.contains("--infected"))
        let home = "/home/tanaka"
        #expect(ClamScanFollowing.plan(argv.map { $0.replacingOccurrences(of: "{{home}}", with: home) })?.excludeDirectories
                == ["^/home/tanaka/Downloads$"])
        for fact in ["EmoCheck", "JPCERT", "USB"] { #expect(text.contains(fact), "\(fact)") }
        // collect runs before the network step, so the connections are recorded while still online.
        let index = book.stepIndex
        #expect(try #require(index["collect-state"]) < (try #require(index["disconnect"])))
    }
}
