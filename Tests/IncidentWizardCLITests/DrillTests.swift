import Foundation
import IncidentCore
import IncidentEdges
import Testing

/// `--drill`: nothing on the PC changes, the scan looks only at the generated test file, and
/// every screen and the report say DRILL.
@Suite(.serialized) struct DrillTests {
    /// What the network looks like from here: the probe's view and every link's state.
    static func networkSnapshot() throws -> String {
        let status = NetworkProbe().probe()
        var text = status.connected.map { "\($0.name) \($0.addresses)" }.joined(separator: "\n")
        text += "\nroute \(status.hasDefaultRoute)\n"
        if let ip = Wizard.which("ip") {
            text += try Wizard.shell([ip, "-o", "link", "show"]).split(separator: "\n")
                .map { line in line.split(separator: " ").prefix(3).joined(separator: " ") }.joined(separator: "\n")
        }
        return text
    }

    func englishTitle(_ id: String) throws -> String {
        let url = Wizard.playbooks.appendingPathComponent("emotet.yaml")
        let playbook = try #require(PlaybookLoader.load(try Data(contentsOf: url), path: url.path).value)
        return String(try #require(playbook.step(id)).title.resolved("en").prefix(12))
    }

    @Test func drillWalksTheDefaultPlaybookInARealTerminalWithoutChangingTheNetwork() throws {
        try #require(Tmux.available, "tmux is needed (the README's test command installs it)")
        let before = try Self.networkSnapshot()
        let home = try Wizard.temporaryDirectory()
        let reports = home.appendingPathComponent("reports")
        let t = Tmux()
        try t.start("\(Tmux.quote(Wizard.binary)) run emotet --drill --lang en --playbooks \(Tmux.quote(Wizard.playbooks.path)) --reports \(Tmux.quote(reports.path))",
                    environment: ["HOME": home.path, "LANG": "C.UTF-8", "TERM": "xterm-256color"])
        /// Waits for a screen and checks its header carries the DRILL badge.
        func screen(_ id: String) throws {
            let shown = try t.wait(timeout: 15, "the screen \(id)") { $0.contains((try? self.englishTitle(id)) ?? id) }
            #expect(shown.split(separator: "\n").first?.contains("DRILL") == true, "no DRILL badge:\n\(shown)")
        }
        try screen("stay-calm")
        try t.send("Enter")
        try screen("what-happened")
        try t.send("2")
        try screen("keep-pc-on")
        try t.send("Enter")
        try screen("stop-using-file")
        try t.send("Enter")
        try screen("collect-state")
        try t.wait(for: "Recorded.")
        try t.send("Enter")
        try screen("disconnect")
        try t.wait(for: "DRILL: in a real incident you would disconnect now.")
        let connected = try t.screen().contains("Still connected")
        try t.send("Enter")
        if connected {
            try screen("cannot-disconnect")
            try t.send("Enter")
        }
        try screen("photo-mail")
        try t.send("y")
        try t.wait(for: "Path of a file to attach")
        try t.send("Enter")
        try screen("do-not-forward")
        try t.send("Enter")
        try screen("mail-details")
        try t.send("Tab", "Tab", "Tab", "Tab", "Enter")
        try screen("scan-pc")
        let scanned = try t.wait(timeout: 60, "the scan to finish") { $0.contains("The scan has finished") }
        #expect(scanned.contains("only a harmless test file is scanned"))
        let clamAV = Wizard.which("clamscan") != nil
        #expect(scanned.contains(clamAV ? "something found" : "scanner not available"), "\(scanned)")
        try t.send("Enter")
        try screen(clamAV ? "scan-detected" : "scan-not-done")
        try t.send("Enter")
        try screen("notify-admin")
        try t.send("3")
        let last = try t.wait(timeout: 15, "the last screen") { $0.contains("Time taken per step") }
        #expect(last.split(separator: "\n").first?.contains("DRILL") == true)
        #expect(last.contains("Total "))
        try t.send("Enter")
        #expect(try t.waitForExit() == 0)

        #expect(try Self.networkSnapshot() == before)
        let folder = try Wizard.reportFolder(reports)
        let report = try #require(JSONValue.parse(try Data(contentsOf: folder.appendingPathComponent("report.json"))))
        #expect(report["drill"]?.bool == true)
        #expect(report["status"]?.string == "finished")
        let scan = try #require(report["scans"]?.array?.first)
        if clamAV {
            #expect(scan["verdict"]?.string == "detected")
            let detection = try #require(scan["detections"]?.array?.first?.string)
            #expect(detection.contains(DrillTarget.testFileName) && detection.hasSuffix(" FOUND"))
        }
        let markdown = try String(contentsOf: folder.appendingPathComponent("report.md"), encoding: .utf8)
        #expect(markdown.contains("DRILL: this is a training record"))
        #expect(markdown.contains("Time per step (drill)"))
        // The scanner never looked at the employee's home folder, and its test folder is gone.
        let journal = try String(contentsOf: folder.appendingPathComponent("journal.jsonl"), encoding: .utf8)
        #expect(!journal.contains("\"\(home.path)\""))
        #expect(Wizard.verifyStatus(folder) == 0)
    }

    @Test func aDrillNeverRunsTheDisconnectCommand() throws {
        let directory = try Wizard.temporaryDirectory()
        let marker = directory.appendingPathComponent("disconnect-ran")
        let playbook = """
            playbook: 1
            id: drill-disconnect
            title: Drill disconnect
            languages: [en]
            steps:
              - id: net
                type: network
                title: Disconnect
                action: disconnect
                disconnect_command: ["/usr/bin/touch", "\(marker.path)"]
              - {id: done, type: end, title: Done}
            """
        let file = directory.appendingPathComponent("drill-disconnect.yaml")
        try playbook.write(to: file, atomically: true, encoding: .utf8)
        let reports = directory.appendingPathComponent("reports")
        // Enter continues a drill's network step whatever its state.
        let result = try Wizard.run(["run", file.path, "--plain", "--drill", "--reports", reports.path], input: "\n\n\n")
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("== [DRILL] Drill disconnect"))
        #expect(result.stdout.contains("a command would disconnect the PC here"))
        #expect(!FileManager.default.fileExists(atPath: marker.path), "the disconnect command ran in a drill")
        let folder = try Wizard.reportFolder(reports)
        let journal = try String(contentsOf: folder.appendingPathComponent("journal.jsonl"), encoding: .utf8)
        #expect(journal.contains("\"event\":\"command.skipped\""))
        #expect(journal.contains("\"reason\":\"drill\""))
        let report = try #require(JSONValue.parse(try Data(contentsOf: folder.appendingPathComponent("report.json"))))
        #expect(report["network"]?.array?.first?["method"]?.string != "command")
    }

