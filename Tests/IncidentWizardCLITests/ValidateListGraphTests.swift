import Foundation
import Testing

/// `validate`, `list` and `graph` through the real binary: output and exit status.
@Suite struct ValidateListGraphTests {
    @Test func shippedPlaybooksAreValidWithOnlyThePlaceholderContactWarnings() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Wizard.playbooks.path)
            .filter { $0.hasSuffix(".yaml") }.sorted().map { "playbooks/\($0)" }
        #expect(files.count == 4)
        let result = try Wizard.run(["validate"] + files)
        #expect(result.status == 0, "\(result.stdout)")
        let diagnostics = result.stdout.split(separator: "\n").filter { $0.contains(": warning: ") || $0.contains(": error: ") }
        #expect(!diagnostics.isEmpty)
        for line in diagnostics {
            #expect(line.hasPrefix("playbooks/contacts.yaml:"), "unexpected: \(line)")
            #expect(line.contains("warning: contact 'admin'") || line.contains("warning: contact 'consultant'"), "unexpected: \(line)")
        }
        #expect(result.stderr.contains("4 files checked: 0 errors"))
    }

    @Test func everyMalformedFileExitsOneWithAPositionAndNoCrash() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Wizard.malformed.path).filter { $0.hasSuffix(".yaml") }
        #expect(names.count >= 25)
        for name in names {
            let path = Wizard.malformed.appendingPathComponent(name).path
            let result = try Wizard.run(["validate", path])
            #expect(result.status == 1, "\(name): status \(result.status)\n\(result.stderr)")
            let first = result.stdout.split(separator: "\n").first.map(String.init) ?? ""
            #expect(first.range(of: #"^.+:\d+:\d+: error: "#, options: .regularExpression) != nil, "\(name): \(first)")
        }
    }

    @Test func generatedJunkExitsOneWithAPosition() throws {
        let directory = try Wizard.temporaryDirectory()
        let cases: [(String, Data, String)] = [
            ("empty.yaml", Data(), ":1:1: error: the file is empty"),
            ("binary.yaml", Data("playbook: 1\n".utf8) + Data([0x89, 0x50, 0x00, 0xFF]), ":2:3: error: the file contains binary data"),
            ("huge.yaml", Data(("playbook: 1\n# " + String(repeating: "x", count: 10_000_000)).utf8), ":1:1: error: the file is too large"),
            ("deep.yaml", Data(("steps: " + String(repeating: "[", count: 200_000)).utf8), ":1:72: error: the YAML is nested too deeply"),
        ]
        for (name, data, expected) in cases {
            let file = directory.appendingPathComponent(name)
            try data.write(to: file)
            let result = try Wizard.run(["validate", file.path])
            #expect(result.status == 1, "\(name)")
            #expect(result.stdout.hasPrefix(file.path + expected), "\(name): \(result.stdout.prefix(200))")
        }
    }

    @Test func aBrokenFileNeverStopsTheOthersFromBeingChecked() throws {
        let broken = Wizard.malformed.appendingPathComponent("01-syntax-unclosed-flow.yaml").path
        let result = try Wizard.run(["validate", broken, "playbooks/contacts.yaml", "/nonexistent/x.yaml"])
        #expect(result.status == 1)
        #expect(result.stdout.contains("01-syntax-unclosed-flow.yaml:5:10: error:"))
        #expect(result.stdout.contains("playbooks/contacts.yaml:8:3: warning: contact 'admin'"))
        #expect(result.stdout.contains("/nonexistent/x.yaml:1:1: error: the file does not exist"))
    }

    @Test func groupWritablePlaybookIsWarnedAbout() throws {
        let directory = try Wizard.temporaryDirectory()
        let file = directory.appendingPathComponent("t.yaml")
        try "playbook: 1\nid: t\ntitle: T\nlanguages: [en]\nsteps:\n  - {id: a, type: end, title: A}\n"
            .write(to: file, atomically: true, encoding: .utf8)
        chmod(file.path, 0o664)
        let result = try Wizard.run(["validate", file.path])
        #expect(result.status == 0)
        #expect(result.stdout.contains("t.yaml:1:1: warning: the file can be changed by other users"))
        chmod(file.path, 0o644)
        #expect(try Wizard.run(["validate", file.path]).stdout.isEmpty)
    }

    @Test func listShowsEveryPlaybook() throws {
        let result = try Wizard.run(["list", "--playbooks", "playbooks"])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.first?.hasPrefix("ID") == true)
        for (id, audience) in [("emotet", "employee"), ("spoofed-mail", "employee"), ("readiness", "admin")] {
            let row = try #require(lines.first { $0.hasPrefix(id + " ") })
            #expect(row.contains(audience))
            #expect(row.contains("ja,en"))
            #expect(row.hasSuffix("valid"))
        }
        #expect(!result.stdout.contains("contacts"))
    }

    @Test func listMarksAnInvalidPlaybook() throws {
        let directory = try Wizard.temporaryDirectory()
        try FileManager.default.copyItem(at: Wizard.malformed.appendingPathComponent("03-unknown-key-step.yaml"),
                                         to: directory.appendingPathComponent("typo.yaml"))
        let result = try Wizard.run(["list", "--playbooks", directory.path])
        #expect(result.stdout.contains("invalid (1 error)"))
    }

    @Test func listExitsOneWhenAPlaybookIsInvalidAndStillPrintsTheWholeTable() throws {
        let directory = try Self.copyOfThePlaybooks()
        try FileManager.default.copyItem(at: Wizard.malformed.appendingPathComponent("03-unknown-key-step.yaml"),
                                         to: directory.appendingPathComponent("typo.yaml"))
        let result = try Wizard.run(["list", "--playbooks", directory.path])
        #expect(result.status == 1)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 5, "the header, the three shipped playbooks and the broken one\n\(result.stdout)")
        #expect(lines.contains { $0.hasPrefix("typo ") && $0.hasSuffix("invalid (1 error)") })
        #expect(lines.filter { $0.hasSuffix("  valid") }.count == 3)
    }

    // MARK: validate: directories, and no file at all

    /// The shipped playbooks in a fresh directory (permissions as shipped: not group-writable).
    static func copyOfThePlaybooks() throws -> URL {
        let directory = try Wizard.temporaryDirectory()
        for name in try FileManager.default.contentsOfDirectory(atPath: Wizard.playbooks.path) where name.hasSuffix(".yaml") {
            let target = directory.appendingPathComponent(name)
            try FileManager.default.copyItem(at: Wizard.playbooks.appendingPathComponent(name), to: target)
            chmod(target.path, 0o644)
        }
        return directory
    }

    @Test func aDirectoryArgumentChecksThePlaybooksAndContactsInIt() throws {
        let result = try Wizard.run(["validate", "playbooks"])
        #expect(result.status == 0, "\(result.stdout)")
        #expect(result.stderr.contains("4 files checked: 0 errors"), "\(result.stderr)")
        #expect(result.stdout.contains("playbooks/contacts.yaml:8:3: warning: contact 'admin'"))
        // A directory of broken playbooks fails like its files, and an empty one is an error.
        let broken = try Wizard.temporaryDirectory()
        try FileManager.default.copyItem(at: Wizard.malformed.appendingPathComponent("09-dangling-next.yaml"),
                                         to: broken.appendingPathComponent("dangling.yaml"))
        let empty = try Wizard.temporaryDirectory()
        let mixed = try Wizard.run(["validate", broken.path, empty.path, "playbooks/emotet.yaml"])
        #expect(mixed.status == 1)
        #expect(mixed.stdout.contains(broken.appendingPathComponent("dangling.yaml").path + ":10:11: error: 'next' of step 'hello'"))
        #expect(mixed.stdout.contains(empty.path + ":1:1: error: the directory holds no playbook files"), "\(mixed.stdout)")
        #expect(mixed.stderr.contains("3 files checked: 2 errors"), "\(mixed.stderr)")
    }

    @Test func validateWithNoFileChecksThePlaybooksDirectory() throws {
        let directory = try Self.copyOfThePlaybooks()
        for arguments in [["validate", "--playbooks", directory.path], ["validate"]] {
            let result = try Wizard.run(arguments, environment: ["INCIDENT_WIZARD_PLAYBOOKS": directory.path])
            #expect(result.status == 0, "\(arguments): \(result.stdout)\(result.stderr)")
            #expect(result.stderr.contains("4 files checked: 0 errors"), "\(arguments): \(result.stderr)")
            #expect(result.stdout.contains(directory.appendingPathComponent("contacts.yaml").path + ":8:3: warning: contact 'admin'"))
        }
        try "playbook: 1\nid: emotet\n".write(to: directory.appendingPathComponent("zz-broken.yaml"), atomically: true, encoding: .utf8)
        let result = try Wizard.run(["validate"], environment: ["INCIDENT_WIZARD_PLAYBOOKS": directory.path])
        #expect(result.status == 1)
        #expect(result.stdout.contains("zz-broken.yaml:1:1: error: the playbook is missing the required key 'title'"))
    }

    // MARK: validate: the shared contacts.yaml

    /// An administrator's report: a warning about contacts.yaml showed the playbook's line of the
    /// same number under it.
    @Test func aContactsDiagnosticQuotesALineOfContactsYaml() throws {
        let result = try Wizard.run(["validate", "playbooks/emotet.yaml"])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let warning = try #require(lines.firstIndex { $0.hasPrefix("playbooks/contacts.yaml:8:3: warning: contact 'admin'") },
                                   "\(result.stdout)")
        #expect(lines[warning + 1] == "  admin:")
        #expect(lines[warning + 2] == "  ^")
        for (index, line) in lines.enumerated() where line.hasPrefix("playbooks/contacts.yaml:") {
            let number = try #require(Int(line.split(separator: ":")[1]))
            let contacts = try String(contentsOf: Wizard.playbooks.appendingPathComponent("contacts.yaml"), encoding: .utf8)
                .split(separator: "\n", omittingEmptySubsequences: false)
            #expect(lines[index + 1] == String(contacts[number - 1]), "\(line)")
        }
    }

    /// An administrator's report: one bad date in contacts.yaml gave twenty "unknown contact"
    /// errors in the playbooks.
    @Test func aBadDateInContactsYamlIsOneErrorAtItsLine() throws {
        let directory = try Self.copyOfThePlaybooks()
        let file = directory.appendingPathComponent("contacts.yaml")
        var text = try String(contentsOf: file, encoding: .utf8)
        let range = try #require(text.range(of: "verified: 2026-11-29"))
        let line = text[..<range.lowerBound].split(separator: "\n", omittingEmptySubsequences: false).count
        text.replaceSubrange(range, with: "verified: 2026-13-45")
        try text.write(to: file, atomically: true, encoding: .utf8)
        chmod(file.path, 0o644)
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
            .map { directory.appendingPathComponent($0).path }
        let result = try Wizard.run(["validate"] + files)
        #expect(result.status == 1)
        let errors = result.stdout.split(separator: "\n").filter { $0.contains(": error: ") }
        #expect(errors.filter { $0.contains("contacts.yaml:") } == ["\(file.path):\(line):15: error: 'verified' must be a date written YYYY-MM-DD, not \"2026-13-45\""],
                "\(errors)")
        #expect(!result.stdout.contains("unknown contact"), "\(result.stdout)")
        // The date is there, and wrong: no warning that it is missing.
        #expect(!result.stdout.contains("contact 'ipa-soudan' has no 'verified' date"), "\(result.stdout)")
        // One mistake, one error: the playbooks that read contacts from it add none of their own.
        #expect(errors.count == 1, "\(errors)")
    }

    /// An administrator's walk: a misspelt key in contacts.yaml gave five errors across all
    /// playbooks, one with its caret under `ja: |` in readiness.yaml.
    @Test func aMisspeltKeyInContactsYamlIsOneError() throws {
        let directory = try Self.copyOfThePlaybooks()
        let file = directory.appendingPathComponent("contacts.yaml")
        var text = try String(contentsOf: file, encoding: .utf8)
        let range = try #require(text.range(of: "    phone:"))
        let line = text[..<range.lowerBound].split(separator: "\n", omittingEmptySubsequences: false).count
        text.replaceSubrange(range, with: "    phnoe:")
        try text.write(to: file, atomically: true, encoding: .utf8)
        chmod(file.path, 0o644)
        for arguments in [["validate", directory.path], ["validate", directory.appendingPathComponent("emotet.yaml").path]] {
            let result = try Wizard.run(arguments)
            #expect(result.status == 1)
            let errors = result.stdout.split(separator: "\n").filter { $0.contains(": error: ") }
            #expect(errors == ["\(file.path):\(line):5: error: unknown key 'phnoe' in contact 'admin' (did you mean 'phone'?)"],
                    "\(arguments): \(result.stdout)")
        }
    }

    /// The same shipped playbooks with a typo, checked by a Japanese administrator.
    @Test func validateSpeaksJapaneseUnderAJapaneseLocale() throws {
        let directory = try Self.copyOfThePlaybooks()
        let file = directory.appendingPathComponent("emotet.yaml")
        var text = try String(contentsOf: file, encoding: .utf8)
        // The first step's `title:` typed with the IME on, and a misspelt `next`.
        let colon = try #require(text.range(of: "    title:\n", range: text.range(of: "steps:")!.upperBound..<text.endIndex))
        let line = text[..<colon.lowerBound].split(separator: "\n", omittingEmptySubsequences: false).count
        text.replaceSubrange(colon, with: "    title：\n")
        try text.write(to: file, atomically: true, encoding: .utf8)
        chmod(file.path, 0o644)
        let result = try Wizard.run(["validate", file.path], environment: ["LANG": "ja_JP.UTF-8"])
        #expect(result.status == 1)
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.first == "\(file.path):\(line):10: error: キー「title」の後のコロンが全角の「：」です。"
                + "半角の「:」と半角スペースにしてください（「title: 」）。", "\(result.stdout)")
        #expect(lines.dropFirst().first == "    title：")
        #expect(lines.dropFirst(2).first == "         ^")
        #expect(result.stderr.contains("ファイル 1 個を確認しました: エラー 1 件"), "\(result.stderr)")
        // LC_ALL wins over LANG, and --lang over both.
        let english = try Wizard.run(["validate", file.path], environment: ["LANG": "ja_JP.UTF-8", "LC_ALL": "C.UTF-8"])
        #expect(english.stdout.contains("error: full-width colon '：' after the key 'title'"), "\(english.stdout)")
        let option = try Wizard.run(["validate", "--lang", "en", file.path], environment: ["LANG": "ja_JP.UTF-8"])
        #expect(option.stdout.contains("error: full-width colon '：' after the key 'title'"), "\(option.stdout)")
    }

    @Test(arguments: ["emotet", "spoofed-mail", "readiness"])
    func mermaidGraphIsValid(_ id: String) throws {
        let result = try Wizard.run(["graph", "playbooks/\(id).yaml", "--format", "mermaid"])
        #expect(result.status == 0)
        try MermaidSyntax.check(result.stdout)
        #expect(result.stdout.contains("start --> s_"))
        #expect(result.stdout.contains("--> finish"))
    }

    @Test func mermaidGraphByIDInEnglishShowsBranchesAndSkips() throws {
        let result = try Wizard.run(["graph", "emotet", "--lang", "en"])
        #expect(result.status == 0)
        try MermaidSyntax.check(result.stdout)
        #expect(result.stdout.contains(#"s_what_happened -->|"opened-attachment"| s_keep_pc_on"#))
        #expect(result.stdout.contains(#"-.->|"skipped"|"#))
        #expect(result.stdout.contains("What did you do with the suspicious mail?"))
        #expect(result.stdout.contains("class ") && result.stdout.contains(" critical"))
    }

    @Test func theMermaidCheckRejectsBrokenCharts() {
        #expect(throws: MermaidSyntax.Failure.self) { try MermaidSyntax.check("graph TD\n    a[\"x\"]\n") }
        #expect(throws: MermaidSyntax.Failure.self) { try MermaidSyntax.check("flowchart TD\n    a[\"x\"\"]\n") }
        #expect(throws: MermaidSyntax.Failure.self) { try MermaidSyntax.check("flowchart TD\n    a[\"x\"]\n    a --> b\n") }
        #expect(throws: MermaidSyntax.Failure.self) { try MermaidSyntax.check("flowchart TD\n    a[\"x\"\n") }
    }

    @Test func dotGraphIsAcceptedByGraphviz() throws {
        let result = try Wizard.run(["graph", "emotet", "--format", "dot"])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("digraph \"emotet\" {"))
        let dot = ["/usr/bin/dot", "/usr/local/bin/dot"].first { FileManager.default.isExecutableFile(atPath: $0) }
        try #require(dot != nil || ProcessInfo.processInfo.environment["CI"] == nil, "CI installs graphviz")
        guard let dot else { return }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: dot)
        process.arguments = ["-Tsvg", "-o", "/dev/null"]
        let input = Pipe()
        process.standardInput = input
        try process.run()
        input.fileHandleForWriting.write(Data(result.stdout.utf8))
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }

    @Test func graphOfAnInvalidPlaybookFails() throws {
        let result = try Wizard.run(["graph", Wizard.malformed.appendingPathComponent("09-dangling-next.yaml").path])
        #expect(result.status != 0)
        #expect(result.stderr.contains("09-dangling-next.yaml:10:11: error:"))
    }
}

