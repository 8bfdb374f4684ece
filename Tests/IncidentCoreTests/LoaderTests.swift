import Foundation
import Testing
@testable import IncidentCore

/// Every key of format v1 lands in the model where it belongs.
@Suite struct LoaderTests {
    @Test func everyTopLevelAndStepKeyIsRead() throws {
        let book = try playbook("""
            playbook: 1
            id: full
            revision: "r7"
            title: {ja: 全部, en: Everything}
            summary: {ja: 要約, en: Summary}
            audience: admin
            languages: [ja, en]
            contacts:
              it: {name: {ja: 情シス, en: IT}, role: {ja: 担当, en: Role}, phone: "03-0000-1111", email: it@example.com,
                   url: "https://example.com", hours: {ja: 平日, en: Weekdays}, note: {ja: 注, en: Note}, verified: 2026-01-31}
            start: second
            steps:
              - id: first
                type: end
                title: {ja: 一, en: One}
                outcome: early-exit
              - id: second
                type: confirm
                title: {ja: 二, en: Two}
                text: {ja: 本文, en: Body}
                help: {ja: ヘルプ, en: Help}
                critical: true
                unsure: true
                yes_next: net
                no_next: first
                unsure_next: end
              - id: net
                type: network
                title: {ja: 網, en: Net}
                action: disconnect
                disconnect_command: {linux: [nmcli, networking, "off"], macos: [networksetup, -setairportpower, en0, "off"]}
                when: {any: [{step: second, is: "yes"}, {all: [{step: second, not: "no"}, {step: second, in: ["yes", unsure]}]}]}
              - id: ev
                type: evidence
                title: {ja: 証拠, en: Evidence}
                attach: required
              - id: col
                type: collect
                title: {ja: 収集, en: Collect}
                commands: [{name: procs, command: [ps, aux], timeout: 5}]
              - id: sc
                type: scan
                title: {ja: 走査, en: Scan}
                command: [clamscan, "{{home}}/Downloads", "--log={{evidence.dir}}/x.log"]
                timeout: 60
                verdicts: {0: clean, 1: detected, 2: error}
                next_on: {detected: call, clean: call, error: call, unavailable: call, cancelled: call}
              - id: call
                type: notify
                title: {ja: 電話, en: Call}
                contact: it
                fallback: [it]
                script: {ja: "{{contact.it.phone}} へ", en: "to {{contact.it.phone}}"}
            """)
        #expect(book.id.value == "full")
        #expect(book.revision == "r7")
        #expect(book.audience == .admin)
        #expect(book.languageCodes == ["ja", "en"])
        #expect(book.startStepID == "second")
        #expect(book.summary?.resolved("en") == "Summary")
        let contact = try #require(book.contacts["it"])
        #expect(contact.phone == "03-0000-1111" && contact.email == "it@example.com" && contact.url == "https://example.com")
        #expect(contact.verified?.value == CalendarDay(year: 2026, month: 1, day: 31))
        #expect(contact.hours?.resolved("ja") == "平日")
        #expect(book.step("first")?.kind == .end(outcome: "early-exit"))
        let second = try #require(book.step("second"))
        #expect(second.critical && second.help?.resolved("ja") == "ヘルプ" && second.text?.resolved("en") == "Body")
        guard case .confirm(let confirm) = second.kind else { throw TestFailure("confirm") }
        #expect(confirm.unsure && confirm.yesNext?.value == .step("net") && confirm.noNext?.value == .step("first")
                && confirm.unsureNext?.value == .end)
        let net = try #require(book.step("net"))
        guard case .network(let spec) = net.kind else { throw TestFailure("network") }
        #expect(spec.action == .disconnect)
        #expect(spec.disconnectCommand?.argv(for: "linux") == ["nmcli", "networking", "off"])
        #expect(spec.disconnectCommand?.argv(for: "macos")?.first == "networksetup")
        guard case .any(let parts)? = net.when, parts.count == 2, case .all(let inner) = parts[1], inner.count == 2 else {
            throw TestFailure("condition")
        }
        #expect(book.step("ev")?.kind == .evidence(attach: .required))
        guard case .collect(let commands) = try #require(book.step("col")).kind else { throw TestFailure("collect") }
        #expect(commands[0].timeoutSeconds == 5 && commands[0].command.argv(for: "linux") == ["ps", "aux"])
        guard case .scan(let scan) = try #require(book.step("sc")).kind else { throw TestFailure("scan") }
        #expect(scan.timeoutSeconds == 60 && scan.verdicts == [0: .clean, 1: .detected, 2: .error] && scan.nextOn.count == 5)
        #expect(scan.command.argv(for: "macos") == scan.command.argv(for: "linux"), "a plain list is for every OS")
        guard case .notify(let notify) = try #require(book.step("call")).kind else { throw TestFailure("notify") }
        #expect(notify.chain == ["it", "it"])
    }

    @Test func defaultsApply() throws {
        let book = try playbook("""
            playbook: 1
            id: defaults
            title: Defaults
            languages: [en]
            steps:
              - {id: c, type: checklist, title: C, items: [{value: a, label: A}]}
              - {id: i, type: input, title: I, fields: [{id: f, label: F}]}
              - {id: n, type: network, title: N}
              - {id: e, type: evidence, title: E}
              - {id: s, type: scan, title: S, command: [true]}
              - {id: x, type: end, title: X}
            """)
        #expect(book.audience == .employee)
        #expect(book.startStepID == "c")
        guard case .checklist(_, let require) = book.steps[0].kind else { throw TestFailure("checklist") }
        #expect(require == ChecklistRequirement.none)
        guard case .input(let fields) = book.steps[1].kind else { throw TestFailure("input") }
        #expect(fields[0].maxLength == 500 && !fields[0].required && !fields[0].multiline)
        #expect(book.steps[2].kind == .network(NetworkSpec(action: .verify)))
        #expect(book.steps[3].kind == .evidence(attach: AttachPolicy.none))
        guard case .scan(let scan) = book.steps[4].kind else { throw TestFailure("scan") }
        #expect(scan.timeoutSeconds == 3600 && scan.verdicts.isEmpty)
        #expect(book.steps[5].kind == .end(outcome: "completed"))
    }

    @Test func emptyRequiredTextIsMissing() {
        let (book, diagnostics) = check("playbook: 1\nid: e\ntitle: \"\"\nlanguages: [en]\nsteps:\n  - {id: a, type: end, title: A}\n")
        #expect(book == nil)
        #expect(diagnostics.contains { $0.message == "'title' is empty" && $0.location == SourceLocation(line: 3, column: 8) })
    }

    @Test func yesAndNoAreReadAsWrittenInConditions() throws {
        // YAML 1.1 would turn an unquoted `yes` into a boolean; an administrator means the word.
        let book = try playbook("""
            playbook: 1
            id: words
            title: W
            languages: [en]
            steps:
              - {id: q, type: confirm, title: Q}
              - {id: a, type: info, title: A, when: {step: q, is: yes}}
            """)
        guard case .equals(_, let value)? = book.step("a")?.when else { throw TestFailure("condition") }
        #expect(value.value == "yes")
    }

    @Test func booleansAndNumbersAreStrict() {
        let (_, diagnostics) = check("""
            playbook: "1"
            id: strict
            title: S
            languages: [en]
            steps:
              - {id: a, type: info, title: A, critical: "true"}
              - {id: b, type: input, title: B, fields: [{id: f, label: F, max_length: 0}]}
            """)
        let messages = diagnostics.map(\.message)
        #expect(messages.contains { $0.hasPrefix("'playbook' must be a whole number") })
        #expect(messages.contains { $0.hasPrefix("'critical' must be true or false") })
        #expect(messages.contains { $0.hasPrefix("'max_length' must be between 1 and") })
    }

    @Test func unknownKeysAreErrorsEverywhere() {
        let (_, diagnostics) = check("""
            playbook: 1
            id: keys
            title: K
            languages: [en]
            contacts: {a: {name: A, phone: "1", fax: "2"}}
            steps:
              - {id: c, type: choice, title: C, options: [{value: a, label: A, nxt: b}, {value: b, label: B}]}
              - {id: s, type: scan, title: S, command: {linux: [x], windows: [y]}}
              - {id: i, type: info, title: I, when: {step: c, equals: a}}
              - {id: x, type: info, title: X, options: []}
            """)
        let messages = diagnostics.map(\.message)
        #expect(messages.contains { $0.hasPrefix("unknown key 'fax' in contact 'a'") })
        #expect(messages.contains { $0.hasPrefix("unknown key 'nxt' in an option of step 'c' (did you mean 'next'?)") })
        #expect(messages.contains { $0.hasPrefix("unknown key 'windows' in 'command'") })
        #expect(messages.contains { $0.hasPrefix("unknown key 'equals' in a 'when' condition") })
        #expect(messages.contains { $0.hasPrefix("unknown key 'options' in step 'x'") }, "keys of another step type are unknown")
    }

    @Test func contactsFileHoldsOnlyContacts() {
        let ok = ContactsLoader.load(Data("contacts:\n  a: {name: A, url: \"https://a\"}\n".utf8), path: "contacts.yaml")
        #expect(ok.value?["a"]?.url == "https://a")
        let bad = ContactsLoader.load(Data("contacts:\n  a: {name: A}\nsteps: []\n".utf8), path: "contacts.yaml")
        #expect(bad.value == nil)
        #expect(bad.diagnostics.contains { $0.message.hasPrefix("contact 'a' needs at least one of") })
        #expect(bad.diagnostics.contains { $0.message.hasPrefix("unknown key 'steps' in contacts.yaml") && $0.location.line == 3 })
    }

    // MARK: A UTF-8 byte order mark (written by Windows editors)

    private static let byteOrderMark = Data([0xEF, 0xBB, 0xBF])

    @Test func aByteOrderMarkBeforePlaybookIsNotASyntaxError() {
        let yaml = "playbook: 1\nid: bom\ntitle: {ja: 見出し, en: Title}\nlanguages: [ja, en]\nsteps:\n  - {id: a, type: end, title: {ja: 終, en: End}}\n"
        let (book, diagnostics) = check(Self.byteOrderMark + Data(yaml.utf8), path: "bom.yaml")
        #expect(diagnostics.isEmpty, "\(diagnostics.map(\.message))")
        #expect(book?.id.value == "bom")
        #expect(book?.id.location == SourceLocation(line: 2, column: 5))
    }

    @Test func aByteOrderMarkDoesNotMovePositions() {
        // The same errors with and without the BOM, on line 1 too: 'playbook' 1:11; a vertical tab
        // after "id: x # " (8 columns) and 日本 (4) on line 2, column 13; and the source is shown
        // without the BOM.
        for yaml in ["playbook: 2\nid: bom\ntitle: T\nlanguages: [en]\nsteps:\n  - {id: a, type: end, title: A}\n",
                     "playbook: 1\nid: x # 日本\u{0B}\n"] {
            let plain = PlaybookLoader.load(Data(yaml.utf8), path: "p.yaml")
            let marked = PlaybookLoader.load(Self.byteOrderMark + Data(yaml.utf8), path: "p.yaml")
            #expect(marked.diagnostics == plain.diagnostics)
            #expect(marked.source == plain.source)
            #expect(rendered(marked.diagnostics, source: marked.source) == rendered(plain.diagnostics, source: plain.source))
            // A caller that renders the raw file text (BOM included) gets the same lines.
            let raw = "\u{FEFF}" + yaml
            #expect(rendered(marked.diagnostics, source: raw) == rendered(plain.diagnostics, source: plain.source))
        }
        let version = PlaybookLoader.load(Self.byteOrderMark + Data("playbook: 2\nid: v\n".utf8), path: "p.yaml")
        #expect(rendered(version.diagnostics, source: version.source).contains(
            "p.yaml:1:11: error: this wizard reads playbook format 1, not 2\nplaybook: 2\n          ^"))
        let tab = PlaybookLoader.load(Self.byteOrderMark + Data("playbook: 1\nid: x # 日本\u{0B}\n".utf8), path: "p.yaml")
        #expect(rendered(tab.diagnostics, source: tab.source).first?.hasPrefix("p.yaml:2:13: error: YAML error: control") == true)
    }

    @Test func duplicateKeyInACRLFFileIsPointedAtTheRepeat() {
        let (_, diagnostics) = check("playbook: 1\r\nid: a\r\ntitle: 題\r\nid: b\r\n")
        let duplicate = diagnostics.first { $0.message.hasPrefix("duplicate key 'id'") }
        #expect(duplicate?.location == SourceLocation(line: 4, column: 1), "\(diagnostics.map(\.message))")
    }

    // MARK: Keys at the wrong indentation

    /// An administrator's report: a text's `en:` indented less than its `ja:` was "unknown key
    /// 'en' (did you mean 'id'?)". Every key written at another level's indentation is called that.
    @Test func aKeyOfAnotherLevelIsCalledMisindentedNotATypo() {
        let (_, diagnostics) = check("""
            playbook: 1
            id: levels
            title: {ja: 見出し, en: Title}
            languages: [ja, en]
            type: info
            steps:
              - id: pick
                type: choice
                title: {ja: 選ぶ, en: Pick}
                options:
                  - {value: a, label: {ja: あ, en: A}}
                  - value: b
                label: {ja: い, en: B}
                start: pick
              - id: cond
                type: info
                title: {ja: 条件, en: Cond}
                when: {step: pick, is: a, next: end}
                is: b
                fields: []
            """)
        let messages = diagnostics.map { "\($0.location.line):\($0.location.column) \($0.message)" }
        #expect(messages.contains("5:1 'type' here looks mis-indented: it belongs to a step (an entry of 'steps'), not to the playbook's top level"), "\(messages)")
        #expect(messages.contains("13:5 'label' here looks mis-indented: it belongs in an entry of 'options', not in step 'pick' itself"), "\(messages)")
        #expect(messages.contains("14:5 'start' here looks mis-indented: it belongs to the playbook's top level, not to step 'pick' (indent it like 'steps')"), "\(messages)")
        #expect(messages.contains("18:31 'next' here looks mis-indented: it belongs to the step, not under 'when' (indent it like 'when')"), "\(messages)")
        #expect(messages.contains("19:5 'is' here looks mis-indented: it belongs under 'when' (a condition of step 'cond')"), "\(messages)")
        #expect(messages.contains("20:5 unknown key 'fields' in step 'cond': 'fields' is for input steps, and this is an info step"), "\(messages)")
        #expect(!messages.contains { $0.contains("did you mean") }, "\(messages)")
    }

    @Test func aLanguageOutOfItsTextIsPointedBackToIt() {
        // At a step's level and at the top level, beside several texts: the nearest one above
        // that lacks the language.
        let (_, diagnostics) = check("""
            playbook: 1
            id: lang
            title:
              ja: 見出し
            en: Title
            languages: [ja, en]
            steps:
              - id: a
                type: end
                title: {ja: 題, en: T}
                text:
                  ja: 本文
                help:
                  ja: 助け
                en: Help
            """)
        let messages = diagnostics.map { "\($0.location.line):\($0.location.column) \($0.message)" }
        #expect(messages.contains("5:1 'en' here looks mis-indented: it belongs under 'title' (indent it like 'ja')"), "\(messages)")
        #expect(messages.contains("15:5 'en' here looks mis-indented: it belongs under 'help' (indent it like 'ja')"), "\(messages)")
        #expect(!messages.contains { $0.contains("did you mean") }, "\(messages)")
    }

    @Test func aRequiredKeyInsideATextIsOneErrorThere() {
        // `type:` indented like the title's languages: one error where it is, no "missing 'type'".
        let (_, diagnostics) = check("""
            playbook: 1
            id: deep
            title: {ja: 見出し, en: Title}
            languages: [ja, en]
            steps:
              - id: a
                title:
                  ja: 題
                  en: T
                  type: end
            """)
        #expect(diagnostics.map(\.message) == ["'type' here looks mis-indented: it belongs to step 'a', not under 'title' (indent it like 'title')"],
                "\(diagnostics.map(\.message))")
        // Elsewhere a missing key is still missing (here 'title' is a contact's id, not the playbook's title).
        let (book, other) = check("playbook: 1\nid: x\nlanguages: [en]\ncontacts: {title: {name: T, phone: \"1\"}}\nsteps: [{id: a, type: end, title: A}]\n")
        #expect(book == nil)
        #expect(other.map(\.message).contains("the playbook is missing the required key 'title'"), "\(other.map(\.message))")
    }

    @Test func aContactFieldOutOfItsContactIsPointedBackToIt() {
        let result = ContactsLoader.load(Data("""
            contacts:
              it:
                name:
                  ja: 情シス
                en: IT
                phone: "03-1"
              verified: 2026-01-01
            """.utf8), path: "contacts.yaml")
        let messages = result.diagnostics.map { "\($0.location.line):\($0.location.column) \($0.message)" }
        #expect(messages.contains("5:5 'en' here looks mis-indented: it belongs under 'name' (indent it like 'ja')"), "\(messages)")
        #expect(messages.contains("7:3 'verified' here looks mis-indented: it belongs to contact 'it', not beside the contact ids (indent it like that contact's 'name')"), "\(messages)")
        #expect(messages.count == 2, "no 'contact id' or 'must be a mapping' follow-ons: \(messages)")
    }

    @Test func aMergeKeyIsNamedAsSuch() {
        let (_, diagnostics) = check("""
            playbook: 1
            id: merge
            title: &t {en: T}
            languages: [en]
            steps:
              - {id: a, type: end, title: {<<: *t}, <<: {critical: true}}
            """)
        let merges = diagnostics.normalised().filter { $0.message.hasPrefix("merge keys ('<<') are not supported in playbooks") }
        #expect(merges.map(\.location) == [SourceLocation(line: 6, column: 32), SourceLocation(line: 6, column: 41)], "\(diagnostics)")
        #expect(!diagnostics.contains { $0.message.contains("did you mean") })
    }

    // MARK: Positions as the terminal counts lines

    @Test func positionsAreTerminalLinesWhateverLibyamlCountsAsALineBreak() {
        // A title holding LS, PS, NEL and a lone CR: libyaml counts four more lines; every
        // position after it is still on the line a terminal shows it on.
        let yaml = "playbook: 2\nid: p\ntitle: \"a\u{2028}b\u{2029}c\u{85}d\re\"\nlanguages: [en]\nsteps: x\n"
        let result = PlaybookLoader.load(Data(yaml.utf8), path: "p.yaml")
        func location(_ prefix: String) -> IncidentCore.SourceLocation? {
            result.diagnostics.first { $0.message.hasPrefix(prefix) }?.location
        }
        #expect(location("this wizard reads playbook format 1") == SourceLocation(line: 1, column: 11), "\(result.diagnostics)")
        #expect(location("'steps' must be a list") == SourceLocation(line: 5, column: 8), "\(result.diagnostics)")
        // A syntax error after them too.
        let broken = PlaybookLoader.load(Data("title: \"a\u{2028}b\"\nsteps: [a,\n".utf8), path: "p.yaml")
        #expect(broken.diagnostics.first?.location.line == 3, "\(broken.diagnostics)")
        #expect(SourcePositions("a\u{2028}b\r\nc").location(line: 3, column: 1) == SourceLocation(line: 2, column: 1))
        #expect(SourcePositions("a\u{2028}b\r\nc").location(line: 2, column: 2) == SourceLocation(line: 1, column: 4))
    }

    // MARK: Contacts with errors

    @Test func aContactWithABadDateIsStillReadable() throws {
        let result = ContactsLoader.load(Data("contacts:\n  it: {name: IT, phone: \"1\", verified: 2026-13-45}\n  boss: {name: B, phone: \"2\"}\n".utf8),
                                         path: "contacts.yaml")
        #expect(result.value == nil, "the file has an error")
        #expect(result.diagnostics.filter(\.isError).map(\.location) == [SourceLocation(line: 2, column: 40)])
        let readable = try #require(result.readable)
        #expect(readable.keys.sorted() == ["boss", "it"])
        // No second warning that the date is missing: it is there, and wrong.
        let warnings = PlaybookValidator(today: CalendarDay(year: 2026, month: 11, day: 29)!).contactWarnings(try #require(readable["it"]))
        #expect(warnings.isEmpty, "\(warnings)")
    }

    /// A misspelt key of a contact is one error: not also "no phone", "no verified date", or a
    /// missing contact for the steps that name it.
    @Test(arguments: [("phnoe", "phone"), ("verifed", "verified"), ("nmae", "name")])
    func aMisspeltContactKeyIsOneDiagnostic(_ typo: String, _ key: String) throws {
        let fields = ["name": "{ja: 情報システム担当, en: IT}", "phone": "\"03-1234-5678\"", "verified": "2026-11-01"]
        let lines = ["name", "phone", "verified"].map { "    \($0 == key ? typo : $0): \(fields[$0]!)" }
        let result = ContactsLoader.load(Data(("contacts:\n  it:\n" + lines.joined(separator: "\n") + "\n").utf8),
                                         path: "contacts.yaml")
        let line = 3 + ["name", "phone", "verified"].firstIndex(of: key)!
        #expect(result.diagnostics.map { "\($0.location.line):\($0.location.column): \($0.message)" }
                == ["\(line):5: unknown key '\(typo)' in contact 'it' (did you mean '\(key)'?)"])
        let readable = try #require(result.readable?["it"], "the contact exists for the references to it")
        let today = CalendarDay(year: 2026, month: 11, day: 29)!
        #expect(PlaybookValidator(today: today).contactWarnings(readable).isEmpty)
        let playbook = try #require(PlaybookLoader.load(yaml: """
            playbook: 1
            id: p
            title: {ja: P, en: P}
            languages: [ja, en]
            steps:
              - {id: a, type: notify, title: {ja: 電話, en: Call}, contact: it}
            """).value)
        let errors = PlaybookValidator(today: today, sharedContacts: result.readable ?? [:]).validate(playbook).filter(\.isError)
        #expect(errors.isEmpty, "\(errors.map(\.message))")
    }

    @Test func calendarDays() {
        #expect(CalendarDay(parsing: "2024-02-29") != nil)
        #expect(CalendarDay(parsing: "2023-02-29") == nil)
        #expect(CalendarDay(parsing: "2024-2-1") == nil)
        #expect(CalendarDay(parsing: "２０２４-01-01") == nil)
        #expect(CalendarDay(year: 1970, month: 1, day: 1)!.dayNumber == 0)
        #expect(CalendarDay(year: 2026, month: 11, day: 29)!.dayNumber - CalendarDay(year: 2025, month: 11, day: 29)!.dayNumber == 365)
    }
}
