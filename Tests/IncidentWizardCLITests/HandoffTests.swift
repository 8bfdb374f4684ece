import Foundation
import IncidentCore
import IncidentEdges
import Testing

/// The hand-off: check codes against a rewrite on the PC, and the QR code for the phone, decoded
/// with zbarimg from what was printed and from the emulated end screen.
@Suite(.serialized) struct HandoffTests {
    static let zbarimg = Wizard.which("zbarimg")

    /// Printed half blocks back into an image (4 pixels a module) and decoded by zbarimg.
    static func decode(_ lines: [String]) throws -> String {
        var rows: [[Bool]] = []
        for line in lines {
            rows.append(line.map { $0 == "█" || $0 == "▀" })
            rows.append(line.map { $0 == "█" || $0 == "▄" })
        }
        let width = rows.map(\.count).max() ?? 0, scale = 4
        var pgm = "P2\n\(width * scale) \(rows.count * scale)\n255\n"
        for row in rows {
            let line = (0..<width).flatMap { x in Array(repeating: x < row.count && row[x] ? "0" : "255", count: scale) }.joined(separator: " ")
            for _ in 0..<scale { pgm += line + "\n" }
        }
        let file = try Wizard.temporaryDirectory().appendingPathComponent("code.pgm")
        try pgm.write(to: file, atomically: true, encoding: .ascii)
        let zbar = try #require(zbarimg, "zbarimg is needed (zbar-tools; the README's test command installs it)")
        // Its own output only: zbar also chats on stderr (about D-Bus) where there is no desktop.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: zbar)
        process.arguments = ["-q", "--raw", file.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).split(separator: "\n").first.map(String.init) ?? ""
    }

    /// A walk of the Emotet playbook in plain mode to its end, through the notify card.
    func walk(_ home: URL) throws -> (stdout: String, folder: URL) {
        let keys = ["", "2", "", "", "", "2", "", "y", "", "", "Suzuki <suzuki@example.com>", "請求書", "9:00",
                    "", "1", "Tanaka", "", "", ""]
        let result = try Wizard.run(["run", "emotet", "--plain", "--lang", "en", "--reports", home.path + "/reports"],
                                    input: keys.map { $0 + "\n" }.joined(), environment: ["HOME": home.path])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        return (result.stdout, try Wizard.reportFolder(home.appendingPathComponent("reports")))
    }