/// A strict check of the Mermaid flowchart subset the wizard emits: a header, node definitions
/// with quoted labels in known shapes, edges between defined nodes, classDef/class lines.
enum MermaidSyntax {
    static let id = #"[A-Za-z][A-Za-z0-9_]*"#
    static let label = #""[^"]*""#
    static let shapes = [#"\(\(\#(label)\)\)"#, #"\[\#(label)\]"#, #"\{\#(label)\}"#, #"\[\[\#(label)\]\]"#,
                         #"\(\[\#(label)\]\)"#, #"\[/\#(label)/\]"#]

    static func check(_ text: String) throws {
        var lines = text.split(separator: "\n").map(String.init)
        guard lines.first == "flowchart TD" else { throw Failure("first line must be 'flowchart TD'") }
        lines.removeFirst()
        var defined: Set<String> = []
        var used: [String] = []
        let node = try Regex("^    (\(id))(?:\(shapes.joined(separator: "|")))$")
        let edge = try Regex("^    (\(id)) (?:-->|-\\.->)(?:\\|\(label)\\|)? (\(id))$")
        let classDef = try Regex("^    classDef \(id) [a-z-]+:[^ ]+(,[a-z-]+:[^ ]+)*$")
        let classLine = try Regex("^    class \(id)(,\(id))* \(id)$")
        for line in lines {
            if let match = try node.wholeMatch(in: line) {
                let name = String(match.output[1].substring ?? "")
                guard defined.insert(name).inserted else { throw Failure("node defined twice: \(line)") }
            } else if let match = try edge.wholeMatch(in: line) {
                used += [String(match.output[1].substring ?? ""), String(match.output[2].substring ?? "")]
            } else if try classDef.wholeMatch(in: line) != nil || classLine.wholeMatch(in: line) != nil {
                continue
            } else {
                throw Failure("not valid Mermaid flowchart syntax: \(line)")
            }
        }
        if let missing = used.first(where: { !defined.contains($0) }) { throw Failure("edge to undefined node \(missing)") }
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}
