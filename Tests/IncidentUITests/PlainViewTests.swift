import Foundation
import IncidentCore
import Testing
@testable import IncidentUI

/// Plain mode's view: typed lines through `LineMap` to the step model, and what `PlainView` prints
/// of the model — the same decisions as the full screen, as lines.
@Suite struct PlainViewTests {
    let book = StepViewTests.book
    let frame = Frame(playbookTitle: "Emotet", stepNumber: 2, stepTotal: 9, clock: "")

    func model(_ id: String, _ language: String, contacts: [NotifyModel.Card] = [], suggestions: [String] = []) -> StepModel {
        let context = PlaceholderContext(language: language, hostName: "PC-01", contacts: book.contacts)
        return StepModel(step: book.step(id)!, language: language, render: { context.render($0, playbook: StepViewTests.book, answers: [:]) },
                         contacts: contacts, suggestions: suggestions, clock: { "2026-12-01T10:00:00Z" })
    }

    /// Feeds a typed line as plain mode does: its inputs in order, stopping at one that is refused.
    func type(_ line: String, into model: inout StepModel, fileExists: (String) -> Bool = { _ in false }) -> (StepEffect, [String]) {
        var printed: [String] = []
        var effect = StepEffect.none
        for input in LineMap.inputs(for: line, in: model, fileExists: fileExists) {
            let before = model
            effect = model.update(input)
            printed += PlainView.changes(from: before, to: model, after: input)
            if effect != .none || model.message != nil { break }
        }
        return (effect, printed)
    }

    @Test func theOpeningShowsHeaderTitleTextAndOptions() {
        let lines = PlainView.opening(model("choice", "ja"), frame: frame)
        #expect(lines[1] == "== Emotet — 手順 2/9 ==")
        #expect(lines[2] == "何がありましたか？")
        #expect(lines[3] == "  1) 知っている人から、怪しい添付ファイルのついたメールが届いた（まだ開いていない）")
        #expect(PlainView.prompt(model("choice", "ja")) == ["> 番号を入力して Enter を押してください。"])
        let critical = PlainView.opening(model("info", "en"), frame: Frame(playbookTitle: "E", stepNumber: 1, stepTotal: 9, clock: "", drill: true))
        #expect(critical[1] == "== [DRILL] E — Step 1/9 ==" && critical[2] == "Important: First, take a breath")
    }

    @Test(arguments: ["ja", "en"])
    func confirmTakesEitherLanguagesWordsAndFullWidthLetters(_ language: String) {
        var confirm = model("confirm", language)
        for (line, answer) in [("y", ConfirmAnswer.yes), ("ｙ", .yes), ("はい", .yes), ("No", .no), ("いいえ", .no), ("u", .unsure), ("わからない", .unsure)] {
            var copy = confirm
            #expect(type(line, into: &copy).0 == .answer(.confirm(answer)), "\(line)")
        }
        let (effect, printed) = type("maybe", into: &confirm)
        #expect(effect == .none)
        #expect(printed == [language == "ja" ? "その答えは使えません。" : "That answer is not available here."])
        #expect(type("", into: &confirm).0 == .none, "an empty line picks nothing")
    }

    @Test func checklistNumbersOnOneLine() {
        var list = model("checklist", "en")
        let (effect, printed) = type("", into: &list)
        #expect(effect == .none && printed == ["Please tick at least one item."])
        #expect(type("3", into: &list).1 == ["That answer is not available here."])
        #expect(type("2, 1", into: &list).0 == .answer(.checklist(["cable", "wifi"])))
    }

