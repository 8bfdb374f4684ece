import Foundation
import IncidentCore
import Testing

/// The critical screens in a real terminal (tmux), both languages: Enter on a fresh choice does
/// not advance; Esc in a half-filled form asks and keeps the text; full-width ｙ answers; a quoted
/// path with a space attaches; the call chain admin → consultant → IPA (e-mail) → later is three
/// attempts and ends on "nobody reached yet" with the numbers. Waits poll the screen.
@Suite(.serialized) struct CriticalScreensTerminalTests {
    struct Setup {
        let directory: URL
        let playbook: URL
        let reports: URL
        let attachment: URL

        init() throws {
            directory = try Wizard.temporaryDirectory()
            reports = directory.appendingPathComponent("reports")
            // The shipped contacts, beside the playbook, as an administrator installs them.
            try FileManager.default.copyItem(at: Wizard.playbooks.appendingPathComponent("contacts.yaml"),
                                             to: directory.appendingPathComponent("contacts.yaml"))
            let photos = directory.appendingPathComponent("My Photos")
            try FileManager.default.createDirectory(at: photos, withIntermediateDirectories: true)
            attachment = photos.appendingPathComponent("screen shot.txt")
            try Data("the mail on screen\n".utf8).write(to: attachment)
            playbook = directory.appendingPathComponent("critical.yaml")
            try Self.yaml.write(to: playbook, atomically: true, encoding: .utf8)
        }

        static let yaml = """
            playbook: 1
            id: critical
            title: {ja: 重要な画面, en: Critical screens}
            languages: [ja, en]
            steps:
              - id: what
                type: choice
                title: {ja: 何がありましたか？, en: What happened?}
                options:
                  - {value: not-opened, label: {ja: 開いていない, en: Not opened}}
                  - {value: opened, label: {ja: 開いた, en: Opened it}}
              - id: opened
                type: confirm
                title: {ja: 添付ファイルを開きましたか？, en: Did you open the attachment?}
              - id: mail
                type: input
                title: {ja: メールについて, en: About the mail}
                fields:
                  - {id: sender, label: {ja: 差出人, en: Sender}}
                  - {id: subject, label: {ja: 件名, en: Subject}}
              - {id: photo, type: evidence, attach: optional, title: {ja: 写真を添付してください, en: Attach the photo}}
              - id: call
                type: notify
                contact: admin
                fallback: [consultant, ipa-soudan]
                title: {ja: 管理者に電話してください, en: Call the administrator}
                script: {ja: "{{user.name}}です。怪しいメールの件でお電話しました。", en: "This is {{user.name}}. I am calling about a suspicious e-mail."}
              - id: nobody
                type: end
                outcome: not-reached
                when: {step: call, is: not-reached}
                title: {ja: まだ、誰にも連絡がついていません, en: Nobody has been reached yet}
                text:
                  ja: "もう一度電話してください：{{contact.admin.phone}}"
                  en: "Please call again: {{contact.admin.phone}}"
              - {id: done, type: end, title: {ja: ありがとうございました, en: Thank you}}
            """
    }