    @Test func aDrillNeverResumesARealSession() throws {
        let directory = try Wizard.temporaryDirectory()
        let reports = directory.appendingPathComponent("reports").path
        let real = try Wizard.run(["run", "emotet", "--plain", "--lang", "en", "--reports", reports], input: "\n")
        #expect(real.status == 3)
        let drill = try Wizard.run(["run", "emotet", "--plain", "--drill", "--lang", "en", "--reports", reports], input: "")
        #expect(!drill.stdout.contains("unfinished session"), "\(drill.stdout)")
        #expect(drill.stdout.contains("[DRILL]"))
    }

    @Test func theDrillTargetIsTheEICARFileWithAMatchingSignature() throws {
        let target = try DrillTarget.create()
        defer { target.remove() }
        let data = try Data(contentsOf: URL(fileURLWithPath: target.testFile))
        #expect(data.count == 68 && String(decoding: data, as: UTF8.self).hasPrefix("X5O!P%@AP"))
        let signature = try String(contentsOfFile: target.signature, encoding: .utf8)
        #expect(signature == "\(FileHash.sha256(data)):68:\(DrillTarget.detectionName)\n")
        let context = PlaceholderContext(language: "en", hostName: "pc", userName: "u", sessionID: "s", sessionStarted: "t", now: "n",
                                         reportDir: "/r", home: "/home/u", evidenceDir: "/r/evidence", contacts: [:])
        #expect(target.argv(for: ["clamscan", "--recursive", "{{home}}/Downloads", "{{home}}"], context: context)
                == ["clamscan", "--database=\(target.signature)", "--recursive", target.directory])
        #expect(target.argv(for: ["/opt/av/scan", "-d", "/var/lib/av", "--log={{report.dir}}/log"], context: context)
                == ["/opt/av/scan", "-d", target.directory, "--log=/r/log"])
        #expect(target.argv(for: ["other-scanner"], context: context) == ["other-scanner", target.directory])
    }
}
