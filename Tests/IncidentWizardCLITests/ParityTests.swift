import Foundation
import IncidentCore
import Testing

/// The full screen and plain mode are two views over one `StepModel`, driven by one `StepDriver`:
/// the same answers, given as keys (`KeyMap`) or as typed lines (`LineMap`), must make the same
/// decisions. One playbook with every step type is walked both ways; the two report folders must
/// hold the same steps and answers and the same journal events, and both must verify.
@Suite(.serialized) struct ParityTests {
    /// The playbook, its contacts, a fake scanner and a file to attach, in a fresh folder.
    struct Fixture {
        let root: URL
        var playbook: URL { root.appendingPathComponent("every-step.yaml") }
        var scanner: URL { root.appendingPathComponent("fake-scanner") }
        var attachment: URL { root.appendingPathComponent("note.txt") }
        var home: URL { root.appendingPathComponent("home") }

        init() throws {
            root = try Wizard.temporaryDirectory()
            // An empty home: no recent files are offered on the evidence screen.
            try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
            try "#!/bin/sh\necho 'scanned 3 files, nothing found'\nexit 0\n".writeExecutable(to: scanner)
            try Data("a small note for the report\n".utf8).write(to: attachment)
            try ParityTests.playbook(scanner: scanner.path).write(to: playbook, atomically: true, encoding: .utf8)
            try ParityTests.contacts.write(to: root.appendingPathComponent("contacts.yaml"), atomically: true, encoding: .utf8)
        }
    }

    /// Every step type once, in the order info, confirm, choice, checklist, input, network,
    /// evidence, scan, collect, notify, end. Each title carries a tag (`[s-…]`) the full-screen
    /// walk waits for, the same in both languages.
    static func playbook(scanner: String) -> String {
        """
        playbook: 1
        id: every-step
        title:
          en: Every step type
          ja: すべての種類のステップ
        languages: [en, ja]
        steps:
          - id: read
            type: info
            title: {en: "Read this first [s-info]", ja: "最初に読んでください [s-info]"}
            text: {en: Nothing happens on this screen., ja: この画面では何も起きません。}
          - id: happened
            type: confirm
            unsure: true
            title: {en: "Did it happen? [s-confirm]", ja: "起きましたか？ [s-confirm]"}
          - id: colour
            type: choice
            title: {en: "Pick a colour [s-choice]", ja: "色を選んでください [s-choice]"}
            options:
              - {value: red, label: {en: Red, ja: 赤}}
              - {value: green, label: {en: Green, ja: 緑}}
              - {value: blue, label: {en: Blue, ja: 青}}
          - id: done-things
            type: checklist
            require: any
            title: {en: "What have you done? [s-checklist]", ja: "何をしましたか？ [s-checklist]"}
            items:
              - {value: unplugged, label: {en: Unplugged the cable, ja: ケーブルを抜いた}}
              - {value: told-boss, label: {en: Told my boss, ja: 上司に伝えた}}
              - {value: wrote-down, label: {en: Wrote it down, ja: メモした}}
          - id: details
            type: input
            title: {en: "Tell us more [s-input]", ja: "詳しく教えてください [s-input]"}
            fields:
              - {id: name, label: {en: Your name, ja: お名前}, required: true}
              - {id: notes, label: {en: Notes, ja: メモ}, multiline: true}
          - id: net
            type: network
            action: verify
            title: {en: "Disconnect the network [s-network]", ja: "ネットワークを切ってください [s-network]"}
          - id: photo
            type: evidence
            attach: optional
            title: {en: "Photograph the screen [s-evidence]", ja: "画面を撮影してください [s-evidence]"}
          - id: scan
            type: scan
            title: {en: "Scanning the PC [s-scan]", ja: "スキャンしています [s-scan]"}
            command: ["\(scanner)"]
            timeout: 30
            verdicts: {0: clean, 1: detected, 2: error}
          - id: gather
            type: collect
            title: {en: "Collecting facts [s-collect]", ja: "情報を集めています [s-collect]"}
            commands:
              - {name: hello, command: [echo, hello]}
          - id: call
            type: notify
            title: {en: "Call for help [s-notify]", ja: "連絡してください [s-notify]"}
            contact: first-line
            fallback: [second-line]
            script: {en: Say that the PC may be infected., ja: パソコンが感染したかもしれないと伝えてください。}
          - id: finish
            type: end
            outcome: walked
            title: {en: "All done [s-end]", ja: "終わりました [s-end]"}

        """
    }

