import Foundation
import IncidentCore
import IncidentEdges
import Testing

/// The incident record through the real binary: journal, reports, resume after a kill, torn lines,
/// tampering, permissions, and the report schema.
@Suite(.serialized) struct ReportFolderTests {
    /// A playbook with one screen of each kind that needs no machine state (network and scan
    /// are covered by their own tests), and the answer each screen gets in plain mode.
    static let playbook = """
        playbook: 1
        id: every-screen
        title: Every screen
        languages: [en]
        steps:
          - {id: s1, type: info, title: S1 info screen}
          - {id: s2, type: confirm, title: S2 confirm screen, unsure: true}
          - id: s3
            type: choice
            title: S3 choice screen
            options: [{value: red, label: Red}, {value: blue, label: Blue}]
          - id: s4
            type: checklist
            title: S4 checklist screen
            items: [{value: cable, label: Cable}, {value: wifi, label: Wi-Fi}]
          - id: s5
            type: input
            title: S5 input screen
            fields: [{id: who, label: Name}, {id: notes, label: Notes, multiline: true}]
          - {id: s6, type: evidence, title: S6 evidence screen}
          - {id: s7, type: notify, title: S7 notify screen, contact: it}
          - {id: s8, type: end, title: S8 end screen, outcome: done}
        contacts:
          it: {name: IT desk, phone: "03-0000-0000", verified: 2026-11-01}
        """
    /// Per screen: the lines typed, and the answer report.json must then hold.
    static let answers: [(keys: [String], answer: String)] = [
        ([""], "null"),
        (["y"], "\"yes\""),
        (["2"], "\"blue\""),
        (["1 2"], "[\"cable\",\"wifi\"]"),
        (["Sato", "line one", ""], "{\"notes\":\"line one\",\"who\":\"Sato\"}"),
        (["y"], "{\"files\":[],\"photographed\":\"yes\"}"),
        (["1", "Tanaka"], "Tanaka"),
        ([""], "null"),
    ]

    struct Setup {
        var directory: URL
        var playbook: String
        var reports: String
        var command: String {
            "\(Tmux.quote(Wizard.binary)) run \(Tmux.quote(playbook)) --plain --reports \(Tmux.quote(reports))"
        }

        init() throws {
            directory = try Wizard.temporaryDirectory()
            playbook = directory.appendingPathComponent("every-screen.yaml").path
            reports = directory.appendingPathComponent("reports").path
            try ReportFolderTests.playbook.write(toFile: playbook, atomically: true, encoding: .utf8)
        }

        func folder() throws -> String {
            let names = try FileManager.default.contentsOfDirectory(atPath: reports).filter { !$0.hasPrefix(".") }
            guard names.count == 1 else { throw Tmux.Timeout(description: "expected one report folder, found \(names)") }
            return reports + "/" + names[0]
        }

        func reportJSON() throws -> JSONValue {
            try #require(JSONValue.parse(try Data(contentsOf: URL(fileURLWithPath: try folder() + "/report.json"))))
        }
    }

    func answer(_ tmux: Tmux, screen index: Int) throws {
        for key in Self.answers[index].keys { try tmux.type(key) }
    }

    func title(_ index: Int) -> String { "S\(index + 1) " }

    @Test(arguments: 0..<8)
    func killAtEveryScreenThenResumeAndFinish(_ killAt: Int) throws {
        try #require(Tmux.available, "tmux is needed (the README's test command installs it)")
        let setup = try Setup()
        let tmux = Tmux()
        try tmux.start(setup.command, environment: ["HOME": setup.directory.path, "LANG": "C.UTF-8"])
        for index in 0..<killAt {
            try tmux.wait(for: title(index))
            try answer(tmux, screen: index)
        }
        try tmux.wait(for: title(killAt))
        // The screen is shown only after the answers before it are durable: kill now.
        kill(try tmux.pid(), SIGKILL)
        _ = try tmux.waitForExit()
        try tmux.killSession()

        // The end screen: the record finished as it was shown, so a kill there loses nothing
        // and leaves nothing to resume.
        if killAt < 7 {
            try tmux.start(setup.command, environment: ["HOME": setup.directory.path, "LANG": "C.UTF-8"])
            try tmux.wait(for: "part-way")
            try tmux.type("y")
            try tmux.wait(for: title(killAt))
            for index in killAt..<8 {
                try tmux.wait(for: title(index))
                try answer(tmux, screen: index)
            }
            #expect(try tmux.waitForExit() == 0)
        }

        let report = try setup.reportJSON()
        #expect(report["status"]?.string == "finished")
        #expect(report["outcome"]?.string == "done")
        let steps = try #require(report["steps"]?.array)
        #expect(steps.count == 8)
        for (index, step) in steps.enumerated() {
            #expect(step["id"]?.string == "s\(index + 1)")
            let expected = Self.answers[index].answer
            if index == 6 {
                #expect(step["answer"]?["spoke_with"]?.string == expected)
            } else {
                #expect(step["answer"]?.compact() == expected, "screen \(index + 1)")
            }
        }
        let verify = try Wizard.run(["verify", try setup.folder()])
        #expect(verify.status == 0, "\(verify.stdout)")
        #expect(verify.stdout.contains("OK: "))
        let journal = try String(contentsOfFile: try setup.folder() + "/journal.jsonl", encoding: .utf8)
        #expect(journal.contains("\"event\":\"session.resumed\"") == (killAt < 7))
    }

