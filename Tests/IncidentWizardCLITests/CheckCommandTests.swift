import Foundation
import Testing

/// `incident-wizard check`: one line per check, OK / WARN / FAIL, exit 1 on any FAIL.
@Suite struct CheckCommandTests {
    /// A playbooks directory with one employee playbook (scanning with `clamscan`), verified
    /// contacts, and a bin directory where a fake `clamscan` can be put.
    struct Setup {
        let root: URL
        var playbooks: URL { root.appendingPathComponent("playbooks") }
        var bin: URL { root.appendingPathComponent("bin") }
        var reports: URL { root.appendingPathComponent("reports") }

        init(verified: String = "2026-11-01", playbook: String? = nil, phone: String = "03-1234-5678") throws {
            root = try Wizard.temporaryDirectory()
            try FileManager.default.createDirectory(at: playbooks, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
            try (playbook ?? """
                playbook: 1
                id: ready
                title: Ready
                languages: [en]
                steps:
                  - {id: scan, type: scan, title: Scan, command: [clamscan, "{{home}}"], verdicts: {0: clean, 1: detected}}
                  - {id: call, type: notify, title: Call, contact: it}
                  - {id: done, type: end, title: Done}

                """).write(to: playbooks.appendingPathComponent("ready.yaml"), atomically: true, encoding: .utf8)
            try "contacts:\n  it: {name: IT desk, phone: \"\(phone)\", verified: \(verified)}\n"
                .write(to: playbooks.appendingPathComponent("contacts.yaml"), atomically: true, encoding: .utf8)
            chmod(playbooks.appendingPathComponent("ready.yaml").path, 0o644)
            chmod(playbooks.appendingPathComponent("contacts.yaml").path, 0o644)
        }

        /// A fake `clamscan` that exits `status` after printing `output`.
        func fakeClamscan(status: Int, output: String) throws {
            let script = bin.appendingPathComponent("clamscan")
            try "#!/bin/sh\nprintf '%s\\n' \"\(output)\"\nexit \(status)\n".writeExecutable(to: script)
        }

        func check(extra: [String: String] = [:], reports: String? = nil) throws -> Wizard.Result {
            try Wizard.run(["check", "--playbooks", playbooks.path, "--reports", reports ?? self.reports.path],
                           environment: ["PATH": bin.path + ":/usr/bin:/bin", "TERM": "xterm-256color"].merging(extra) { $1 })
        }
    }

    func line(_ result: Wizard.Result, _ subject: String) -> String {
        result.stdout.split(separator: "\n").map(String.init).first { $0.dropFirst(5).hasPrefix(subject) } ?? "(no line for \(subject))"
    }

    /// The administrator's settings file: what is in force, and a bad line named; the environment
    /// and the options override it.
    @Test func settingsInForceAreShownAndUsed() throws {
        let setup = try Setup()
        try setup.fakeClamscan(status: 1, output: "eicar: Eicar-Test-Signature FOUND")
        let config = setup.root.appendingPathComponent("config")
        try "# the administrator's\nlanguage = ja\nreports = \(setup.root.path)/shared/%u\ncolour = blue\n"
            .write(to: config, atomically: true, encoding: .utf8)
        let result = try setup.check(extra: ["INCIDENT_WIZARD_CONFIG": config.path])
        #expect(line(result, "settings").contains("language = ja, reports = \(setup.root.path)/shared/%u"), "\(result.stdout)")
        #expect(result.stdout.contains("WARN settings: \(config.path):4: unknown setting 'colour'"), "\(result.stdout)")
        #expect(line(result, "lookup").contains("playbooks from \(setup.playbooks.path) (--playbooks)"))
        // In force for run: Japanese and the shared reports folder, unless overridden.
        let user = try Wizard.shell(["/usr/bin/id", "-un"]).trimmingCharacters(in: .whitespacesAndNewlines)
        let run = try Wizard.run(["run", "spoofed-mail", "--plain"], input: "\ny\n\n",
                                 environment: ["INCIDENT_WIZARD_CONFIG": config.path, "HOME": setup.root.path, "LANG": "C.UTF-8"])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("Enter キーで次へ進みます。"))
        #expect(FileManager.default.fileExists(atPath: setup.root.path + "/shared/" + user))
        let english = try Wizard.run(["run", "spoofed-mail", "--plain"], input: "\ny\n\n",
                                     environment: ["INCIDENT_WIZARD_CONFIG": config.path, "HOME": setup.root.path, "INCIDENT_WIZARD_LANG": "en",
                                                   "INCIDENT_WIZARD_REPORTS": setup.root.path + "/mine"])
        #expect(english.stdout.contains("Press Enter to continue."))
        #expect(FileManager.default.fileExists(atPath: setup.root.path + "/mine"))
    }

    @Test func everythingReadyIsAllOKAndExitsZero() throws {
        let setup = try Setup()
        try setup.fakeClamscan(status: 1, output: "eicar: Eicar-Test-Signature FOUND")
        let result = try setup.check()
        #expect(result.status == 0, "\(result.stdout)")
        let lines = result.stdout.split(separator: "\n")
        // locale, terminal, settings, lookup, playbooks, contacts, scanner, reports.
        #expect(lines.count == 8, "\(result.stdout)")
        #expect(lines.allSatisfy { $0.hasPrefix("OK   ") }, "\(result.stdout)")
        #expect(line(result, "scanner clamscan").contains("its database loads and detects the EICAR test file"))
        #expect(line(result, "contact it").contains("verified 2026-11-01"))
        #expect(line(result, "reports ").contains("writable"))
    }