    /// Two contacts in the notify chain, checked today (so `validate` has nothing to warn about).
    static var contacts: String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd"
        let today = formatter.string(from: Date())
        return """
            contacts:
              first-line:
                name: {en: Yamada in IT, ja: 情報システムの山田}
                phone: "03-1111-2222"
                verified: \(today)
              second-line:
                name: {en: Sato the consultant, ja: コンサルタントの佐藤}
                phone: "03-3333-4444"
                verified: \(today)

            """
    }

    /// The few screen texts the full-screen walk waits for, in the session's language.
    struct Words {
        let attachField, scanFinished, recorded, secondContact, spokeWith: String

        init(_ language: String) {
            let ja = language == "ja"
            attachField = ja ? "添付するファイルのパス" : "Path of a file to attach"
            let words = Vocabulary(language: language)
            scanFinished = words(.scanSaidClean)
            recorded = words(.collectFinished)
            secondContact = ja ? "コンサルタントの佐藤" : "Sato the consultant"
            spokeWith = ja ? "話した相手の名前" : "Who did you speak with?"
        }
    }

    // MARK: The two walks

    /// The full screen in tmux, by keys: every key waits for the screen it is meant for.
    func walkFullScreen(_ fixture: Fixture, language: String) throws -> URL {
        let reports = fixture.root.appendingPathComponent("reports-full-screen-\(language)")
        let words = Words(language)
        let t = Tmux()
        try t.start("\(Tmux.quote(Wizard.binary)) run \(Tmux.quote(fixture.playbook.path)) --lang \(language) --reports \(Tmux.quote(reports.path))",
                    environment: ["HOME": fixture.home.path, "LANG": "C.UTF-8", "TERM": "xterm-256color",
                                  "INCIDENT_WIZARD_CONFIG": "/nonexistent/incident-wizard/config"])
        try t.wait(for: "[s-info]")
        try t.send("Enter")
        try t.wait(for: "[s-confirm]")
        try t.send("u")
        try t.wait(for: "[s-choice]")
        try t.send("2")
        try t.wait(for: "[s-checklist]")
        try t.send("1")
        try t.send("3")
        try t.wait("items 1 and 3 ticked") { $0.contains("[x] 1.") && $0.contains("[ ] 2.") && $0.contains("[x] 3.") }
        try t.send("Enter")
        try t.wait(for: "[s-input]")
        try t.type("Suzuki")
        // Enter on the multi-line field is a new line; Tab goes to Continue, Enter there submits.
        try t.type("line one")
        try t.type("line two", enter: false)
        try t.wait("both lines of the notes") { $0.contains("> line one") && $0.contains("> line two") }
        try t.send("Tab")
        try t.send("Enter")
        try t.wait(for: "[s-network]")
        // "I can't disconnect": the same answer whatever this machine's network is.
        try t.send("2")
        try t.wait(for: "[s-evidence]")
        try t.send("y")
        try t.wait(for: words.attachField)
        try t.type(fixture.attachment.path)
        try t.wait(for: "+ note.txt")
        try t.send("Enter")
        try t.wait("the scan's end") { $0.contains("[s-scan]") && $0.contains(words.scanFinished) }
        try t.send("Enter")
        try t.wait("the commands' end") { $0.contains("[s-collect]") && $0.contains(words.recorded) }
        try t.send("Enter")
        try t.wait(for: "[s-notify]")
        try t.send("2")
        try t.wait(for: words.secondContact)
        try t.send("1")
        try t.wait(for: words.spokeWith)
        try t.type("Tanaka")
        try t.wait(for: "[s-end]")
        try t.send("Enter")
        let status = try t.waitForExit()
        #expect(status == 0, "the full-screen walk ended with \(status):\n\((try? t.screen()) ?? "")")
        return try Wizard.reportFolder(reports)
    }

    /// Plain mode, the same answers as typed lines (`LineMap`).
    func walkPlain(_ fixture: Fixture, language: String) throws -> URL {
        let reports = fixture.root.appendingPathComponent("reports-plain-\(language)")
        let lines = [
            "",                     // info: continue
            "u",                    // confirm: not sure
            "2",                    // choice: the second option
            "1 3",                  // checklist: items 1 and 3, then continue
            "Suzuki",               // input: the required single-line field
            "line one", "line two", // the multi-line field, one line each…
            "",                     // …an empty line ends it (and the form)
            "2",                    // network: I can't disconnect
            "y",                    // evidence: photographed
            fixture.attachment.path, // a file to attach
            "",                     // no more files
            "",                     // scan: continue after its end
            "",                     // collect: continue after its end
            "2",                    // notify: no answer, next contact
            "1",                    // reached
            "Tanaka",               // who answered
            "",                     // end
        ]
        let result = try Wizard.run(["run", fixture.playbook.path, "--plain", "--reports", reports.path, "--lang", language],
                                    input: lines.map { $0 + "\n" }.joined(), environment: ["HOME": fixture.home.path])
        #expect(result.status == 0, "the plain walk ended with \(result.status):\n\(result.stdout)\n\(result.stderr)")
        return try Wizard.reportFolder(reports)
    }

    // MARK: Comparing

    /// Keys whose values are the moment something happened or how long it took: they differ from
    /// one run to the next whatever the front end. Everything else is compared.
    static let volatileKeys: Set<String> = ["entered", "answered", "checked_at", "duration_ms", "at"]

    static func withoutVolatile(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let members):
            return .object(members.filter { !volatileKeys.contains($0.key) }.map { .init($0.key, withoutVolatile($0.value)) })
        case .array(let items):
            return .array(items.map(withoutVolatile))
        default:
            return value
        }
    }

    /// What report.json says was decided: the status and outcome, every step with its answer,
    /// and the network, scan, evidence and notification records — without the volatile values.
    static func decisions(_ folder: URL) throws -> JSONValue {
        let report = try #require(JSONValue.parse(try Data(contentsOf: folder.appendingPathComponent("report.json"))),
                                  "report.json of \(folder.path) is not JSON")
        let keys = ["status", "outcome", "language", "steps", "network", "scans", "evidence", "notifications"]
        return withoutVolatile(.object(keys.map { JSONValue.Member($0, report[$0] ?? .null) }))
    }

    /// The journal's events in order, each with the step it belongs to ("step.entered read").
    static func events(_ folder: URL) throws -> [String] {
        let text = try String(contentsOf: folder.appendingPathComponent("journal.jsonl"), encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            let entry = try #require(JSONValue.parse(Data(line.utf8)), "not a journal line: \(line)")
            let event = entry["event"]?.string ?? "?"
            return entry["step"]?.string.map { "\(event) \($0)" } ?? event
        }
    }

    /// A line diff of two texts (longest common subsequence): the lines only in `old` (-) and
    /// only in `new` (+), with two lines of context around each change.
    static func diff(_ old: [String], _ new: [String], oldName: String, newName: String) -> String {
        // common[i][j]: the length of the longest common subsequence of old[i...] and new[j...].
        var common = Array(repeating: Array(repeating: 0, count: new.count + 1), count: old.count + 1)
        for i in stride(from: old.count - 1, through: 0, by: -1) {
            for j in stride(from: new.count - 1, through: 0, by: -1) {
                common[i][j] = old[i] == new[j] ? common[i + 1][j + 1] + 1 : max(common[i + 1][j], common[i][j + 1])
            }
        }
        var script: [(mark: Character, text: String)] = []
        var i = 0, j = 0
        while i < old.count || j < new.count {
            if i < old.count, j < new.count, old[i] == new[j] {
                script.append((" ", old[i])); i += 1; j += 1
            } else if i < old.count, j == new.count || common[i + 1][j] >= common[i][j + 1] {
                script.append(("-", old[i])); i += 1
            } else {
                script.append(("+", new[j])); j += 1
            }
        }
        let changed = script.indices.filter { script[$0].mark != " " }
        guard !changed.isEmpty else { return "(no difference)" }
        let shown = Set(changed.flatMap { max(0, $0 - 2)...min(script.count - 1, $0 + 2) })
        var out = ["--- \(oldName)", "+++ \(newName)"]
        var last = -1
        for index in shown.sorted() {
            if last >= 0, index > last + 1 { out.append("  …") }
            out.append("\(script[index].mark) \(script[index].text)")
            last = index
        }
        return out.joined(separator: "\n")
    }

    static func lines(_ value: JSONValue) -> [String] {
        value.pretty().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    // MARK: The test

    @Test(arguments: ["en", "ja"])
    func theFullScreenAndPlainModeMakeTheSameDecisions(_ language: String) throws {
        try #require(Tmux.available, "tmux is needed (the README's test command installs it)")
        let fixture = try Fixture()
        let validate = try Wizard.run(["validate", fixture.playbook.path])
        try #require(validate.status == 0, "the test playbook is not valid:\n\(validate.stdout)\(validate.stderr)")
        #expect((validate.stdout + validate.stderr).contains("0 errors, 0 warnings"), "\(validate.stdout)\(validate.stderr)")

        let full = try walkFullScreen(fixture, language: language)
        let plain = try walkPlain(fixture, language: language)

        // The walk itself, as recorded (so that two identical but wrong reports cannot pass).
        let decided = try Self.decisions(plain)
        let steps = try #require(decided["steps"]?.array)
        #expect(steps.compactMap { $0["type"]?.string } == ["info", "confirm", "choice", "checklist", "input", "network",
                                                            "evidence", "scan", "collect", "notify", "end"])
        let answers = Dictionary(uniqueKeysWithValues: steps.compactMap { step in step["id"]?.string.map { ($0, step["answer"] ?? .null) } })
        #expect(decided["status"]?.string == "finished" && decided["outcome"]?.string == "walked")
        #expect(answers["happened"]?.string == "unsure")
        #expect(answers["colour"]?.string == "green")
        #expect(answers["done-things"]?.array == [.string("unplugged"), .string("wrote-down")])
        #expect(answers["details"]?["name"]?.string == "Suzuki")
        #expect(answers["details"]?["notes"]?.string == "line one\nline two")
        #expect(answers["net"]?["disconnected"]?.bool == false && answers["net"]?["method"]?.string == "not-done")
        #expect(answers["photo"]?["photographed"]?.string == "yes")
        #expect(answers["photo"]?["files"]?.array?.first?["name"]?.string == "note.txt")
        #expect(answers["scan"]?["verdict"]?.string == "clean" && answers["scan"]?["exit_code"]?.int == 0)
        #expect(answers["gather"]?["outputs"]?.array?.first?["exit_code"]?.int == 0)
        #expect(answers["call"]?["reached"]?.string == "second-line" && answers["call"]?["spoke_with"]?.string == "Tanaka")

        // The same decisions on both front ends.
        let fullDecided = try Self.decisions(full)
        if fullDecided != decided {
            Issue.record("""
                report.json differs between plain mode (-) and the full screen (+) (\(language)):
                \(Self.diff(Self.lines(decided), Self.lines(fullDecided), oldName: "plain \(plain.path)/report.json",
                            newName: "full screen \(full.path)/report.json"))
                """)
        }
        let plainEvents = try Self.events(plain), fullEvents = try Self.events(full)
        if fullEvents != plainEvents {
            Issue.record("""
                journal.jsonl's events differ between plain mode (-) and the full screen (+) (\(language)):
                \(Self.diff(plainEvents, fullEvents, oldName: "plain \(plain.path)/journal.jsonl",
                            newName: "full screen \(full.path)/journal.jsonl"))
                """)
        }

        // The same evidence files, byte for byte.
        for name in ["note.txt", "scan-scan-scan.txt", "collect-gather-hello.txt"] {
            let plainFile = try? Data(contentsOf: plain.appendingPathComponent("evidence/\(name)"))
            let fullFile = try? Data(contentsOf: full.appendingPathComponent("evidence/\(name)"))
            #expect(plainFile != nil && plainFile == fullFile, "evidence/\(name) differs or is missing")
        }

        for folder in [full, plain] {
            let verify = try Wizard.run(["verify", folder.path])
            #expect(verify.status == 0, "verify \(folder.path): \(verify.stdout)\(verify.stderr)")
        }
    }
}