    // MARK: Two windows on one session: one writer

    /// A first window (tmux, plain mode) that has answered the first screen and shows the second.
    func firstWindowAtTheSecondScreen() throws -> (Setup, Tmux) {
        try #require(Tmux.available, "tmux is needed (the README's test command installs it)")
        let setup = try Setup()
        let first = Tmux()
        try first.start(setup.command, environment: ["HOME": setup.directory.path, "LANG": "C.UTF-8"])
        try first.wait(for: title(0))
        try answer(first, screen: 0)
        try first.wait(for: title(1))
        return (setup, first)
    }

    /// A second wizard started while the first is still answering is told the session is open in
    /// another window and writes nothing; the first goes on and its journal verifies.
    @Test func aSecondWindowIsToldTheSessionIsOpenElsewhere() throws {
        let (setup, first) = try firstWindowAtTheSecondScreen()
        let journal = try setup.folder() + "/journal.jsonl"
        let before = try Data(contentsOf: URL(fileURLWithPath: journal))
        for language in ["C.UTF-8", "ja_JP.UTF-8"] {
            let second = try Wizard.run(["run", setup.playbook, "--plain", "--reports", setup.reports], input: "y\ny\n",
                                        environment: ["HOME": setup.directory.path, "LANG": language])
            #expect(second.status == 1, "\(second.stdout)\(second.stderr)")
            #expect(second.stdout.contains(language == "C.UTF-8" ? "Please continue there" : "そちらのウィンドウで続けてください"),
                    "\(second.stdout)")
            #expect(second.stderr.contains("open in another window"))
            // And `--resume` of the same folder is refused the same way.
            let resumed = try Wizard.run(["run", "--resume", try setup.folder(), "--plain"], input: "\n",
                                         environment: ["HOME": setup.directory.path, "LANG": language])
            #expect(resumed.status == 1)
            #expect(resumed.stderr.contains("open in another window"), "\(resumed.stderr)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: journal)) == before, "the second window wrote to the journal")
        for index in 1..<8 {
            try first.wait(for: title(index))
            try answer(first, screen: index)
        }
        #expect(try first.waitForExit() == 0)
        let verify = try Wizard.run(["verify", try setup.folder()])
        #expect(verify.status == 0, "\(verify.stdout)")
    }

    /// Once the first window is gone (killed: the kernel drops its lock), the session is offered again.
    @Test func aKilledWindowsSessionIsOfferedAgain() throws {
        let (setup, first) = try firstWindowAtTheSecondScreen()
        kill(try first.pid(), SIGKILL)
        _ = try first.waitForExit()
        let second = try Wizard.run(["run", setup.playbook, "--plain", "--reports", setup.reports], input: "y\n",
                                    environment: ["HOME": setup.directory.path])
        #expect(second.stdout.contains("part-way"), "\(second.stdout)")
        #expect(!second.stdout.contains("another window"))
    }

    /// A session quit after three screens (exit 3), through a pipe.
    func quitAfterThreeScreens(_ setup: Setup) throws {
        let result = try Wizard.run(["run", setup.playbook, "--plain", "--reports", setup.reports], input: "\ny\n2\nq\ny\n",
                                    environment: ["HOME": setup.directory.path])
        #expect(result.status == 3)
    }

