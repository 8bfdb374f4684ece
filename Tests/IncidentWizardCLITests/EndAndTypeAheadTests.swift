import Foundation
import IncidentCore
import Testing

/// The end of a walk and keys typed ahead, in a real terminal (tmux) and in plain mode: reaching
/// an `end` finishes the record (closing the window there leaves nothing "in progress"), and a
/// burst of Enters never answers a critical screen (`product.md`, "The end of a walk", "Critical
/// screens and keys typed ahead").
@Suite(.serialized) struct EndAndTypeAheadTests {
    static let yaml = """
        playbook: 1
        id: ahead
        title: {ja: 先打ちの確認, en: Keys typed ahead}
        languages: [ja, en]
        steps:
          - {id: start, type: info, title: {ja: はじめます, en: Starting}}
          - {id: keep-on, type: info, critical: true, title: {ja: 電源は入れたままにします, en: Keep the PC switched on}}
          - {id: no-forward, type: confirm, critical: true, title: {ja: 転送しましたか？, en: Did you forward it?}}
          - {id: finish, type: end, outcome: reported, title: {ja: 最初の対応は、ここまでです, en: That is all for now}}
        """

    struct Setup {
        let tmux = Tmux()
        let directory: URL
        let playbook: URL
        var reports: URL { directory.appendingPathComponent("reports") }

        init() throws {
            try #require(Tmux.available, "tmux is needed (the README's test command installs it)")
            directory = try Wizard.temporaryDirectory()
            playbook = directory.appendingPathComponent("ahead.yaml")
            try EndAndTypeAheadTests.yaml.write(to: playbook, atomically: true, encoding: .utf8)
        }

        func start(_ language: String) throws {
            try tmux.start("\(Tmux.quote(Wizard.binary)) run \(Tmux.quote(playbook.path)) --lang \(language) --reports \(Tmux.quote(reports.path))",
                           environment: ["HOME": directory.path, "LANG": "C.UTF-8", "TERM": "xterm-256color"])
        }

        func journal() throws -> [[String: Any]] {
            let folder = try Wizard.reportFolder(reports)
            let text = try String(contentsOf: folder.appendingPathComponent("journal.jsonl"), encoding: .utf8)
            return try text.split(separator: "\n").map {
                try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
            }
        }

        func answered(_ step: String) throws -> Bool {
            try journal().contains { $0["event"] as? String == "step.answered" && $0["step"] as? String == step }
        }
    }

    @Test(arguments: ["ja", "en"])
    func tenEntersInAMomentNeverAnswerACriticalScreen(_ language: String) throws {
        let setup = try Setup()
        let t = setup.tmux
        try setup.start(language)
        try t.wait(for: language == "ja" ? "はじめます" : "Starting")
        // A panicking person presses Enter ten times at once: the first answers the screen on
        // display; the rest were typed before the critical screen was drawn, or in its first second.
        try t.sendNow(Array(repeating: "Enter", count: 10))
        try t.wait(for: language == "ja" ? "電源は入れたままにします" : "Keep the PC switched on")
        // Until the footer names Enter (after a second on screen) the screen stays, unanswered.
        let footer = try t.wait(timeout: 5, "Enter in the footer") { Tmux.footer($0).contains("Enter") }
        #expect(footer.contains(language == "ja" ? "電源は入れたままにします" : "Keep the PC switched on"), "\(footer)")
        #expect(try setup.answered("start"))
        #expect(try !setup.answered("keep-on"), "keys typed ahead answered a critical screen")
        // A burst on the critical confirm: Enter picks nothing there, and nothing was typed ahead.
        try t.send("Enter")
        try t.wait(for: language == "ja" ? "転送しましたか" : "Did you forward it?")
        try t.sendNow(Array(repeating: "Enter", count: 10))
        try t.wait(timeout: 5, "a message, not an answer") {
            $0.contains(language == "ja" ? "まず、画面をお読みください" : "please read the screen first")
                || $0.contains(language == "ja" ? "y（はい）または n（いいえ）" : "Type y (yes) or n (no)")
        }
        #expect(try !setup.answered("no-forward"))
        try t.send("n")
        try t.wait(for: language == "ja" ? "最初の対応は、ここまでです" : "That is all for now")
        try t.send("Enter")
        #expect(try t.waitForExit() == 0)
    }

