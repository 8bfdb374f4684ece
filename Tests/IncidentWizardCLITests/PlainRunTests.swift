import Foundation
import IncidentCore
import IncidentEdges
import Testing

/// `run --plain` walks the shipped playbooks to their end from scripted answers, in both
/// languages, through the real binary.
@Suite struct PlainRunTests {
    /// The titles of the steps shown, in order, read from the plain-mode transcript: each step
    /// starts with a `== … ==` header line followed by its title.
    static func shownTitles(_ transcript: String) -> [String] {
        let lines = transcript.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        return lines.indices.dropLast().filter { lines[$0].hasPrefix("== ") }.map {
            // A background scan's status line ("[Virus check 61 %]") comes before the title.
            let title = lines[$0 + 1].hasPrefix("[") && $0 + 2 < lines.count ? lines[$0 + 2] : lines[$0 + 1]
            // A warning's title starts with its mark, a word ("【重要】" / "Important: ").
            for mark in ["【重要】", "Important: "] where title.hasPrefix(mark) { return String(title.dropFirst(mark.count)) }
            return title
        }
    }

    static func titles(_ playbookID: String, _ ids: [String], language: String) throws -> [String] {
        let url = Wizard.playbooks.appendingPathComponent("\(playbookID).yaml")
        let playbook = try #require(PlaybookLoader.load(try Data(contentsOf: url), path: url.path).value)
        return try ids.map { try #require(playbook.step($0), "no step \($0)").title.resolved(language) }
    }

    /// Whether this machine is on a network right now (then the network step offers "I can't").
    static var connected: Bool { !NetworkProbe().probe().isDisconnected }
    static var scannerInstalled: Bool { ProcessRunner.resolve("clamscan") != nil }

    func walk(_ playbookID: String, language: String, keys: [String]) throws -> (Wizard.Result, URL) {
        let home = try Wizard.temporaryDirectory()
        let result = try Wizard.run(["run", playbookID, "--plain", "--lang", language, "--reports", home.path + "/reports"],
                                    input: keys.map { $0 + "\n" }.joined(), environment: ["HOME": home.path])
        return (result, home)
    }

    @Test(arguments: ["en", "ja"])
    func emotetOpenedAttachmentCouldNotDisconnect(_ language: String) throws {
        let keys = ["", "2", "", "", "", "2", "", "y", "", "", "Suzuki <suzuki@example.com>", "請求書", "9:00",
                    "opened invoice.doc", "", "1", "Tanaka", "", "", ""]
        let (result, home) = try walk("emotet", language: language, keys: keys)
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        var ids = ["stay-calm", "what-happened", "keep-pc-on", "stop-using-file", "collect-state", "disconnect"]
        if Self.connected { ids.append("cannot-disconnect") }
        // The scan runs in the background from the network step on: the call comes first, then
        // the scan's result (the await step) and its advice.
        ids += ["photo-mail", "do-not-forward", "mail-details", "notify-admin", "scan-result"]
        let shown = Self.shownTitles(result.stdout)
        let expected = try Self.titles("emotet", ids, language: language)
        #expect(Array(shown.prefix(expected.count)) == expected, "\(shown)")
        let afterScan = try Self.titles("emotet", ["scan-detected", "scan-clean", "scan-not-done"], language: language)
        #expect(shown.count == expected.count + 2)
        if !Self.scannerInstalled {
            #expect(shown[expected.count] == afterScan[2])
            #expect(result.stdout.contains(language == "ja" ? "このパソコンには clamscan が入っていません" : "clamscan is not installed on this PC"))
        }
        #expect(afterScan.contains(shown[expected.count]))
        #expect(Array(shown.suffix(1)) == (try Self.titles("emotet", ["end-reported"], language: language)))
        // The collect step's outputs are in the report folder's evidence/, private to the user.
        let reports = try FileManager.default.contentsOfDirectory(atPath: home.path + "/reports")
        #expect(reports.count == 1)
        let evidence = home.path + "/reports/\(reports[0])/evidence"
        #expect(try FileManager.default.attributesOfItem(atPath: evidence)[.posixPermissions] as? Int == 0o700)
        #expect(FileManager.default.fileExists(atPath: evidence + "/collect-collect-state-processes.txt"))
    }

    @Test(arguments: ["ja", "en"])
    func emotetNotOpenedYet(_ language: String) throws {
        let (result, _) = try walk("emotet", language: language, keys: ["", "1", "", "y", "2", "1", "佐藤"] + [""])
        #expect(result.status == 0, "\(result.stdout)")
        let ids = ["stay-calm", "what-happened", "not-opened-leave", "not-opened-photo", "not-opened-notify", "end-not-opened"]
        #expect(Self.shownTitles(result.stdout) == (try Self.titles("emotet", ids, language: language)))
        // The notify screen shows the fallback contact after "no answer".
        #expect(result.stdout.contains(language == "ja" ? "次は、" : "Now call "))
    }

    @Test(arguments: ["ja", "en"])
    func emotetSpoofedInMyNameCallLater(_ language: String) throws {
        let (result, _) = try walk("emotet", language: language,
                                   keys: ["", "4", "", "n", "Yamada (ABC商事)", "変な請求書メール", "", "3", ""])
        #expect(result.status == 0, "\(result.stdout)")
        let ids = ["stay-calm", "what-happened", "spoofed-explain", "spoofed-opened", "spoofed-details", "spoofed-notify",
                   "spoofed-nobody-reached"]
        #expect(Self.shownTitles(result.stdout) == (try Self.titles("emotet", ids, language: language)))
        // "Later" with nobody reached ends on the screen that says so, with the numbers to try again.
        #expect(result.stdout.contains(language == "ja" ? "000-0000-0000" : "000-0000-0000"))
    }

    @Test func backGoesToThePreviousStepAndTheNewAnswerWins() throws {
        // Choose "not sure" (5), go back with "<", then choose "not opened" (1).
        let (result, _) = try walk("emotet", language: "en", keys: ["", "5", "<", "1", "", "y", "1", "Sato", ""])
        #expect(result.status == 0, "\(result.stdout)")
        let ids = ["stay-calm", "what-happened", "keep-pc-on", "what-happened", "not-opened-leave", "not-opened-photo",
                   "not-opened-notify", "end-not-opened"]
        #expect(Self.shownTitles(result.stdout) == (try Self.titles("emotet", ids, language: "en")))
    }

    @Test func helpAndInvalidAnswersNeverDeadEnd() throws {
        let (result, _) = try walk("emotet", language: "en", keys: ["?", "", "9", "x", "1", "", "maybe", "n", "3", ""])
        #expect(result.status == 0, "\(result.stdout)")
        #expect(result.stdout.contains("That answer is not available here."))
        #expect(result.stdout.contains("Turning the PC off erases clues"), "the help text of the first step")
    }

    @Test func spoofedMailSentItMyself() throws {
        let (result, _) = try walk("spoofed-mail", language: "ja", keys: ["", "y", ""])
        #expect(result.status == 0)
        #expect(Self.shownTitles(result.stdout) == (try Self.titles("spoofed-mail", ["stay-calm", "did-you-send", "end-sent-yourself"], language: "ja")))
    }

    @Test func readinessForTheAdministrator() throws {
        let keys = ["", "", "u", "", "製品名", "2027-03-31", "10/10", "n", "", "1 2", "y", "", "n", "", "3", "", "", "notes", "",
                    "2027-11-29", ""]
        let (result, _) = try walk("readiness", language: "ja", keys: keys)
        #expect(result.status == 0, "\(result.stdout)")
        #expect(Self.shownTitles(result.stdout).last == (try Self.titles("readiness", ["end-checked"], language: "ja"))[0])
    }

    @Test func japaneseFromTheLocaleWithoutLang() throws {
        let home = try Wizard.temporaryDirectory()
        let result = try Wizard.run(["run", "spoofed-mail", "--plain", "--reports", home.path], input: "\ny\n\n",
                                    environment: ["LANG": "ja_JP.UTF-8", "HOME": home.path])
        #expect(result.status == 0)
        #expect(result.stdout.contains("Enter キーで次へ進みます。"))
    }

    @Test func quitAsksThenExitsThree() throws {
        let (result, _) = try walk("emotet", language: "en", keys: ["", "q", "n", "q", "y"])
        #expect(result.status == 3)
        #expect(result.stdout.contains("Quit? Your answers so far are saved."))
        #expect(result.stdout.contains("Run the wizard again to continue"))
        #expect(Self.shownTitles(result.stdout).count == 2)
    }

    @Test func endOfInputSuspendsWithThree() throws {
        let (result, _) = try walk("emotet", language: "en", keys: [""])
        #expect(result.status == 3)
        #expect(result.stdout.contains("Input ended. Your answers are saved."))
    }

    /// A valid 20,000-step playbook (a chain of info and confirm steps, a loop back from near its
    /// end): `validate` accepts it, and `run` shows its steps with "Step N/20000" — the header's
    /// step count once recursed once per step and crashed the wizard before the first screen.
    @Test func aTwentyThousandStepPlaybookValidatesAndRuns() throws {
        let count = 20_000
        let home = try Wizard.temporaryDirectory()
        let file = home.appendingPathComponent("large.yaml")
        var lines = ["playbook: 1", "id: large", "title: Large", "languages: [en]", "steps:"]
        for number in 1..<count {
            let loop = number == count - 2 ? ", no_next: s1" : ""
            lines.append("  - {id: s\(number), type: \(number % 3 == 0 ? "confirm" : "info"), title: Step number \(number)\(loop)}")
        }
        lines.append("  - {id: s\(count), type: end, title: The last step}")
        try lines.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)

        let validated = try Wizard.run(["validate", file.path])
        #expect(validated.status == 0, "\(validated.stdout)\(validated.stderr)")
        let result = try Wizard.run(["run", file.path, "--plain", "--lang", "en", "--reports", home.path + "/reports"],
                                    input: "\n\ny\n", environment: ["HOME": home.path])
        #expect(result.status == 3, "end of input suspends: \(result.stdout.suffix(500))\(result.stderr.prefix(2000))")
        #expect(result.stdout.contains("Input ended. Your answers are saved."))
        #expect(Self.shownTitles(result.stdout) == ["Step number 1", "Step number 2", "Step number 3", "Step number 4"])
        for number in 1...4 { #expect(result.stdout.contains("== Large — Step \(number)/\(count) =="), "step \(number)") }
    }

    @Test func invalidPlaybookOrUsageExitsTwo() throws {
        let home = try Wizard.temporaryDirectory()
        let broken = Wizard.malformed.appendingPathComponent("03-unknown-key-step.yaml").path
        let invalid = try Wizard.run(["run", broken, "--plain", "--reports", home.path])
        #expect(invalid.status == 2)
        #expect(invalid.stderr.contains("03-unknown-key-step.yaml:10:5: error: unknown key 'nxet'"))
        let unknown = try Wizard.run(["run", "no-such-playbook", "--plain", "--reports", home.path])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("no playbook 'no-such-playbook'"))
        let language = try Wizard.run(["run", "emotet", "--plain", "--lang", "fr", "--reports", home.path])
        #expect(language.status == 2)
        #expect(language.stderr.contains("has no 'fr' text"))
        // A broken or missing playbook leaves only the record of the emergency card; a usage error nothing.
        #expect(try FileManager.default.contentsOfDirectory(atPath: home.path).allSatisfy { $0.hasSuffix("-emergency") || $0.hasSuffix("-emergency-2") },
                "only emergency-card records")
        #expect(try FileManager.default.contentsOfDirectory(atPath: home.path).count == 2)
    }

    @Test func scenarioMenuOffersTheEmployeePlaybooksOnly() throws {
        let home = try Wizard.temporaryDirectory()
        let result = try Wizard.run(["--plain", "--reports", home.path], input: "2\n\ny\n\n",
                                    environment: ["HOME": home.path, "LANG": "en_US.UTF-8"])
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains("1) 怪しいメール") || result.stdout.contains("1) A suspicious"))
        #expect(!result.stdout.contains("readiness") && !result.stdout.contains("Preparedness"))
        #expect(Self.shownTitles(result.stdout).last == (try Self.titles("spoofed-mail", ["end-sent-yourself"], language: "en"))[0])
    }

    @Test func aSingleEmployeePlaybookStartsDirectly() throws {
        let directory = try Wizard.temporaryDirectory()
        try "playbook: 1\nid: only\ntitle: Only\nlanguages: [en]\nsteps:\n  - {id: a, type: end, title: The only step}\n"
            .write(to: directory.appendingPathComponent("only.yaml"), atomically: true, encoding: .utf8)
        let result = try Wizard.run(["run", "--plain", "--reports", directory.path + "/r"], input: "\n",
                                    environment: ["INCIDENT_WIZARD_PLAYBOOKS": directory.path])
        #expect(result.status == 0)
        #expect(Self.shownTitles(result.stdout) == ["The only step"])
    }
}