    @Test(arguments: ["ja", "en"])
    func theCriticalMomentsByKeys(_ language: String) throws {
        try #require(Tmux.available, "tmux is needed (the README's test command installs it)")
        let setup = try Setup()
        let ja = language == "ja"
        let words = Vocabulary(language: language)
        let t = Tmux()
        try t.start("\(Tmux.quote(Wizard.binary)) run \(Tmux.quote(setup.playbook.path)) --lang \(language) --reports \(Tmux.quote(setup.reports.path))",
                    environment: ["HOME": setup.directory.path, "LANG": "C.UTF-8", "TERM": "xterm-256color"])
        // A fresh choice: Enter (twice, in a panic) picks nothing and says what to press.
        try t.wait(for: ja ? "何がありましたか？" : "What happened?")
        try t.send("Enter")
        try t.send("Enter")
        try t.wait(for: String(words(.chooseFirst).prefix(8)))
        #expect(try t.screen().contains(ja ? "何がありましたか？" : "What happened?"), "Enter alone did not advance")
        try t.send("2")
        // Full-width ｙ (the input method still on) answers the confirm.
        try t.wait(for: ja ? "添付ファイルを開きましたか？" : "Did you open the attachment?")
        try t.type("ｙ", enter: false)
        // Esc in a half-filled form asks first; "no" keeps the text.
        try t.wait(for: ja ? "差出人" : "Sender")
        try t.type("Suzuki", enter: false)
        try t.wait(for: "> Suzuki")
        try t.send("Escape")
        try t.wait(for: String(words(.leaveAsk).prefix(8)))
        try t.send("n")
        try t.wait("the question to close") { !$0.contains(String(words(.leaveAsk).prefix(8))) && $0.contains("> Suzuki") }
        // "yes" goes back, and the text is kept for the way back.
        try t.send("Escape")
        try t.wait(for: String(words(.leaveAsk).prefix(8)))
        try t.send("y")
        try t.wait(for: ja ? "添付ファイルを開きましたか？" : "Did you open the attachment?")
        try t.send("y")
        try t.wait(for: "> Suzuki")
        try t.send("Tab", "Tab", "Enter")
        // A dragged-in path: quoted, with a space.
        try t.wait(for: ja ? "写真を添付してください" : "Attach the photo")
        try t.send("y")
        try t.wait(for: ja ? "添付するファイルのパス" : "Path of a file to attach")
        try t.type("'\(setup.attachment.path)' ", enter: false)
        try t.send("Enter")
        try t.wait(for: "+ screen shot.txt")
        try t.send("Enter")
        // The call chain: the administrator, the consultant, IPA by e-mail, then later.
        try t.wait(for: words(.notifyCallNow).trimmingCharacters(in: .whitespaces))
        try t.send("2")
        try t.wait(for: ja ? "次は、" : "Now call ")
        try t.send("2")
        try t.wait(for: "cs-support@ipa.go.jp")
        #expect(try t.screen().contains(ja ? "1 送った" : "1 sent"), "an e-mail contact's keys")
        try t.send("3")
        try t.wait(for: ja ? "まだ、誰にも連絡がついていません" : "Nobody has been reached yet")
        #expect(try t.screen().contains("000-0000-0000"), "the number to try again")
        try t.send("Enter")
        #expect(try t.waitForExit() == 0)

        let folder = try Wizard.reportFolder(setup.reports)
        let report = try #require(JSONValue.parse(try Data(contentsOf: folder.appendingPathComponent("report.json"))))
        #expect(report["outcome"]?.string == "not-reached")
        let steps = report["steps"]?.array ?? []
        #expect(steps.first { $0["id"]?.string == "opened" }?["answer"]?.string == "yes")
        #expect(steps.first { $0["id"]?.string == "mail" }?["answer"]?["sender"]?.string == "Suzuki")
        let evidence = steps.first { $0["id"]?.string == "photo" }?["answer"]?["files"]?.array ?? []
        #expect(evidence.first?["name"]?.string == "screen shot.txt", "evidence keeps its own name: \(evidence)")
        let attempts = report["notifications"]?.array?.first?["attempts"]?.array ?? []
        #expect(attempts.map { $0["contact"]?.string ?? "" } == ["admin", "consultant", "ipa-soudan"], "\(attempts)")
        #expect(attempts.map { $0["result"]?.string ?? "" } == ["no-answer", "no-answer", "later"])
        let markdown = try String(contentsOf: folder.appendingPathComponent("report.md"), encoding: .utf8)
        #expect(markdown.contains(ja ? "連絡の試み" : "Attempts"))
        let journal = try String(contentsOf: folder.appendingPathComponent("journal.jsonl"), encoding: .utf8)
        #expect(journal.components(separatedBy: "\"event\":\"notify.attempted\"").count - 1 == 2, "each no-answer journaled as it happened")
        #expect(Wizard.verifyStatus(folder) == 0)
    }

    @Test func plainModeAsksAgainOnAnEmptyLine() throws {
        let setup = try Setup()
        let result = try Wizard.run(["run", setup.playbook.path, "--plain", "--lang", "en", "--reports", setup.reports.path],
                                    input: "\n\n2\nｙ\nSato\nInvoice\nn\n\n3\n\n", environment: ["HOME": setup.directory.path])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let asked = result.stdout.components(separatedBy: "> Type a number and press Enter.").count - 1
        #expect(asked == 3, "the choice is asked again after each empty line: \(result.stdout)")
        #expect(result.stdout.contains(Vocabulary(language: "en")(.chooseFirst)))
        let report = try #require(JSONValue.parse(try Data(contentsOf: Wizard.reportFolder(setup.reports).appendingPathComponent("report.json"))))
        #expect(report["steps"]?.array?.first?["answer"]?.string == "opened")
        #expect(report["steps"]?.array?[1]["answer"]?.string == "yes", "full-width ｙ is yes in plain mode too")
    }
}

