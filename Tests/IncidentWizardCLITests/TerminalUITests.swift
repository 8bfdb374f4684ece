import Foundation
import IncidentCore
import Testing

/// The full-screen interface in a real terminal (tmux): the paths a person walks, resize, quit,
/// signals, bad terminals, NO_COLOR and hostile text. Screens are read as text; waits poll.
@Suite(.serialized) struct TerminalUITests {
    struct Run {
        let tmux = Tmux()
        let home: URL
        var reports: String { home.path + "/reports" }

        init() throws {
            try #require(Tmux.available, "tmux is needed (the README's test command installs it)")
            home = try Wizard.temporaryDirectory()
        }

        var environment: [String: String] { ["HOME": home.path, "LANG": "C.UTF-8", "TERM": "xterm-256color"] }

        func start(_ arguments: String, extra: [String: String] = [:], width: Int = 80, height: Int = 24) throws {
            try tmux.start("\(Tmux.quote(Wizard.binary)) \(arguments) --playbooks \(Tmux.quote(Wizard.playbooks.path)) --reports \(Tmux.quote(reports))",
                           width: width, height: height, environment: environment.merging(extra) { $1 })
        }

        /// Runs `script` in `sh`, for checks after the wizard has gone (the terminal's state).
        func startShell(_ script: String, extra: [String: String] = [:]) throws {
            try tmux.start("sh -c \(Tmux.quote(script))", environment: environment.merging(extra) { $1 })
        }

        func folder() throws -> String {
            let names = try FileManager.default.contentsOfDirectory(atPath: reports)
            return reports + "/" + (try #require(names.first))
        }
    }

    func title(_ id: String, _ language: String) throws -> String {
        let url = Wizard.playbooks.appendingPathComponent("emotet.yaml")
        let playbook = try #require(PlaybookLoader.load(try Data(contentsOf: url), path: url.path).value)
        let text = try #require(playbook.step(id)).title.resolved(language)
        // The first few characters are enough to recognise the screen, and are never wrapped.
        return String(text.prefix(8))
    }

    @Test(arguments: ["ja", "en"])
    func walkTheDefaultPlaybookByKeysOnly(_ language: String) throws {
        let run = try Run()
        try run.start("run emotet --lang \(language)")
        let t = run.tmux
        try t.wait(for: try title("stay-calm", language))
        try t.send("Enter")
        try t.wait(for: try title("what-happened", language))
        try t.send("2")
        try t.wait(for: try title("keep-pc-on", language))
        try t.send("Enter")
        try t.wait(for: try title("stop-using-file", language))
        try t.send("Enter")
        try t.wait(for: try title("collect-state", language))
        try t.wait(for: language == "ja" ? "情報の収集が終わりました" : "The information has been collected.")
        try t.send("Enter")
        try t.wait(for: try title("disconnect", language))
        try t.wait(for: language == "ja" ? "2 切り離せない" : "2 I can't")
        let connected = try t.screen().contains(language == "ja" ? "まだネットワークにつながっています" : "Still connected")
        try t.send(connected ? "2" : "Enter")
        if connected {
            try t.wait(for: try title("cannot-disconnect", language))
            try t.send("Enter")
        }
        try t.wait(for: try title("photo-mail", language))
        try t.send("y")
        try t.wait(for: language == "ja" ? "添付するファイルのパス" : "Path of a file to attach")
        try t.send("Enter")
        try t.wait(for: try title("do-not-forward", language))
        try t.send("Enter")
        try t.wait(for: try title("mail-details", language))
        try t.type(language == "ja" ? "鈴木 <suzuki@example.com>" : "Suzuki <suzuki@example.com>")
        try t.type(language == "ja" ? "請求書" : "Invoice")
        try t.type("9:00")
        try t.type(language == "ja" ? "添付を開いた" : "opened the attachment", enter: false)
        try t.wait(for: language == "ja" ? "> 添付を開いた" : "> opened the attachment")
        try t.send("Tab")
        try t.send("Enter")
        // The scan runs in the background: the call comes first, its header shows the scan.
        try t.wait(for: try title("notify-admin", language))
        try t.wait(for: language == "ja" ? "ウイルス検査" : "Virus check")
        try t.send("1")
        try t.wait(for: language == "ja" ? "話した相手の名前" : "Who did you speak with?")
        try t.type(language == "ja" ? "田中" : "Tanaka")
        try t.wait(for: try title("scan-result", language))
        try t.wait(timeout: 60, "the scan to finish") { $0.contains(language == "ja" ? "Enter 次へ" : "Enter continue") }
        try t.send("Enter")
        // The scan's advice (which one depends on the scanner here): a new screen, whose Enter
        // counts once it is shown (keys typed before it is drawn are dropped).
        let scanTitle = language == "ja" ? "ウイルス検査の結果を確認します" : "Result of the virus check"
        try t.wait(timeout: 10, "the scan's advice") {
            !$0.contains(scanTitle) && $0.contains(language == "ja" ? "Enter 次へ" : "Enter continue")
        }
        try t.send("Enter")
        try t.wait(for: try title("end-reported", language))
        try t.send("Enter")
        #expect(try t.waitForExit() == 0)
        let verify = try Wizard.run(["verify", try run.folder()])
        #expect(verify.status == 0, "\(verify.stdout)")
        let report = try #require(JSONValue.parse(try Data(contentsOf: URL(fileURLWithPath: try run.folder() + "/report.json"))))
        #expect(report["status"]?.string == "finished")
        let details = report["steps"]?.array?.first { $0["id"]?.string == "mail-details" }?["answer"]
        #expect(details?["subject"]?.string == (language == "ja" ? "請求書" : "Invoice"))
        #expect(details?["notes"]?.string == (language == "ja" ? "添付を開いた" : "opened the attachment"))
    }

