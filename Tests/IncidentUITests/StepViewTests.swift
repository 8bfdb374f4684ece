import Foundation
import IncidentCore
import Testing
@testable import IncidentUI

/// The full-screen view: every step type rendered at 80×24 and 40×12 in Japanese and English,
/// asserted as screen lines; keys fed through `KeyMap` to the step model.
@Suite struct StepViewTests {
    static let yaml = """
        playbook: 1
        id: screens
        title: {ja: 怪しいメールが届いた・開いてしまった（Emotet）, en: A suspicious e-mail (Emotet)}
        languages: [ja, en]
        contacts:
          it: {name: {ja: 情報システム担当, en: IT administrator}, phone: "03-1234-5678", verified: 2026-11-01}
        steps:
          - id: info
            type: info
            critical: true
            title: {ja: まず、落ち着いてください, en: "First, take a breath"}
            text: {ja: パソコンにつながっているLANケーブルを抜いてください。Wi-Fi（無線LAN）もオフにしてください。電源は入れたままです。終わったら「1」で、もう一度確認できます。, en: "Unplug the LAN cable from the PC and turn Wi-Fi off. Keep the PC switched on. When you are done, press 1 to check again."}
            help: {ja: 電源を切ると、手がかりが消えてしまいます。, en: Turning the PC off erases clues.}
          - id: confirm
            type: confirm
            unsure: true
            title: {ja: 添付ファイルを開きましたか？, en: Did you open the attachment?}
          - id: choice
            type: choice
            title: {ja: 何がありましたか？, en: What happened?}
            options:
              - {value: a, label: {ja: 知っている人から、怪しい添付ファイルのついたメールが届いた（まだ開いていない）, en: A mail from someone I know has a suspicious attachment (not opened yet)}}
              - {value: b, label: {ja: Word・Excelの添付ファイルを開いて「コンテンツの有効化」を押した, en: I opened a Word attachment and clicked Enable Content}}
          - id: checklist
            type: checklist
            require: any
            title: {ja: 確認してください, en: Please check}
            items:
              - {value: cable, label: {ja: LANケーブルを抜いた, en: I unplugged the cable}}
              - {value: wifi, label: {ja: Wi-Fiをオフにした, en: I turned Wi-Fi off}}
          - id: input
            type: input
            title: {ja: メールについて, en: About the mail}
            fields:
              - {id: sender, label: {ja: 差出人, en: Sender}, required: true}
              - {id: notes, label: {ja: メモ, en: Notes}, multiline: true}
          - {id: network, type: network, title: {ja: ネットワークから切り離してください, en: Disconnect the network}}
          - {id: evidence, type: evidence, attach: optional, title: {ja: 写真を撮ってください, en: Take a photo}}
          - {id: scan, type: scan, command: [clamscan], title: {ja: ウイルスを調べます, en: Scanning}}
          - {id: collect, type: collect, commands: [{name: ps, command: [ps]}], title: {ja: 記録しています, en: Recording}}
          - id: notify
            type: notify
            contact: it
            title: {ja: 管理者に電話してください, en: Call the administrator}
            script: {ja: "{{host.name}} の件です。", en: "About {{host.name}}."}
          - {id: finish, type: end, title: {ja: おつかれさまでした, en: Thank you}}
        """

    static let book: Playbook = PlaybookLoader.load(yaml: yaml).value!

    func screen(_ id: String, _ language: String, contacts: [NotifyModel.Card] = [], suggestions: [String] = []) -> Screen {
        let context = PlaceholderContext(language: language, hostName: "PC-01", contacts: Self.book.contacts)
        return Screen(model: StepModel(step: Self.book.step(id)!, language: language,
                                       render: { context.render($0, playbook: Self.book, answers: [:]) }, contacts: contacts,
                                       suggestions: suggestions, clock: { "2026-12-01T10:00:00Z" }))
    }

    let frame = Frame(playbookTitle: "怪しいメールが届いた・開いてしまった（Emotet）", stepNumber: 3, stepTotal: 14, clock: "12:34:56")

    /// The invariants every rendered screen keeps.
    func checkInvariants(_ buffer: ScreenBuffer) {
        for (row, line) in buffer.lines.enumerated() {
            #expect(DisplayWidth.of(line) <= buffer.width, "row \(row) overflows: \(line)")
            let trimmed = line.drop { $0 == " " }
            for forbidden in ["。", "、", "」", "ー", "っ", "）"] {
                #expect(!trimmed.hasPrefix(forbidden) || row == 0, "row \(row) starts with \(forbidden): \(line)")
            }
            for column in 0..<buffer.width where buffer.cell(row: row, column: column).isContinuation {
                #expect(column > 0 && !buffer.cell(row: row, column: column - 1).isContinuation, "half a wide character")
            }
        }
    }

