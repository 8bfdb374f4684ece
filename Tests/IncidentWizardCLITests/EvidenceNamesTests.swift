import Foundation
import IncidentCore
import IncidentEdges
import Testing

/// Evidence keeps its own name, Japanese included, and a mail is read whatever it is called
/// (product.md, "File names"): 「請求書_1207.doc」 stays so, 「ご請求書の送付.eml」 is parsed and
/// answers the mail form, as `mail.eml` always did.
@Suite(.serialized) struct EvidenceNamesTests {
    static let attachment = "A harmless stand-in for a Word document with macros.\n"
    static let attachmentSHA = "9304cd2c45544e58d97855e680a2bb793d46bf1a5cdb2d1dc4ef0c53912488b6"

    /// A small mail as a Japanese mailer writes it: the sender's name, the subject and the
    /// attachment's name in encoded words.
    static let mail = """
        Received: from mail.example-bad.test ([203.0.113.45]) by mx.customer.example.jp; Mon, 7 Dec 2026 09:12:03 +0900
        From: =?UTF-8?B?57WM55CG6YOoIOeUsOS4rQ==?= <tanaka@example-bad.test>
        To: <sato@customer.example.jp>
        Subject: =?UTF-8?B?44GU6KuL5rGC5pu444Gu6YCB5LuY?=
        Date: Mon, 7 Dec 2026 09:12:00 +0900
        Message-ID: <20261207001200.1@example-bad.test>
        MIME-Version: 1.0
        Content-Type: multipart/mixed; boundary="b1"

        --b1
        Content-Type: text/plain; charset=UTF-8

        ご確認ください。
        --b1
        Content-Type: application/msword; name="=?UTF-8?B?6KuL5rGC5pu4XzEyMDcuZG9j?="
        Content-Disposition: attachment; filename="=?UTF-8?B?6KuL5rGC5pu4XzEyMDcuZG9j?="
        Content-Transfer-Encoding: base64

        QSBoYXJtbGVzcyBzdGFuZC1pbiBmb3IgYSBXb3JkIGRvY3VtZW50IHdpdGggbWFjcm9zLgo=
        --b1--

        """.replacingOccurrences(of: "\n", with: "\r\n")

    static let playbook = """
        playbook: 1
        id: names-test
        title: 名前のテスト
        languages: [ja]
        steps:
          - {id: photo, type: evidence, title: メールを保存してください, attach: optional}
          - id: mail
            type: input
            title: メールについて
            fields:
              - {id: sender, label: 差出人}
              - {id: subject, label: 件名}
          - {id: done, type: end, title: 終わり}

        """

    @Test func japaneseNamesAreKeptAndAJapaneseNamedMailIsRead() throws {
        let home = try Wizard.temporaryDirectory()
        let downloads = home.appendingPathComponent("Downloads")
        try FileManager.default.createDirectory(at: downloads, withIntermediateDirectories: true)
        let document = downloads.appendingPathComponent("請求書_1207.doc")
        let mail = downloads.appendingPathComponent("ご請求書の送付.eml")
        // The same mail saved under a name that says nothing: known by its content.
        let forwarded = downloads.appendingPathComponent("転送されたメール.txt")
        try Data(Self.attachment.utf8).write(to: document)
        try Data(Self.mail.utf8).write(to: mail)
        try Data(Self.mail.utf8).write(to: forwarded)
        let file = home.appendingPathComponent("names.yaml")
        try Self.playbook.write(to: file, atomically: true, encoding: .utf8)
        let reports = home.appendingPathComponent("reports")
        // Photographed; three files (one typed from the home folder); the form's two pre-filled
        // fields kept with Enter; the end.
        let input = ["y", "~/Downloads/請求書_1207.doc", mail.path, forwarded.path, "", "", "", "", ""].joined(separator: "\n") + "\n"
        let result = try Wizard.run(["run", file.path, "--plain", "--reports", reports.path], input: input,
                                    environment: ["HOME": home.path])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let folder = try Wizard.reportFolder(reports)

        // The evidence folder keeps the names, byte for byte the files.
        let evidence = folder.appendingPathComponent("evidence")
        let stored = try FileManager.default.contentsOfDirectory(atPath: evidence.path).sorted()
        #expect(stored == ["ご請求書の送付.eml", "請求書_1207.doc", "転送されたメール.txt"].sorted(), "\(stored)")
        #expect(try Data(contentsOf: evidence.appendingPathComponent("請求書_1207.doc")) == Data(Self.attachment.utf8))

        // The journal records each copy with where it came from, and the mails as parsed.
        let journal = try String(contentsOf: folder.appendingPathComponent("journal.jsonl"), encoding: .utf8)
        let added = journal.split(separator: "\n").compactMap { JSONValue.parse(Data($0.utf8)) }
            .filter { $0["event"]?.string == "evidence.added" }
        #expect(added.compactMap { $0["file"]?["name"]?.string } == ["請求書_1207.doc", "ご請求書の送付.eml", "転送されたメール.txt"])
        #expect(added.compactMap { $0["file"]?["source"]?.string } == ["~/Downloads/請求書_1207.doc", mail.path, forwarded.path])
        #expect(added.first?["file"]?["sha256"]?.string == Self.attachmentSHA)
        #expect(added.first?["email"] == nil)
        for entry in added.dropFirst() {
            let email = try #require(entry["email"], "\(entry)")
            #expect(email["from"]?.string == "経理部 田中 <tanaka@example-bad.test>")
            #expect(email["subject"]?.string == "ご請求書の送付")
            #expect(email["message_id"]?.string == "<20261207001200.1@example-bad.test>")
            let attachments = try #require(email["attachments"]?.array)
            #expect(attachments.compactMap { $0["name"]?.string } == ["請求書_1207.doc"])
            #expect(attachments.first?["sha256"]?.string == Self.attachmentSHA)
        }

        // The mail form was filled from the mail: shown, kept with Enter, and answered so.
        #expect(result.stdout.contains("> 差出人 [経理部 田中 <tanaka@example-bad.test>]"), "\(result.stdout)")
        #expect(result.stdout.contains("> 件名 [ご請求書の送付]"))
        let report = try #require(JSONValue.parse(try Data(contentsOf: folder.appendingPathComponent("report.json"))))
        let reportText = try String(contentsOf: folder.appendingPathComponent("report.json"), encoding: .utf8)
        #expect(reportText.contains("\"evidence/ご請求書の送付.eml\""), "\(reportText)")
        #expect(report["evidence"]?.array?.count == 3)
        let markdown = try String(contentsOf: folder.appendingPathComponent("report.md"), encoding: .utf8)
        #expect(markdown.contains("evidence/請求書_1207.doc"))
        #expect(markdown.contains("| 請求書_1207.doc — sha256 `\(Self.attachmentSHA)` |"), "\(markdown)")
        #expect(Wizard.verifyStatus(folder) == 0)
    }
}
