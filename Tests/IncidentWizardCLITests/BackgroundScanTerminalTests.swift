import Foundation
import IncidentCore
import Testing

/// Background scans (`wait: false`, `product.md` "Background work") in a real terminal: the shipped
/// Emotet path with its scan running behind the notify card, a detection while the employee types,
/// an end reached with the scan still running, and a kill during the scan then resume. The scanner
/// is a fake `clamscan` first on PATH that the wizard follows like the real one: it reports the ten
/// files of the test's home folder one by one and stops where the test says until the test lets it
/// go, so what is on screen at each moment is known.
@Suite(.serialized) struct BackgroundScanTerminalTests {
    /// One run's world: a home folder with exactly ten files (the reports folder and the fake
    /// scanner's switches outside it), the fake scanner, a terminal.
    final class Lab {
        let tmux = Tmux()
        let root: URL
        let home: URL
        let reports: URL
        /// The fake scanner's switches: `pause` (report this many files, then wait for `go`),
        /// `found` (the number of the file reported as a virus), and what it writes: `pids`, `paused`.
        let control: URL
        let bin: URL
        static let files = 10

        init() throws {
            try #require(Tmux.available, "tmux is needed (the README's test command installs it)")
            root = try Wizard.temporaryDirectory()
            home = root.appendingPathComponent("home")
            reports = root.appendingPathComponent("reports")
            control = root.appendingPathComponent("control")
            bin = root.appendingPathComponent("bin")
            let manager = FileManager.default
            for folder in [home.appendingPathComponent("docs"), control, bin] {
                try manager.createDirectory(at: folder, withIntermediateDirectories: true)
            }
            for index in 1...Self.files {
                try Data("file \(index)\n".utf8).write(to: home.appendingPathComponent(String(format: "docs/f%02d", index)))
            }
            try Self.scanner(control: control).writeExecutable(to: scanner)
        }

        deinit { killScanners() }

        var scanner: URL { bin.appendingPathComponent("clamscan") }

        /// A fake `clamscan`: whatever its arguments (the shipped scan's), it prints one `PATH: OK`
        /// line per file under $HOME/docs, as clamscan without --infected does, exits 0 (clean), or
        /// 1 (detected) when it reported a file as FOUND. It gives up by itself (exit 2) when its
        /// `go` never comes.
        static func scanner(control: URL) -> String {
            """
            #!/bin/sh
            ctl=\(Tmux.quote(control.path))
            echo $$ >> "$ctl/pids"
            n=0
            status=0
            for f in "$HOME"/docs/*; do
              n=$((n + 1))
              if [ -f "$ctl/pause" ] && [ "$n" -eq $(( $(cat "$ctl/pause") + 1 )) ]; then
                : > "$ctl/paused"
                waited=0
                while [ ! -f "$ctl/go" ]; do
                  waited=$((waited + 1))
                  if [ "$waited" -gt 1200 ]; then echo "no go after 120 s" >&2; exit 2; fi
                  sleep 0.1
                done
              fi
              if [ -f "$ctl/found" ] && [ "$n" -eq "$(cat "$ctl/found")" ]; then
                echo "$f: Win.Test.Fake-1 FOUND"
                status=1
              else
                echo "$f: OK"
              fi
            done
            echo
            echo "----------- SCAN SUMMARY -----------"
            echo "Scanned files: $n"
            exit $status

            """
        }

        func set(_ name: String, _ value: String) throws {
            try Data((value + "\n").utf8).write(to: control.appendingPathComponent(name))
        }

        func remove(_ name: String) { try? FileManager.default.removeItem(at: control.appendingPathComponent(name)) }

        /// The scanner reports `files` files, then waits.
        func pause(after files: Int) throws { try set("pause", "\(files)") }

        /// Lets a paused scanner go on (`found`: the number of the file it then reports as a virus).
        func release(found: Int? = nil) throws {
            if let found { try set("found", "\(found)") }
            try set("go", "")
        }