    @Test func inputFieldsAreAskedInTurnAndMultiLineEndsWithAnEmptyLine() {
        var form = model("input", "ja")
        #expect(PlainView.prompt(form) == ["> 差出人 *"])
        #expect(type("", into: &form).1 == ["この項目は必須です。"])
        #expect(type("q", into: &form).0 == .none, "letters in a field are text, not quit")
        #expect(PlainView.prompt(form) == ["メモ", "> 入力して Enter を押してください。（空のまま Enter で次へ進みます）"])
        _ = type("一行目", into: &form)
        #expect(PlainView.prompt(form) == ["メモ [一行目]", "> 入力して Enter を押してください。（空のまま Enter で次へ進みます）"],
                "the text so far is shown")
        _ = type("二行目", into: &form)
        #expect(type("", into: &form).0 == .answer(.input(["sender": "q", "notes": "一行目\n二行目"])))
    }

    @Test func escapeGoesBackEvenInAField() {
        var form = model("input", "en")
        #expect(type("\u{1b}", into: &form).0 == .back)
        var choice = model("choice", "en")
        #expect(type("<", into: &choice).0 == .back)
    }

    @Test func helpAndQuitAreAskedAsLines() {
        var info = model("info", "en")
        let (_, help) = type("?", into: &info)
        #expect(help == ["Turning the PC off erases clues."])
        #expect(info.overlay == nil, "the help is printed, not left open")
        _ = type("q", into: &info)
        #expect(PlainView.prompt(info) == ["> Quit? Your answers so far are saved. (y/n)"])
        #expect(type("n", into: &info).0 == .none && info.overlay == nil)
        _ = type("q", into: &info)
        #expect(type("はい", into: &info).0 == .suspend)
    }

    @Test func evidenceNumbersPickRecentFilesUnlessSuchAFileExists() {
        var evidence = model("evidence", "en", suggestions: ["/home/u/Downloads/a.doc"])
        #expect(type("", into: &evidence).1 == ["That answer is not available here."], "no preselected answer")
        _ = type("y", into: &evidence)
        #expect(PlainView.prompt(evidence) == ["Recent files (type a number to attach one):", "  1) /home/u/Downloads/a.doc",
                                               "> Type the path of a file to attach, one per line (an empty line ends)."])
        var copy = evidence
        #expect(type("1", into: &copy, fileExists: { $0 == "1" }).0 == .attach(path: "1"))
        #expect(type("1", into: &evidence).0 == .attach(path: "/home/u/Downloads/a.doc"))
        let before = evidence
        _ = evidence.update(.attached(EvidenceFile(name: "a.doc", sha256: "ab", size: 1, source: "/home/u/Downloads/a.doc"), mail: nil))
        #expect(PlainView.changes(from: before, to: evidence, after: .submit) == ["  + a.doc sha256:ab"])
        let refused = evidence
        _ = evidence.update(.notice("/tmp/x: no such file"))
        #expect(PlainView.changes(from: refused, to: evidence, after: .submit) == ["  ! /tmp/x: no such file"])
        #expect(type("", into: &evidence).0 == .answer(.evidence(EvidenceOutcome(photographed: true, files: [
            EvidenceFile(name: "a.doc", sha256: "ab", size: 1, source: "/home/u/Downloads/a.doc")]))))
    }

    /// The shipped notify step: the phone contacts get the text read aloud; when the chain reaches
    /// IPA (e-mail only), the step's e-mail words are printed with the contact.
    @Test(arguments: ["ja", "en"])
    func anEmailOnlyContactPrintsTheEmailWords(_ language: String) {
        let ja = language == "ja"
        var notify = CriticalScreensTests().model("notify-admin", language)
        let opening = PlainView.opening(notify, frame: frame).joined(separator: "\n")
        #expect(opening.contains(ja ? "下の文を、そのまま読み上げれば大丈夫です。" : "You can simply read out the text below."), "\(opening)")
        #expect(opening.contains(ja ? "怪しいメールの件でお電話しました。" : "I am calling about a suspicious e-mail."), "\(opening)")
        let consultant = type("2", into: &notify).1.joined(separator: "\n")
        #expect(!consultant.contains(ja ? "メールで連絡します" : "by e-mail, not by phone"), "the consultant is called: \(consultant)")
        let ipa = type("2", into: &notify).1.joined(separator: "\n")
        #expect(ipa.contains(ja ? "この相談先には、電話ではなくメールで連絡します。" : "This contact is reached by e-mail, not by phone."), "\(ipa)")
        #expect(ipa.contains(notify.words(.notifyWriteThis)), "\(ipa)")
        #expect(ipa.contains(ja ? "山田 花子と申します。" : "My name is 山田 花子."), "\(ipa)")
        #expect(!ipa.contains(ja ? "お電話しました" : "I am calling"), "\(ipa)")
    }

    @Test func notifyPrintsTheNextContact() {
        var notify = model("notify", "ja", contacts: [.init(id: "it", lines: ["情報システム担当", "電話: 03"]), .init(id: "boss", lines: ["部長"])])
        #expect(PlainView.opening(notify, frame: frame).suffix(4) == ["  電話する相手：情報システム担当", "    電話: 03",
                                                                     "電話では、次のように伝えてください：", "PC-01 の件です。"])
        #expect(type("2", into: &notify).1 == ["次は、部長に電話してください", "  電話する相手：部長"])
        #expect(type("2", into: &notify).1 == ["これ以上の連絡先はありません。3 を押して、あとでかけ直してください。"])
        _ = type("1", into: &notify)
        #expect(PlainView.prompt(notify) == ["> 話した相手の名前："])
        let now = "2026-12-01T10:00:00Z"
        #expect(type("田中", into: &notify).0 == .answer(.notify(NotifyOutcome(reached: "boss", spokeWith: "田中", at: now, attempts: [
            NotifyAttempt(contact: "it", result: .noAnswer, at: now), NotifyAttempt(contact: "boss", result: .noAnswer, at: now),
            NotifyAttempt(contact: "boss", result: .reached, at: now)]))))
    }

    @Test func aScanIsCancelledByTheModelsQuestion() {
        var scan = model("scan", "en")
        var before = scan
        _ = scan.update(.quit)
        #expect(PlainView.changes(from: before, to: scan, after: .quit) == ["Cancel the scan? Press Ctrl-C again within 10 seconds to cancel it."])
        before = scan
        #expect(scan.update(.yes) == .cancelCommand)
        #expect(PlainView.changes(from: before, to: scan, after: .yes) == ["Cancelling the scan…"])
        before = scan
        _ = scan.update(.commandFinished(.scan(ScanOutcome(verdict: .cancelled)), summary: ["The scan was cancelled."], details: ["stopped"]))
        #expect(PlainView.changes(from: before, to: scan, after: .submit) == ["The scan was cancelled."], "raw output only behind ?")
        before = scan
        _ = scan.update(.help)
        #expect(PlainView.changes(from: before, to: scan, after: .help).suffix(2) == ["The full result (for the administrator):", "  | stopped"])
        _ = scan.update(.dismiss)
        #expect(PlainView.prompt(scan) == ["> Press Enter to continue."])
    }

    @Test func networkStatusAndItsKeys() {
        var network = model("network", "ja")
        _ = network.update(.networkChecked(connected: ["Wi-Fi（wlan0）がまだオンです（192.0.2.5）"]))
        #expect(PlainView.opening(network, frame: frame).suffix(2) == ["まだネットワークにつながっています：", "  Wi-Fi（wlan0）がまだオンです（192.0.2.5）"])
        #expect(PlainView.prompt(network) == ["> 1 = もう一度確認する、2 = 切り離せない"])
        #expect(type("1", into: &network).0 == .checkNetwork)
        #expect(type("2", into: &network).0 == .finishNetwork(gaveUp: true))
        #expect(type("", into: &network).0 == .checkNetwork, "Enter while connected checks again")
    }
}