/// What forgives: an attached `.eml` fills in the mail form (editable), and "no" to continuing an
/// earlier record offers to close it.
@Suite struct ForgivingTests {
    @Test func anAttachedMailPrefillsTheMailDetailsAsEditableDefaults() throws {
        let directory = try Wizard.temporaryDirectory()
        let file = directory.appendingPathComponent("mail.yaml")
        try """
            playbook: 1
            id: mail
            title: Mail
            languages: [en]
            steps:
              - {id: photo, type: evidence, attach: optional, title: Attach the mail}
              - id: details
                type: input
                title: About the mail
                fields:
                  - {id: sender, label: Sender}
                  - {id: subject, label: Subject}
                  - {id: received, label: When it arrived}
                  - {id: notes, label: Notes}
              - {id: done, type: end, title: Done}
            """.write(to: file, atomically: true, encoding: .utf8)
        let mail = EvidenceAndCommandTests.mailFixture.path
        // Enter keeps the sender and the date; the subject is typed over; the notes are new.
        let reports = directory.appendingPathComponent("reports")
        let result = try Wizard.run(["run", file.path, "--plain", "--reports", reports.path],
                                    input: "y\n\(mail)\n\n\nMy own subject\n\nclicked it\n\n", environment: ["HOME": directory.path])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("> Sender [山田 太郎（株式会社サンプル商事） <yamada@example-bad.test>]"), "\(result.stdout)")
        let report = try #require(JSONValue.parse(try Data(contentsOf: Wizard.reportFolder(reports).appendingPathComponent("report.json"))))
        let answer = try #require(report["steps"]?.array?.first { $0["id"]?.string == "details" }?["answer"])
        #expect(answer["sender"]?.string == "山田 太郎（株式会社サンプル商事） <yamada@example-bad.test>")
        #expect(answer["subject"]?.string == "My own subject")
        #expect(answer["received"]?.string == "Sun, 29 Nov 2026 09:11:55 +0900")
        #expect(answer["notes"]?.string == "clicked it")
    }

    @Test func noToContinuingOffersToCloseTheEarlierRecord() throws {
        let home = try Wizard.temporaryDirectory()
        let reports = home.appendingPathComponent("reports").path
        let run = { (input: String) in try Wizard.run(["run", "emotet", "--plain", "--lang", "ja", "--reports", reports], input: input,
                                                      environment: ["HOME": home.path]) }
        #expect(try run("\n").status == 3, "the input ends: the record stays unfinished")
        let kept = try run("n\nn\n")
        #expect(kept.stdout.contains("前の記録は閉じて"), "\(kept.stdout)")
        #expect(!kept.stdout.contains("セッション"), "no jargon: \(kept.stdout)")
        let folders = try FileManager.default.contentsOfDirectory(atPath: reports).sorted()
        #expect(folders.count == 2, "no to both: a new record, the earlier one kept")
        // Yes to closing: both unfinished ones are offered in turn, the newest first; close it.
        let closed = try run("n\ny\n")
        #expect(closed.status == 3)
        // The newest unfinished one (the second) was offered and closed; a third record was started.
        let abandoned = try folders.filter { try String(contentsOfFile: reports + "/" + $0 + "/journal.jsonl", encoding: .utf8)
            .contains("\"event\":\"session.abandoned\"") }
        #expect(abandoned == [folders[1]], "\(abandoned)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: reports).count == 3)
        for folder in folders { #expect(Wizard.verifyStatus(URL(fileURLWithPath: reports + "/" + folder)) == 0, "an abandoned record verifies") }
        let resume = try Wizard.run(["run", "--resume", reports + "/" + folders[1], "--plain"], input: "\n", environment: ["HOME": home.path])
        #expect(resume.status != 0 && resume.stderr.contains("closed without finishing"), "\(resume.stderr)")
    }
}
