import Foundation
import Testing
@testable import IncidentCore

/// The step models, fed semantic inputs: the state they keep, the messages they give (in Japanese
/// and English) and the answer or effect they produce. No terminal, no clock but a fixed one.
@Suite struct InteractionTests {
    static let yaml = """
        playbook: 1
        id: interaction
        title: {ja: 対応, en: Response}
        languages: [ja, en]
        contacts:
          it: {name: {ja: 情報システム担当, en: IT administrator}, phone: "03-1234-5678", verified: 2026-11-01}
          boss: {name: {ja: 部長, en: Manager}, phone: "03-1234-0000", verified: 2026-11-01}
        steps:
          - {id: info, type: info, title: {ja: 落ち着いて, en: Stay calm}, help: {ja: ヘルプです, en: Some help}}
          - {id: yesno, type: confirm, title: {ja: 開きましたか？, en: Did you open it?}}
          - {id: maybe, type: confirm, unsure: true, title: {ja: 押しましたか？, en: Did you click it?}}
          - id: choice
            type: choice
            title: {ja: 何が, en: What}
            options:
              - {value: a, label: {ja: あ, en: A}}
              - {value: b, label: {ja: い, en: B}}
              - {value: c, label: {ja: う, en: C}}
          - id: any
            type: checklist
            require: any
            title: {ja: 確認, en: Check}
            items:
              - {value: cable, label: {ja: ケーブル, en: Cable}}
              - {value: wifi, label: {ja: Wi-Fi, en: Wi-Fi}}
          - id: all
            type: checklist
            require: all
            title: {ja: 全部, en: All}
            items:
              - {value: x, label: {ja: エックス, en: X}}
              - {value: y, label: {ja: ワイ, en: Y}}
          - id: form
            type: input
            title: {ja: メール, en: Mail}
            fields:
              - {id: sender, label: {ja: 差出人, en: Sender}, required: true, max_length: 5}
              - {id: notes, label: {ja: メモ, en: Notes}, multiline: true}
          - {id: network, type: network, title: {ja: 切断, en: Disconnect}}
          - {id: photo, type: evidence, attach: none, title: {ja: 写真, en: Photo}}
          - {id: files, type: evidence, attach: required, title: {ja: 添付, en: Attach}}
          - {id: scan, type: scan, command: [clamscan], title: {ja: スキャン, en: Scan}}
          - {id: collect, type: collect, commands: [{name: ps, command: [ps]}], title: {ja: 記録, en: Record}}
          - {id: call, type: notify, contact: it, fallback: [boss], title: {ja: 電話, en: Call}}
          - {id: finish, type: end, title: {ja: 終わり, en: Done}}
        """

    static let book: Playbook = PlaybookLoader.load(yaml: yaml).value!
    static let now = "2026-12-01T10:00:00Z"

    func model(_ id: String, _ language: String, suggestions: [String] = [], drill: Bool = false) -> StepModel {
        let cards = [NotifyModel.Card(id: "it", lines: ["IT"]), NotifyModel.Card(id: "boss", lines: ["Manager"])]
        return StepModel(step: Self.book.step(id)!, language: language, render: { $0?.resolved(language) ?? "" },
                         contacts: id == "call" ? cards : [], suggestions: suggestions, drill: drill, clock: { Self.now })
    }

    static let languages = ["ja", "en"]

    @Test(arguments: languages)
    func infoAndEndContinueWithEnterOnly(_ language: String) {
        for id in ["info", "finish"] {
            var step = model(id, language)
            #expect(step.widget == .proceed)
            #expect(step.update(.pick(1)) == .none)
            #expect(step.update(.invalid) == .none)
            #expect(step.message?.text(step.words) == (language == "ja" ? "その答えは使えません。" : "That answer is not available here."))
            #expect(step.update(.submit) == .answer(.none))
            #expect(step.message == nil, "every input clears the last message")
        }
    }

