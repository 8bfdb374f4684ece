import Foundation
import IncidentCore
import Testing

/// The quality bars' reliability rows that earlier suites do not already prove: every exit path
/// leaves the terminal normal, a full disk stops cleanly and loses nothing, a non-UTF-8 locale
/// and no terminal give plain mode, and attached evidence is never executed.
@Suite(.serialized) struct RobustnessTests {
    /// How the wizard is made to leave the screen.
    enum Way: String, CaseIterable {
        case end, quit, sigint = "SIGINT", sigterm = "SIGTERM", sighup = "SIGHUP", sigquit = "SIGQUIT"
    }

    struct TerminalState {
        var status: Int32
        var stty: String
        var alternateScreen: Bool
        var cursorVisible: Bool
        /// When the shell around the wizard had recorded its status (the wizard had exited).
        var exitedAt: Date
    }

    /// Runs `arguments` in tmux under a shell that, once the wizard has gone, records its status
    /// and `stty -a`; `act` drives the wizard. Returns the terminal as the wizard left it.
    func leaveTheScreen(_ arguments: String, home: URL, environment extra: [String: String] = [:],
                        act: (Tmux) throws -> Void) throws -> TerminalState {
        try #require(Tmux.available, "tmux is needed (the README's test command installs it)")
        let t = Tmux()
        let stateFile = home.appendingPathComponent("after.txt").path
        let script = "\(Tmux.quote(Wizard.binary)) \(arguments); echo status=$? > \(Tmux.quote(stateFile)); "
            + "stty -a >> \(Tmux.quote(stateFile)); echo done >> \(Tmux.quote(stateFile)); sleep 60"
        try t.start("sh -c \(Tmux.quote(script))",
                    environment: ["HOME": home.path, "LANG": "C.UTF-8", "TERM": "xterm-256color"].merging(extra) { $1 })
        try act(t)
        let deadline = Date().addingTimeInterval(15)
        while Date() < deadline, (try? String(contentsOfFile: stateFile, encoding: .utf8))?.hasSuffix("done\n") != true { usleep(20_000) }
        let exitedAt = Date()
        let text = try String(contentsOfFile: stateFile, encoding: .utf8)
        let status = Int32(text.split(separator: "\n").first?.dropFirst("status=".count) ?? "") ?? -1
        return TerminalState(status: status, stty: text, alternateScreen: try t.display("#{alternate_on}") == "1",
                             cursorVisible: try t.display("#{cursor_flag}") == "1", exitedAt: exitedAt)
    }