    static let ids = ["info", "confirm", "choice", "checklist", "input", "network", "evidence", "scan", "collect", "notify", "finish"]

    @Test(arguments: ids)
    func everyStepTypeRendersInBothLanguagesAndSizes(_ id: String) {
        for language in ["ja", "en"] {
            for (width, height) in [(80, 24), (40, 12)] {
                var screen = screen(id, language, contacts: [.init(id: "it", lines: ["情報システム担当", "電話: 03-1234-5678"])])
                _ = screen.model.update(.networkChecked(connected: ["有線 LAN eth0 (192.0.2.2)"]))
                _ = screen.model.update(.commandProgress(seconds: 3, lines: []))
                let buffer = screen.render(frame, width: width, height: height)
                checkInvariants(buffer)
                let lines = buffer.lines
                #expect(lines[0].contains(language == "ja" ? "手順 3/14" : "Step 3/14"), "\(lines[0])")
                #expect(lines[0].contains("12:34:56"))
                let title = Self.book.step(id)!.title.resolved(language)
                #expect(lines.contains { $0.contains(TextWrapper.wrap(title, width: width - 4)[0]) }, "\(id) \(language) \(width): title")
                // A running command's footer offers cancelling it instead of going back.
                let escape = ["scan", "collect"].contains(id) ? (language == "ja" ? "中止" : "stop") : (language == "ja" ? "戻る" : "back")
                let footer = lines[height - 2] + lines[height - 1]
                // The last screen has no way back: the session is finished there.
                #expect(footer.contains(escape) == (id != "finish"), "footer: \(footer)")
                for word in language == "ja" ? ["ヘルプ", "中断"] : ["help", "quit"] {
                    #expect(footer.contains(word), "every key keeps its meaning: \(footer)")
                }
            }
        }
    }