/// Everything the employee reads comes from `Vocabulary` or the playbook: no Japanese sentence is
/// written anywhere else in the sources (the consultant's report, word lists the wizard matches
/// and comments aside). Every sentence of the wizard's has a Japanese twin, so this finds them.
@Suite struct VocabularyPlacementTests {
    static let allowed = ["IncidentCore/Text/Vocabulary.swift", "IncidentCore/Text/WidthTable.swift",
                          "IncidentCore/Report/ReportMarkdown.swift", "IncidentUI/Layout/TextWrapper.swift",
                          // The administrator's words (validate), the message table beside Vocabulary.
                          "IncidentCore/Validation/DiagnosticText.swift", "IncidentCore/Validation/KeyPlace.swift",
                          "IncidentCore/Validation/SyntaxProblem.swift",
                          // The words of EmoCheck's own Japanese report, which the parser looks for.
                          "IncidentCore/Evidence/EmoCheckResult.swift",
                          // The words of dates people type (12月7日 9時30分, 午後), which the parser looks for.
                          "IncidentCore/Report/Deadlines.swift"]

    @Test func noEmployeeSentenceOutsideVocabulary() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources")
        let files = try #require(FileManager.default.enumerator(atPath: sources.path)).compactMap { $0 as? String }
            .filter { $0.hasSuffix(".swift") && !Self.allowed.contains($0) }
        #expect(files.count > 50)
        var found: [String] = []
        for file in files {
            let text = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let code = line.trimmingCharacters(in: .whitespaces)
                if code.hasPrefix("//") { continue }
                // Folder names the wizard looks in, and a placeholder marker the validator finds.
                if code.contains("\"ダウンロード\"") || code.contains("\"要記入\"") { continue }
                if code.unicodeScalars.contains(where: { (0x3040...0x30FF).contains($0.value) || (0x4E00...0x9FFF).contains($0.value) }) {
                    found.append("\(file):\(number + 1): \(code)")
                }
            }
        }
        #expect(found.isEmpty, "Japanese outside Vocabulary:\n\(found.joined(separator: "\n"))")
    }
}