    /// One character misheard on the phone is said as what it most likely is, naming the line
    /// whose code is one character away; `verify` alone reminds that only a code proves more.
    @Test func aCodeMisheardByOneCharacterIsNotCalledARewrite() throws {
        let home = try Wizard.temporaryDirectory()
        let (stdout, folder) = try walk(home)
        let shown = try #require(stdout.split(separator: "\n").first { $0.contains("Check code: ") })
        let code = String(try #require(shown.split(separator: " ").first { $0.count == 9 && $0.contains("-") }))
        var symbols = Array(code)
        symbols[2] = symbols[2] == "7" ? "8" : "7"
        let slip = String(symbols)
        let result = try Wizard.run(["verify", folder.path, "--code", slip])
        #expect(result.status == 1, "an unconfirmed code is not a pass")
        #expect(result.stdout.contains("probably misheard: line "), "\(result.stdout)")
        #expect(result.stdout.contains(" has \(code)"), "the nearest line's code is named: \(result.stdout)")
        #expect(!result.stdout.contains("rewritten"), "\(result.stdout)")
        let plain = try Wizard.run(["verify", folder.path])
        #expect(plain.status == 0)
        #expect(plain.stdout.contains("only a check code read out earlier"), "\(plain.stdout)")
    }

    @Test func aRewrittenJournalPassesVerifyButNotTheCodeReadOutOnThePhone() throws {
        let home = try Wizard.temporaryDirectory()
        let (stdout, folder) = try walk(home)
        // The code the notify card showed, read out at the end of the call and written down.
        let shown = try #require(stdout.split(separator: "\n").first { $0.contains("Check code: ") })
        let code = String(try #require(shown.split(separator: " ").first { $0.count == 9 && $0.contains("-") }))
        #expect(try Wizard.run(["verify", folder.path, "--code", code]).status == 0, "the genuine record has that code")
        #expect(try Wizard.run(["verify", folder.path, "--code", code.lowercased().replacingOccurrences(of: "-", with: "")]).status == 0)

        // The attack: an answer changed, every `prev` re-chained, the reports made again.
        let journal = folder.appendingPathComponent("journal.jsonl")
        var lines = try String(contentsOf: journal, encoding: .utf8).split(separator: "\n").map(String.init)
        let target = try #require(lines.firstIndex { $0.contains("\"event\":\"step.answered\"") && $0.contains("\"step\":\"what-happened\"") })
        lines[target] = lines[target].replacingOccurrences(of: "\"answer\":\"opened-attachment\"", with: "\"answer\":\"not-opened\"")
        #expect(lines[target].contains("not-opened"), "the test changed the answer: \(lines[target])")
        var previous = String(repeating: "0", count: 64)
        var rechained: [String] = []
        for line in lines {
            let fixed = line.replacingOccurrences(of: #""prev":"[0-9a-f]{64}""#, with: "\"prev\":\"\(previous)\"", options: .regularExpression)
            rechained.append(fixed)
            previous = FileHash.sha256(Data((fixed + "\n").utf8))
        }
        try (rechained.joined(separator: "\n") + "\n").write(to: journal, atomically: true, encoding: .utf8)
        for (format, name) in [("md", "report.md"), ("json", "report.json")] {
            let report = try Wizard.run(["report", folder.path, "--format", format])
            try Data(report.stdout.utf8).write(to: folder.appendingPathComponent(name))
        }
        // Honestly: the chain alone cannot tell (verify recomputes what the attacker recomputed).
        let plain = try Wizard.run(["verify", folder.path])
        #expect(plain.status == 0, "verify alone accepts a consistent rewrite: \(plain.stdout)")
        // The code written down at the other end of the phone line can.
        let anchored = try Wizard.run(["verify", folder.path, "--code", code])
        #expect(anchored.status == 1)
        #expect(anchored.stdout.contains("no line of journal.jsonl has the check code \(code)"), "\(anchored.stdout)")
        #expect(anchored.stdout.contains("rewritten"))
        #expect(try Wizard.run(["verify", folder.path, "--code", "12-34"]).stdout.contains("is not a check code"))
    }

    @Test(.enabled(if: HandoffTests.zbarimg != nil, "zbar-tools is installed by the README's test command"))
    func theQRCodeOfAReportFolderDecodesToItsSummary() throws {
        let home = try Wizard.temporaryDirectory()
        let (_, folder) = try walk(home)
        let printed = try Wizard.run(["qr", folder.path])
        #expect(printed.status == 0, "\(printed.stderr)")
        let lines = printed.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let summary = lines[0]
        #expect(summary.hasPrefix("IW1|"))
        #expect(try Self.decode(Array(lines.dropFirst())) == summary, "what the phone reads is the summary")
        let report = try #require(JSONValue.parse(try Data(contentsOf: folder.appendingPathComponent("report.json"))))
        let fields = summary.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        #expect(fields[1] == report["incident_id"]?.string?.replacingOccurrences(of: "-", with: ""))
        #expect(fields[4] == report["outcome"]?.string)
        #expect(fields[6] == report["scans"]?.array?.first?["verdict"]?.string)
        #expect(fields[7] == "admin")
        #expect(fields[8] == report["journal"]?["check_code"]?.string, "the last line's check code")
        #expect(summary.utf8.count <= HandoffSummary.maximumBytes, "fits a version 6 code (an 80×24 terminal): \(summary.utf8.count) bytes")
        #expect(try Wizard.run(["verify", folder.path, "--code", fields[8]]).status == 0)
    }

    @Test(.enabled(if: HandoffTests.zbarimg != nil && Tmux.available, "zbar-tools and tmux are installed by the README's test command"))
    func theEndScreensCodeDecodesFromTheScreen() throws {
        let home = try Wizard.temporaryDirectory()
        let file = home.appendingPathComponent("short.yaml")
        try """
            playbook: 1
            id: short
            title: Short
            languages: [en]
            steps:
              - {id: hello, type: info, title: Hello}
              - {id: bye, type: end, outcome: reported, title: That is all}
            """.write(to: file, atomically: true, encoding: .utf8)
        let reports = home.appendingPathComponent("reports")
        let t = Tmux()
        try t.start("\(Tmux.quote(Wizard.binary)) run \(Tmux.quote(file.path)) --lang en --reports \(Tmux.quote(reports.path))",
                    environment: ["HOME": home.path, "LANG": "C.UTF-8", "TERM": "xterm-256color"])
        try t.wait(for: "Hello")
        try t.send("Enter")
        try t.wait(for: "c QR code")
        #expect(try t.screen().contains("Check code: "))
        try t.send("c")
        let screen = try t.wait("the QR code") { $0.contains("Take a photo of this code") }
        let text = try Self.decode(screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).filter { !$0.contains("Take a photo") })
        #expect(text.hasPrefix("IW1|"), "\(text)")
        let fields = text.split(separator: "|").map(String.init)
        #expect(fields[4] == "reported")
        try t.send("x")
        try t.wait("the code to close") { !$0.contains("Take a photo") }
        // Too small a window says how large it must be instead of drawing a broken code.
        try t.resize(width: 50, height: 20)
        try t.send("c")
        try t.wait(for: "Please enlarge the window to at least")
        #expect(try !t.screen().contains("▀▀▀"), "no partial code")
        try t.send("x")
        try t.resize(width: 80, height: 24)
        try t.wait("the code to close") { !$0.contains("Please enlarge") }
        try t.send("Enter")
        #expect(try t.waitForExit() == 0)
        let folder = try Wizard.reportFolder(reports)
        let report = try #require(JSONValue.parse(try Data(contentsOf: folder.appendingPathComponent("report.json"))))
        #expect(fields[1] == report["incident_id"]?.string?.replacingOccurrences(of: "-", with: ""))
        // The code shown on the end screen is a line of the journal.
        #expect(try Wizard.run(["verify", folder.path, "--code", fields[8]]).status == 0)
    }

    /// The largest code the last screen makes — a drill in Japanese, a long outcome and a long
    /// contact id reached: over 106 bytes, so a version 6 code — is drawn whole in an 80×24 window
    /// with a caption of one line, and zbarimg reads the record's summary from the captured
    /// screen. It once asked for a larger window (a 4-module quiet zone and a caption of two lines
    /// left no room).
    @Test(.enabled(if: HandoffTests.zbarimg != nil && Tmux.available, "zbar-tools and tmux are installed by the README's test command"))
    func theLargestCodeIsWholeInAnEightyByTwentyFourWindow() throws {
        let home = try Wizard.temporaryDirectory()
        let file = home.appendingPathComponent("long-outcome.yaml")
        let outcome = "reported-by-mail"
        let contact = "administrator-on-call-01"
        try """
            playbook: 1
            id: long-outcome
            title: 長い結果
            languages: [ja]
            contacts:
              \(contact): {name: 当番の管理者, email: admin@example.com, verified: 2026-11-01}
            steps:
              - {id: hello, type: info, title: こんにちは}
              - {id: call, type: notify, contact: \(contact), title: 管理者にメールしてください}
              - {id: bye, type: end, outcome: \(outcome), title: おしまいです}
            """.write(to: file, atomically: true, encoding: .utf8)
        let reports = home.appendingPathComponent("reports")
        let t = Tmux()
        try t.start("\(Tmux.quote(Wizard.binary)) run \(Tmux.quote(file.path)) --drill --lang ja --reports \(Tmux.quote(reports.path))",
                    width: 80, height: 24, environment: ["HOME": home.path, "LANG": "C.UTF-8", "TERM": "xterm-256color"])
        try t.wait(for: "こんにちは")
        try t.send("Enter")
        try t.wait(for: "管理者にメールしてください")
        try t.send("1")
        try t.wait(for: "c QR コード")
        try t.send("c")
        let screen = try t.wait("the QR code") { $0.contains("スマートフォンで撮影してください") }
        #expect(!screen.contains("大きくして"), "no 'please enlarge' at 80×24")
        let rows = screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let blocks = Set("█▀▄ ")
        let caption = rows.filter { !$0.allSatisfy(blocks.contains) }
        #expect(caption.count == 1, "one line of caption, the rest the code: \(caption)")
        let text = try Self.decode(rows.filter { $0.allSatisfy(blocks.contains) })
        #expect(text.hasPrefix("IW1|"), "\(screen)")
        #expect(text.utf8.count > 106, "a version 6 code: \(text)")
        let fields = text.split(separator: "|").map(String.init)
        #expect(fields.count == 10 && fields[4] == outcome && contact.hasPrefix(fields[7]) && fields[9] == "drill", "\(text)")
        try t.send("x")
        try t.wait("the code to close") { !$0.contains("スマートフォンで撮影してください") }
        try t.send("Enter")
        #expect(try t.waitForExit() == 0)
        let folder = try Wizard.reportFolder(reports)
        let report = try #require(JSONValue.parse(try Data(contentsOf: folder.appendingPathComponent("report.json"))))
        let incident = try #require(report["incident_id"]?.string)
        #expect(fields[1] == incident.replacingOccurrences(of: "-", with: ""), "the incident id")
        #expect(try Wizard.run(["verify", folder.path, "--code", fields[8]]).status == 0, "the check code is a journal line's")
    }
}

/// The consultant's report.md: a timeline in human terms, answers replaced after going back marked
/// as such, refusals in the session's language.
@Suite struct ConsultantReportTests {
    @Test func theReportTellsWhatHappenedInHumanTerms() throws {
        let home = try Wizard.temporaryDirectory()
        // "Not sure" (5), back, then "not opened" (1); the photo; the call: no answer, then reached.
        let keys = ["", "5", "<", "1", "", "y", "2", "1", "佐藤", ""]
        let result = try Wizard.run(["run", "emotet", "--plain", "--lang", "ja", "--reports", home.path + "/r"],
                                    input: keys.map { $0 + "\n" }.joined(), environment: ["HOME": home.path])
        #expect(result.status == 0, "\(result.stdout)")
        let folder = try Wizard.reportFolder(home.appendingPathComponent("r"))
        let markdown = try String(contentsOf: folder.appendingPathComponent("report.md"), encoding: .utf8)
        #expect(markdown.contains("（戻って回答し直した）"), "the replaced answer is marked: \(markdown)")
        #expect(markdown.contains("~~"), "and struck through")
        let timeline = try #require(markdown.range(of: "## 経過"))
        let everything = try #require(markdown.range(of: "## 記録の全件（journal.jsonl）"))
        #expect(timeline.lowerBound < everything.lowerBound)
        let story = String(markdown[timeline.upperBound..<everything.lowerBound])
        #expect(story.contains("前の手順に戻った"))
        #expect(story.contains("連絡を試みた"), "\(story)")
        #expect(!story.contains("step.entered"), "not one row per journal line")
        #expect(Wizard.verifyStatus(folder) == 0)
    }

    @Test func aRefusedFileIsExplainedInTheSessionsLanguage() throws {
        let directory = try Wizard.temporaryDirectory()
        let file = directory.appendingPathComponent("photo.yaml")
        try """
            playbook: 1
            id: photo
            title: {ja: 写真, en: Photo}
            languages: [ja, en]
            steps:
              - {id: photo, type: evidence, attach: optional, title: {ja: 添付, en: Attach}}
              - {id: done, type: end, title: {ja: 終わり, en: Done}}
            """.write(to: file, atomically: true, encoding: .utf8)
        let reports = directory.appendingPathComponent("reports")
        let result = try Wizard.run(["run", file.path, "--plain", "--lang", "ja", "--reports", reports.path],
                                    input: "y\n/nonexistent/写真.jpg\n\n\n", environment: ["HOME": directory.path])
        #expect(result.status == 0, "\(result.stdout)")
        let markdown = try String(contentsOf: Wizard.reportFolder(reports).appendingPathComponent("report.md"), encoding: .utf8)
        #expect(markdown.contains("/nonexistent/写真.jpg：ファイルが見つかりません"), "\(markdown)")
    }
}

extension ConsultantReportTests {
    @Test func theCollectedConnectionsRemoteEndsAreIndicators() throws {
        let directory = try Wizard.temporaryDirectory()
        let ss = directory.appendingPathComponent("ss")
        try """
            #!/bin/sh
            echo 'Netid State  Recv-Q Send-Q Local Address:Port  Peer Address:Port Process'
            echo 'tcp   ESTAB  0      0      192.168.1.5:51234   203.0.113.80:443  users:(("excel.exe",pid=7,fd=3))'
            echo 'tcp   LISTEN 0      128          0.0.0.0:22         0.0.0.0:*'
            """.writeExecutable(to: ss)
        let file = directory.appendingPathComponent("collect.yaml")
        try """
            playbook: 1
            id: collect
            title: Collect
            languages: [en]
            steps:
              - {id: state, type: collect, commands: [{name: connections, command: ["\(ss.path)", "-tunap"]}], title: Recording}
              - {id: done, type: end, title: Done}
            """.write(to: file, atomically: true, encoding: .utf8)
        let reports = directory.appendingPathComponent("reports")
        let result = try Wizard.run(["run", file.path, "--plain", "--reports", reports.path], input: "\n\n", environment: ["HOME": directory.path])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let folder = try Wizard.reportFolder(reports)
        let markdown = try String(contentsOf: folder.appendingPathComponent("report.md"), encoding: .utf8)
        #expect(markdown.contains("| Remote addresses (from the collected connections) | 203.0.113.80:443 |"), "\(markdown)")
        #expect(Wizard.verifyStatus(folder) == 0, "verify rebuilds the same report from the same files")
    }
}
