import Foundation
import IncidentCore
import IncidentEdges
import Testing

/// A scan through the ClamAV daemon: a real `clamd` started here on a private socket
/// (`$INCIDENT_WIZARD_CLAMD_SOCKET`) with a database made here, never the system's.
@Suite(.serialized) struct ClamDaemonTests {
    static let clamd = "/usr/sbin/clamd"
    static var installed: Bool {
        FileManager.default.isExecutableFile(atPath: clamd) && Wizard.which("clamscan") != nil
    }

    /// A clamd of its own: a socket in a temporary folder, a database of the EICAR file's hash
    /// (`.hsb`) and a marker no test file has (`.ndb`), in the foreground, ended by `stop()`.
    final class PrivateClamd {
        let root: URL
        let process = Process()
        var socket: String { root.appendingPathComponent("clamd.sock").path }
        var database: URL { root.appendingPathComponent("db") }
        var log: URL { root.appendingPathComponent("clamd.log") }

        init() throws {
            root = try Wizard.temporaryDirectory()
            // clamd may drop to another user: the folders it reads are open to it.
            chmod(root.path, 0o755)
            try FileManager.default.createDirectory(at: database, withIntermediateDirectories: true)
            chmod(database.path, 0o755)
            let eicar = ClamDaemonTests.eicar
            try "\(FileHash.sha256(eicar)):\(eicar.count):Eicar-Test-Signature\n"
                .write(to: database.appendingPathComponent("test.hsb"), atomically: true, encoding: .utf8)
            try "Test-Marker:0:*:\(Hex.encode(Array("no file of the tests has these bytes".utf8)))\n"
                .write(to: database.appendingPathComponent("test.ndb"), atomically: true, encoding: .utf8)
            let config = root.appendingPathComponent("clamd.conf")
            try "LocalSocket \(socket)\nDatabaseDirectory \(database.path)\nForeground yes\nLocalSocketMode 666\n"
                .write(to: config, atomically: true, encoding: .utf8)
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
            let output = try FileHandle(forWritingTo: log)
            process.executableURL = URL(fileURLWithPath: ClamDaemonTests.clamd)
            process.arguments = ["--config-file=\(config.path)"]
            process.standardInput = FileHandle.nullDevice
            process.standardOutput = output
            process.standardError = output
            try process.run()
            // Loaded when it answers PING (a small database: a second or two).
            let deadline = Date().addingTimeInterval(60)
            while !ClamDaemon.answers(at: socket) {
                guard process.isRunning, Date() < deadline else {
                    stop()
                    throw Wizard.CommandFailed(description: "clamd did not answer: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
                }
                usleep(20_000)
            }
        }

        func stop() {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }

        deinit { stop() }
    }