    @Test func resizeToTinyAndBackRedrawsCompletely() throws {
        let run = try Run()
        try run.start("run emotet --lang en")
        let t = run.tmux
        try t.wait(for: "First, take a breath")
        try t.send("Enter")
        try t.wait(for: "What did you do with the suspicious mail?")
        try t.resize(width: 20, height: 6)
        try t.wait(for: "enlarge")
        try t.resize(width: 80, height: 24)
        let screen = try t.wait("a full redraw") { $0.contains("What did you do with the suspicious mail?") && $0.contains("5. ") && !$0.contains("enlarge") }
        let lines = screen.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first?.contains("Step 2/") == true, "\(screen)")
        #expect(lines.count >= 23 && lines[23].contains("1-9 choose"), "\(screen)")
        try t.send("q")
        try t.wait(for: "Quit? Your answers so far are saved.")
        try t.send("y")
        let status = try t.waitForExit()
        let after = try t.screen()
        #expect(status == 3, "status \(status); screen:\n\(after)")
    }

    @Test(arguments: ["TERM", "HUP"])
    func signalsLeaveTheTerminalSane(_ signal: String) throws {
        let run = try Run()
        let stty = run.home.path + "/stty.txt"
        try run.startShell("\(Tmux.quote(Wizard.binary)) run emotet --lang en --playbooks \(Tmux.quote(Wizard.playbooks.path)) "
                           + "--reports \(Tmux.quote(run.reports)); echo status=$? > \(Tmux.quote(stty)); stty -a >> \(Tmux.quote(stty)); sleep 30")
        try run.tmux.wait(for: "First, take a breath")
        let shell = pid_t(try run.tmux.display("#{pane_pid}")) ?? 0
        let children = try Wizard.runTool("/usr/bin/pgrep", ["-P", "\(shell)"]).split(separator: "\n").compactMap { pid_t($0) }
        let inner = try #require(children.first)
        let wizard = try Wizard.runTool("/usr/bin/pgrep", ["-P", "\(inner)"]).split(separator: "\n").compactMap { pid_t($0) }.first ?? inner
        kill(wizard, signal == "TERM" ? SIGTERM : SIGHUP)
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline, (try? String(contentsOfFile: stty, encoding: .utf8))?.contains("icanon") != true { usleep(20_000) }
        let state = try String(contentsOfFile: stty, encoding: .utf8)
        #expect(state.hasPrefix("status=1"), "\(state)")
        let flags = state.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == ";" })
        #expect(flags.contains("echo") && flags.contains("icanon") && !flags.contains("-echo") && !flags.contains("-icanon"), "\(state)")
        // The session was suspended, so the next run offers to resume it.
        let journal = try String(contentsOfFile: try run.folder() + "/journal.jsonl", encoding: .utf8)
        #expect(journal.contains("\"event\":\"session.suspended\""))
    }

    @Test func scenarioMenuThenQuitThenResumeFromTheMenu() throws {
        let run = try Run()
        try run.tmux.start("\(Tmux.quote(Wizard.binary)) --playbooks \(Tmux.quote(Wizard.playbooks.path)) --reports \(Tmux.quote(run.reports))",
                           environment: run.environment.merging(["LANG": "en_US.UTF-8"]) { $1 })
        try run.tmux.wait(for: "Which is closest to what happened? Choose one.")
        #expect(try !run.tmux.screen().contains("Preparedness"), "admin playbooks are not offered")
        try run.tmux.send("2")
        try run.tmux.wait(for: "Step 1/")
        try run.tmux.send("Enter")
        try run.tmux.wait(for: "Step 2/")
        try run.tmux.send("q")
        try run.tmux.wait(for: "Quit? Your answers so far are saved.")
        try run.tmux.send("y")
        let status = try run.tmux.waitForExit()
        let after = try run.tmux.screen()
        #expect(status == 3, "status \(status); screen:\n\(after)")
        try run.tmux.killSession()
        try run.tmux.start("\(Tmux.quote(Wizard.binary)) --playbooks \(Tmux.quote(Wizard.playbooks.path)) --reports \(Tmux.quote(run.reports))",
                           environment: run.environment.merging(["LANG": "en_US.UTF-8"]) { $1 })
        try run.tmux.wait(for: "3. Continue the response you stopped")
        try run.tmux.send("3")
        try run.tmux.wait(for: "Step 2/")
    }

    /// The full-screen interface shows the first step before the session's files are written
    /// (bench/README.md); they follow by themselves, with no key pressed, and are complete.
    @Test func theSessionFilesFollowTheFirstScreenWithoutAKey() throws {
        let run = try Run()
        try run.start("run emotet --lang en")
        try run.tmux.wait(for: try title("stay-calm", "en"))
        let folder = try run.folder()
        let journalPath = folder + "/journal.jsonl"
        _ = try run.tmux.wait(timeout: 5, "the journal's first lines") { _ in
            let text = (try? String(contentsOfFile: journalPath, encoding: .utf8)) ?? ""
            return text.split(separator: "\n").count >= 2
                && FileManager.default.fileExists(atPath: folder + "/report.json")
        }
        let lines = try String(contentsOfFile: journalPath, encoding: .utf8).split(separator: "\n")
        let first = try #require(JSONValue.parse(Data(lines[0].utf8)))
        let second = try #require(JSONValue.parse(Data(lines[1].utf8)))
        #expect(first["event"]?.string == "session.started")
        #expect(first["host"]?["interfaces"]?.array != nil, "the full host facts, read after the first screen")
        #expect(second["event"]?.string == "step.entered")
        #expect(second["step"]?.string == "stay-calm")
        #expect(FileManager.default.fileExists(atPath: folder + "/playbook.yaml"))
        #expect(Wizard.verifyStatus(URL(fileURLWithPath: folder)) == 0)
        try run.tmux.send("q")
        try run.tmux.wait(for: "Quit? Your answers so far are saved.")
        try run.tmux.send("y")
        #expect(try run.tmux.waitForExit() == 3)
    }

    /// A session killed in the moment between its first screen and its files leaves a folder with
    /// an empty journal: nothing was answered, so it is never offered for resuming.
    @Test func aFolderWithAnEmptyJournalIsNotOfferedForResuming() throws {
        let run = try Run()
        let orphan = run.reports + "/20261129-090000-host-emotet"
        try FileManager.default.createDirectory(atPath: orphan + "/evidence", withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: orphan + "/journal.jsonl", contents: Data())
        try run.start("run emotet --lang en")
        try run.tmux.wait(for: try title("stay-calm", "en"))
        #expect(try !run.tmux.screen().contains("part-way"))
        try run.tmux.send("q")
        try run.tmux.wait(for: "Quit? Your answers so far are saved.")
        try run.tmux.send("y")
        #expect(try run.tmux.waitForExit() == 3)
        let verify = try Wizard.run(["verify", orphan])
        #expect(verify.status == 1)
        #expect(verify.stdout.contains("does not begin with session.started"), "\(verify.stdout)")
    }

    /// The playbook is checked before the terminal opens; a broken one is reported on the
    /// normal screen, with exit 2, and the terminal is left as it was.
    @Test func anInvalidPlaybookIsReportedOnTheRestoredTerminal() throws {
        let run = try Run()
        let broken = Wizard.malformed.appendingPathComponent("03-unknown-key-step.yaml").path
        try run.tmux.start("\(Tmux.quote(Wizard.binary)) run \(Tmux.quote(broken)) --reports \(Tmux.quote(run.reports))",
                           width: 120, environment: run.environment)
        // The employee first gets the emergency card (never a dead end); Enter closes it.
        try run.tmux.wait(for: "Stay calm and do these four things now")
        try run.tmux.send("Enter")
        #expect(try run.tmux.waitForExit() == 2)
        // Long lines wrap: read the scroll-back too, with the wrapping undone.
        let screen = try run.tmux.capture(["-J", "-S", "-"])
        #expect(screen.contains("03-unknown-key-step.yaml:10:5: error: unknown key 'nxet' in step 'hello' (did you mean 'next'?)"), "\(screen)")
        #expect(screen.contains("is not a valid playbook"))
        #expect(try run.tmux.display("#{alternate_on}") == "0")
    }

    @Test func unknownTermFallsBackToPlainMode() throws {
        let run = try Run()
        try run.start("run emotet --lang en", extra: ["TERM": "bogus"])
        try run.tmux.wait(for: "using plain mode")
        try run.tmux.wait(for: "== A suspicious e-mail (Emotet) — Step 1/")
        try run.tmux.wait(for: "> Press Enter to continue.")
    }

    @Test func noColorMeansNoColour() throws {
        func colours(_ extra: [String: String]) throws -> Bool {
            let run = try Run()
            try run.start("run emotet --lang en", extra: extra)
            try run.tmux.wait(for: "First, take a breath")
            let escaped = try run.tmux.screenWithAttributes()
            // SGR parameters that choose a colour: 30–37, 38, 40–47, 48, 90–97, 100–107.
            return Self.hasColour(escaped)
        }
        #expect(try colours(["NO_COLOR": ""]), "the default palette uses colour (so the check below can fail)")
        #expect(try !colours(["NO_COLOR": "1"]))
    }

    @Test func hostileTextIsShownNeutralised() throws {
        let run = try Run()
        let directory = run.home.appendingPathComponent("playbooks")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try "playbook: 1\nid: hostile\ntitle: Hostile\nlanguages: [en]\nsteps:\n  - {id: a, type: info, title: \"Safe title\", text: \"before \\e]0;pwned\\a\\e[2J after\"}\n"
            .write(to: directory.appendingPathComponent("hostile.yaml"), atomically: true, encoding: .utf8)
        try run.tmux.start("\(Tmux.quote(Wizard.binary)) run hostile --playbooks \(Tmux.quote(directory.path)) --reports \(Tmux.quote(run.reports))",
                           environment: run.environment)
        let screen = try run.tmux.wait("the hostile text") { $0.contains("before ^[]0;pwned^G^[[2J after") }
        #expect(screen.contains("Safe title"), "the screen was not cleared")
        #expect(try run.tmux.paneTitle() != "pwned")
    }

    /// An invalid UTF-8 byte costs only itself: the keys after it are kept.
    @Test func anInvalidByteDropsOnlyItself() throws {
        let run = try Run()
        let playbook = run.home.appendingPathComponent("bytes.yaml")
        try """
            playbook: 1
            id: bytes
            title: Bytes
            languages: [en]
            steps:
              - {id: name, type: input, title: Type a name here, fields: [{id: who, label: Name}]}
              - {id: z, type: end, title: The end screen}

            """.write(to: playbook, atomically: true, encoding: .utf8)
        try run.tmux.start("\(Tmux.quote(Wizard.binary)) run \(Tmux.quote(playbook.path)) --reports \(Tmux.quote(run.reports))",
                           environment: run.environment)
        let t = run.tmux
        try t.wait(for: "Type a name here")
        try t.type("a", enter: false)
        try t.send("-H", "ff")
        try t.type("bc鈴木", enter: false)
        try t.send("-H", "e3", "41")
        try t.type("d", enter: false)
        try t.wait(for: "> abc鈴木Ad")
    }

    /// Keys that are not Esc: Alt+2, `ESC [ 2 5 ~` (an F-key ncurses may not know) and `ESC O 2 P`
    /// in a text field are ignored whole; they never go back and re-answer the choice before.
    @Test func escapeSequencesInATextFieldNeverGoBack() throws {
        let run = try Run()
        let playbook = run.home.appendingPathComponent("keys.yaml")
        try """
            playbook: 1
            id: keys
            title: Keys
            languages: [en]
            steps:
              - id: pick
                type: choice
                title: Pick a colour
                options: [{value: red, label: Red}, {value: blue, label: Blue}]
              - {id: name, type: input, title: Type a name here, fields: [{id: who, label: Name}]}
              - {id: z, type: end, title: The end screen}

            """.write(to: playbook, atomically: true, encoding: .utf8)
        try run.tmux.start("\(Tmux.quote(Wizard.binary)) run \(Tmux.quote(playbook.path)) --reports \(Tmux.quote(run.reports))",
                           environment: run.environment)
        let t = run.tmux
        try t.wait(for: "Pick a colour")
        try t.send("1")
        try t.wait(for: "Type a name here")
        try t.type("ab", enter: false)
        try t.send("M-2")
        try t.send("-H", "1b", "5b", "32", "35", "7e")
        try t.send("-H", "1b", "4f", "32", "50")
        try t.type("c", enter: false)
        try t.wait(for: "abc")
        let screen = try t.screen()
        #expect(screen.contains("Type a name here"), "the sequence went back: \(screen)")
        try t.send("Enter")
        try t.wait(for: "The end screen")
        try t.send("Enter")
        #expect(try t.waitForExit() == 0)
        let journal = Journal.read(try Data(contentsOf: URL(fileURLWithPath: try run.folder() + "/journal.jsonl")))
        #expect(!journal.entries.contains { $0.event == "step.back" }, "a step.back was recorded")
        let answers = journal.entries.filter { $0.event == "step.answered" }
        #expect(answers.filter { $0["step"]?.string == "pick" }.map { $0["answer"]?.string } == ["red"])
        #expect(answers.first { $0["step"]?.string == "name" }?["answer"]?["who"]?.string == "abc")
    }
}

