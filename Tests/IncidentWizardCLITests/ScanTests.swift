import Foundation
import IncidentCore
import IncidentEdges
import Testing

/// The scan step with the real ClamAV (installed by the README's test command) and an offline
/// signature generated here, and with fake scanners that are missing, hang, time out or print
/// hostile text.
@Suite(.serialized) struct ScanTests {
    /// A folder with the EICAR test file, a clean folder, and a ClamAV signature for EICAR made
    /// from the file's own SHA-256 (`.hsb`: `SHA256:SIZE:NAME`) — no download, no real database.
    struct Samples {
        let root: URL
        var infected: URL { root.appendingPathComponent("infected") }
        var clean: URL { root.appendingPathComponent("clean") }
        var signature: URL { root.appendingPathComponent("test-signatures.hsb") }

        init() throws {
            root = try Wizard.temporaryDirectory()
            let manager = FileManager.default
            try manager.createDirectory(at: infected, withIntermediateDirectories: true)
            try manager.createDirectory(at: clean, withIntermediateDirectories: true)
            // The EICAR anti-virus test string, assembled here so no file of ours contains it whole.
            let eicar = Data(#"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-"#.utf8) + Data("TEST-FILE!$H+H*".utf8)
            try eicar.write(to: infected.appendingPathComponent("invoice.doc"))
            try Data("an ordinary letter\n".utf8).write(to: infected.appendingPathComponent("letter.txt"))
            try Data("nothing to see\n".utf8).write(to: clean.appendingPathComponent("notes.txt"))
            try "\(FileHash.sha256(eicar)):\(eicar.count):Eicar-Test-Signature\n".write(to: signature, atomically: true, encoding: .utf8)
        }
    }

    static func playbook(command: [String], timeout: Int = 600) -> String {
        let argv = command.map { "\"\($0)\"" }.joined(separator: ", ")
        return """
            playbook: 1
            id: scan-test
            title: Scan test
            languages: [en]
            steps:
              - id: scan
                type: scan
                title: Scanning now
                command: [\(argv)]
                timeout: \(timeout)
                verdicts: {0: clean, 1: detected, 2: error}
                next_on: {clean: all-clean, detected: found, error: failed, unavailable: no-scanner, cancelled: stopped}
              - {id: all-clean, type: end, title: Verdict screen clean, outcome: clean}
              - {id: found, type: end, title: Verdict screen found, outcome: found}
              - {id: failed, type: end, title: Verdict screen error, outcome: failed}
              - {id: no-scanner, type: end, title: Verdict screen unavailable, outcome: no-scanner}
              - {id: stopped, type: end, title: Verdict screen cancelled, outcome: stopped}

            """
    }

    struct Outcome {
        var stdout: String
        var folder: URL
        var report: JSONValue
        var scan: JSONValue
    }