    @Test func tornLastLineIsNamedAndResumeStillWorks() throws {
        let setup = try Setup()
        try quitAfterThreeScreens(setup)
        let journal = try setup.folder() + "/journal.jsonl"
        var data = try Data(contentsOf: URL(fileURLWithPath: journal))
        let lines = data.split(separator: 0x0A)
        let lastLength = lines.last!.count
        data.removeLast(lastLength / 2 + 1)  // cut the last line mid-way, newline included
        try data.write(to: URL(fileURLWithPath: journal))
        let torn = lines.count

        let before = try Wizard.run(["verify", try setup.folder()])
        #expect(before.status == 1)
        #expect(before.stdout.contains("journal.jsonl line \(torn) is torn"), "\(before.stdout)")

        let keys = ["y", "2", "1 2", "Sato", "line one", "", "y", "1", "Tanaka", ""].map { $0 + "\n" }.joined()
        let resumed = try Wizard.run(["run", setup.playbook, "--plain", "--reports", setup.reports], input: keys,
                                     environment: ["HOME": setup.directory.path])
        #expect(resumed.status == 0, "\(resumed.stdout)\n\(resumed.stderr)")
        #expect(resumed.stderr.contains("line \(torn) is torn"))
        let after = try Wizard.run(["verify", try setup.folder()])
        #expect(after.status == 0, "\(after.stdout)")
        #expect(after.stdout.contains("journal.jsonl line \(torn) is a torn write"))
        // Nothing before the torn line was lost: the answers given before it are in the report.
        let steps = try #require(try setup.reportJSON()["steps"]?.array)
        #expect(steps.first { $0["id"]?.string == "s2" }?["answer"]?.string == "yes")
    }

    func finishedSession() throws -> Setup {
        let setup = try Setup()
        let attachment = setup.directory.appendingPathComponent("mail.eml")
        try "From: someone@example.com\nSubject: invoice\n\nbody\n".write(to: attachment, atomically: true, encoding: .utf8)
        let playbook = Self.playbook.replacingOccurrences(of: "{id: s6, type: evidence, title: S6 evidence screen}",
                                                          with: "{id: s6, type: evidence, title: S6 evidence screen, attach: optional}")
        try playbook.write(toFile: setup.playbook, atomically: true, encoding: .utf8)
        let keys = ["", "y", "2", "1 2", "Sato", "line one", "", "y", attachment.path, "", "1", "Tanaka", ""]
        let result = try Wizard.run(["run", setup.playbook, "--plain", "--reports", setup.reports],
                                    input: keys.map { $0 + "\n" }.joined(), environment: ["HOME": setup.directory.path])
        #expect(result.status == 0, "\(result.stdout)")
        return setup
    }

    @Test func finishedSessionVerifiesAndReportsRebuildTheSameBytes() throws {
        let setup = try finishedSession()
        let folder = try setup.folder()
        #expect(try Wizard.run(["verify", folder]).status == 0)
        let json = try Wizard.run(["report", folder, "--format", "json"])
        #expect(json.stdout == (try String(contentsOfFile: folder + "/report.json", encoding: .utf8)))
        let markdown = try Wizard.run(["report", folder])
        #expect(markdown.stdout == (try String(contentsOfFile: folder + "/report.md", encoding: .utf8)))
        #expect(markdown.stdout.contains("## Summary"))
        #expect(markdown.stdout.contains("evidence/mail.eml"))
        let evidence = try #require(try setup.reportJSON()["evidence"]?.array)
        #expect(evidence.contains { $0["name"]?.string == "evidence/mail.eml" && $0["kind"]?.string == "attached" })
    }