extension TerminalUITests {
    /// Whether any SGR sequence sets a colour: parameters 30–38, 40–48, 90–97 or 100–107.
    static func hasColour(_ text: String) -> Bool {
        var rest = Substring(text)
        while let start = rest.range(of: "\u{1b}[") {
            let after = rest[start.upperBound...]
            guard let end = after.firstIndex(where: { !($0.isNumber || $0 == ";") }) else { return false }
            if after[end] == "m" {
                let parameters = after[..<end].split(separator: ";").compactMap { Int($0) }
                if parameters.contains(where: { (30...38).contains($0) || (40...48).contains($0) || (90...97).contains($0) || (100...107).contains($0) }) {
                    return true
                }
            }
            rest = after[end...]
        }
        return false
    }

    @Test func theColourCheckSeesColour() {
        #expect(Self.hasColour("a\u{1b}[37m\u{1b}[44m b"))
        #expect(Self.hasColour("\u{1b}[1;31mx"))
        #expect(!Self.hasColour("\u{1b}[1m\u{1b}[7mx\u{1b}[0m\u{1b}[39m\u{1b}[49m"))
    }
}

extension Tmux {
    /// The visible screen with its attributes as escape sequences (for the colour check only).
    func screenWithAttributes() throws -> String { try capture(["-e"]) }

    func paneTitle() throws -> String { try display("#{pane_title}") }
}

extension Wizard {
    /// Runs a helper tool and returns its stdout.
    static func runTool(_ path: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