        var environment: [String: String] {
            ["HOME": home.path, "LANG": "C.UTF-8", "TERM": "xterm-256color",
             "PATH": bin.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"),
             "INCIDENT_WIZARD_CONFIG": "/nonexistent/incident-wizard/config"]
        }

        func start(_ arguments: String, playbooks: URL = Wizard.playbooks) throws {
            try tmux.start("\(Tmux.quote(Wizard.binary)) \(arguments) --playbooks \(Tmux.quote(playbooks.path)) --reports \(Tmux.quote(reports.path))",
                           environment: environment)
        }

        func folder() throws -> URL { try Wizard.reportFolder(reports) }

        func journal() throws -> [JournalEntry] {
            Journal.read(try Data(contentsOf: try folder().appendingPathComponent("journal.jsonl"))).entries
        }

        func reportJSON() throws -> JSONValue {
            try #require(JSONValue.parse(try Data(contentsOf: try folder().appendingPathComponent("report.json"))))
        }

        /// The fake scanners of this lab still running.
        func runningScanners() -> [pid_t] {
            let text = (try? String(contentsOf: control.appendingPathComponent("pids"), encoding: .utf8)) ?? ""
            return text.split(separator: "\n").compactMap { pid_t($0) }.filter { pid in
                let command = (try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline"))) ?? Data()
                return String(decoding: command, as: UTF8.self).contains(scanner.path)
            }
        }

        func killScanners() {
            for pid in runningScanners() { kill(pid, SIGKILL) }
        }
    }

    // MARK: Words