    /// Every start lists the unfinished sessions, reading the journal as resume does: a finished
    /// session is not offered, nor one whose `session.finished` line lost only its newline (it is
    /// still a line); one whose `session.finished` line was torn mid-way is, and resumes (to finish).
    @Test func aSessionIsOfferedOnlyWhenResumeWouldTakeIt() throws {
        let setup = try finishedSession()
        let finished = try setup.folder()
        let environment = ["HOME": setup.directory.path]
        func run(_ input: String) throws -> Wizard.Result {
            let result = try Wizard.run(["run", setup.playbook, "--plain", "--reports", setup.reports], input: input,
                                        environment: environment)
            // Only the finished session stays: the new one each run starts (and quits) is removed.
            for name in try FileManager.default.contentsOfDirectory(atPath: setup.reports) where setup.reports + "/" + name != finished {
                try FileManager.default.removeItem(atPath: setup.reports + "/" + name)
            }
            return result
        }
        let offer = "A response was stopped part-way. Continue where you left off?"
        let complete = try run("q\ny\n")
        #expect(complete.status == 3)
        #expect(!complete.stdout.contains(offer), "\(complete.stdout)")

        let journal = URL(fileURLWithPath: finished + "/journal.jsonl")
        let original = try Data(contentsOf: journal)
        let lastLine = original.dropLast().split(separator: 0x0A).last!
        #expect(String(decoding: lastLine, as: UTF8.self).contains("\"event\":\"session.finished\""))
        try original.dropLast().write(to: journal)  // the newline lost: still a finished session
        let newlineLost = try run("q\ny\n")
        #expect(!newlineLost.stdout.contains(offer), "\(newlineLost.stdout)")

        try original.dropLast(lastLine.count / 2 + 1).write(to: journal)  // torn mid-way: unfinished
        let torn = try run("y\nq\ny\n")
        #expect(torn.stdout.contains(offer), "\(torn.stdout)")
        // Resumed at its end step, the session finishes again, now with a complete line.
        #expect(torn.status == 0, "\(torn.stdout)\n\(torn.stderr)")
        #expect(torn.stderr.contains("is torn"))
        #expect(try setup.reportJSON()["status"]?.string == "finished")
    }

    /// A reports path that is a file is named as such for the administrator, and the record is
    /// kept in the private fallback (never a dead end).
    @Test func aReportsPathThatIsAFileIsNamedAsSuch() throws {
        let setup = try Setup()
        FileManager.default.createFile(atPath: setup.reports, contents: Data("not a folder\n".utf8))
        let result = try Wizard.run(["run", setup.playbook, "--plain", "--reports", setup.reports], input: "",
                                    environment: ["HOME": setup.directory.path])
        #expect(result.status == 3, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("\(setup.reports) is not a folder"), "\(result.stderr)")
        let fallback = setup.directory.path + "/.local/state/incident-wizard/reports"
        #expect(try FileManager.default.contentsOfDirectory(atPath: fallback).count == 1)
    }