    /// Runs the playbook in plain mode to its end and returns report.json's scan.
    func scan(_ command: [String], timeout: Int = 600) throws -> Outcome {
        let directory = try Wizard.temporaryDirectory()
        let file = directory.appendingPathComponent("scan-test.yaml")
        try Self.playbook(command: command, timeout: timeout).write(to: file, atomically: true, encoding: .utf8)
        let reports = directory.appendingPathComponent("reports")
        let result = try Wizard.run(["run", file.path, "--plain", "--reports", reports.path], input: "\n\n")
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let folder = try Wizard.reportFolder(reports)
        let report = try #require(JSONValue.parse(try Data(contentsOf: folder.appendingPathComponent("report.json"))))
        return Outcome(stdout: result.stdout, folder: folder, report: report, scan: try #require(report["scans"]?.array?.first))
    }

    static var clamscan: String? { Wizard.which("clamscan") }

    @Test(.enabled(if: ScanTests.clamscan != nil, "ClamAV is installed by the README's test command"))
    func eicarIsDetectedWithItsFoundLineInTheReport() throws {
        let samples = try Samples()
        let outcome = try scan(["clamscan", "--database=\(samples.signature.path)", "--recursive", samples.infected.path])
        #expect(outcome.scan["verdict"]?.string == "detected")
        #expect(outcome.scan["exit_code"]?.int == 1)
        let found = samples.infected.appendingPathComponent("invoice.doc").path + ": Eicar-Test-Signature.UNOFFICIAL FOUND"
        #expect(outcome.scan["detections"]?.array == [.string(found)])
        #expect(outcome.stdout.contains("Something that may be a virus was found."), "in words on the screen")
        #expect(!outcome.stdout.contains(found), "the raw line only behind ? and in the report")
        // next_on took the detected branch; the output file is the evidence, hashed.
        #expect(outcome.report["outcome"]?.string == "found")
        let output = try #require(outcome.scan["output_file"]?.string)
        #expect(outcome.scan["output_sha256"]?.string == FileHash.sha256(path: outcome.folder.appendingPathComponent(output).path))
        let markdown = try String(contentsOf: outcome.folder.appendingPathComponent("report.md"), encoding: .utf8)
        #expect(markdown.contains(found))
        #expect(Wizard.verifyStatus(outcome.folder) == 0)
    }

    @Test(.enabled(if: ScanTests.clamscan != nil, "ClamAV is installed by the README's test command"))
    func aCleanFolderIsClean() throws {
        let samples = try Samples()
        let outcome = try scan(["clamscan", "--database=\(samples.signature.path)", "--recursive", samples.clean.path])
        #expect(outcome.scan["verdict"]?.string == "clean")
        #expect(outcome.scan["exit_code"]?.int == 0)
        #expect(outcome.scan["detections"]?.array == [])
        #expect(outcome.report["outcome"]?.string == "clean")
    }

    @Test func aMissingScannerIsUnavailableWithAClearMessage() throws {
        let outcome = try scan(["no-such-scanner-installed", "--all"])
        #expect(outcome.scan["verdict"]?.string == "unavailable")
        #expect(outcome.scan["exit_code"] == .null)
        #expect(outcome.stdout.contains("no-such-scanner-installed is not installed on this PC"))
        #expect(outcome.report["outcome"]?.string == "no-scanner")
    }

    @Test func aScannerThatRunsPastItsTimeoutIsStoppedAsAnError() throws {
        let directory = try Wizard.temporaryDirectory()
        let script = directory.appendingPathComponent("slow-scanner")
        try "#!/bin/sh\necho starting\nexec sleep 300\n".writeExecutable(to: script)
        let outcome = try scan([script.path], timeout: 1)
        #expect(outcome.scan["verdict"]?.string == "error")
        let journal = try String(contentsOf: outcome.folder.appendingPathComponent("journal.jsonl"), encoding: .utf8)
        #expect(journal.contains("\"timed_out\":true"))
    }

    /// Starts the wizard in tmux on a scanner that never ends (and writes its pid to a file).
    func startHangingScanner(ignoringTERM: Bool, plain: Bool) throws -> (Tmux, URL, URL) {
        try #require(Tmux.available, "tmux is needed (the README's test command installs it)")
        let directory = try Wizard.temporaryDirectory()
        let pidFile = directory.appendingPathComponent("scanner.pid")
        let script = directory.appendingPathComponent("hanging-scanner")
        try "#!/bin/sh\n\(ignoringTERM ? "trap '' TERM\n" : "")echo $$ > \(pidFile.path)\necho scanning forever\nwhile :; do sleep 1; done\n"
            .writeExecutable(to: script)
        let file = directory.appendingPathComponent("scan-test.yaml")
        try Self.playbook(command: [script.path]).write(to: file, atomically: true, encoding: .utf8)
        let reports = directory.appendingPathComponent("reports")
        let t = Tmux()
        try t.start("\(Tmux.quote(Wizard.binary)) run \(Tmux.quote(file.path))\(plain ? " --plain" : "") --lang en --reports \(Tmux.quote(reports.path))",
                    environment: ["HOME": directory.path, "LANG": "C.UTF-8", "TERM": "xterm-256color"])
        return (t, reports, pidFile)
    }

    func scannerPID(_ file: URL) throws -> pid_t {
        try #require(pid_t(try String(contentsOf: file, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
    }

    /// A scanner that ignores SIGTERM: cancelling (Esc, then y) terminates, then kills it.
    @Test func aHangingScannerIsCancelledAndKilled() throws {
        let (t, reports, pidFile) = try startHangingScanner(ignoringTERM: true, plain: false)
        try t.wait(for: "scanning forever")
        let pid = try scannerPID(pidFile)
        #expect(kill(pid, 0) == 0)
        try t.send("Escape")
        try t.wait(for: "y/n")
        try t.send("y")
        try t.wait(timeout: 15, "the cancelled verdict") { $0.contains("cancelled") && $0.contains("Enter") }
        #expect(kill(pid, 0) == -1 && errno == ESRCH, "the scanner is still running")
        try t.send("Enter")
        try t.wait(for: "Verdict screen cancelled")
        try t.send("Enter")
        #expect(try t.waitForExit() == 0)
        let folder = try Wizard.reportFolder(reports)
        let report = try #require(JSONValue.parse(try Data(contentsOf: folder.appendingPathComponent("report.json"))))
        let scan = try #require(report["scans"]?.array?.first)
        #expect(scan["verdict"]?.string == "cancelled")
        #expect(scan["exit_code"] == .null)
        // It ignored SIGTERM, so it was killed after the grace period.
        #expect((scan["duration_ms"]?.int ?? 0) >= 1000)
    }

    /// Plain mode reads no keys while the scanner runs: Ctrl-C asks, a second Ctrl-C cancels.
    @Test func plainModeCancelsAScanOnASecondCtrlC() throws {
        let (t, _, pidFile) = try startHangingScanner(ignoringTERM: false, plain: true)
        try t.wait(for: "Ctrl-C twice cancels it")
        try t.wait("the scanner to start") { _ in FileManager.default.fileExists(atPath: pidFile.path) }
        let pid = try scannerPID(pidFile)
        // SIGINT straight to the wizard (what Ctrl-C sends it; a C-c key would also stop the test's
        // own wrapper shell, which shares the terminal's process group).
        let wizard = try t.pid()
        kill(wizard, SIGINT)
        try t.wait(for: "Press Ctrl-C again within 10 seconds")
        #expect(kill(pid, 0) == 0, "one Ctrl-C must not stop the scanner")
        kill(wizard, SIGINT)
        try t.wait(for: "The scan was cancelled.", timeout: 15)
        #expect(kill(pid, 0) == -1 && errno == ESRCH, "the scanner is still running")
        try t.send("Enter")
        try t.wait(for: "Verdict screen cancelled")
        try t.send("Enter")
        #expect(try t.waitForExit() == 0)
    }

    // MARK: Commands that outlive their timeout or cancel (children, daemons, held descriptors)

    /// A script in a fresh folder; returns its path.
    func script(_ body: String, in directory: URL, name: String = "scanner") throws -> URL {
        let url = directory.appendingPathComponent(name)
        try ("#!/bin/sh\n" + body).writeExecutable(to: url)
        return url
    }

    static func alive(_ pid: pid_t) -> Bool {
        // A zombie has exited: only a process that still runs counts.
        guard kill(pid, 0) == 0 else { return false }
        let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        return !(stat.split(separator: ")").last?.trimmingCharacters(in: .whitespaces).hasPrefix("Z") ?? true)
    }

    /// The adversarial case: the scanner says FOUND and exits 1 but leaves a child holding its
    /// output open. The exit status is the verdict, at once; the child is ended with it.
    @Test func aScannerThatLeavesAChildRunningGetsItsOwnVerdictAtOnce() throws {
        let directory = try Wizard.temporaryDirectory()
        let pidFile = directory.appendingPathComponent("child.pid")
        let scanner = try script("echo '/home/user/invoice.doc: Win.Trojan.Emotet FOUND'\nsleep 30 &\necho $! > \(pidFile.path)\nexit 1\n",
                                 in: directory)
        let started = Date()
        let outcome = try scan([scanner.path], timeout: 3)
        let elapsed = Date().timeIntervalSince(started)
        #expect(outcome.scan["verdict"]?.string == "detected")
        #expect(outcome.scan["exit_code"]?.int == 1)
        #expect(outcome.report["outcome"]?.string == "found")
        #expect(elapsed < 3, "took \(elapsed) s: the wizard waited for the scanner's child")
        let child = try scannerPID(pidFile)
        #expect(!Self.alive(child), "the scanner's child is still running")
        #expect(Wizard.verifyStatus(outcome.folder) == 0)
    }

    /// Started by a parent that ignores SIGCHLD (inherited through exec): the kernel would reap the
    /// scanner itself and its exit status be lost — "detected" recorded as "clean". The wizard
    /// waits for its own children whatever it inherited.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/perl"), "perl starts the wizard with SIGCHLD ignored"))
    func anInheritedIgnoredSIGCHLDNeverLosesTheVerdict() throws {
        let directory = try Wizard.temporaryDirectory()
        let scanner = try script("echo '/home/user/invoice.doc: Win.Trojan.Emotet FOUND'\nexit 1\n", in: directory)
        let file = directory.appendingPathComponent("scan-test.yaml")
        try Self.playbook(command: [scanner.path]).write(to: file, atomically: true, encoding: .utf8)
        let reports = directory.appendingPathComponent("reports")
        let result = try Wizard.run(["run", file.path, "--plain", "--reports", reports.path], input: "\n\n",
                                    through: ["/usr/bin/perl", "-e", "$SIG{CHLD} = 'IGNORE'; exec @ARGV or die"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let report = try #require(JSONValue.parse(try Data(contentsOf: try Wizard.reportFolder(reports).appendingPathComponent("report.json"))))
        #expect(report["scans"]?.array?.first?["verdict"]?.string == "detected")
        #expect(report["scans"]?.array?.first?["exit_code"]?.int == 1)
    }

    /// A scanner that daemonises (a new session, out of its process group) and hangs: the timeout
    /// ends it and the daemon, and the verdict comes within 3 s of the timeout.
    @Test func aDaemonisingScannerIsEndedWithinThreeSecondsOfItsTimeout() throws {
        let directory = try Wizard.temporaryDirectory()
        let pidFile = directory.appendingPathComponent("daemon.pid")
        let scanner = try script("setsid sleep 600 >/dev/null 2>&1 </dev/null &\necho $! > \(pidFile.path)\necho scanning\nexec sleep 600\n",
                                 in: directory)
        let started = Date()
        let outcome = try scan([scanner.path], timeout: 2)
        let afterTimeout = Date().timeIntervalSince(started) - 2
        #expect(outcome.scan["verdict"]?.string == "error")
        #expect(afterTimeout < 3, "the verdict came \(afterTimeout) s after the timeout")
        let daemon = try scannerPID(pidFile)
        #expect(!Self.alive(daemon), "the daemonised child is still running")
        let journal = try String(contentsOf: outcome.folder.appendingPathComponent("journal.jsonl"), encoding: .utf8)
        #expect(journal.contains("\"timed_out\":true"))
    }

    /// A command whose background child holds the output open past the timeout: its own exit
    /// status is recorded, and it does not wait for the child.
    @Test func aCommandsExitStatusIsRecordedThoughItsChildHoldsTheOutput() throws {
        let directory = try Wizard.temporaryDirectory()
        let scanner = try script("sleep 15 &\necho done\nexit 0\n", in: directory)
        let started = Date()
        let outcome = try scan([scanner.path], timeout: 3)
        #expect(Date().timeIntervalSince(started) < 3)
        #expect(outcome.scan["verdict"]?.string == "clean")
        #expect(outcome.scan["exit_code"]?.int == 0)
    }

    /// Cancelling a shell wrapper whose real scanner is its child (not exec'd): both end, and the
    /// verdict is shown within 3 s of the `y`.
    @Test func cancellingAShellWrapperEndsItsChildWithinThreeSeconds() throws {
        try #require(Tmux.available, "tmux is needed (the README's test command installs it)")
        let directory = try Wizard.temporaryDirectory()
        let pidFile = directory.appendingPathComponent("child.pid")
        let scanner = try script("trap '' TERM\nsleep 600 &\necho $! > \(pidFile.path)\necho wrapped scanner running\nwait\n", in: directory)
        let file = directory.appendingPathComponent("scan-test.yaml")
        try Self.playbook(command: [scanner.path]).write(to: file, atomically: true, encoding: .utf8)
        let t = Tmux()
        try t.start("\(Tmux.quote(Wizard.binary)) run \(Tmux.quote(file.path)) --lang en --reports \(Tmux.quote(directory.appendingPathComponent("reports").path))",
                    environment: ["HOME": directory.path, "LANG": "C.UTF-8", "TERM": "xterm-256color"])
        try t.wait(for: "wrapped scanner running")
        let child = try scannerPID(pidFile)
        try t.send("Escape")
        try t.wait(for: "y/n")
        let asked = Date()
        try t.send("y")
        try t.wait(timeout: 10, "the cancelled verdict") { $0.contains("cancelled") && $0.contains("Enter") }
        let took = Date().timeIntervalSince(asked)
        #expect(took < 3, "cancelled after \(took) s")
        #expect(!Self.alive(child), "the wrapper's child is still running")
    }

    /// Plain mode's double Ctrl-C on a shell wrapper: its child ends too, within 3 s.
    @Test func plainModeCancelEndsAShellWrappersChild() throws {
        try #require(Tmux.available, "tmux is needed (the README's test command installs it)")
        let directory = try Wizard.temporaryDirectory()
        let pidFile = directory.appendingPathComponent("child.pid")
        let scanner = try script("sleep 600 &\necho $! > \(pidFile.path)\nwait\n", in: directory)
        let file = directory.appendingPathComponent("scan-test.yaml")
        try Self.playbook(command: [scanner.path]).write(to: file, atomically: true, encoding: .utf8)
        let t = Tmux()
        try t.start("\(Tmux.quote(Wizard.binary)) run \(Tmux.quote(file.path)) --plain --lang en --reports \(Tmux.quote(directory.appendingPathComponent("reports").path))",
                    environment: ["HOME": directory.path, "LANG": "C.UTF-8", "TERM": "xterm-256color"])
        try t.wait(for: "Ctrl-C twice cancels it")
        try t.wait("the scanner to start") { _ in FileManager.default.fileExists(atPath: pidFile.path) }
        let child = try scannerPID(pidFile)
        let wizard = try t.pid()
        kill(wizard, SIGINT)
        try t.wait(for: "Press Ctrl-C again within 10 seconds")
        let asked = Date()
        kill(wizard, SIGINT)
        try t.wait(for: "The scan was cancelled.", timeout: 10)
        #expect(Date().timeIntervalSince(asked) < 3)
        #expect(!Self.alive(child), "the wrapper's child is still running")
    }

    /// Quality bar: a scanner printing `\e]0;pwned\a\e[2J` is shown neutralised.
    @Test func hostileScannerOutputIsShownNeutralised() throws {
        try #require(Tmux.available, "tmux is needed (the README's test command installs it)")
        let directory = try Wizard.temporaryDirectory()
        let script = directory.appendingPathComponent("hostile-scanner")
        try "#!/bin/sh\necho 'Safe line'\nprintf 'x \\033]0;pwned\\007\\033[2J y\\n'\nexit 0\n".writeExecutable(to: script)
        let file = directory.appendingPathComponent("scan-test.yaml")
        try Self.playbook(command: [script.path]).write(to: file, atomically: true, encoding: .utf8)
        let t = Tmux()
        try t.start("\(Tmux.quote(Wizard.binary)) run \(Tmux.quote(file.path)) --lang en --reports \(Tmux.quote(directory.appendingPathComponent("reports").path))",
                    environment: ["HOME": directory.path, "LANG": "C.UTF-8", "TERM": "xterm-256color"])
        try t.wait(for: "No virus was found.")
        try t.send("?")
        let screen = try t.wait("the neutralised output behind ?") { $0.contains("x ^[]0;pwned^G^[[2J y") }
        #expect(screen.contains("Scanning now"), "the screen was cleared")
        #expect(screen.contains("Safe line"))
        #expect(try t.paneTitle() != "pwned")
    }
}