    /// A followed scan: the bar and its percentage, the count, the time left, at both sizes and
    /// in both languages; while counting, no percentage; at the verdict, 100 % beside the result.
    @Test(arguments: ["ja", "en"])
    func aFollowedScanShowsHowFarItIs(_ language: String) {
        let ja = language == "ja"
        for (width, height) in [(80, 24), (40, 12)] {
            var screen = screen("scan", language)
            _ = screen.model.update(.commandProgress(seconds: 75, lines: ["/home/u/a.txt: OK"],
                                                     progress: ScanProgress(done: 1_536, total: nil)))
            var lines = screen.render(frame, width: width, height: height).lines
            checkInvariants(screen.render(frame, width: width, height: height))
            #expect(lines.contains { $0.contains("1,536") }, "\(lines)")
            #expect(!lines.contains { $0.contains("%") }, "no percentage while counting: \(lines)")
            _ = screen.model.update(.commandProgress(seconds: 95, lines: ["/home/u/b.txt: OK"],
                                                     progress: ScanProgress(done: 12_345, total: 20_000, secondsLeft: 1_500)))
            let buffer = screen.render(frame, width: width, height: height)
            checkInvariants(buffer)
            lines = buffer.lines
            #expect(lines.contains { $0.contains("█") && $0.contains("░") && $0.hasSuffix(" 61%") || $0.contains(" 61%") && $0.contains("█") },
                    "the bar and its figure: \(lines)")
            #expect(lines.joined().contains(ja ? "12,345件" : "12,345 of"), "\(lines)")
            #expect(lines.joined().contains(ja ? "あと25分ほどかかります" : "About 25 minutes left"), "\(lines)")
            #expect(lines.joined().contains("1:35"), "the clock still runs: \(lines)")
            let footer = lines[height - 2] + lines[height - 1]
            #expect(footer.contains(ja ? "中止" : "stop"))
            _ = screen.model.update(.commandFinished(.scan(ScanOutcome(verdict: .clean)), summary: [ja ? "ウイルスは見つかりませんでした。" : "No virus was found."],
                                                     details: [], progress: ScanProgress(done: 20_000, total: 20_000, complete: true)))
            lines = screen.render(frame, width: width, height: height).lines
            #expect(lines.joined().contains(ja ? "ウイルスは見つかりませんでした" : "No virus was found"), "\(lines)")
            if height >= 24 {
                #expect(lines.contains { $0.contains("100%") && $0.contains("██████████") }, "\(lines)")
                #expect(lines.joined().contains(ja ? "20,000件をすべて調べました。" : "All 20,000 files were checked."), "\(lines)")
                #expect(!lines.joined().contains(ja ? "かかります" : "left"))
            }
        }
    }

    @Test func infoScreenJapaneseAt80x24() {
        let buffer = screen("info", "ja").render(frame, width: 80, height: 24)
        #expect(buffer.lines[0].hasPrefix(" 怪しいメールが届いた・開いてしまった（Emotet）"))
        #expect(buffer.lines[0].hasSuffix("手順 3/14  12:34:56"))
        #expect(buffer.lines[2] == "  【重要】まず、落ち着いてください", "a warning mark that reads as a word")
        #expect(buffer.style(row: 2, column: 2) == .critical)
        // "…もオフ" is 75 columns; with "に" it would be 77, more than the 76 inside the margins.
        #expect(buffer.lines[4] == "  パソコンにつながっているLANケーブルを抜いてください。Wi-Fi（無線LAN）もオフ")
        #expect(buffer.lines[5] == "  にしてください。電源は入れたままです。終わったら「1」で、もう一度確認できま")
        #expect(buffer.lines[6] == "  す。")
        #expect(buffer.lines[8] == "  [ 次へ ]")
        #expect(buffer.lines[23] == " Enter 次へ · Esc 戻る · ? ヘルプ · q 中断")
    }

    @Test func latinWordsStayWholeAt40Columns() {
        let buffer = screen("info", "en").render(frame, width: 40, height: 12)
        checkInvariants(buffer)
        let text = buffer.lines.joined(separator: "\n")
        #expect(text.contains("Wi-Fi"))
        for line in buffer.lines { #expect(!line.hasSuffix("Wi-") && !line.hasPrefix("  Fi ")) }
        // The body does not fit: the screen says there is more behind ?.
        #expect(text.contains("(more with ?)") || text.contains("check again"))
    }

    @Test func aQuestionOutsideAPlaybookHasNoStepCount() {
        let menu = Frame(playbookTitle: "incident-wizard", stepNumber: 0, stepTotal: 0, clock: "12:00:00")
        let header = screen("choice", "en").render(menu, width: 80, height: 24).lines[0]
        #expect(header.hasSuffix("12:00:00"))
        #expect(!header.contains("Step"))
    }

    @Test func belowFortyByTwelveAsksToEnlarge() {
        for (width, height) in [(39, 24), (80, 11), (20, 6)] {
            let buffer = screen("choice", "ja").render(frame, width: width, height: height)
            checkInvariants(buffer)
            #expect(buffer.lines.joined().contains("大きく"), "\(buffer.lines)")
        }
        let english = screen("choice", "en").render(frame, width: 20, height: 6)
        #expect(english.lines.joined(separator: " ").contains("enlarge"))
    }

    /// A choice longer than its room scrolls with the highlight: at 40×12 the shipped Emotet first
    /// choice (five long options), and a 40-option list at 80×24. The highlighted option is always
    /// on screen, and a mark says where more options are.
    @Test(arguments: ["ja", "en"])
    func longChoiceListsScrollWithTheHighlight(_ language: String) throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("playbooks/emotet.yaml")
        let emotet = try #require(PlaybookLoader.load(try Data(contentsOf: url), path: url.path).value)
        let many = (1...40).map { "      - {value: o\($0), label: {ja: 選択肢その\($0), en: Option number \($0)}}" }.joined(separator: "\n")
        let long = try #require(PlaybookLoader.load(yaml: """
            playbook: 1
            id: long
            title: Long
            languages: [ja, en]
            steps:
              - id: pick
                type: choice
                title: {ja: どれですか？, en: Which one?}
                options:
            \(many)
            """).value)
        for (step, width, height) in [(try #require(emotet.step("what-happened")), 40, 12), (try #require(long.step("pick")), 80, 24)] {
            guard case .choice(let options) = step.kind else { Issue.record("not a choice"); return }
            var screen = Screen(model: StepModel(step: step, language: language, render: { $0?.resolved(language) ?? "" },
                                                 clock: { "" }))
            let fresh = screen.render(frame, width: width, height: height).lines
            #expect(!fresh.contains { $0.contains("> ") }, "nothing is highlighted before the first ↓")
            for index in 0..<options.count {
                _ = screen.handle(.down)
                let buffer = screen.render(frame, width: width, height: height)
                checkInvariants(buffer)
                let text = buffer.lines.joined(separator: "\n")
                #expect(buffer.lines.contains { $0.contains("> \(index + 1). ") }, "\(width)x\(height): option \(index + 1) highlighted but not shown:\n\(text)")
                let words = Vocabulary(language: language)
                if index < options.count - 1 || options.count > 30 {
                    #expect(text.contains(words(.moreBelow)) || text.contains(words(.moreAbove)), "no mark:\n\(text)")
                }
            }
        }
    }

    @Test func choiceKeys() {
        var choice = screen("choice", "en")
        #expect(choice.handle(.character("2")) == .answer(.choice("b")))
        #expect(choice.handle(.character("3")) == .none)
        #expect(choice.model.message == .notHere, "a number with no option says so")
        #expect(choice.handle(.down) == .none)
        #expect(choice.highlighted == 0, "down from option 2 wraps to option 1")
        #expect(choice.handle(.down) == .none)
        #expect(choice.highlighted == 1)
        #expect(choice.handle(.character("k")) == .none)
        #expect(choice.handle(.enter) == .answer(.choice("a")))
        let rendered = choice.render(frame, width: 80, height: 24).lines
        #expect(rendered.contains("  > 1. A mail from someone I know has a suspicious attachment (not opened yet)"))
    }

    @Test func confirmKeys() {
        var confirm = screen("confirm", "ja")
        #expect(confirm.handle(.character("u")) == .answer(.confirm(.unsure)))
        #expect(confirm.handle(.enter) == .none, "nothing is preselected: Enter alone answers nothing")
        #expect(confirm.render(frame, width: 80, height: 24).lines.contains { $0.contains("y（はい）") }, "it says which keys answer")
        #expect(confirm.handle(.character("ｙ")) == .answer(.confirm(.yes)), "full-width y (the input method on) is y")
        #expect(confirm.handle(.down) == .none)
        #expect(confirm.handle(.down) == .none)
        #expect(confirm.handle(.enter) == .answer(.confirm(.no)))
        #expect(confirm.handle(.character("y")) == .answer(.confirm(.yes)))
        #expect(confirm.render(frame, width: 80, height: 24).lines.contains("    わからない (u)"))
    }

    @Test func checklistKeysAndRequirement() {
        var list = screen("checklist", "en")
        #expect(list.handle(.enter) == .none)
        #expect(list.message == "Please tick at least one item.")
        #expect(list.render(frame, width: 80, height: 24).lines.contains("  Please tick at least one item."))
        #expect(list.handle(.character(" ")) == .none)
        #expect(list.handle(.character("2")) == .none)
        #expect(list.render(frame, width: 80, height: 24).lines.contains("  > [x] 2. I turned Wi-Fi off"))
        #expect(list.handle(.enter) == .answer(.checklist(["cable", "wifi"])))
    }

    @Test func inputFieldsWithJapaneseBackspaceAndCursor() {
        var input = screen("input", "ja")
        #expect(input.isEditingText)
        #expect(input.handle(.enter) == .none, "Enter on an empty required field says it is required")
        #expect(input.message == "この項目は必須です。")
        #expect(input.focus == 0)
        #expect(input.handle(.tab) == .none, "Tab moves on regardless")
        #expect(input.focus == 1)
        #expect(input.handle(.backTab) == .none)
        for character in "鈴木q?" { _ = input.handle(.character(character)) }
        #expect(input.fields[0] == "鈴木q?", "letters are text inside a field")
        _ = input.handle(.backspace)
        _ = input.handle(.backspace)
        #expect(input.fields[0] == "鈴木")
        let buffer = input.render(frame, width: 80, height: 24)
        let row = buffer.lines.firstIndex(of: "  > 鈴木")!
        #expect(buffer.cursor == ScreenBuffer.CursorPosition(row: row, column: 8), "after two wide characters: 2 + 2 + 4")
        _ = input.handle(.backspace)
        _ = input.handle(.backspace)
        #expect(input.fields[0].isEmpty)
        _ = input.handle(.tab)
        _ = input.handle(.tab)
        #expect(input.focus == 2)
        #expect(input.handle(.enter) == .none)
        #expect(input.message == "この項目は必須です。")
        #expect(input.focus == 0)
        _ = input.handle(.character("A"))
        _ = input.handle(.enter)
        for character in "一行目" { _ = input.handle(.character(character)) }
        _ = input.handle(.enter)
        _ = input.handle(.character("2"))
        #expect(input.fields[1] == "一行目\n2", "Enter breaks the line in a multi-line field")
        _ = input.handle(.tab)
        #expect(input.handle(.enter) == .answer(.input(["sender": "A", "notes": "一行目\n2"])))
    }

    @Test func quitAndHelpOverlays() {
        var info = screen("info", "en")
        #expect(info.handle(.character("?")) == .none)
        #expect(info.overlay == .help)
        #expect(info.render(frame, width: 80, height: 24).lines.joined().contains("Turning the PC off erases clues."))
        #expect(info.handle(.character("x")) == .none)
        #expect(info.overlay == nil)
        #expect(info.handle(.interrupt) == .none)
        #expect(info.render(frame, width: 80, height: 24).lines.joined().contains("Quit? Your answers so far are saved."))
        #expect(info.handle(.character("n")) == .none)
        #expect(info.handle(.character("q")) == .none)
        #expect(info.handle(.character("y")) == .suspend)
        #expect(screen("choice", "en").handleCopy(.escape) == .back)
        var escapeCloses = screen("info", "en")
        _ = escapeCloses.handle(.character("q"))
        #expect(escapeCloses.handle(.escape) == .none && escapeCloses.model.overlay == nil, "Esc closes the question")
    }

    @Test func networkEvidenceNotifyAndCommandKeys() {
        var network = screen("network", "en")
        #expect(network.handle(.enter) == .checkNetwork, "nothing checked yet: Enter checks")
        #expect(network.handle(.character("1")) == .checkNetwork)
        #expect(network.handle(.character("2")) == .finishNetwork(gaveUp: true))
        _ = network.model.update(.networkChecked(connected: ["Wi-Fi wlan0 is still on (192.0.2.5)"]))
        #expect(network.handle(.enter) == .checkNetwork, "still connected: Enter checks again")
        #expect(network.render(frame, width: 80, height: 24).lines.contains("    Wi-Fi wlan0 is still on (192.0.2.5)"))
        _ = network.model.update(.networkChecked(connected: []))
        #expect(network.handle(.enter) == .finishNetwork(gaveUp: false))
        #expect(network.render(frame, width: 80, height: 24).lines.contains("  The PC is disconnected from the network."))

        var evidence = screen("evidence", "en")
        #expect(evidence.handle(.character("y")) == .none)
        for character in "/tmp/mail.eml" { _ = evidence.handle(.character(character)) }
        #expect(evidence.handle(.enter) == .attach(path: "/tmp/mail.eml"))
        _ = evidence.model.update(.attached(EvidenceFile(name: "mail.eml", sha256: String(repeating: "ab", count: 32), size: 3,
                                                        source: "/tmp/mail.eml"), mail: "Mail \"Invoice\": headers and 1 attachment(s) recorded (not opened)."))
        let attachedLines = evidence.render(frame, width: 80, height: 24).lines
        #expect(attachedLines.contains("    + mail.eml  sha256:abababababababab…"), "\(attachedLines)")
        #expect(attachedLines.contains { $0.contains("Mail \"Invoice\"") })
        #expect(evidence.handle(.enter) == .answer(.evidence(EvidenceOutcome(photographed: true, files: [
            EvidenceFile(name: "mail.eml", sha256: String(repeating: "ab", count: 32), size: 3, source: "/tmp/mail.eml")]))))

        // A recent file is picked with ↑/↓ and Enter; typing clears the pick.
        var picking = screen("evidence", "ja", suggestions: ["/home/u/Downloads/請求書.doc", "/home/u/Desktop/mail.eml"])
        _ = picking.handle(.character("y"))
        #expect(picking.handle(.up) == .none && picking.suggestion == 1)
        let shown = picking.render(frame, width: 80, height: 24).lines
        #expect(shown.contains { $0.hasPrefix("  最近のファイル") }, "\(shown)")
        #expect(shown.contains("  > /home/u/Desktop/mail.eml"), "\(shown)")
        #expect(shown.last?.contains("↑↓ ファイルを選ぶ") == true, "\(shown)")
        #expect(picking.handle(.enter) == .attach(path: "/home/u/Desktop/mail.eml"))
        #expect(picking.suggestions == ["/home/u/Downloads/請求書.doc"] && picking.suggestion == nil)
        #expect(picking.handle(.down) == .none && picking.suggestion == 0)
        _ = picking.handle(.character("x"))
        #expect(picking.suggestion == nil)
        _ = picking.handle(.backspace)
        #expect(picking.handle(.enter) == .answer(.evidence(EvidenceOutcome(photographed: true))))

        var notify = screen("notify", "en", contacts: [.init(id: "it", lines: ["IT administrator"])])
        #expect(notify.render(frame, width: 80, height: 24).lines.contains("    About PC-01."))
        let noAnswer = NotifyAttempt(contact: "it", result: .noAnswer, at: "2026-12-01T10:00:00Z")
        #expect(notify.handle(.character("2")) == .recordAttempt(noAnswer))
        #expect(notify.message != nil, "no fallback left")
        let reached = NotifyAttempt(contact: "it", result: .reached, at: "2026-12-01T10:00:00Z")
        #expect(notify.handle(.character("1")) == .recordAttempt(reached), "journaled before the name is typed")
        #expect(notify.handle(.escape) == .none && !notify.isEditingText, "Esc goes back to the card, not to the last step")
        #expect(notify.handle(.character("1")) == .none, "the same call is not a second try")
        for character in "Tanaka" { _ = notify.handle(.character(character)) }
        #expect(notify.handle(.enter) == .answer(.notify(NotifyOutcome(reached: "it", spokeWith: "Tanaka", at: "2026-12-01T10:00:00Z",
                                                                       attempts: [noAnswer, NotifyAttempt(contact: "it", result: .reached,
                                                                                                          at: "2026-12-01T10:00:00Z")]))))
        #expect(screen("notify", "en", contacts: [.init(id: "it", lines: ["IT administrator"])]).handleCopy(.character("3"))
                == .answer(.notify(NotifyOutcome(reached: nil, spokeWith: "", at: "2026-12-01T10:00:00Z",
                                                 attempts: [NotifyAttempt(contact: "it", result: .later, at: "2026-12-01T10:00:00Z")]))))

        var scan = screen("scan", "en")
        #expect(scan.handle(.enter) == .none, "nothing to continue with while it runs")
        #expect(scan.handle(.escape) == .none)
        #expect(scan.overlay == .cancel)
        #expect(scan.render(frame, width: 80, height: 24).lines.joined().contains("Cancel the scan? (y/n)"))
        #expect(scan.handle(.character("y")) == .cancelCommand)
        _ = scan.model.update(.commandFinished(.scan(ScanOutcome(verdict: .cancelled)), summary: ["The scan was cancelled."], details: []))
        #expect(scan.render(frame, width: 80, height: 24).lines.contains("  The scan was cancelled."))
        #expect(scan.handle(.enter) == .answer(.scan(ScanOutcome(verdict: .cancelled))))
    }

    @Test func aLongCallScriptGivesWayToTheInstruction() {
        let script = (1...14).map { "Script line \($0) of what to say on the phone." }.joined(separator: "\n")
        let book = PlaybookLoader.load(yaml: """
            playbook: 1
            id: call
            title: Call
            languages: [en]
            contacts: {it: {name: IT, phone: "1"}}
            steps:
              - id: call
                type: notify
                contact: it
                title: Call the administrator
                text: "Please call the administrator now.\\nDo not forward the mail.\\nRead out the text below."
                script: "\(script.replacingOccurrences(of: "\n", with: "\\n"))"
            """).value!
        var screen = Screen(model: StepModel(step: book.steps[0], language: "en", render: { $0?.resolved("en") ?? "" },
                                             contacts: [.init(id: "it", lines: ["IT", "Phone: 1"])], clock: { "" }))
        let lines = screen.render(frame, width: 80, height: 24).lines
        #expect(lines.contains("  Please call the administrator now."), "\(lines.joined(separator: "\n"))")
        #expect(lines.contains("  Read out the text below."), "the whole instruction stays: \(lines.joined(separator: "\n"))")
        #expect(lines.contains("  … (press ? to see all)"))
        #expect(lines.contains("    Phone: 1"))
        #expect(lines.contains("    Script line 1 of what to say on the phone."))
        _ = screen.handle(.character("?"))
        #expect(screen.render(frame, width: 80, height: 24).lines.joined().contains("Script line 3"))
    }

    @Test func untrustedTextIsNeutralisedOnScreen() {
        let book = PlaybookLoader.load(yaml: "playbook: 1\nid: x\ntitle: X\nlanguages: [en]\nsteps:\n  - {id: a, type: info, title: \"Hi \\e]0;pwned\\a\\e[2J there\"}\n").value!
        let screen = Screen(model: StepModel(step: book.steps[0], language: "en", render: { $0?.resolved("en") ?? "" }, clock: { "" }))
        let buffer = screen.render(Frame(playbookTitle: "T\u{1b}[31m", stepNumber: 1, stepTotal: 1, clock: ""), width: 80, height: 24)
        #expect(buffer.lines[2] == "  Hi ^[]0;pwned^G^[[2J there")
        #expect(buffer.lines[0].hasPrefix(" T^[[31m"))
        for line in buffer.lines { #expect(!line.unicodeScalars.contains { $0.value < 0x20 }) }
    }
}

extension StepViewTests {
    func model(_ id: String, _ language: String, holds: Bool) -> StepModel {
        let context = PlaceholderContext(language: language, hostName: "PC-01", contacts: Self.book.contacts)
        return StepModel(step: Self.book.step(id)!, language: language, render: { context.render($0, playbook: Self.book, answers: [:]) },
                         holdsEnter: holds, clock: { "2026-12-01T10:00:00Z" })
    }

    /// A critical screen names its Enter only once it works; before, Enter says "read first".
    @Test(arguments: ["ja", "en"])
    func aCriticalScreenNamesItsEnterOnceItWorks(_ language: String) {
        var screen = Screen(model: model("info", language, holds: true))
        var lines = screen.render(frame, width: 80, height: 24).lines
        #expect(!lines[23].contains("Enter"), "held: \(lines[23])")
        #expect(screen.handle(.enter) == .none)
        lines = screen.render(frame, width: 80, height: 24).lines
        #expect(lines.contains { $0.contains(language == "ja" ? "まず、画面をお読みください" : "please read the screen first") })
        _ = screen.model.update(.enterReady)
        lines = screen.render(frame, width: 80, height: 24).lines
        #expect(lines[23].contains("Enter"), "ready: \(lines[23])")
        #expect(screen.handle(.enter) == .answer(.none))
    }

    /// A key that does nothing is answered on screen with the keys that work there.
    @Test(arguments: ["ja", "en"])
    func aKeyThatDoesNothingNamesTheKeysThatWork(_ language: String) {
        for (id, key) in [("confirm", Key.character("x")), ("network", .enter), ("info", .character("z")), ("choice", .right)] {
            var screen = screen(id, language)
            _ = screen.model.update(.networkChecked(connected: ["eth0"]))
            _ = screen.handle(key)
            let text = screen.render(frame, width: 80, height: 24).lines.joined(separator: "\n")
            if id == "network" {
                #expect(text.contains(language == "ja" ? "まだネットワークにつながっています。LAN ケーブルを抜き" : "still connected. Unplug the LAN cable"), "\(text)")
            } else {
                #expect(text.contains(language == "ja" ? "そのキーは、この画面では使えません" : "That key does nothing here"), "\(id): \(text)")
            }
        }
    }

    /// A multi-line field: Enter is a new line there, and the footer says so (and F1, not ?, for
    /// the help: `?` is text in a field).
    @Test(arguments: ["ja", "en"])
    func aMultiLineFieldSaysWhatEnterDoes(_ language: String) {
        var screen = screen("input", language)
        _ = screen.handle(.character("S"))
        _ = screen.handle(.enter)
        let lines = screen.render(frame, width: 80, height: 24).lines
        let footer = lines[22] + lines[23]
        #expect(footer.contains(language == "ja" ? "改行" : "new line"), "\(footer)")
        #expect(!footer.contains(language == "ja" ? "Enter 次へ" : "Enter next") && !footer.contains(language == "ja" ? "Enter:次へ" : "Enter:next"))
        #expect(footer.contains("F1"))
        #expect(!lines.contains { $0.contains("? キー") || $0.contains("more with ?") })
    }

    /// What is still connected wraps at 40 columns instead of being cut.
    @Test func aLongConnectionLineWraps() {
        var screen = screen("network", "ja")
        let address = "有線 LAN enp0s31f6（fe80::1c2d:3e4f:5a6b:db94%enp0s31f6、192.0.2.15）"
        _ = screen.model.update(.networkChecked(connected: [address]))
        let lines = screen.render(frame, width: 40, height: 24).lines
        #expect(lines.contains { $0.contains("db94%") } || lines.joined().replacingOccurrences(of: " ", with: "").contains("db94%enp0s31f6"),
                "\(lines.joined(separator: "\n"))")
        #expect(lines.joined().replacingOccurrences(of: " ", with: "").contains("192.0.2.15"), "the end of the line is not cut")
    }
}

extension StepViewTests {
    /// At 40×12 the notify card keeps the step's instruction (its first line) and the number to
    /// call; the check code gives way first (it is in the help), and a message is never hidden
    /// behind the "more" mark.
    @Test(arguments: ["ja", "en"])
    func aSmallNotifyCardKeepsItsInstruction(_ language: String) {
        let book = PlaybookLoader.load(yaml: """
            playbook: 1
            id: small
            title: {ja: 怪しいメールが届いた・開いてしまった（Emotet）, en: A suspicious e-mail (Emotet)}
            languages: [ja, en]
            contacts:
              it: {name: {ja: 情報システム担当（要記入）, en: IT administrator (to fill in)}, phone: "03-1234-5678", verified: 2026-11-01}
            steps:
              - id: call
                type: notify
                contact: it
                title: {ja: 管理者に電話で知らせてください, en: Call the administrator now}
                text: {ja: "このパソコンからは、メールで知らせないでください。\\n下の文を、そのまま読み上げれば大丈夫です。", en: "Do not send an e-mail from this PC.\\nYou can simply read out the text below."}
                script: {ja: 怪しいメールの件でお電話しました。, en: I am calling about a suspicious e-mail.}
            """).value!
        let card = NotifyModel.Card(id: "it", lines: [language == "ja" ? "情報システム担当（要記入）" : "IT administrator (to fill in)",
                                                      (language == "ja" ? "電話" : "Phone") + ": 03-1234-5678"])
        var model = StepModel(step: book.step("call")!, language: language, render: { $0?.resolved(language) ?? "" },
                              contacts: [card], clock: { "2026-12-01T10:00:00Z" })
        model.checkCode = "ABCD-EFGH"
        var screen = Screen(model: model)
        let lines = screen.render(frame, width: 40, height: 12).lines
        let instruction = language == "ja" ? "このパソコンからは" : "Do not send an e-mail"
        #expect(lines.contains { $0.contains(instruction) }, "\(lines.joined(separator: "\n"))")
        #expect(lines.contains { $0.contains("03-1234-5678") })
        #expect(StepView(screen.model).helpLines(width: 60).joined().contains("ABCD-EFGH"), "the code is in the help")
        _ = screen.handle(.character("x"))
        let after = screen.render(frame, width: 40, height: 12).lines.joined(separator: "\n")
        #expect(after.replacingOccurrences(of: "\n", with: "").replacingOccurrences(of: " ", with: "")
                    .contains(language == "ja" ? "1、2、3のどれかの番号で答えてください" : "Pleaseanswerwith1,2or3"), "\(after)")
    }
}

/// A step model on the full screen, for the tests: keys through `KeyMap`, drawn by `StepView`.
struct Screen {
    var model: StepModel

    /// The effect of `key` (nothing for a key `KeyMap` does not map).
    mutating func handle(_ key: Key) -> StepEffect {
        guard let input = KeyMap.input(for: key, in: model) else { return .none }
        return model.update(input)
    }

    /// `handle` on a copy, for one-key assertions.
    func handleCopy(_ key: Key) -> StepEffect {
        var copy = self
        return copy.handle(key)
    }

    func render(_ frame: Frame, width: Int, height: Int) -> ScreenBuffer {
        StepView(model).render(frame, width: width, height: height)
    }

    var overlay: StepModel.Overlay? { model.overlay }
    var isEditingText: Bool { model.isEditingText }
    var message: String? { model.message?.text(model.words) }

    var highlighted: Int? {
        switch model.widget {
        case .confirm(let confirm): return confirm.highlighted
        case .choice(let choice): return choice.highlighted
        case .checklist(let checklist): return checklist.highlighted
        default: return 0
        }
    }

    var form: FormModel? { if case .form(let form) = model.widget { return form }; return nil }
    var fields: [String] { form?.values ?? [] }
    var focus: Int { form?.focus ?? 0 }

    var evidence: EvidenceModel? { if case .evidence(let evidence) = model.widget { return evidence }; return nil }
    var suggestions: [String] { evidence?.suggestions ?? [] }
    var suggestion: Int? { evidence?.suggestion }
}