    /// The EICAR anti-virus test string, assembled here so no file of ours contains it whole.
    static let eicar = Data(#"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-"#.utf8) + Data("TEST-FILE!$H+H*".utf8)

    struct Outcome {
        var run: Wizard.Result
        var folder: URL
        var scan: JSONValue
        var started: [String]
        var output: String
    }

    /// A one-scan-step playbook with `command` (no backslashes), run in plain mode to its end.
    static func playbook(_ command: [String]) throws -> URL {
        let file = try Wizard.temporaryDirectory().appendingPathComponent("scan-test.yaml")
        try ScanTests.playbook(command: command).write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    static func outcome(_ run: Wizard.Result, reports: URL) throws -> Outcome {
        let folder = try Wizard.reportFolder(reports)
        let report = try #require(JSONValue.parse(try Data(contentsOf: folder.appendingPathComponent("report.json"))))
        let scan = try #require(report["scans"]?.array?.first)
        let journal = try String(contentsOf: folder.appendingPathComponent("journal.jsonl"), encoding: .utf8)
        let started = try #require(journal.split(separator: "\n").compactMap { JSONValue.parse(Data($0.utf8)) }
            .first { $0["event"]?.string == "command.started" })
        let argv = (started["argv"]?.array ?? []).compactMap(\.string)
        let output = try String(contentsOf: folder.appendingPathComponent(try #require(scan["output_file"]?.string)), encoding: .utf8)
        #expect(Wizard.verifyStatus(folder) == 0)
        return Outcome(run: run, folder: folder, scan: scan, started: argv, output: output)
    }

    static func scan(_ command: [String], socket: String, home: URL? = nil) throws -> Outcome {
        let playbook = try playbook(command)
        let reports = playbook.deletingLastPathComponent().appendingPathComponent("reports")
        var environment = [ClamDaemon.socketVariable: socket]
        if let home { environment["HOME"] = home.path }
        let run = try Wizard.run(["run", playbook.path, "--plain", "--lang", "en", "--reports", reports.path], input: "\n\n",
                                 environment: environment)
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        return try outcome(run, reports: reports)
    }

    /// The files a clamscan output reports (its per-file lines), as a set of paths.
    static func files(_ output: String) -> Set<String> {
        Set(output.split(separator: "\n").filter { ClamScanFollowing.isFileResult($0) }.compactMap { line in
            line.range(of: ": ", options: .backwards).map { String(line[..<$0.lowerBound]) }
        })
    }

    static func isWizard(_ path: String) -> Bool {
        URL(fileURLWithPath: path).resolvingSymlinksInPath().path == URL(fileURLWithPath: Wizard.binary).resolvingSymlinksInPath().path
    }

    /// The shipped command's shape through the daemon: the recorded argv says so, every file is
    /// listed as clamscan lists it, the count at the verdict is the lines', and the verdict clean.
    @Test(.enabled(if: ClamDaemonTests.installed, "clamav-daemon is installed by scripts/ensure-deps.sh testing"))
    func theShippedScanGoesThroughTheDaemonFileForFile() throws {
        let daemon = try PrivateClamd()
        defer { daemon.stop() }
        let home = try ScanProgressTerminalTests.tree(files: 1_500)
        let shipped = ["clamscan", "--recursive", "--exclude-dir=^{{home}}/Downloads$", "{{home}}/Downloads/.", "{{home}}"]
        let outcome = try Self.scan(shipped, socket: daemon.socket, home: home)
        let expanded = shipped.map { $0.replacingOccurrences(of: "{{home}}", with: home.path) }
        #expect(outcome.started.count == 5 + expanded.count, "\(outcome.started)")
        #expect(Self.isWizard(outcome.started.first ?? ""), "\(outcome.started)")
        #expect(Array(outcome.started.dropFirst()) == ["clamd-scan", "--socket", daemon.socket, "--"] + expanded)
        #expect(outcome.scan["verdict"]?.string == "clean", "\(outcome.output)")
        #expect(outcome.scan["exit_code"]?.int == 0)
        #expect(outcome.output.contains("Scanned by: the ClamAV daemon on \(daemon.socket)"))
        // clamscan itself, with the same database, reports the same files.
        let clamscan = try #require(Wizard.which("clamscan"))
        let alone = try Wizard.program(clamscan, ["--database=\(daemon.database.path)"] + expanded.dropFirst(), keeping: .standardOutput)
        #expect(alone.status == 0, "\(alone.text)")
        let files = Self.files(outcome.output)
        #expect(files.count == 1_500 + 25 + 2, "the tree, Downloads once, the empty file and big.iso")
        #expect(files == Self.files(alone.text))
        // The follower's count is the lines': all of them checked at the verdict.
        let count = files.count.formatted(.number.locale(Locale(identifier: "en_US")))
        #expect(outcome.run.stdout.contains("All \(count) files were checked."), "\(outcome.run.stdout)")
    }

    /// A detection through the daemon: `detected`, the signature's name, the file's path.
    @Test(.enabled(if: ClamDaemonTests.installed, "clamav-daemon is installed by scripts/ensure-deps.sh testing"))
    func aDetectionThroughTheDaemonIsDetected() throws {
        let daemon = try PrivateClamd()
        defer { daemon.stop() }
        let samples = try ScanTests.Samples()
        let outcome = try Self.scan(["clamscan", "-r", samples.infected.path], socket: daemon.socket)
        #expect(outcome.started.dropFirst().first == "clamd-scan", "\(outcome.started)")
        #expect(outcome.scan["verdict"]?.string == "detected", "\(outcome.output)")
        #expect(outcome.scan["exit_code"]?.int == 1)
        let found = samples.infected.appendingPathComponent("invoice.doc").path + ": Eicar-Test-Signature.UNOFFICIAL FOUND"
        #expect(outcome.scan["detections"]?.array == [.string(found)])
        #expect(outcome.output.contains(samples.infected.appendingPathComponent("letter.txt").path + ": OK"))
        #expect(outcome.run.stdout.contains("All 2 files were checked."), "\(outcome.run.stdout)")
    }

    /// Options the daemon cannot run as clamscan would (its own database, only the infected
    /// listed): clamscan as written, even with the daemon answering.
    @Test(.enabled(if: ClamDaemonTests.installed, "clamav-daemon is installed by scripts/ensure-deps.sh testing"))
    func optionsTheDaemonCannotRunKeepClamscan() throws {
        let daemon = try PrivateClamd()
        defer { daemon.stop() }
        let samples = try ScanTests.Samples()
        let outcome = try Self.scan(["clamscan", "--database=\(samples.signature.path)", "-r", samples.infected.path], socket: daemon.socket)
        #expect(outcome.started.first == "clamscan", "\(outcome.started)")
        #expect(outcome.scan["verdict"]?.string == "detected")
        for argv in [["clamscan", "--infected", "-r", "/tmp"], ["clamscan", "-ri", "/tmp"], ["clamscan", "--remove", "/tmp"],
                     ["clamscan", "--move=/q", "/tmp"], ["clamscan", "-d", "db", "/tmp"], ["clamdscan", "/tmp"], ["clamscan"],
                     ["clamscan", "--max-filesize=1M", "/tmp"], ["clamscan", "--follow-file-symlinks=2", "/tmp"]] {
            #expect(ClamDaemon.reproduction(of: argv) == nil, "\(argv)")
        }
        #expect(ClamDaemon.reproduction(of: ["clamscan", "-r", "--exclude-dir", "^/x$", "--no-summary", "--", "-odd", "/tmp"]) != nil)
    }

    /// No daemon on the socket (none there, or one that never answers): clamscan as written
    /// (a stand-in here, so the system's database plays no part), after at most a second's wait
    /// for the one that hangs.
    @Test func noDaemonAnsweringMeansClamscanAsWritten() throws {
        let directory = try Wizard.temporaryDirectory()
        let bin = directory.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        try "#!/bin/sh\necho \"$2/notes.txt: OK\"\nexit 0\n".writeExecutable(to: bin.appendingPathComponent("clamscan"))
        let silent = directory.appendingPathComponent("silent.sock").path
        let listener = try Self.listen(at: silent)
        defer { close(listener) }
        for (index, socket) in [directory.appendingPathComponent("none.sock").path, silent].enumerated() {
            let started = Date()
            let playbook = try Self.playbook(["clamscan", "-r", directory.path])
            let reports = directory.appendingPathComponent("reports-\(index)")
            let run = try Wizard.run(["run", playbook.path, "--plain", "--lang", "en", "--reports", reports.path], input: "\n\n",
                                     environment: [ClamDaemon.socketVariable: socket, "PATH": bin.path + ":/usr/bin:/bin"])
            #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
            let outcome = try Self.outcome(run, reports: reports)
            #expect(outcome.started == ["clamscan", "-r", directory.path])
            #expect(outcome.scan["verdict"]?.string == "clean")
            if socket == silent { #expect(Date().timeIntervalSince(started) < 30) }
        }
    }

    /// A daemon that dies mid-scan: `error` (not a hang), the broken connection said in the output.
    @Test(.enabled(if: ClamDaemonTests.installed, "clamav-daemon is installed by scripts/ensure-deps.sh testing"))
    func aDaemonKilledMidScanGivesAnError() throws {
        let daemon = try PrivateClamd()
        defer { daemon.stop() }
        let home = try ScanProgressTerminalTests.tree(files: 20_000)
        let playbook = try Self.playbook(["clamscan", "-r", home.path])
        let reports = playbook.deletingLastPathComponent().appendingPathComponent("reports")
        // The wizard in the background; the daemon stopped, then killed, once results come.
        let pid = daemon.process.processIdentifier
        let watcher = Thread {
            let deadline = Date().addingTimeInterval(120)
            while Date() < deadline {
                if let folder = try? Wizard.reportFolder(reports),
                   let name = (try? FileManager.default.subpathsOfDirectory(atPath: folder.path))?
                       .first(where: { $0.hasPrefix("evidence/") && $0.hasSuffix(".txt") }),
                   let text = try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8),
                   text.split(separator: "\n").count >= 50 {
                    kill(pid, SIGSTOP)
                    kill(pid, SIGKILL)
                    return
                }
                usleep(5_000)
            }
        }
        watcher.start()
        let started = Date()
        let run = try Wizard.run(["run", playbook.path, "--plain", "--lang", "en", "--reports", reports.path], input: "\n\n",
                                 environment: [ClamDaemon.socketVariable: daemon.socket])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        let outcome = try Self.outcome(run, reports: reports)
        #expect(outcome.started.dropFirst().first == "clamd-scan")
        #expect(outcome.scan["verdict"]?.string == "error", "\(outcome.output.suffix(500))")
        #expect(outcome.scan["exit_code"]?.int == 2)
        #expect(outcome.output.contains("the scan is incomplete"), "\(outcome.output.suffix(500))")
        #expect(Self.files(outcome.output).count < 20_000 + 27)
        #expect(Date().timeIntervalSince(started) < 60)
    }

    /// `check` says which a scan uses: the daemon (with the EICAR file scanned through it), or
    /// clamscan because the daemon does not answer.
    @Test(.enabled(if: ClamDaemonTests.installed, "clamav-daemon is installed by scripts/ensure-deps.sh testing"))
    func checkSaysWhichScannerAScanUses() throws {
        let daemon = try PrivateClamd()
        defer { daemon.stop() }
        let setup = try CheckCommandTests.Setup()
        try setup.fakeClamscan(status: 1, output: "eicar: Eicar-Test-Signature FOUND")
        let through = try setup.check(extra: [ClamDaemon.socketVariable: daemon.socket])
        let line = CheckCommandTests().line(through, "scanner clamscan")
        #expect(line.hasPrefix("OK"), "\(through.stdout)")
        #expect(line.contains("a scan uses the ClamAV daemon on \(daemon.socket) (its database is loaded there) (ready/scan)"), "\(line)")
        #expect(line.contains("it detects the EICAR test file"), "\(line)")
        let dead = setup.root.appendingPathComponent("none.sock").path
        let without = try setup.check(extra: [ClamDaemon.socketVariable: dead])
        let other = CheckCommandTests().line(without, "scanner clamscan")
        #expect(other.hasPrefix("OK"), "\(without.stdout)")
        #expect(other.contains("clamscan, as the ClamAV daemon does not answer on \(dead)"), "\(other)")
        #expect(other.contains("its database loads and detects the EICAR test file"), "\(other)")
    }

    /// A socket that accepts connections (the kernel's backlog) and never answers.
    static func listen(at path: String) throws -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in path.utf8.enumerated() { raw[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard fd >= 0, bound == 0, Foundation.listen(fd, 8) == 0 else { throw Wizard.CommandFailed(description: "cannot listen on \(path)") }
        return fd
    }
}
