import Foundation
import IncidentCore
import IncidentEdges
import Testing

/// Evidence files the employee names (regular files only, size cap, copied and hashed, a mail
/// parsed), and the proof that nothing the employee types ever reaches a command's argv.
@Suite(.serialized) struct EvidenceAndCommandTests {
    static let mailFixture = Wizard.packageRoot.appendingPathComponent("Tests/IncidentCoreTests/Fixtures/mail/suspicious-invoice.eml")

    func runPlain(_ playbook: String, input: String, in directory: URL) throws -> (stdout: String, folder: URL, report: JSONValue) {
        let file = directory.appendingPathComponent("test-playbook.yaml")
        try playbook.write(to: file, atomically: true, encoding: .utf8)
        let reports = directory.appendingPathComponent("reports")
        let result = try Wizard.run(["run", file.path, "--plain", "--reports", reports.path], input: input,
                                    environment: ["HOME": directory.path])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let folder = try Wizard.reportFolder(reports)
        return (result.stdout, folder, try #require(JSONValue.parse(try Data(contentsOf: folder.appendingPathComponent("report.json")))))
    }

    static let evidencePlaybook = """
        playbook: 1
        id: evidence-test
        title: Evidence test
        languages: [en]
        steps:
          - {id: photo, type: evidence, title: Photograph the mail, attach: optional}
          - {id: done, type: end, title: Done}

        """

    @Test func emoCheckOutputCarriedOverIsParsedIntoTheRecord() throws {
        let directory = try Wizard.temporaryDirectory()
        // EmoCheck's hand-built JSON: a quote in a path makes it invalid JSON; it is read anyway.
        let file = directory.appendingPathComponent("PC-01_20261202152011_emocheck.json")
        try #"{"scan_time":"2026-12-02 15:20:11","hostname":"PC-01","emocheck_version":"2.0","is_infected":"yes","emotet_processes":[{"process_name":"mstask.exe","process_id":"716","image_path":"C:\\Users\\o"brien\\mstask.exe","registry_key":"HKCU\\Run\\mstask"}]}"#
            .write(to: file, atomically: true, encoding: .utf8)
        let (stdout, folder, report) = try runPlain(Self.evidencePlaybook, input: "y\n\(file.path)\n\n\n", in: directory)
        #expect(stdout.contains("EmoCheck result recorded: Emotet was found (1 process(es))."), "\(stdout)")
        let result = try #require(report["evidence"]?.array?.first?["emocheck"])
        #expect(result["infected"]?.bool == true && result["hostname"]?.string == "PC-01")
        #expect(result["processes"]?.array?.first?["image_path"]?.string == #"C:\Users\o"brien\mstask.exe"#)
        let markdown = try String(contentsOf: folder.appendingPathComponent("report.md"), encoding: .utf8)
        #expect(markdown.contains("### EmoCheck: evidence/PC-01_20261202152011_emocheck.json"), "\(markdown)")
        #expect(markdown.contains("**Emotet detected**") && markdown.contains("mstask.exe"))
        #expect(Wizard.verifyStatus(folder) == 0)
        // report.json still matches its schema.
        let schema = try Wizard.python(["-c", """
            import json, sys, jsonschema
            jsonschema.Draft202012Validator(json.load(open(sys.argv[1]))).validate(json.load(open(sys.argv[2])))
            """, Wizard.packageRoot.appendingPathComponent("docs/report.schema.json").path, folder.appendingPathComponent("report.json").path])
        #expect(schema.status == 0, "\(schema.errors)")
    }

    @Test func fifoDirectoryDeviceAndOversizeFileAreRefusedWithAMessage() throws {
        let directory = try Wizard.temporaryDirectory()
        let fifo = directory.appendingPathComponent("pipe").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let folder = directory.appendingPathComponent("a-folder").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        // 51 MiB, sparse: over the 50 MiB cap without writing 51 MiB.
        let big = directory.appendingPathComponent("huge.bin").path
        #expect(FileManager.default.createFile(atPath: big, contents: nil))
        #expect(truncate(big, off_t(51 * 1_048_576)) == 0)
        let ordinary = directory.appendingPathComponent("notes.txt")
        try Data("ordinary notes\n".utf8).write(to: ordinary)
        let input = ["y", fifo, folder, "/dev/null", big, directory.appendingPathComponent("missing.txt").path, ordinary.path, "", ""]
            .joined(separator: "\n") + "\n"
        let (stdout, reportFolder, report) = try runPlain(Self.evidencePlaybook, input: input, in: directory)
        #expect(stdout.contains("\(fifo): is a FIFO (named pipe), only ordinary files can be attached"))
        #expect(stdout.contains("\(folder): is a directory, only ordinary files can be attached"))
        #expect(stdout.contains("/dev/null: is a device, only ordinary files can be attached"))
        #expect(stdout.contains("\(big): is too large (51 MiB; the limit is 50 MiB)"))
        #expect(stdout.contains("missing.txt: no such file"))
        #expect(stdout.components(separatedBy: "Type another path, or press Enter on an empty line to go on.").count == 6)
        // Only the ordinary file was copied, byte for byte, with its hash; the refusals are recorded.
        let evidence = try #require(report["evidence"]?.array)
        #expect(evidence.count == 1)
        #expect(evidence.first?["sha256"]?.string == FileHash.sha256(path: ordinary.path))
        let copied = try FileManager.default.contentsOfDirectory(atPath: reportFolder.appendingPathComponent("evidence").path)
        #expect(copied == ["notes.txt"])
        let markdown = try String(contentsOf: reportFolder.appendingPathComponent("report.md"), encoding: .utf8)
        #expect(markdown.components(separatedBy: "- Refused: ").count == 6)
        #expect(Wizard.verifyStatus(reportFolder) == 0)
    }

    /// A Japanese session tells the employee why in Japanese; the journal keeps the English
    /// technical reason for the consultant.
    @Test func aJapaneseSessionGivesTheRefusalInJapanese() throws {
        let directory = try Wizard.temporaryDirectory()
        let folder = directory.appendingPathComponent("a-folder").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let missing = directory.appendingPathComponent("missing.txt").path
        let playbook = Self.evidencePlaybook.replacingOccurrences(of: "languages: [en]", with: "languages: [ja]")
        let (stdout, reportFolder, _) = try runPlain(playbook, input: "y\n\(folder)\n\(missing)\n\n\n", in: directory)
        #expect(stdout.contains("このファイルは添付できません：\(folder)：フォルダーです。添付できるのは普通のファイルだけです。"), "\(stdout)")
        #expect(stdout.contains("このファイルは添付できません：\(missing)：ファイルが見つかりません。"))
        #expect(!stdout.contains("only ordinary files"))
        #expect(!stdout.contains("no such file"))
        let journal = try String(contentsOf: reportFolder.appendingPathComponent("journal.jsonl"), encoding: .utf8)
        #expect(journal.contains("is a directory, only ordinary files can be attached"))
        #expect(journal.contains("missing.txt: no such file"))
    }

    @Test func anAttachedMailHasItsHeadersAndAttachmentHashesInTheReport() throws {
        let directory = try Wizard.temporaryDirectory()
        let (stdout, folder, report) = try runPlain(Self.evidencePlaybook, input: "y\n\(Self.mailFixture.path)\n\n\n", in: directory)
        #expect(stdout.contains("Mail \"請求書の送付について\": headers and 2 attachment(s) recorded (not opened)."))
        let entry = try #require(report["evidence"]?.array?.first)
        #expect(entry["sha256"]?.string == FileHash.sha256(path: Self.mailFixture.path))
        let mail = try #require(entry["email"])
        #expect(mail["from"]?.string == "山田 太郎（株式会社サンプル商事） <yamada@example-bad.test>")
        #expect(mail["reply_to"]?.string == "<invoice-desk@another-bad.test>")
        #expect(mail["subject"]?.string == "請求書の送付について")
        #expect(mail["message_id"]?.string == "<20261129001155.77F1A2B3C4@mail.example-bad.test>")
        #expect(mail["received"]?.array?.count == 2)
        let attachments = try #require(mail["attachments"]?.array)
        #expect(attachments.compactMap { $0["name"]?.string } == ["請求書_1129.doc", "メモ.txt"])
        #expect(attachments.first?["sha256"]?.string == "398e7370e070e7b0ab8ac03529b56ea12a5ac12c90ae39257f1e35a13c51cf03")
        let markdown = try String(contentsOf: folder.appendingPathComponent("report.md"), encoding: .utf8)
        #expect(markdown.contains("| Reply-To | `<invoice-desk@another-bad.test>"), "no &lt; in the raw file: \(markdown)")
        #expect(!markdown.contains("&lt;"))
        // The consultant's indicators come first: the addresses, whether they differ, the hashes.
        let indicators = try #require(markdown.range(of: "## Indicators (look these up first)"))
        #expect(indicators.lowerBound < (markdown.range(of: "## Summary")?.lowerBound ?? markdown.startIndex))
        #expect(markdown.contains("| Reply-To | `<invoice-desk@another-bad.test> (differs from From)` |"), "\(markdown)")
        #expect(markdown.contains("| Received-chain IPs | 203.0.113.45, 198.51.100.7 |"), "\(markdown)")
        #expect(markdown.contains("| Mail attachment | 請求書_1129.doc — sha256 `398e7370e070e7b0ab8ac03529b56ea12a5ac12c90ae39257f1e35a13c51cf03` |"))
        #expect(markdown.contains("`398e7370e070e7b0ab8ac03529b56ea12a5ac12c90ae39257f1e35a13c51cf03`"))
        #expect(Wizard.verifyStatus(folder) == 0)
    }

    @Test func aRecentFileIsPickedByItsNumber() throws {
        let directory = try Wizard.temporaryDirectory()
        let downloads = directory.appendingPathComponent("Downloads")
        try FileManager.default.createDirectory(at: downloads, withIntermediateDirectories: true)
        let older = downloads.appendingPathComponent("older.txt"), newest = downloads.appendingPathComponent("請求書.doc")
        try Data("old\n".utf8).write(to: older)
        try Data("newest\n".utf8).write(to: newest)
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -3600)], ofItemAtPath: older.path)
        try FileManager.default.createSymbolicLink(atPath: downloads.appendingPathComponent("link").path, withDestinationPath: "/etc/passwd")
        let (stdout, _, report) = try runPlain(Self.evidencePlaybook, input: "y\n1\n\n\n", in: directory)
        #expect(stdout.contains("  1) \(newest.path)\n  2) \(older.path)\n>"), "\(stdout)")
        #expect(!stdout.contains("link"))
        let entry = try #require(report["evidence"]?.array?.first)
        #expect(entry["source"]?.string == newest.path)
        #expect(entry["sha256"]?.string == FileHash.sha256(path: newest.path))
    }

    /// The employee types shell syntax everywhere they can; the commands that run afterwards (an
    /// argv recorder as collect and scan) receive exactly the playbook's argv, nothing typed runs.
    @Test func employeeTypedTextNeverReachesArgv() throws {
        let directory = try Wizard.temporaryDirectory()
        let marker = directory.appendingPathComponent("x")
        let recorder = directory.appendingPathComponent("record-argv")
        let log = directory.appendingPathComponent("argv.log")
        try "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\" >> \(log.path); done\necho ---- >> \(log.path)\n"
            .writeExecutable(to: recorder)
        let playbook = """
            playbook: 1
            id: injection-test
            title: Injection test
            languages: [en]
            steps:
              - id: details
                type: input
                title: Tell us
                fields: [{id: subject, label: Subject}, {id: notes, label: Notes}]
              - {id: photo, type: evidence, title: Photo, attach: optional}
              - id: collect
                type: collect
                title: Collecting
                commands: [{name: args, command: ["\(recorder.path)", "{{home}}", "--out={{evidence.dir}}"]}]
              - id: scan
                type: scan
                title: Scanning
                command: ["\(recorder.path)", "{{report.dir}}"]
                verdicts: {0: clean}
              - {id: done, type: end, title: Done}

            """
        let hostile = ["; rm -rf ~", "$(touch \(marker.path))", "`touch \(marker.path)`", "&& touch \(marker.path)"]
        let input = [hostile[0], hostile[1], "y", hostile[2], hostile[3], "", "", "", ""].joined(separator: "\n") + "\n"
        let (_, folder, report) = try runPlain(playbook, input: input, in: directory)
        #expect(!FileManager.default.fileExists(atPath: marker.path), "typed text was executed")
        let recorded = try String(contentsOf: log, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(recorded == [directory.path, "--out=\(folder.path)/evidence", "----", folder.path, "----"])
        for text in hostile { #expect(!recorded.contains { $0.contains(text) }) }
        // What was typed is kept as the answer, as text.
        let answer = report["steps"]?.array?.first { $0["id"]?.string == "details" }?["answer"]
        #expect(answer?["subject"]?.string == hostile[0] && answer?["notes"]?.string == hostile[1])
        // And the journal's argv of every command is exactly what ran.
        let journal = try String(contentsOf: folder.appendingPathComponent("journal.jsonl"), encoding: .utf8)
        for line in journal.split(separator: "\n") where line.contains("\"event\":\"command.finished\"") {
            for text in hostile { #expect(!line.contains(text)) }
        }
    }
}
