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
        text += "\nroute \(status.defaultRoute)\n"
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
        try t.wait(for: "The information has been collected.")
        try t.send("Enter")
        try screen("disconnect")
        try t.wait(for: "DRILL: in a real incident you would unplug the cable")
        let connected = try t.screen().contains("Still connected")
        try t.send("Enter")
        // A drill rehearses the disconnected path, connected or not: no "could not disconnect".
        try screen("photo-mail")
        try t.send("y")
        try t.wait(for: "Path of a file to attach")
        try t.send("Enter")
        try screen("do-not-forward")
        try t.send("Enter")
        try screen("mail-details")
        try t.send("Tab", "Tab", "Tab", "Tab", "Enter")
        // The scan runs in the background (on the drill's test folder): the call first.
        try screen("notify-admin")
        try t.send("3")
        try screen("scan-result")
        let clamAV = Wizard.which("clamscan") != nil
        let verdict = clamAV ? "Something that may be a virus was found." : "The scan could not be run."
        let scanned = try t.wait(timeout: 60, "the scan to finish") { $0.contains(verdict) }
        #expect(scanned.contains("only a harmless test file is scanned"))
        try t.send("Enter")
        try screen(clamAV ? "scan-detected" : "scan-not-done")
        try t.send("Enter")
        let last = try t.wait(timeout: 15, "the last screen") { $0.contains("Time taken per step") }
        #expect(last.split(separator: "\n").first?.contains("DRILL") == true)
        #expect(last.contains("The record is saved in"), "the end's own text comes first, whole: \(last)")
        // The times are all behind ?, the help scrolled page by page.
        try t.send("?")
        try t.wait(for: "(↑↓ scrolls; any other key closes)")
        for _ in 0..<6 where !(try t.screen().contains("Total ")) { try t.send("NPage") }
        try t.wait(for: "Total ")
        try t.send("Escape")
        try t.wait("the help to close") { !$0.contains("(↑↓ scrolls") }
        try t.send("Enter")
        #expect(try t.waitForExit() == 0)

        #expect(try Self.networkSnapshot() == before)
        let folder = try Wizard.reportFolder(reports)
        let report = try #require(JSONValue.parse(try Data(contentsOf: folder.appendingPathComponent("report.json"))))
        #expect(report["drill"]?.bool == true)
        let network = try #require(report["network"]?.array?.first)
        #expect(network["disconnected"]?.bool == true)
        if connected { #expect(network["method"]?.string == "drill", "connected, rehearsed: \(network)") }
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
        #expect(!drill.stdout.contains("stopped part-way"), "\(drill.stdout)")
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
        // The shipped command: Downloads first, the rest of home without it.
        #expect(target.argv(for: ["clamscan", "--recursive", "--exclude-dir=^{{home}}/Downloads$", "{{home}}/Downloads/.", "{{home}}"],
                            context: context)
                == ["clamscan", "--database=\(target.signature)", "--recursive", target.directory])
        #expect(target.argv(for: ["/opt/av/scan", "-d", "/var/lib/av", "--log={{report.dir}}/log"], context: context)
                == ["/opt/av/scan", "-d", target.directory, "--log=/r/log"])
        #expect(target.argv(for: ["other-scanner"], context: context) == ["other-scanner", target.directory])
        // Isolation by construction: a bare relative path is a path too; options that name a
        // place outside the session's own folder are left out.
        #expect(target.argv(for: ["clamscan", "--recursive", "--infected", "--remove=yes", "Downloads"], context: context)
                == ["clamscan", "--database=\(target.signature)", "--recursive", "--infected", "--remove=yes", target.directory])
        #expect(target.argv(for: ["clamscan", "--move=/srv/quarantine", "--file-list=~/files.txt", "--copy=./q", "-r", "Desktop", "Documents"],
                            context: context)
                == ["clamscan", "--database=\(target.signature)", "-r", target.directory])
    }

    /// The adversarial case: a scanner that deletes what it is given, configured with a relative
    /// `Downloads` and `--remove=yes`. In a drill it gets only the test folder and runs inside it:
    /// the real files, relative to the wizard's directory or the home, are untouched.
    @Test func aDrillScanNeverReachesTheRealFiles() throws {
        let home = try Wizard.temporaryDirectory()
        let manager = FileManager.default
        for folder in [home.appendingPathComponent("Downloads"), home.appendingPathComponent("work/Downloads")] {
            try manager.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data("a real invoice\n".utf8).write(to: folder.appendingPathComponent("invoice.doc"))
        }
        let record = home.appendingPathComponent("argv.txt")
        let scanner = home.appendingPathComponent("deleting-scanner")
        try """
            #!/bin/sh
            echo "cwd=$(pwd)" > \(record.path)
            for argument in "$@"; do
              echo "arg=$argument" >> \(record.path)
              case "$argument" in -*) ;; *) rm -f "$argument"/* ;; esac
            done
            exit 0

            """.writeExecutable(to: scanner)
        let playbook = home.appendingPathComponent("drill-scan.yaml")
        try """
            playbook: 1
            id: drill-scan
            title: Drill scan
            languages: [en]
            steps:
              - {id: scan, type: scan, title: Scanning now, command: ["\(scanner.path)", --recursive, --remove=yes, Downloads, "~/Downloads", "--move=/tmp"]}
              - {id: z, type: end, title: The end}

            """.write(to: playbook, atomically: true, encoding: .utf8)
        let reports = home.appendingPathComponent("reports")
        let result = try Wizard.run(["run", playbook.path, "--plain", "--drill", "--reports", reports.path], input: "\n\n",
                                    directory: home.appendingPathComponent("work"), environment: ["HOME": home.path])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(manager.fileExists(atPath: home.appendingPathComponent("work/Downloads/invoice.doc").path), "the drill deleted ./Downloads")
        #expect(manager.fileExists(atPath: home.appendingPathComponent("Downloads/invoice.doc").path), "the drill deleted ~/Downloads")
        let arguments = try String(contentsOf: record, encoding: .utf8).split(separator: "\n").map(String.init)
        let cwd = try #require(arguments.first?.dropFirst("cwd=".count)).description
        #expect(cwd.contains("incident-wizard-drill-"), "the drill's scanner ran in \(cwd)")
        #expect(arguments.dropFirst() == ["arg=--recursive", "arg=--remove=yes", "arg=\(cwd)"])
    }

    /// A drill's scan "finds" its test file with whatever scanner there is; it says so when the
    /// real scan would not work (the scanner is not installed), and only then.
    @Test(arguments: [("no-such-scanner-here", true), ("/bin/sh", false)])
    func aDrillsScanScreenSaysWhenTheRealScannerWouldNotWork(_ program: String, fails: Bool) throws {
        let home = try Wizard.temporaryDirectory()
        let playbook = home.appendingPathComponent("drill-scan.yaml")
        try """
            playbook: 1
            id: drill-scan
            title: Drill scan
            languages: [en]
            steps:
              - {id: scan, type: scan, title: Scanning now, command: [\(program), "{{home}}"]}
              - {id: z, type: end, title: The end}

            """.write(to: playbook, atomically: true, encoding: .utf8)
        let reports = home.appendingPathComponent("reports")
        let result = try Wizard.run(["run", playbook.path, "--plain", "--drill", "--reports", reports.path], input: "\n\n",
                                    environment: ["HOME": home.path])
        #expect(result.stdout.contains("only a harmless test file is scanned"), "\(result.stdout)")
        #expect(result.stdout.contains("NOTE: a real scan would not work: \(program) is not installed. Tell the administrator.") == fails,
                "\(result.stdout)")
    }

    /// A drill never continues a real session, nor a real run a drill.
    @Test func aDrillNeverContinuesARealSessionFolder() throws {
        let home = try Wizard.temporaryDirectory()
        let reports = home.appendingPathComponent("reports").path
        let real = try Wizard.run(["run", "emotet", "--plain", "--lang", "en", "--playbooks", Wizard.playbooks.path, "--reports", reports],
                                  input: "", environment: ["HOME": home.path])
        #expect(real.status == 3)
        let folder = try Wizard.reportFolder(URL(fileURLWithPath: reports))
        let journal = folder.appendingPathComponent("journal.jsonl")
        let before = try Data(contentsOf: journal)
        let drill = try Wizard.run(["run", "--drill", "--resume", folder.path, "--plain"], input: "\n", environment: ["HOME": home.path])
        #expect(drill.status == 1)
        #expect(drill.stderr.contains("a drill never continues a real session"), "\(drill.stderr)")
        #expect(try Data(contentsOf: journal) == before, "the drill wrote to the real session")
        // And the other way round.
        let drillHome = try Wizard.temporaryDirectory()
        let drillReports = drillHome.appendingPathComponent("reports").path
        _ = try Wizard.run(["run", "emotet", "--plain", "--drill", "--lang", "en", "--playbooks", Wizard.playbooks.path,
                            "--reports", drillReports], input: "", environment: ["HOME": drillHome.path])
        let drillFolder = try Wizard.reportFolder(URL(fileURLWithPath: drillReports))
        let notDrill = try Wizard.run(["run", "--resume", drillFolder.path, "--plain"], input: "\n", environment: ["HOME": drillHome.path])
        #expect(notDrill.status == 1)
        #expect(notDrill.stderr.contains("is a drill"), "\(notDrill.stderr)")
    }
}