    @Test(arguments: languages)
    func confirmAnswersAndOffersNotSureOnlyWhereAllowed(_ language: String) {
        var yesNo = model("yesno", language)
        #expect(yesNo.update(.unsure) == .none)
        #expect(yesNo.message == .notHere)
        #expect(yesNo.update(.no) == .answer(.confirm(.no)))
        #expect(yesNo.update(.yes) == .answer(.confirm(.yes)))
        var maybe = model("maybe", language)
        #expect(maybe.update(.unsure) == .answer(.confirm(.unsure)))
        _ = maybe.update(.move(-1))
        #expect(maybe.update(.submit) == .answer(.confirm(.unsure)), "up from yes wraps to not sure")
    }

    @Test(arguments: languages)
    func choicePicksByNumberOrHighlight(_ language: String) {
        var choice = model("choice", language)
        #expect(choice.labels == (language == "ja" ? ["あ", "い", "う"] : ["A", "B", "C"]))
        #expect(choice.update(.pick(4)) == .none)
        #expect(choice.message == .notHere)
        #expect(choice.update(.pick(2)) == .answer(.choice("b")))
        _ = choice.update(.move(1))
        #expect(choice.update(.submit) == .answer(.choice("c")))
    }

    @Test(arguments: languages)
    func checklistRequireAnyAndAll(_ language: String) {
        var any = model("any", language)
        #expect(any.update(.submit) == .none)
        #expect(any.message?.text(any.words) == (language == "ja" ? "少なくとも一つ選んでください。" : "Please tick at least one item."))
        _ = any.update(.tick(2))
        _ = any.update(.tick(1))
        _ = any.update(.tick(1))
        #expect(any.update(.submit) == .answer(.checklist(["wifi"])))
        _ = any.update(.ticks([2, 1]))
        #expect(any.update(.submit) == .answer(.checklist(["cable", "wifi"])), "in the playbook's order")
        #expect(any.update(.ticks([3])) == .none)
        #expect(any.message == .notHere)
        #expect(any.update(.submit) == .answer(.checklist(["cable", "wifi"])), "a refused line of numbers changes nothing")

        var all = model("all", language)
        _ = all.update(.tick(1))
        #expect(all.update(.submit) == .none)
        #expect(all.message?.text(all.words) == (language == "ja" ? "すべての項目を確認してください。" : "Please tick every item."))
        _ = all.update(.tick(2))
        #expect(all.update(.submit) == .answer(.checklist(["x", "y"])))
    }