    @Test func reportsFolderAndFilesArePrivate() throws {
        let setup = try finishedSession()
        let folder = try setup.folder()
        func mode(_ path: String) throws -> Int {
            try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
        }
        #expect(try mode(folder) == 0o700)
        #expect(try mode(folder + "/evidence") == 0o700)
        let files = try FileManager.default.subpathsOfDirectory(atPath: folder).filter { $0 != "evidence" }
        #expect(files.count >= 5)
        for file in files { #expect(try mode(folder + "/" + file) == 0o600, "\(file)") }
    }

    @Test func aPlantedSymlinkIsNeverFollowed() throws {
        let setup = try Setup()
        let target = setup.directory.appendingPathComponent("attacker")
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: setup.reports, withIntermediateDirectories: true)
        // Plant the names of the next seconds' folders, as links to a directory the attacker reads.
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        var host = [CChar](repeating: 0, count: 256)
        gethostname(&host, 255)
        let hostName = String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let now = Date()
        for second in 0..<30 {
            let name = "\(formatter.string(from: now.addingTimeInterval(Double(second))))-\(hostName)-every-screen"
            try FileManager.default.createSymbolicLink(atPath: setup.reports + "/" + name, withDestinationPath: target.path)
        }
        let result = try Wizard.run(["run", setup.playbook, "--plain", "--reports", setup.reports], input: "\n",
                                    environment: ["HOME": setup.directory.path])
        #expect(result.status == 3)
        #expect(try FileManager.default.contentsOfDirectory(atPath: target.path).isEmpty, "nothing was written through a link")
        let real = try FileManager.default.contentsOfDirectory(atPath: setup.reports).filter { name in
            var info = stat()
            return lstat(setup.reports + "/" + name, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
        }
        #expect(real.count == 1)
        #expect(real[0].hasSuffix("-every-screen-2"), "the next free name: \(real)")
    }

    // MARK: Tampering

    func tamper(_ path: String, at offset: (Data) -> Int) throws {
        var data = try Data(contentsOf: URL(fileURLWithPath: path))
        let index = offset(data)
        data[index] = data[index] == UInt8(ascii: "a") ? UInt8(ascii: "b") : UInt8(ascii: "a")
        try data.write(to: URL(fileURLWithPath: path))
    }

    @Test(arguments: [1, 5, -1])
    func changingOneCharacterOfAJournalLineIsNamed(_ lineIndex: Int) throws {
        let setup = try finishedSession()
        let folder = try setup.folder()
        let journal = folder + "/journal.jsonl"
        let lines = try String(contentsOfFile: journal, encoding: .utf8).split(separator: "\n")
        let line = lineIndex < 0 ? lines.count : lineIndex
        try tamper(journal) { data in
            // A character inside the time stamp's milliseconds of that line: still valid JSON.
            var start = data.startIndex
            for _ in 1..<line { start = data[start...].firstIndex(of: 0x0A)! + 1 }
            let text = Data(data[start...])
            let range = String(decoding: text, as: UTF8.self).range(of: "\"time\":\"")!
            return start + String(decoding: text, as: UTF8.self).utf8.distance(from: String(decoding: text, as: UTF8.self).startIndex,
                                                                               to: range.upperBound) + 20
        }
        let result = try Wizard.run(["verify", folder])
        #expect(result.status == 1)
        #expect(result.stdout.contains("journal.jsonl line \(line)"), "\(result.stdout)")
    }

    @Test func changingAnEvidenceFileIsNamed() throws {
        let setup = try finishedSession()
        let folder = try setup.folder()
        try tamper(folder + "/evidence/mail.eml") { _ in 7 }
        let result = try Wizard.run(["verify", folder])
        #expect(result.status == 1)
        #expect(result.stdout.contains("FAIL: evidence/mail.eml was changed"), "\(result.stdout)")
    }

    @Test func changingReportJSONIsNamed() throws {
        let setup = try finishedSession()
        let folder = try setup.folder()
        try tamper(folder + "/report.json") { data in
            let text = String(decoding: data, as: UTF8.self)
            return text.utf8.distance(from: text.startIndex, to: text.range(of: "\"spoke_with\": \"")!.upperBound)
        }
        let result = try Wizard.run(["verify", folder])
        #expect(result.status == 1)
        #expect(result.stdout.contains("FAIL: report.json does not agree with the journal"), "\(result.stdout)")
    }

    @Test func removingAJournalLineIsNamed() throws {
        let setup = try finishedSession()
        let folder = try setup.folder()
        let journal = folder + "/journal.jsonl"
        var lines = try String(contentsOfFile: journal, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        lines.remove(at: 3)
        try lines.joined(separator: "\n").write(toFile: journal, atomically: true, encoding: .utf8)
        let result = try Wizard.run(["verify", folder])
        #expect(result.status == 1)
        #expect(result.stdout.contains("journal.jsonl line 4 has seq 5, expected 4"), "\(result.stdout)")
    }

    // MARK: Schema

    @Test func producedReportsValidateAgainstTheSchema() throws {
        let finished = try finishedSession()
        let unfinished = try Setup()
        try quitAfterThreeScreens(unfinished)
        let emotet = try Wizard.temporaryDirectory()
        // A real run with a mail attached, and a drill (its scan finds the test file, when ClamAV is here).
        let mail = EvidenceAndCommandTests.mailFixture.path
        let walk = try Wizard.run(["run", "emotet", "--plain", "--lang", "ja", "--reports", emotet.path + "/r"],
                                  input: "\n2\n\n\n\n2\n\ny\n\(mail)\n\n\nSuzuki\n件名\n9:00\nメモ\n\n1\n田中\n\n\n\n",
                                  environment: ["HOME": emotet.path])
        #expect(walk.status == 0, "\(walk.stdout)")
        let drill = try Wizard.run(["run", "emotet", "--plain", "--drill", "--lang", "en", "--reports", emotet.path + "/r"],
                                   input: "\n2\n\n\n\n\n\ny\n\n\n\n\n\n\n3\n\n\n\n",
                                   environment: ["HOME": emotet.path])
        #expect(drill.status == 0, "\(drill.stdout)")
        let emotetFolder = try FileManager.default.contentsOfDirectory(atPath: emotet.path + "/r").map { emotet.path + "/r/" + $0 }
        for folder in [try finished.folder(), try unfinished.folder()] + emotetFolder {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", "-c", """
                import json, sys, jsonschema
                schema = json.load(open(sys.argv[1]))
                jsonschema.Draft202012Validator.check_schema(schema)
                jsonschema.Draft202012Validator(schema).validate(json.load(open(sys.argv[2])))
                """, Wizard.packageRoot.appendingPathComponent("docs/report.schema.json").path, folder + "/report.json"]
            let errors = Pipe()
            process.standardError = errors
            try process.run()
            let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "\(folder): \(message)")
        }
        #expect(try unfinished.reportJSON()["status"]?.string == "in-progress")
    }
}