    static func title(_ id: String, _ language: String, playbook file: URL = Wizard.playbooks.appendingPathComponent("emotet.yaml")) throws -> String {
        let playbook = try #require(PlaybookLoader.load(try Data(contentsOf: file), path: file.path).value)
        return String(try #require(playbook.step(id)).title.resolved(language).prefix(8))
    }

    static func running(_ percent: Int, _ language: String) -> String {
        language == "ja" ? "ウイルス検査中 \(percent)%" : "Virus check \(percent) %"
    }

    static func found(_ language: String) -> String {
        language == "ja" ? "ウイルス検査：ウイルスの疑いあり" : "Virus check: possible virus found"
    }

    static func done(_ verdictWord: String, _ language: String) -> String {
        (language == "ja" ? "ウイルス検査：" : "Virus check: ") + verdictWord
    }

    static func clean(_ language: String) -> String { language == "ja" ? "検出なし" : "nothing found" }

    static func continueKey(_ language: String) -> String { language == "ja" ? "Enter 次へ" : "Enter continue" }

    /// The header's status row (row 1, under the title bar).
    static func statusRow(_ screen: String) -> String {
        let rows = screen.split(separator: "\n", omittingEmptySubsequences: false)
        return rows.count > 1 ? String(rows[1]) : ""
    }

    static func body(_ screen: String) -> String {
        screen.split(separator: "\n", omittingEmptySubsequences: false).dropFirst(2).joined(separator: "\n")
    }

    /// Waits for a screen by its title, in the body: the header's status row may hold the same
    /// words (「ウイルス検査：ウイルスの疑いあり…」 and the advice's title).
    func waitTitle(_ t: Tmux, _ title: String, timeout: TimeInterval = 10) throws {
        try t.wait(timeout: timeout, "the screen '\(title)'") { Self.body($0).contains(title) }
    }

    // MARK: The shipped path

    /// From the start to the photo of the mail: the scan starts as the network step is done.
    func walkToPhotoMail(_ t: Tmux, _ language: String) throws {
        try waitTitle(t, try Self.title("stay-calm", language))
        try t.send("Enter")
        try waitTitle(t, try Self.title("what-happened", language))
        try t.send("2")
        try waitTitle(t, try Self.title("keep-pc-on", language))
        try t.send("Enter")
        try waitTitle(t, try Self.title("stop-using-file", language))
        try t.send("Enter")
        try waitTitle(t, try Self.title("collect-state", language))
        try t.wait(for: language == "ja" ? "情報の収集が終わりました" : "The information has been collected.")
        try t.send("Enter")
        try waitTitle(t, try Self.title("disconnect", language))
        try t.wait(for: language == "ja" ? "2 切り離せない" : "2 I can't")
        let connected = try t.screen().contains(language == "ja" ? "まだネットワークにつながっています" : "Still connected")
        try t.send(connected ? "2" : "Enter")
        if connected {
            try waitTitle(t, try Self.title("cannot-disconnect", language))
            try t.send("Enter")
        }
        try waitTitle(t, try Self.title("photo-mail", language))
    }

    func walkPhotoMailToMailDetails(_ t: Tmux, _ language: String) throws {
        try t.send("y")
        try t.wait(for: language == "ja" ? "添付するファイルのパス" : "Path of a file to attach")
        try t.send("Enter")
        try waitTitle(t, try Self.title("do-not-forward", language))
        try t.send("Enter")
        try waitTitle(t, try Self.title("mail-details", language))
    }

    /// The form's fields after the sender (already typed, without Enter): all left empty.
    func finishMailDetails(_ t: Tmux, _ language: String) throws {
        try t.send("Enter")
        try t.send("Enter")
        try t.send("Enter")
        try t.send("Tab")
        try t.send("Enter")
        try waitTitle(t, try Self.title("notify-admin", language))
    }

    /// The notify card: reached the administrator, a name; then the await step.
    func answerTheCall(_ t: Tmux, _ language: String) throws {
        try t.send("1")
        try t.wait(for: language == "ja" ? "話した相手の名前" : "Who did you speak with?")
        try t.type(language == "ja" ? "田中" : "Tanaka")
        try waitTitle(t, try Self.title("scan-result", language))
    }

    /// From the await's verdict (Enter shown) through its advice to the end, and the window closes.
    func finishFromTheAwait(_ t: Tmux, _ language: String, advice: String) throws {
        try t.wait(timeout: 30, "the verdict on the await") { $0.contains(Self.continueKey(language)) }
        try t.send("Enter")
        try waitTitle(t, try Self.title(advice, language))
        try t.send("Enter")
        try waitTitle(t, try Self.title("end-reported", language))
        try t.send("Enter")
        #expect(try t.waitForExit() == 0)
    }

    /// The help overlay (`?`), scrolled down until `text` shows: the whole call script at 80×24.
    @discardableResult
    func helpShowing(_ t: Tmux, _ text: String) throws -> String {
        try t.send("?")
        try t.wait(for: "↓")
        for _ in 0..<40 {
            let screen = try t.screen()
            if screen.contains(text) { return screen }
            try t.send("Down")
            // At the bottom, Down changes nothing.
            guard (try? t.wait(timeout: 2, "the help to scroll") { $0 != screen }) != nil else { break }
        }
        return try t.wait(timeout: 2, "'\(text)' in the help") { $0.contains(text) }
    }

    // MARK: 1. The notify card while the scan runs

    /// The scan paused at 5 of 10 files: the call's card has 「ウイルス検査中 50%」 in its header
    /// and its script (behind ?) says 「検査中（50%）、今のところ何も見つかっていません」; the verdict
    /// redraws both; the await shows it; report, qr and STIX say it as for a waited scan.
    @Test(arguments: ["ja", "en"])
    func theNotifyCardShowsTheRunningScan(_ language: String) throws {
        let lab = try Lab()
        try lab.pause(after: 5)
        try lab.start("run emotet --lang \(language)")
        let t = lab.tmux
        try walkToPhotoMail(t, language)
        try t.wait(for: Self.running(50, language))
        try walkPhotoMailToMailDetails(t, language)
        try t.type("Suzuki <suzuki@example.com>", enter: false)
        try finishMailDetails(t, language)
        // The header's status row, on the call's own card.
        let card = try t.wait(timeout: 10, "the status in the header") { Self.statusRow($0).contains(Self.running(50, language)) }
        #expect(Self.statusRow(card).trimmingCharacters(in: .whitespaces) == Self.running(50, language), "\(card)")
        #expect(card.contains(language == "ja" ? "ウイルス検査の終わりを待たずに、いま電話してください" : "Do not wait for the virus check: call now"), "\(card)")
        // The script read aloud (below the fold at 80×24: the help shows all of it).
        let scriptLine = language == "ja" ? "ウイルス検査：検査中（50%）、今のところ何も見つかっていません" : "Virus check: running (50 %), nothing found so far"
        let help = try helpShowing(t, scriptLine)
        #expect(Self.body(help).contains(scriptLine), "\(help)")
        // The verdict comes while the help is open: the script says it, the header too.
        try lab.release()
        let after = try t.wait(timeout: 10, "the verdict in the script") {
            Self.body($0).contains(Self.done(Self.clean(language), language)) && Self.statusRow($0).contains(Self.done(Self.clean(language), language))
        }
        #expect(!after.contains(Self.running(50, language)), "\(after)")
        try t.send("Escape")
        try t.wait(timeout: 5, "the help to close") { !$0.contains("↑↓") && Tmux.footer($0).contains(language == "ja" ? "1 つながった" : "1 reached") }
        try answerTheCall(t, language)
        let verdict = try t.wait(timeout: 10, "the verdict on the await") { $0.contains(Self.continueKey(language)) }
        #expect(Self.body(verdict).contains(language == "ja" ? "ウイルスは見つかりませんでした" : "No virus was found"), "\(verdict)")
        try finishFromTheAwait(t, language, advice: "scan-clean")

        let folder = try lab.folder()
        let verify = try Wizard.run(["verify", folder.path])
        #expect(verify.status == 0, "\(verify.stdout)")
        let report = try lab.reportJSON()
        #expect(report["status"]?.string == "finished")
        let scans = report["scans"]?.array ?? []
        #expect(scans.map { $0["step"]?.string } == ["scan-pc"], "the await repeats its scan's verdict: \(scans)")
        #expect(scans.first?["verdict"]?.string == "clean")
        #expect(scans.first?["exit_code"]?.int == 0)
        #expect(scans.first?["output_sha256"]?.string?.count == 64)
        // The same as for a waited scan: report.md's summary, the QR summary's scan field, a STIX note.
        let markdown = try Wizard.run(["report", folder.path])
        #expect(markdown.status == 0)
        let label = language == "ja" ? "スキャン結果" : "Scan verdict"
        #expect(markdown.stdout.contains("| \(label) | \(Self.clean(language)) (clean) |"), "\(markdown.stdout)")
        #expect(markdown.stdout.contains("— clean exit 0"), "the scanner's output section: \(markdown.stdout)")
        let qr = try Wizard.run(["qr", folder.path])
        #expect(qr.status == 0, "\(qr.stderr)")
        let summary = qr.stdout.split(separator: "\n").first.map(String.init) ?? ""
        let fields = summary.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        #expect(fields.count >= 9 && fields[6] == "clean", "\(summary)")
        let stix = try #require(JSONValue.parse(Data(try Wizard.run(["export", folder.path, "--format", "stix"]).stdout.utf8)))
        let scanTitle = try Self.fullTitle("scan-pc", language)
        let note = (stix["objects"]?.array ?? []).first { $0["type"]?.string == "note" && $0["abstract"]?.string == scanTitle }
        #expect(note?["content"]?.string?.hasPrefix("\(scanTitle): \(Self.clean(language)) (") == true, "\(String(describing: note))")
        #expect(lab.runningScanners().isEmpty)
    }

    static func fullTitle(_ id: String, _ language: String) throws -> String {
        let file = Wizard.playbooks.appendingPathComponent("emotet.yaml")
        let playbook = try #require(PlaybookLoader.load(try Data(contentsOf: file), path: file.path).value)
        return try #require(playbook.step(id)).title.resolved(language)
    }

    // MARK: 2. A detection while typing

    /// Half the sender typed, the scanner finds a virus: the header's alert comes, the text typed
    /// before and after it is whole; the await shows the verdict at once.
    @Test(arguments: ["ja", "en"])
    func aDetectionWhileTypingEatsNoKey(_ language: String) throws {
        let lab = try Lab()
        try lab.pause(after: 5)
        try lab.start("run emotet --lang \(language)")
        let t = lab.tmux
        try walkToPhotoMail(t, language)
        try walkPhotoMailToMailDetails(t, language)
        try t.wait(for: Self.running(50, language))
        try t.type("Suzu", enter: false)
        try t.wait(for: "> Suzu")
        // The sixth file is a virus; the scanner goes on to its end (exit 1).
        try lab.release(found: 6)
        let alert = try t.wait(timeout: 10, "the alert in the header") { Self.statusRow($0).contains(Self.found(language)) }
        #expect(alert.contains("> Suzu\n") || alert.contains("> Suzu "), "the typed text stays: \(alert)")
        try t.type("ki <s@example.com>", enter: false)
        let typed = try t.wait(timeout: 5, "the whole sender") { $0.contains("> Suzuki <s@example.com>") }
        let senderRow = typed.split(separator: "\n").first { $0.contains("> Suzuki") }.map(String.init) ?? ""
        #expect(senderRow.trimmingCharacters(in: .whitespaces) == "> Suzuki <s@example.com>", "\(typed)")
        #expect(Self.statusRow(typed).contains(Self.found(language)), "\(typed)")
        try finishMailDetails(t, language)
        try t.wait(timeout: 5, "the alert on the call's card") { Self.statusRow($0).contains(Self.found(language)) }
        let detectedWord = language == "ja" ? "検出あり" : "something found"
        try helpShowing(t, Self.done(detectedWord, language))
        try t.send("Escape")
        try t.wait(timeout: 5, "the help to close") { !$0.contains("↑↓") && Tmux.footer($0).contains(language == "ja" ? "1 つながった" : "1 reached") }
        try answerTheCall(t, language)
        // The verdict is there already: the await shows it at once.
        let verdict = try t.wait(timeout: 5, "the detected verdict on the await") { $0.contains(Self.continueKey(language)) }
        #expect(Self.body(verdict).contains(language == "ja" ? "ウイルスの可能性があるものが見つかりました。" : "Something that may be a virus was found."), "\(verdict)")
        try finishFromTheAwait(t, language, advice: "scan-detected")

        let folder = try lab.folder()
        let verify = try Wizard.run(["verify", folder.path])
        #expect(verify.status == 0, "\(verify.stdout)")
        let journal = try lab.journal()
        let details = journal.last { $0.event == "step.answered" && $0["step"]?.string == "mail-details" }
        #expect(details?["answer"]?["sender"]?.string == "Suzuki <s@example.com>", "\(String(describing: details))")
        let report = try lab.reportJSON()
        let scan = report["scans"]?.array?.first { $0["step"]?.string == "scan-pc" }
        #expect(scan?["verdict"]?.string == "detected")
        #expect(scan?["detections"]?.array == [.string(lab.home.path + "/docs/f06: Win.Test.Fake-1 FOUND")], "\(String(describing: scan))")
    }

    // MARK: 3. The end screen with a running scan

    /// A choice, a background scan, an info, an await only on the "wait" path, an end.
    static func endPlaybook(_ directory: URL) throws -> URL {
        let file = directory.appendingPathComponent("background-end.yaml")
        try """
            playbook: 1
            id: background-end
            title: {ja: 検査を待たない終わり, en: An end without waiting}
            languages: [ja, en]
            steps:
              - id: choose
                type: choice
                title: {ja: 結果を待ちますか？, en: Wait for the result?}
                options:
                  - {value: wait, label: {ja: 待つ, en: Wait}}
                  - {value: skip, label: {ja: 待たない, en: Do not wait}}
              - id: scan
                type: scan
                title: {ja: 検査を始めます, en: The check starts}
                command: [clamscan, --recursive, "{{home}}"]
                verdicts: {0: clean, 1: detected, 2: error}
                wait: false
                next: meanwhile
              - {id: meanwhile, type: info, title: {ja: 検査は裏で続きます, en: The check runs behind}}
              - id: result
                type: await
                step: scan
                when: {step: choose, is: wait}
                title: {ja: 検査の結果です, en: The check's result}
                next_on: {clean: last, detected: last, error: last, unavailable: last, cancelled: last}
              - {id: last, type: end, outcome: done, title: {ja: 最後の画面です, en: The last screen}}

            """.write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    /// Walks the playbook by the path that skips the await: the end comes with the scan at 50 %.
    func walkToTheEndWithTheScanRunning(_ lab: Lab, _ language: String) throws {
        let directory = lab.root.appendingPathComponent("playbooks")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let playbook = try Self.endPlaybook(directory)
        let validation = try Wizard.run(["validate", playbook.path])
        #expect(validation.status == 0, "\(validation.stdout)\(validation.stderr)")
        try lab.pause(after: 5)
        try lab.start("run background-end --lang \(language)", playbooks: directory)
        let t = lab.tmux
        try t.wait(for: language == "ja" ? "結果を待ちますか？" : "Wait for the result?")
        try t.send("2")
        try t.wait(for: language == "ja" ? "検査は裏で続きます" : "The check runs behind")
        try t.send("Enter")
        try t.wait(for: language == "ja" ? "最後の画面です" : "The last screen")
    }

    static func stillRunning(_ language: String) -> String {
        language == "ja" ? "ウイルス検査は、まだ続いています。終わるまで" : "The virus check is still running. Please keep this window open"
    }

    static func stopQuestion(_ language: String) -> String {
        language == "ja" ? "中止して、画面を閉じますか？" : "Stop it and close? (y/n)"
    }

    /// Enter asks; n keeps the window and the scan; q asks again; y cancels the scan, recorded
    /// after session.finished, and the window closes.
    @Test(arguments: ["ja", "en"])
    func theEndScreenWithARunningScanAsksBeforeStoppingIt(_ language: String) throws {
        let lab = try Lab()
        try walkToTheEndWithTheScanRunning(lab, language)
        let t = lab.tmux
        let end = try t.wait(timeout: 10, "the end screen with the scan's status") {
            $0.contains(Self.stillRunning(language)) && Self.statusRow($0).contains(Self.running(50, language))
        }
        #expect(!end.contains(Self.stopQuestion(language)), "\(end)")
        try t.send("Enter")
        try t.wait(for: Self.stopQuestion(language))
        try t.send("n")
        let stays = try t.wait(timeout: 5, "the question to close") { !$0.contains(Self.stopQuestion(language)) }
        #expect(stays.contains(Self.stillRunning(language)), "\(stays)")
        #expect(Self.statusRow(stays).contains(Self.running(50, language)), "\(stays)")
        #expect(try t.exitStatus() == nil, "n keeps the window open")
        #expect(lab.runningScanners().count == 1, "n leaves the scan running")
        // q asks the same.
        try t.send("q")
        try t.wait(for: Self.stopQuestion(language))
        try t.send("y")
        #expect(try t.waitForExit() == 0)
        let deadline = Date().addingTimeInterval(5)
        while !lab.runningScanners().isEmpty, Date() < deadline { usleep(20_000) }
        #expect(lab.runningScanners().isEmpty, "the scanner was stopped")

        let journal = try lab.journal()
        let events = journal.map(\.event)
        let finished = try #require(events.firstIndex(of: "session.finished"))
        let stopped = try #require(journal.firstIndex { $0.event == "command.finished" && $0["step"]?.string == "scan" })
        #expect(journal[stopped]["verdict"]?.string == "cancelled", "\(journal[stopped].fields)")
        let answered = try #require(journal.lastIndex { $0.event == "step.answered" && $0["step"]?.string == "scan" })
        #expect(journal[answered]["answer"]?["verdict"]?.string == "cancelled")
        #expect(finished < stopped && stopped < answered, "\(events)")
        let verify = try Wizard.run(["verify", try lab.folder().path])
        #expect(verify.status == 0, "\(verify.stdout)")
        #expect(try lab.reportJSON()["scans"]?.array?.first?["verdict"]?.string == "cancelled")
    }

    /// The verdict comes while the end screen is shown: the note goes, the header says the verdict,
    /// Enter closes at once.
    @Test(arguments: ["ja", "en"])
    func theEndScreenClosesAtOnceOnceTheVerdictIsIn(_ language: String) throws {
        let lab = try Lab()
        try walkToTheEndWithTheScanRunning(lab, language)
        let t = lab.tmux
        try t.wait(timeout: 10, "the end screen with the scan's status") {
            $0.contains(Self.stillRunning(language)) && Self.statusRow($0).contains(Self.running(50, language))
        }
        try lab.release()
        let after = try t.wait(timeout: 10, "the verdict on the end screen") {
            Self.statusRow($0).contains(Self.done(Self.clean(language), language)) && !$0.contains(Self.stillRunning(language))
        }
        #expect(after.contains(language == "ja" ? "最後の画面です" : "The last screen"))
        try t.send("Enter")
        #expect(try t.waitForExit() == 0, "no question once the verdict is in")

        let journal = try lab.journal()
        let finished = try #require(journal.firstIndex { $0.event == "session.finished" })
        let ended = try #require(journal.firstIndex { $0.event == "command.finished" && $0["step"]?.string == "scan" })
        #expect(journal[ended]["verdict"]?.string == "clean")
        #expect(finished < ended)
        let verify = try Wizard.run(["verify", try lab.folder().path])
        #expect(verify.status == 0, "\(verify.stdout)")
        #expect(try lab.reportJSON()["scans"]?.array?.first?["verdict"]?.string == "clean")
    }

    // MARK: 4. A kill during the scan, then resume

    /// SIGKILL on the photo screen with the scan at 50 % (its scanner killed too, as by a power
    /// loss): resumed, the scan is recorded as interrupted, the await offers to run it again, and
    /// the new run's verdict is the record's.
    @Test(arguments: ["ja", "en"])
    func aKillDuringTheScanIsInterruptedAndTheAwaitRunsItAgain(_ language: String) throws {
        let lab = try Lab()
        try lab.pause(after: 5)
        try lab.start("run emotet --lang \(language)")
        let t = lab.tmux
        try walkToPhotoMail(t, language)
        try t.wait(for: Self.running(50, language))
        #expect(lab.runningScanners().count == 1)
        let wizard = try t.pid()
        let executable = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(wizard)/exe")
        #expect(URL(fileURLWithPath: executable).resolvingSymlinksInPath().path == URL(fileURLWithPath: Wizard.binary).resolvingSymlinksInPath().path)
        #expect(kill(wizard, SIGKILL) == 0)
        #expect(try t.waitForExit() == 128 + SIGKILL)
        // The power is gone: so is the scanner. The next one finishes at once (clean).
        lab.killScanners()
        lab.remove("pause")
        lab.remove("paused")

        try t.killSession()
        try lab.start("run emotet --lang \(language)")
        try t.wait(for: language == "ja" ? "途中で止まっている対応があります。" : "A response was stopped part-way.")
        try t.send("y")
        try waitTitle(t, try Self.title("photo-mail", language))
        // Recorded as interrupted on resume: the header says so until the await is answered.
        try t.wait(timeout: 5, "the interrupted scan in the header") {
            Self.statusRow($0).contains(Self.done(language == "ja" ? "途中で中断" : "interrupted", language))
        }
        try walkPhotoMailToMailDetails(t, language)
        try t.type("Suzuki <suzuki@example.com>", enter: false)
        try finishMailDetails(t, language)
        try answerTheCall(t, language)
        let question = language == "ja" ? "前回のウイルス検査は、途中で止まったままです。" : "The last virus check stopped part-way."
        let asked = try t.wait(timeout: 5, "the rerun question") { $0.replacingOccurrences(of: "\n  ", with: " ").contains(question) }
        #expect(lab.runningScanners().isEmpty, "nothing runs before the answer: \(asked)")
        try t.send("y")
        let verdict = try t.wait(timeout: 30, "the rerun's verdict") { $0.contains(Self.continueKey(language)) }
        #expect(Self.body(verdict).contains(language == "ja" ? "ウイルスは見つかりませんでした" : "No virus was found"), "\(verdict)")
        try finishFromTheAwait(t, language, advice: "scan-clean")

        let journal = try lab.journal()
        let events = journal.map { "\($0.event) \($0["step"]?.string ?? "")" }
        let stopped = try #require(journal.firstIndex { $0.event == "command.finished" && $0["step"]?.string == "scan-pc" }, "\(events)")
        #expect(journal[stopped]["verdict"]?.string == "interrupted")
        let answered = try #require(journal.lastIndex { $0.event == "step.answered" && $0["step"]?.string == "scan-pc" })
        #expect(journal[answered]["answer"]?["verdict"]?.string == "interrupted")
        let rerun = try #require(journal.firstIndex { $0.event == "command.started" && $0["step"]?.string == "scan-result" }, "\(events)")
        let rerunEnd = try #require(journal.firstIndex { $0.event == "command.finished" && $0["step"]?.string == "scan-result" }, "\(events)")
        #expect(journal[rerunEnd]["verdict"]?.string == "clean")
        let awaitAnswer = try #require(journal.lastIndex { $0.event == "step.answered" && $0["step"]?.string == "scan-result" })
        #expect(journal[awaitAnswer]["answer"]?["verdict"]?.string == "clean")
        #expect(stopped < answered && answered < rerun && rerun < rerunEnd && rerunEnd < awaitAnswer, "\(events)")
        #expect(journal.filter { $0.event == "command.started" && $0["name"]?.string == "scan" }.count == 2, "\(events)")

        let folder = try lab.folder()
        let verify = try Wizard.run(["verify", folder.path])
        #expect(verify.status == 0, "\(verify.stdout)")
        let report = try lab.reportJSON()
        #expect(report["status"]?.string == "finished")
        let scans = report["scans"]?.array ?? []
        #expect(scans.first { $0["step"]?.string == "scan-pc" }?["verdict"]?.string == "interrupted", "\(scans)")
        #expect(scans.first { $0["step"]?.string == "scan-result" }?["verdict"]?.string == "clean", "\(scans)")
        let schema = try Wizard.python(["-c", """
            import json, sys, jsonschema
            jsonschema.Draft202012Validator(json.load(open(sys.argv[1]))).validate(json.load(open(sys.argv[2])))
            """, Wizard.packageRoot.appendingPathComponent("docs/report.schema.json").path, folder.appendingPathComponent("report.json").path])
        #expect(schema.status == 0, "\(schema.errors)")
        let qr = try Wizard.run(["qr", folder.path])
        let fields = (qr.stdout.split(separator: "\n").first.map(String.init) ?? "").split(separator: "|", omittingEmptySubsequences: false)
        #expect(fields.count >= 9 && fields[6] == "clean", "the rerun's verdict: \(qr.stdout.prefix(200))")
    }
}