    @Test(arguments: languages)
    func inputFieldsKeepTheirLimits(_ language: String) {
        var form = model("form", language)
        #expect(form.labels == (language == "ja" ? ["差出人 *", "メモ"] : ["Sender *", "Notes"]))
        #expect(form.isEditingText)
        #expect(form.update(.submit) == .none, "a required field must not be empty")
        #expect(form.message?.text(form.words) == (language == "ja" ? "この項目は必須です。" : "This field is required."))
        for character in "鈴木太郎さ" { _ = form.update(.type(character)) }
        #expect(form.update(.type("ん")) == .none)
        let tooLong = language == "ja" ? "長すぎます。最大文字数：5" : "Too long. Maximum characters: 5"
        #expect(form.message?.text(form.words) == tooLong, "typing past the limit says so")
        guard case .form(let typed) = form.widget else { Issue.record("no form"); return }
        #expect(typed.values[0] == "鈴木太郎さ", "and keeps what fits")
        _ = form.update(.type("\u{7}"))
        #expect(form.update(.text("Suzuki Taro")) == .none)
        #expect(form.message?.text(form.words) == tooLong, "a whole line past the limit is refused the same way")
        guard case .form(let kept) = form.widget else { Issue.record("no form"); return }
        #expect(kept.values[0] == "鈴木太郎さ")
        _ = form.update(.text("a\tb\u{1b}\u{7}"))
        guard case .form(let cleaned) = form.widget else { Issue.record("no form"); return }
        #expect(cleaned.values[0] == "a b", "no control characters, typed or pasted")
        _ = form.update(.text(" 鈴木 "))
        #expect(form.update(.submit) == .none)
        guard case .form(let second) = form.widget else { Issue.record("no form"); return }
        #expect(second.focus == 1 && second.focusIsMultiline)
        _ = form.update(.appendLine("一行目"))
        _ = form.update(.appendLine("二行目"))
        _ = form.update(.newline)
        #expect(form.update(.submit) == .answer(.input(["sender": "鈴木", "notes": "一行目\n二行目"])),
                "answers keep no spaces or blank lines around them")
        // The Continue button with a required field left empty: the focus goes back to it.
        var empty = model("form", language)
        _ = empty.update(.focus(-1))
        #expect(empty.update(.submit) == .none)
        guard case .form(let back) = empty.widget else { Issue.record("no form"); return }
        #expect(back.focus == 0 && empty.message == .word(.inputRequired))
    }

    @Test(arguments: languages)
    func networkChecksUntilDisconnected(_ language: String) {
        var network = model("network", language)
        #expect(network.update(.submit) == .checkNetwork, "nothing checked yet")
        _ = network.update(.networkChecked(connected: ["Wi-Fi wlan0"]))
        #expect(network.update(.submit) == .checkNetwork, "still connected: Enter checks again")
        #expect(network.update(.checkAgain) == .checkNetwork)
        _ = network.update(.networkChecked(connected: []))
        #expect(network.update(.submit) == .finishNetwork(gaveUp: false))
        #expect(network.update(.cannotDisconnect) == .finishNetwork(gaveUp: true))
        var drill = model("network", language, drill: true)
        _ = drill.update(.networkChecked(connected: ["eth0"]))
        #expect(drill.update(.submit) == .finishNetwork(gaveUp: false), "a drill continues while connected")
    }

    @Test(arguments: languages)
    func evidenceAsksThenAttachesAndRefuses(_ language: String) {
        var photo = model("photo", language)
        #expect(!photo.isEditingText)
        #expect(photo.update(.submit) == .none)
        #expect(photo.message == .notHere, "there is no preselected answer")
        #expect(photo.update(.no) == .answer(.evidence(EvidenceOutcome(photographed: false))))

        var files = model("files", language, suggestions: ["/home/u/Downloads/a.doc", "/home/u/Desktop/b.eml"])
        _ = files.update(.yes)
        #expect(files.isEditingText)
        #expect(files.update(.submit) == .none)
        #expect(files.message?.text(files.words) == (language == "ja" ? "この項目は必須です。" : "This field is required."))
        for character in "/tmp/x" { _ = files.update(.type(character)) }
        #expect(files.update(.submit) == .attach(path: "/tmp/x"))
        let refusal = Vocabulary(language: language).fileRefusal("/tmp/x", .missing)
        _ = files.update(.notice(refusal))
        #expect(files.message == .text(refusal))
        #expect(refusal == (language == "ja" ? "/tmp/x：ファイルが見つかりません" : "/tmp/x: no such file"))
        #expect(files.update(.pick(3)) == .none)
        #expect(files.message == .notHere)
        _ = files.update(.move(-1))
        guard case .evidence(let picking) = files.widget else { Issue.record("no evidence"); return }
        #expect(picking.suggestion == 1, "↑ starts from the last recent file")
        #expect(files.update(.submit) == .attach(path: "/home/u/Desktop/b.eml"))
        let file = EvidenceFile(name: "b.eml", sha256: "00", size: 1, source: "/home/u/Desktop/b.eml")
        _ = files.update(.attached(file, mail: nil))
        #expect(files.update(.pick(1)) == .attach(path: "/home/u/Downloads/a.doc"))
        #expect(files.update(.submit) == .answer(.evidence(EvidenceOutcome(photographed: true, files: [file]))))
    }

    @Test(arguments: languages)
    func scanAsksBeforeCancelling(_ language: String) {
        var scan = model("scan", language)
        #expect(scan.isRunning)
        #expect(scan.update(.submit) == .none, "nothing to continue with while it runs")
        #expect(scan.update(.back) == .none)
        #expect(scan.overlay == .cancel, "going back while it runs asks whether to cancel")
        #expect(scan.update(.no) == .none)
        #expect(scan.overlay == nil)
        #expect(scan.update(.quit) == .none)
        #expect(scan.overlay == .cancel)
        _ = scan.update(.commandProgress(seconds: 7, lines: ["scanning /home"]))
        #expect(scan.overlay == .cancel, "progress leaves the question open")
        #expect(scan.update(.yes) == .cancelCommand)
        let answer = Answer.scan(ScanOutcome(verdict: .cancelled))
        _ = scan.update(.quit)
        _ = scan.update(.commandFinished(answer, summary: ["The scan was cancelled."], details: []))
        #expect(scan.overlay == nil, "a finished scan leaves nothing to cancel")
        #expect(!scan.isRunning)
        #expect(scan.update(.submit) == .answer(answer))
        #expect(scan.words(.cancelScanAsk) == (language == "ja" ? "ウイルス検査を中止しますか？ (y/n)" : "Cancel the scan? (y/n)"))
    }

    @Test(arguments: languages)
    func collectWaitsThenContinuesWithItsAnswer(_ language: String) {
        var collect = model("collect", language)
        guard case .command(let running) = collect.widget else { Issue.record("no command"); return }
        #expect(!running.isScan && collect.isRunning)
        #expect(collect.update(.quit) == .none && collect.overlay == .cancel, "quitting asks to stop the collection first")
        #expect(collect.update(.no) == .none && collect.overlay == nil)
        let answer = Answer.collect(CollectOutcome(outputs: [CollectOutput(name: "ps", exitCode: 0, outputFile: nil, outputSHA256: nil)]))
        _ = collect.update(.commandFinished(answer, summary: [collect.words(.collectFinished)], details: ["ps: exit 0"]))
        guard case .command(let finished) = collect.widget else { return }
        #expect(finished.summary == [language == "ja" ? "情報の収集が終わりました。" : "The information has been collected."])
        #expect(collect.update(.submit) == .answer(answer))
    }

    /// A notify step's `email_text` / `email_script` replace its text and script while the
    /// contact being tried has no phone (e-mail or a web page only), and only then.
    @Test(arguments: languages)
    func aContactWithoutAPhoneGetsTheEmailWords(_ language: String) throws {
        let book = try playbook("""
            playbook: 1
            id: e
            title: {ja: E, en: E}
            languages: [ja, en]
            contacts:
              it: {name: {ja: 担当, en: IT}, phone: "03-1234-5678", verified: 2026-11-01}
              desk: {name: {ja: 窓口, en: Desk}, email: desk@example.org, verified: 2026-11-01}
              web: {name: {ja: ウェブ, en: Web}, url: "https://example.org/form", verified: 2026-11-01}
            steps:
              - id: call
                type: notify
                contact: it
                fallback: [desk, web]
                title: {ja: 連絡, en: Call}
                text: {ja: 読み上げてください。, en: Read it out.}
                email_text: {ja: メールで送ってください。, en: Send it by e-mail.}
                script: {ja: お電話しました。, en: I am calling.}
                email_script: {ja: ご相談します。, en: I am writing to you.}
              - id: plain
                type: notify
                contact: it
                fallback: [desk]
                title: {ja: 連絡, en: Call}
                text: {ja: 読み上げてください。, en: Read it out.}
                script: {ja: お電話しました。, en: I am calling.}
            """)
        let ja = language == "ja"
        let words = Vocabulary(language: language)
        let contacts = [
            Contact(id: "it", name: LocalizedText(variants: ["ja": "担当", "en": "IT"]), phone: "03-1234-5678"),
            Contact(id: "desk", name: LocalizedText(variants: ["ja": "窓口", "en": "Desk"]), email: "desk@example.org"),
            Contact(id: "web", name: LocalizedText(variants: ["ja": "ウェブ", "en": "Web"]), url: "https://example.org/form"),
        ]
        let cards = contacts.map { NotifyModel.Card(contact: $0, words: words) }
        #expect(cards.map(\.hasPhone) == [true, false, false])
        var call = StepModel(step: try #require(book.step("call")), language: language, render: { $0?.resolved(language) ?? "" },
                             contacts: cards + [cards[0]], clock: { Self.now })
        let phone = (ja ? "読み上げてください。" : "Read it out.", ja ? "お電話しました。" : "I am calling.")
        let email = (ja ? "メールで送ってください。" : "Send it by e-mail.", ja ? "ご相談します。" : "I am writing to you.")
        #expect((call.body, call.script) == phone, "the phone contact first")
        _ = call.update(.noAnswer)
        #expect((call.body, call.script) == email, "the e-mail-only contact")
        _ = call.update(.noAnswer)
        #expect((call.body, call.script) == email, "a web page only: no phone either")
        _ = call.update(.noAnswer)
        #expect((call.body, call.script) == phone, "a phone contact again")

        // Without the keys, every contact gets the step's text and script.
        var plain = StepModel(step: try #require(book.step("plain")), language: language, render: { $0?.resolved(language) ?? "" },
                              contacts: Array(cards.prefix(2)), clock: { Self.now })
        _ = plain.update(.noAnswer)
        #expect((plain.body, plain.script) == phone)
    }

    @Test(arguments: languages)
    func notifyWalksTheChain(_ language: String) {
        var call = model("call", language)
        #expect(call.update(.submit) == .none, "Enter alone records nothing")
        let first = NotifyAttempt(contact: "it", result: .noAnswer, at: Self.now)
        let second = NotifyAttempt(contact: "boss", result: .noAnswer, at: Self.now)
        #expect(call.update(.noAnswer) == .recordAttempt(first), "each try is journaled as it happens")
        guard case .notify(let next) = call.widget else { Issue.record("no notify"); return }
        #expect(next.current?.id == "boss")
        #expect(call.update(.noAnswer) == .recordAttempt(second))
        #expect(call.message?.text(call.words) == (language == "ja" ? "これ以上の連絡先はありません。3 を押して、あとでかけ直してください。"
                                                                  : "There are no more contacts. Press 3 and call again later."))
        #expect(call.update(.reached) == .recordAttempt(NotifyAttempt(contact: "boss", result: .reached, at: Self.now)))
        #expect(call.isEditingText)
        for character in " Tanaka " { _ = call.update(.type(character)) }
        #expect(call.update(.submit) == .answer(.notify(NotifyOutcome(reached: "boss", spokeWith: "Tanaka", at: Self.now, attempts: [
            first, second, NotifyAttempt(contact: "boss", result: .reached, at: Self.now)]))))
        var later = model("call", language)
        #expect(later.update(.noAnswer) == .recordAttempt(first))
        #expect(later.update(.later) == .answer(.notify(NotifyOutcome(reached: nil, spokeWith: "", at: Self.now, attempts: [
            first, NotifyAttempt(contact: "boss", result: .later, at: Self.now)]))), "later: who was being tried")
    }

    @Test func aResumedCallGoesOnWithTheTriesJournaled() {
        var call = model("call", "en")
        guard case .notify(var notify) = call.widget else { Issue.record("no notify"); return }
        notify.resume([NotifyAttempt(contact: "it", result: .noAnswer, at: Self.now)])
        call.widget = .notify(notify)
        guard case .notify(let resumed) = call.widget else { return }
        #expect(resumed.current?.id == "boss", "the contact after the one that did not answer")
        #expect(call.update(.later) == .answer(.notify(NotifyOutcome(reached: nil, spokeWith: "", at: Self.now, attempts: [
            NotifyAttempt(contact: "it", result: .noAnswer, at: Self.now), NotifyAttempt(contact: "boss", result: .later, at: Self.now)]))))
    }

    @Test(arguments: languages)
    func helpAndQuitOverlays(_ language: String) {
        var info = model("info", language)
        _ = info.update(.help)
        #expect(info.overlay == .help && info.help == (language == "ja" ? "ヘルプです" : "Some help"))
        #expect(info.update(.submit) == .none, "any input closes the help, and does nothing else")
        #expect(info.overlay == nil)
        _ = info.update(.quit)
        #expect(info.overlay == .quit)
        #expect(info.update(.submit) == .none && info.overlay == .quit, "the question waits for yes or no")
        #expect(info.update(.no) == .none && info.overlay == nil)
        _ = info.update(.quit)
        #expect(info.update(.yes) == .suspend)
        #expect(info.update(.back) == .back)
    }

    // MARK: Keys typed ahead, keys that do nothing, the end of a walk

    static let criticalBook: Playbook = PlaybookLoader.load(yaml: """
        playbook: 1
        id: critical
        title: {ja: 対応, en: Response}
        languages: [ja, en]
        steps:
          - {id: warn, type: info, critical: true, title: {ja: 電源は切らない, en: Keep it on}}
          - {id: ask, type: confirm, critical: true, title: {ja: 転送しましたか？, en: Did you forward it?}}
          - {id: bye, type: end, title: {ja: 終わり, en: Done}}
        """).value!

    func critical(_ id: String, _ language: String, holds: Bool) -> StepModel {
        StepModel(step: Self.criticalBook.step(id)!, language: language, render: { $0?.resolved(language) ?? "" },
                  holdsEnter: holds, clock: { Self.now })
    }

    @Test(arguments: languages)
    func aCriticalStepHoldsItsEnterUntilItHasBeenOnScreen(_ language: String) {
        var warn = critical("warn", language, holds: true)
        #expect(warn.enterHeld)
        for _ in 0..<10 {
            #expect(warn.update(.submit) == .none, "Enter typed ahead never answers a critical step")
        }
        #expect(warn.message?.text(warn.words) == (language == "ja" ? "大切な内容です。まず、画面をお読みください。"
                                                    : "This is important: please read the screen first."))
        #expect(warn.update(.enterReady) == .none)
        #expect(!warn.enterHeld)
        #expect(warn.message == nil)
        #expect(warn.update(.submit) == .answer(.none))
        // A confirm's own keys answer at once (only Enter is held); plain mode holds nothing.
        var ask = critical("ask", language, holds: true)
        #expect(ask.update(.yes) == .answer(.confirm(.yes)))
        var plain = critical("warn", language, holds: false)
        #expect(!plain.enterHeld)
        #expect(plain.update(.submit) == .answer(.none))
        // A step that is not critical never holds its Enter.
        var info = model("info", language)
        #expect(!info.enterHeld)
    }

    @Test(arguments: languages)
    func aKeyThatDoesNothingGetsAHint(_ language: String) {
        for id in ["info", "yesno", "choice", "network"] {
            var step = model(id, language)
            #expect(step.update(.invalid) == .none)
            #expect(step.message == .notHere, "\(id)")
        }
        // The notify card names its own three keys.
        var call = model("call", language)
        _ = call.update(.invalid)
        #expect(call.message == .word(.notifyKeys))
        // "Not sure" where it is not offered says so too.
        var yesno = model("yesno", language)
        _ = yesno.update(.unsure)
        #expect(yesno.message == .notHere)
        // Enter on the network screen while still connected checks again and says why it stays.
        var network = model("network", language)
        _ = network.update(.networkChecked(connected: ["eth0"]))
        #expect(network.update(.submit) == .checkNetwork)
        #expect(network.message == .word(.networkNotYet))
        _ = network.update(.networkChecked(connected: []))
        #expect(network.message == nil, "once disconnected the reason is gone")
    }

    @Test(arguments: languages)
    func theEndScreenOnlyCloses(_ language: String) {
        var end = critical("bye", language, holds: true)
        #expect(end.update(.back) == .none)
        #expect(end.message == .notHere, "the session is finished: there is no way back")
        #expect(end.update(.quit) == .answer(.none), "q closes as Enter does (nothing is left to save)")
        #expect(end.overlay == nil)
    }

    @Test func aMultiLineFieldEndsOnAnEmptyLine() {
        var form = model("form", "en")
        _ = form.update(.type("S"))
        _ = form.update(.submit)
        guard case .form(let before) = form.widget else { Issue.record("not a form"); return }
        #expect(before.focusIsMultiline)
        _ = form.update(.type("a"))
        #expect(form.update(.newline) == .none)
        _ = form.update(.type("b"))
        #expect(form.update(.newline) == .none)
        // A second Enter in a row ends the field (its empty line dropped) and continues.
        #expect(form.update(.newline) == .answer(.input(["sender": "S", "notes": "a\nb"])))
    }
}