    /// The wizard's own pid: the `incident-wizard` process among the pane's descendants.
    func wizardPID(_ t: Tmux) throws -> pid_t {
        let root = pid_t(try t.display("#{pane_pid}")) ?? 0
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline {
            var queue = [root]
            while !queue.isEmpty {
                let pid = queue.removeFirst()
                let name = (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
                if name == "incident-wizard" { return pid }
                let children = (try? String(contentsOfFile: "/proc/\(pid)/task/\(pid)/children", encoding: .utf8)) ?? ""
                queue += children.split(separator: " ").compactMap { pid_t($0) }
            }
            usleep(20_000)
        }
        throw Tmux.Timeout(description: "the wizard did not start")
    }

    func expectNormal(_ state: TerminalState, _ way: String) {
        let flags = state.stty.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == ";" })
        #expect(flags.contains("echo") && flags.contains("icanon") && !flags.contains("-echo") && !flags.contains("-icanon"),
                "\(way): \(state.stty)")
        #expect(!state.alternateScreen, "\(way): still in the alternate screen")
        #expect(state.cursorVisible, "\(way): the cursor is hidden")
    }

    static let oneScreen = "playbook: 1\nid: one\ntitle: One\nlanguages: [en]\nsteps:\n  - {id: a, type: info, title: The only screen}\n"

    @Test(arguments: Way.allCases)
    func everyExitPathLeavesTheTerminalNormal(_ way: Way) throws {
        let home = try Wizard.temporaryDirectory()
        let playbook = home.appendingPathComponent("one.yaml")
        try Self.oneScreen.write(to: playbook, atomically: true, encoding: .utf8)
        let state = try leaveTheScreen("run \(Tmux.quote(playbook.path)) --reports \(Tmux.quote(home.path + "/reports"))", home: home) { t in
            try t.wait(for: "The only screen")
            switch way {
            case .end: try t.send("Enter")
            case .quit:
                try t.send("q")
                try t.wait(for: "Quit?")
                try t.send("y")
            case .sigint: kill(try wizardPID(t), SIGINT)
            case .sigterm: kill(try wizardPID(t), SIGTERM)
            case .sighup: kill(try wizardPID(t), SIGHUP)
            case .sigquit: kill(try wizardPID(t), SIGQUIT)
            }
        }
        let expected: Int32 = switch way {
        case .end: 0
        case .quit: 3
        default: 1
        }
        #expect(state.status == expected, "\(way.rawValue): \(state.stty)")
        expectNormal(state, way.rawValue)
    }

    enum Place: String, CaseIterable {
        case firstScreen, scan
    }

    static let signals: [Int32] = [SIGTERM, SIGHUP, SIGINT, SIGQUIT]

    /// A scanner that writes its pid to a file, says "scanning forever" and never ends.
    static func hangingScanner(in home: URL) throws -> (scanner: URL, pidFile: URL) {
        let pidFile = home.appendingPathComponent("scanner.pid")
        let scanner = home.appendingPathComponent("hanging-scanner")
        try "#!/bin/sh\necho $$ > \(pidFile.path)\necho scanning forever\nexec sleep 600\n".writeExecutable(to: scanner)
        return (scanner, pidFile)
    }

    static func pid(in file: URL) throws -> pid_t {
        try #require(pid_t(try String(contentsOf: file, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
    }

    /// SIGTERM, SIGHUP, SIGINT and SIGQUIT at the first screen and during a scan: the session is
    /// suspended (the journal's last line), the terminal normal, the scanner ended, the exit prompt.
    /// The shipped (release) binary once ignored them all: CI runs this against it too.
    @Test(arguments: signals, Place.allCases)
    func aSignalSuspendsTheSessionPromptly(_ signal: Int32, _ place: Place) throws {
        let home = try Wizard.temporaryDirectory()
        let (scanner, pidFile) = try Self.hangingScanner(in: home)
        let playbook = home.appendingPathComponent("two.yaml")
        try """
            playbook: 1
            id: two
            title: Two
            languages: [en]
            steps:
              - {id: a, type: info, title: The first screen}
              - {id: s, type: scan, title: Scanning now, command: ["\(scanner.path)"]}
              - {id: z, type: end, title: The end}

            """.write(to: playbook, atomically: true, encoding: .utf8)
        let reports = home.appendingPathComponent("reports")
        var sentAt = Date()
        let state = try leaveTheScreen("run \(Tmux.quote(playbook.path)) --reports \(Tmux.quote(reports.path))", home: home) { t in
            try t.wait(for: "The first screen")
            if place == .scan {
                try t.send("Enter")
                try t.wait(for: "scanning forever")
            }
            let pid = try wizardPID(t)
            sentAt = Date()
            kill(pid, signal)
        }
        let took = state.exitedAt.timeIntervalSince(sentAt)
        #expect(took < 2, "signal \(signal) at \(place): the wizard took \(took) s to exit")
        #expect(state.status == 1, "signal \(signal) at \(place): \(state.stty)")
        expectNormal(state, "signal \(signal) at \(place)")
        let folder = try Wizard.reportFolder(reports)
        let journal = Journal.read(try Data(contentsOf: folder.appendingPathComponent("journal.jsonl")))
        #expect(journal.entries.last?.event == "session.suspended", "signal \(signal) at \(place)")
        #expect(journal.entries.last?["reason"]?.string == "signal \(signal)")
        if place == .scan {
            #expect(kill(try Self.pid(in: pidFile), 0) == -1, "the scanner outlived the wizard")
        }
    }

    /// The reports directory on a 1 MiB file system that fills up mid-session: the wizard stops
    /// with a clear message, the terminal is normal, and after space is freed the session resumes
    /// with every answer given before.
    @Test(.enabled(if: getuid() == 0, "mounting a small file system needs root (CI runs as root)"))
    func aFullDiskStopsCleanlyAndLosesNothing() throws {
        let home = try Wizard.temporaryDirectory()
        let reports = try Self.smallDisk(in: home, size: "1m")
        defer { Self.unmount(reports) }
        let playbook = home.appendingPathComponent("three.yaml")
        try """
            playbook: 1
            id: three
            title: Three
            languages: [en]
            steps:
              - {id: first, type: confirm, title: First question}
              - {id: second, type: confirm, title: Second question}
              - {id: third, type: confirm, title: Third question}
              - {id: done, type: end, title: All done}

            """.write(to: playbook, atomically: true, encoding: .utf8)
        let filler = reports.appendingPathComponent("filler")
        let state = try leaveTheScreen("run \(Tmux.quote(playbook.path)) --reports \(Tmux.quote(reports.path))", home: home) { t in
            try t.wait(for: "First question")
            try t.send("y")
            try t.wait(for: "Second question")
            // Fill the disk, then answer.
            try Self.fill(filler)
            try t.send("n")
        }
        #expect(state.status == 1)
        #expect(state.stty.contains("status=1"))
        expectNormal(state, "full disk")
        try FileManager.default.removeItem(at: filler)
        let folder = try Wizard.reportFolder(reports)
        // Space again: resume, and the first answer is still there.
        let resumed = try Wizard.run(["run", playbook.path, "--plain", "--reports", reports.path], input: "y\nn\ny\n\n")
        #expect(resumed.status == 0, "\(resumed.stdout)\(resumed.stderr)")
        let report = try #require(JSONValue.parse(try Data(contentsOf: folder.appendingPathComponent("report.json"))))
        let answers = (report["steps"]?.array ?? []).map { ($0["id"]?.string ?? "", $0["answer"]) }
        #expect(answers.first { $0.0 == "first" }?.1 == .string("yes"), "\(answers)")
        #expect(answers.first { $0.0 == "second" }?.1 == .string("no"), "\(answers)")
    }

    /// An evidence copy that does not fit: refused as "could not be written" (not "cannot be
    /// read"), no partial copy and no report temp files left behind; the folder still verifies
    /// once there is room again.
    @Test(.enabled(if: getuid() == 0, "mounting a small file system needs root (CI runs as root)"))
    func aFullDiskLeavesNoPartialCopyOrTempFiles() throws {
        let home = try Wizard.temporaryDirectory()
        let reports = try Self.smallDisk(in: home, size: "2m")
        defer { Self.unmount(reports) }
        let big = home.appendingPathComponent("big.bin")
        try Data(count: 3 * 1_048_576).write(to: big)
        let playbook = home.appendingPathComponent("evidence.yaml")
        try EvidenceAndCommandTests.evidencePlaybook.write(to: playbook, atomically: true, encoding: .utf8)
        let result = try Wizard.run(["run", playbook.path, "--plain", "--reports", reports.path], input: "y\n\(big.path)\n\n\n",
                                    environment: ["HOME": home.path])
        #expect(result.stdout.contains("the copy could not be written (No space left on device)"), "\(result.stdout)\(result.stderr)")
        #expect(!result.stdout.contains("cannot be read"))
        let folder = try Wizard.reportFolder(reports)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("evidence").path).isEmpty)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty, "\(leftovers)")
        #expect(Wizard.verifyStatus(folder) == 0)
    }

    /// A wizard SIGKILLed during a scan (no chance to end anything) takes the scanner with it: it
    /// never writes on into a folder that is resumed later.
    @Test func aScannerDiesWithAKilledWizard() throws {
        try #require(Tmux.available, "tmux is needed (the README's test command installs it)")
        let home = try Wizard.temporaryDirectory()
        let (scanner, pidFile) = try Self.hangingScanner(in: home)
        let playbook = home.appendingPathComponent("scan.yaml")
        try ScanTests.playbook(command: [scanner.path]).write(to: playbook, atomically: true, encoding: .utf8)
        let t = Tmux()
        try t.start("\(Tmux.quote(Wizard.binary)) run \(Tmux.quote(playbook.path)) --reports \(Tmux.quote(home.path + "/reports"))",
                    environment: ["HOME": home.path, "LANG": "C.UTF-8", "TERM": "xterm-256color"])
        try t.wait(for: "scanning forever")
        let pid = try Self.pid(in: pidFile)
        kill(try wizardPID(t), SIGKILL)
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline, kill(pid, 0) == 0 { usleep(20_000) }
        #expect(kill(pid, 0) == -1, "the scanner outlived the killed wizard")
    }

    /// A tmpfs of `size` mounted as `home/reports` (root only; unmount it when done).
    /// An export onto a disk that fills up: a clear failure, and the good export already there
    /// is left whole (written to a temporary file and renamed, never in place).
    @Test(.enabled(if: getuid() == 0, "mounting a small file system needs root (CI runs as root)"))
    func anExportOntoAFullDiskLeavesTheEarlierOneWhole() throws {
        let home = try Wizard.temporaryDirectory()
        let playbook = home.appendingPathComponent("one.yaml")
        try """
            playbook: 1
            id: one
            title: One
            languages: [en]
            steps:
              - {id: first, type: confirm, title: First question}
              - {id: done, type: end, title: All done}
            """.write(to: playbook, atomically: true, encoding: .utf8)
        let run = try Wizard.run(["run", playbook.path, "--plain", "--reports", home.path + "/r"], input: "y\n\n",
                                 environment: ["HOME": home.path])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        let folder = try Wizard.reportFolder(home.appendingPathComponent("r"))
        let disk = try Self.smallDisk(in: home.appendingPathComponent("stick"), size: "256k")
        defer { Self.unmount(disk) }
        let out = disk.appendingPathComponent("record.stix.json")
        #expect(try Wizard.run(["export", folder.path, "--format", "stix", "--output", out.path]).status == 0)
        let good = try Data(contentsOf: out)
        try Self.fill(disk.appendingPathComponent("filler"))
        let full = try Wizard.run(["export", folder.path, "--format", "stix", "--output", out.path])
        #expect(full.status == 1, "\(full.stdout)\(full.stderr)")
        #expect(full.stderr.contains("nothing was replaced") || full.stderr.contains("No space"), "\(full.stderr)")
        #expect(try Data(contentsOf: out) == good, "the earlier export is whole")
        #expect(try FileManager.default.contentsOfDirectory(atPath: disk.path).sorted() == ["filler", "record.stix.json"],
                "no temporary file left behind")
    }

    static func smallDisk(in home: URL, size: String) throws -> URL {
        let reports = home.appendingPathComponent("reports")
        try FileManager.default.createDirectory(at: reports, withIntermediateDirectories: true)
        try Wizard.shell(["/bin/mount", "-t", "tmpfs", "-o", "size=\(size),mode=0700", "tmpfs", reports.path])
        return reports
    }

    static func unmount(_ directory: URL) {
        _ = try? Wizard.shell(["/bin/umount", directory.path])
    }

    /// Writes `file` until its file system is full.
    static func fill(_ file: URL) throws {
        _ = FileManager.default.createFile(atPath: file.path, contents: nil)
        let handle = try FileHandle(forWritingTo: file)
        let block = Data(count: 4096)
        while (try? handle.write(contentsOf: block)) != nil {}
        try? handle.close()
    }

    /// A full disk shows the reason on stderr.
    @Test(.enabled(if: getuid() == 0, "mounting a small file system needs root (CI runs as root)"))
    func aFullDiskNamesTheProblem() throws {
        let home = try Wizard.temporaryDirectory()
        let reports = try Self.smallDisk(in: home, size: "64k")
        defer { Self.unmount(reports) }
        try Self.fill(reports.appendingPathComponent("filler"))
        let playbook = home.appendingPathComponent("one.yaml")
        try Self.oneScreen.write(to: playbook, atomically: true, encoding: .utf8)
        let result = try Wizard.run(["run", playbook.path, "--plain", "--reports", reports.path], input: "\n")
        #expect(result.status == 1)
        #expect(result.stderr.contains("No space left on device"), "\(result.stderr)")
    }

    /// A locale with another character set (EUC-JP, made here with localedef): plain mode, its
    /// output in EUC-JP (no UTF-8 bytes reach that terminal), and what is typed read back from it.
    @Test(.enabled(if: Wizard.which("localedef") != nil && FileManager.default.fileExists(atPath: "/usr/share/i18n/charmaps/EUC-JP.gz"),
                   "needs glibc's localedef and the locales package"))
    func aNonUTF8LocaleGetsPlainModeInItsOwnCharacterSet() throws {
        let home = try Wizard.temporaryDirectory()
        let locales = home.appendingPathComponent("locales")
        try FileManager.default.createDirectory(at: locales, withIntermediateDirectories: true)
        try Wizard.shell([try #require(Wizard.which("localedef")), "-i", "ja_JP", "-f", "EUC-JP", locales.appendingPathComponent("ja_JP.eucJP").path])
        let playbook = home.appendingPathComponent("input.yaml")
        try """
            playbook: 1
            id: input
            title: {ja: 入力の確認, en: Input check}
            languages: [ja, en]
            steps:
              - id: name
                type: input
                title: {ja: お名前を入力してください, en: Your name}
                fields: [{id: who, label: {ja: 名前, en: Name}}]
              - {id: done, type: end, title: {ja: 終わりました, en: Done}}

            """.write(to: playbook, atomically: true, encoding: .utf8)
        let typed = try #require("佐藤\n\n".data(using: .japaneseEUC) ?? Self.eucJP("佐藤\n\n"))
        let reports = home.appendingPathComponent("reports")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Wizard.binary)
        process.arguments = ["run", playbook.path, "--reports", reports.path]
        process.environment = ["LOCPATH": locales.path, "LANG": "ja_JP.eucJP", "HOME": home.path, "TERM": "xterm-256color",
                               "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        _ = Wizard.ignoreSIGPIPE
        try? stdin.fileHandleForWriting.write(contentsOf: typed)
        try stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        let errors = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(errors)")
        #expect(errors.contains("not UTF-8: using plain mode in EUC-JP"))
        #expect(String(data: output, encoding: .utf8) == nil, "the output is UTF-8, not EUC-JP")
        let decoded = try #require(Self.fromEUCJP(output))
        #expect(decoded.contains("お名前を入力してください"), "\(decoded)")
        let report = try #require(JSONValue.parse(try Data(contentsOf: try Wizard.reportFolder(reports).appendingPathComponent("report.json"))))
        let answer = report["steps"]?.array?.first { $0["id"]?.string == "name" }?["answer"]
        #expect(answer?["who"]?.string == "佐藤")
    }

    static func eucJP(_ text: String) -> Data? { try? convert(Data(text.utf8), from: "UTF-8", to: "EUC-JP") }
    static func fromEUCJP(_ data: Data) -> String? { (try? convert(data, from: "EUC-JP", to: "UTF-8")).map { String(decoding: $0, as: UTF8.self) } }

    static func convert(_ data: Data, from: String, to: String) throws -> Data {
        let directory = try Wizard.temporaryDirectory()
        let input = directory.appendingPathComponent("in")
        try data.write(to: input)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(Wizard.which("iconv")))
        process.arguments = ["-f", from, "-t", to, input.path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let result = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return result
    }

    /// The terminal window closes without a SIGHUP reaching the wizard (the pseudo-terminal is not
    /// its controlling terminal): it notices the hang-up, suspends the session and exits, instead
    /// of spinning on a dead terminal (or crashing while saying goodbye to it).
    @Test func aClosedTerminalWindowSuspendsTheSessionAndExits() throws {
        let home = try Wizard.temporaryDirectory()
        let playbook = home.appendingPathComponent("one.yaml")
        try Self.oneScreen.write(to: playbook, atomically: true, encoding: .utf8)
        // posix_openpt by hand (Swift's Glibc module does not export it): /dev/ptmx, unlock, number.
        let master = open("/dev/ptmx", O_RDWR | O_NOCTTY)
        try #require(master >= 0)
        var unlock: Int32 = 0, number: UInt32 = 0
        let TIOCSPTLCK: UInt = 0x4004_5431, TIOCGPTN: UInt = 0x8004_5430
        try #require(ioctl(master, TIOCSPTLCK, &unlock) == 0 && ioctl(master, TIOCGPTN, &number) == 0)
        let slave = open("/dev/pts/\(number)", O_RDWR | O_NOCTTY)
        try #require(slave >= 0)
        var size = winsize(ws_row: 24, ws_col: 80, ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(slave, UInt(TIOCSWINSZ), &size)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Wizard.binary)
        process.arguments = ["run", playbook.path, "--reports", home.path + "/reports"]
        process.environment = ["TERM": "xterm-256color", "LANG": "C.UTF-8", "HOME": home.path,
                               "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]
        let terminal = FileHandle(fileDescriptor: slave, closeOnDealloc: false)
        process.standardInput = terminal
        process.standardOutput = terminal
        process.standardError = terminal
        try process.run()
        close(slave)
        // Wait for the first screen, then close the window.
        var shown = Data()
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline, !String(decoding: shown, as: UTF8.self).contains("The only screen") {
            var descriptor = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
            if poll(&descriptor, 1, 100) == 1 {
                var buffer = [UInt8](repeating: 0, count: 65536)
                let count = read(master, &buffer, buffer.count)
                if count > 0 { shown.append(contentsOf: buffer[0..<count]) }
            }
        }
        #expect(String(decoding: shown, as: UTF8.self).contains("The only screen"))
        close(master)
        // Generous: on a loaded CI machine the reports' fsyncs before the next look at the
        // terminal have taken seconds; what matters is that it ends instead of spinning.
        let exitDeadline = Date().addingTimeInterval(30)
        while process.isRunning, Date() < exitDeadline { usleep(20_000) }
        let stillRunning = process.isRunning
        if stillRunning { process.terminate() }
        #expect(!stillRunning, "the wizard kept running on a closed terminal")
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 1, "\(process.terminationReason) \(process.terminationStatus)")
        let journal = try String(contentsOf: try Wizard.reportFolder(home.appendingPathComponent("reports")).appendingPathComponent("journal.jsonl"),
                                 encoding: .utf8)
        #expect(journal.contains("\"event\":\"session.suspended\""))
    }

    /// No terminal at all (stdin and stdout are pipes, no controlling terminal): plain mode.
    @Test func noTerminalGivesPlainMode() throws {
        let home = try Wizard.temporaryDirectory()
        let playbook = home.appendingPathComponent("one.yaml")
        try Self.oneScreen.write(to: playbook, atomically: true, encoding: .utf8)
        let setsid = try #require(Wizard.which("setsid"))
        let result = try Wizard.run(["run", playbook.path, "--reports", home.path + "/reports"], input: "\n",
                                    environment: ["TERM": "xterm-256color"], through: [setsid])
        #expect(result.status == 0)
        #expect(result.stdout.contains("== One — Step 1/1 =="))
        #expect(!result.stdout.contains("\u{1b}["), "escape sequences in plain mode")
    }

    /// Quality bar: evidence is copied, never opened or executed — an attached script that would
    /// leave a mark if run leaves none, and its copy is not executable.
    @Test func attachedEvidenceIsNeverExecuted() throws {
        let home = try Wizard.temporaryDirectory()
        let marker = home.appendingPathComponent("it-ran")
        let script = home.appendingPathComponent("invoice.doc.sh")
        try "#!/bin/sh\ntouch \(marker.path)\n".writeExecutable(to: script)
        let playbook = home.appendingPathComponent("evidence.yaml")
        try "playbook: 1\nid: evidence\ntitle: Evidence\nlanguages: [en]\nsteps:\n  - {id: photo, type: evidence, title: Photo, attach: optional}\n"
            .write(to: playbook, atomically: true, encoding: .utf8)
        let reports = home.appendingPathComponent("reports")
        let result = try Wizard.run(["run", playbook.path, "--plain", "--reports", reports.path], input: "y\n\(script.path)\n\n")
        #expect(result.status == 0)
        #expect(!FileManager.default.fileExists(atPath: marker.path))
        let copy = try Wizard.reportFolder(reports).appendingPathComponent("evidence/invoice.doc.sh")
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: copy.path)[.posixPermissions] as? Int)
        #expect(mode == 0o600)
        #expect(try Data(contentsOf: copy) == Data(contentsOf: script))
    }
}