    @Test func aScannerWhoseDatabaseDoesNotLoadFails() throws {
        let setup = try Setup()
        try setup.fakeClamscan(status: 2, output: "LibClamAV Error: cli_loaddbdir: No supported database files found in /var/lib/clamav")
        let result = try setup.check()
        #expect(result.status == 1)
        #expect(line(result, "scanner clamscan").hasPrefix("FAIL"))
        #expect(line(result, "scanner clamscan").contains("database cannot be loaded: LibClamAV Error: cli_loaddbdir"))
    }

    @Test func aMissingScannerFailsAndAnOutdatedDatabaseWarns() throws {
        let setup = try Setup()
        // Only the test's bin folder on PATH: the real ClamAV, if installed, must not be found.
        let missing = try setup.check(extra: ["PATH": setup.bin.path])
        #expect(missing.status == 1)
        #expect(line(missing, "scanner clamscan").hasPrefix("FAIL") && line(missing, "scanner clamscan").contains("not installed"))
        try setup.fakeClamscan(status: 0, output: "eicar: OK")
        let outdated = try setup.check(extra: ["PATH": setup.bin.path])
        #expect(outdated.status == 0)
        #expect(line(outdated, "scanner clamscan").hasPrefix("WARN") && line(outdated, "scanner clamscan").contains("did not detect"))
    }

    /// The real ClamAV installed by the test command, with whatever database this PC has (CI has
    /// none, as freshclam needs the network): the line says exactly that.
    @Test(.enabled(if: Wizard.which("clamscan") != nil, "ClamAV is installed by the README's test command"))
    func theRealClamAVIsCheckedByLoadingItsDatabase() throws {
        let setup = try Setup()
        let result = try Wizard.run(["check", "--playbooks", setup.playbooks.path, "--reports", setup.reports.path],
                                    environment: ["TERM": "xterm-256color"])
        let scanner = line(result, "scanner clamscan")
        if scanner.hasPrefix("FAIL") {
            #expect(scanner.contains("database cannot be loaded"))
            #expect(result.status == 1)
        } else {
            #expect(scanner.contains("database loads"), "\(scanner)")
        }
    }

    @Test func localeTerminalContactsAndReportsProblemsAreNamed() throws {
        let setup = try Setup(verified: "2024-01-10")
        try setup.fakeClamscan(status: 1, output: "FOUND")
        let file = setup.root.appendingPathComponent("a-file")
        try Data().write(to: file)
        let result = try setup.check(extra: ["LANG": "C", "TERM": "bogus-terminal", "HOME": setup.root.path], reports: file.path + "/reports")
        #expect(result.status == 0, "only warnings: \(result.stdout)")
        #expect(line(result, "locale").hasPrefix("WARN") && line(result, "locale").contains("names no UTF-8 character set"))
        #expect(line(result, "terminal").hasPrefix("WARN") && line(result, "terminal").contains("TERM=bogus-terminal has no terminfo entry"))
        #expect(line(result, "contact it").hasPrefix("WARN") && line(result, "contact it").contains("last verified on 2024-01-10"))
        // The record would be kept in the private fallback: a warning, not a failure.
        #expect(line(result, "reports ").hasPrefix("WARN") && line(result, "reports ").contains("a-file is not a folder"), "\(result.stdout)")
        #expect(line(result, "reports ").contains("will use the private fallback \(setup.root.path)/.local/state/incident-wizard/reports"))
    }

    @Test func anInvalidPlaybookFails() throws {
        let setup = try Setup(playbook: "playbook: 1\nid: broken\ntitle: Broken\nlanguages: [en]\nsteps:\n  - {id: a, type: info, title: A, nxet: b}\n")
        let result = try setup.check()
        #expect(result.status == 1)
        #expect(line(result, "playbook ready.yaml").hasPrefix("FAIL"))
        #expect(line(result, "playbook ready.yaml").contains("unknown key 'nxet'"))
        #expect(line(result, "playbooks").contains("no valid employee playbook"))
    }

    /// The placeholder number the shipped contacts.yaml comes with: the employee would dial it.
    @Test(arguments: ["000-0000-0000", "TODO", "03-XXXX-XXXX"])
    func aPlaceholderPhoneNumberFails(_ phone: String) throws {
        let setup = try Setup(phone: phone)
        try setup.fakeClamscan(status: 1, output: "eicar: Eicar-Test-Signature FOUND")
        let result = try setup.check()
        #expect(result.status == 1, "\(result.stdout)")
        #expect(line(result, "contact it").hasPrefix("FAIL"), "\(result.stdout)")
        #expect(line(result, "contact it").contains("the phone number \"\(phone)\" is a placeholder"), "\(result.stdout)")
        #expect(line(result, "contact it").contains("the employee would call it"), "\(result.stdout)")
    }

    /// Which program a scan would run, and for which steps.
    @Test func theScannerLineSaysWhichProgramAScanUses() throws {
        let setup = try Setup()
        try setup.fakeClamscan(status: 1, output: "eicar: Eicar-Test-Signature FOUND")
        let result = try setup.check()
        #expect(line(result, "scanner clamscan").contains("a scan uses it (ready/scan)"), "\(result.stdout)")
        #expect(line(result, "scanner clamscan").contains(setup.bin.appendingPathComponent("clamscan").path), "\(result.stdout)")
    }
}