    /// A key that does nothing says which keys work, on the full screen.
    @Test(arguments: ["ja", "en"])
    func aKeyThatDoesNothingIsAnswered(_ language: String) throws {
        let setup = try Setup()
        let t = setup.tmux
        try setup.start(language)
        try t.wait(for: language == "ja" ? "はじめます" : "Starting")
        try t.send("x")
        try t.wait(for: language == "ja" ? "そのキーは、この画面では使えません" : "That key does nothing here")
        try t.send("Enter")
        try t.wait(for: language == "ja" ? "電源は入れたままにします" : "Keep the PC switched on")
        #expect(try !t.screen().contains(language == "ja" ? "そのキーは" : "That key does nothing"), "a new screen has no old message")
    }

    /// Closing the window on the end screen (SIGHUP) leaves a finished record: nothing "in
    /// progress", nothing offered for resuming, and `verify` passes.
    @Test(arguments: ["ja", "en"])
    func closingTheWindowOnTheEndScreenLeavesAFinishedRecord(_ language: String) throws {
        let setup = try Setup()
        let t = setup.tmux
        try setup.start(language)
        try t.wait(for: language == "ja" ? "はじめます" : "Starting")
        try t.send("Enter")
        try t.wait(for: language == "ja" ? "電源は入れたままにします" : "Keep the PC switched on")
        try t.send("Enter")
        try t.wait(for: language == "ja" ? "転送しましたか" : "Did you forward it?")
        try t.send("n")
        try t.wait(for: language == "ja" ? "最初の対応は、ここまでです" : "That is all for now")
        // The record is finished as the end screen shows, before any key.
        try t.wait(for: language == "ja" ? "確認コード" : "Check code")
        let events = try setup.journal().compactMap { $0["event"] as? String }
        #expect(events.last == "session.finished", "\(events)")
        let pid = try t.pid()
        kill(pid, SIGHUP)
        _ = try t.waitForExit()
        let after = try setup.journal().compactMap { $0["event"] as? String }
        #expect(after.last == "session.finished", "closing the window added: \(after)")
        #expect(!after.contains("session.suspended"))
        let folder = try Wizard.reportFolder(setup.reports)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("report.json"))) as? [String: Any])
        #expect(report["status"] as? String == "finished")
        #expect(report["outcome"] as? String == "reported")
        let verify = try Wizard.run(["verify", folder.path])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        // Nothing is offered for resuming: a new run starts afresh (plain mode, end of input).
        let again = try Wizard.run(["run", setup.playbook.path, "--plain", "--lang", language, "--reports", setup.reports.path],
                                   input: "", environment: ["HOME": setup.directory.path])
        #expect(!again.stdout.contains(language == "ja" ? "途中で止まっている対応" : "stopped part-way"), "\(again.stdout)")
    }

    /// Plain mode: the input may end on the end screen; the record is finished (exit 0), and
    /// plain mode reads piped lines as they come (no second's wait on critical steps).
    @Test func plainModeFinishesAtTheEndScreenWhateverComesAfter() throws {
        let setup = try Setup()
        let result = try Wizard.run(["run", setup.playbook.path, "--plain", "--lang", "en", "--reports", setup.reports.path],
                                    input: "\n\nn\n", environment: ["HOME": setup.directory.path])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("That is all for now"))
        let events = try setup.journal().compactMap { $0["event"] as? String }
        #expect(events.last == "session.finished", "\(events)")
        #expect(!events.contains("session.suspended"))
    }
}
