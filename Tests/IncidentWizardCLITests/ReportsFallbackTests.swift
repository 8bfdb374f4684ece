import Foundation
import IncidentCore
import IncidentEdges
import Testing

/// The reports-folder fallback (product.md, "Never a dead end"): a reports folder that cannot be
/// used safely — a read-only share, one that cannot be made, one another user made or can write, a
/// symlink — never loses the record: it is kept in the employee's private fallback folder, the
/// first and last screens say so in the session's language, the journal records why, `verify`
/// passes there, and `check` says the same as `run`. Only when nothing at all can be written is the
/// emergency card shown. Owners and modes need root (CI runs as root); the employee is `nobody`.
@Suite(.serialized) struct ReportsFallbackTests {
    static let canDropPrivileges = getuid() == 0 && Wizard.which("setpriv") != nil
    /// Runs the wizard as the ordinary user `nobody` (uid and gid 65534, no other groups).
    static let asNobody = ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"]
    static let nobody: uid_t = 65534

    static let playbook = """
        playbook: 1
        id: short-walk
        title: {ja: 短い手順, en: Short walk}
        languages: [ja, en]
        steps:
          - {id: first, type: info, title: {ja: 最初の画面です, en: The first screen}}
          - {id: done, type: end, title: {ja: 最後の画面です, en: The last screen}, outcome: done}

        """

    /// A temporary tree: the playbook, and a home that belongs to `owner` (0700).
    struct Setup {
        let root: URL
        var playbook: String { root.appendingPathComponent("short-walk.yaml").path }
        var home: String { root.appendingPathComponent("home").path }
        var fallback: String { home + "/.local/state/incident-wizard/reports" }

        init(owner: uid_t = ReportsFallbackTests.nobody) throws {
            root = try Wizard.temporaryDirectory()
            chmod(root.path, 0o755)
            try ReportsFallbackTests.playbook.write(toFile: playbook, atomically: true, encoding: .utf8)
            chmod(playbook, 0o644)
            try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
            chmod(home, 0o700)
            chown(home, owner, owner)
        }

        /// A folder made by root under the tree, with this owner and mode.
        func folder(_ name: String, owner: uid_t = 0, mode: mode_t = 0o755) throws -> String {
            let path = root.appendingPathComponent(name).path
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            chown(path, owner, owner)
            chmod(path, mode)
            return path
        }

        /// The session folders in the fallback.
        func kept() throws -> [String] {
            try FileManager.default.contentsOfDirectory(atPath: fallback).filter { !$0.hasPrefix(".") }.sorted().map { fallback + "/" + $0 }
        }

        func run(_ arguments: [String], input: String, lang: String, environment: [String: String] = [:],
                 through: [String] = ReportsFallbackTests.asNobody) throws -> Wizard.Result {
            try Wizard.run(arguments, input: input, directory: root,
                           environment: ["HOME": home, "LANG": lang].merging(environment) { $1 }, through: through)
        }

        /// A whole walk (Enter on the first screen, Enter on the last) in plain mode.
        func walk(_ extra: [String], lang: String, environment: [String: String] = [:],
                  through: [String] = ReportsFallbackTests.asNobody) throws -> Wizard.Result {
            try run(["run", playbook, "--plain"] + extra, input: "\n\n", lang: lang, environment: environment, through: through)
        }

        func check(_ extra: [String], environment: [String: String] = [:],
                   through: [String] = ReportsFallbackTests.asNobody) throws -> String {
            let result = try Wizard.run(["check", "--playbooks", root.path] + extra, directory: root,
                                        environment: ["HOME": home, "TERM": "xterm-256color"].merging(environment) { $1 },
                                        through: through)
            return result.stdout.split(separator: "\n").map(String.init).first { $0.dropFirst(5).hasPrefix("reports ") }
                ?? "(no reports line in \(result.stdout))"
        }
    }

    /// The journal's first line, parsed.
    func sessionStarted(_ folder: String) throws -> JSONValue {
        let journal = try String(contentsOfFile: folder + "/journal.jsonl", encoding: .utf8)
        return try #require(JSONValue.parse(Data(journal.prefix { $0 != "\n" }.utf8)))
    }

    /// The note on the first screen and again on the last, in the session's language.
    func expectNoteTwice(_ stdout: String, wanted: String, folder: String, japanese: Bool) {
        let note = japanese ? "記録を、いつもの保存先（\(wanted)）に保存できませんでした" : "Your record could not be saved in the usual place (\(wanted))"
        let tell = japanese ? "管理者に、この場所を伝えてください。" : "Please tell the administrator where it is."
        let first = stdout.range(of: japanese ? "最初の画面です" : "The first screen")
        let last = stdout.range(of: japanese ? "最後の画面です" : "The last screen")
        #expect(first != nil && last != nil, "\(stdout)")
        guard let first, let last else { return }
        let firstScreen = stdout[first.upperBound..<last.lowerBound], lastScreen = stdout[last.upperBound...]
        for screen in [firstScreen, lastScreen] {
            #expect(screen.contains(note), "\(stdout)")
            #expect(screen.contains(folder), "\(stdout)")
            #expect(screen.contains(tell), "\(stdout)")
        }
    }

    /// The acceptance of the issue: a read-only reports share (the administrator's `%u` setting,
    /// mounted read-only in a mount namespace of the test's own) as an ordinary user walks to the
    /// end in the fallback, in Japanese and in English; the journal and both reports say why;
    /// `verify` passes there; `check` says the same; a session quit there is offered again.
    @Test(.enabled(if: canDropPrivileges && Wizard.which("unshare") != nil, "needs root, setpriv and unshare"))
    func aReadOnlyShareWalksToTheEndInTheFallback() throws {
        let setup = try Setup()
        let share = try setup.folder("share")
        let wanted = try setup.folder("share/nobody", owner: Self.nobody, mode: 0o700)
        let config = setup.root.appendingPathComponent("config").path
        try "reports = \(share)/%u\n".write(toFile: config, atomically: true, encoding: .utf8)
        chmod(config, 0o644)
        // The share, read-only, for this one process tree; then the ordinary user.
        let readOnly = ["/usr/bin/unshare", "-m", "--", "/bin/sh", "-c",
                        "mount --bind \"$1\" \"$1\" && mount -o remount,ro,bind \"$1\" && shift && exec \"$@\"", "sh", share]
            + Self.asNobody
        let environment = ["INCIDENT_WIZARD_CONFIG": config]

        let japanese = try setup.walk([], lang: "ja_JP.UTF-8", environment: environment, through: readOnly)
        #expect(japanese.status == 0, "\(japanese.stdout)\(japanese.stderr)")
        #expect(japanese.stderr.contains("\(wanted) cannot be written: Read-only file system"), "\(japanese.stderr)")
        let first = try #require(try setup.kept().first)
        expectNoteTwice(japanese.stdout, wanted: wanted, folder: first, japanese: true)

        let english = try setup.walk(["--lang", "en"], lang: "en_US.UTF-8", environment: environment, through: readOnly)
        #expect(english.status == 0, "\(english.stdout)\(english.stderr)")
        let kept = try setup.kept()
        #expect(kept.count == 2)
        let second = try #require(kept.first { $0 != first })
        expectNoteTwice(english.stdout, wanted: wanted, folder: second, japanese: false)
        #expect(try FileManager.default.contentsOfDirectory(atPath: wanted).isEmpty, "nothing was written to the share")

        for folder in kept {
            let recorded = try sessionStarted(folder)["reports_fallback"]
            #expect(recorded?["wanted"]?.string == wanted)
            #expect(recorded?["directory"]?.string == setup.fallback)
            #expect(recorded?["reason"]?.string == "not-writable")
            #expect(recorded?["detail"]?.string?.contains("Read-only file system") == true)
            let report = try #require(JSONValue.parse(try Data(contentsOf: URL(fileURLWithPath: folder + "/report.json"))))
            #expect(report["reports_fallback"]?["reason"]?.string == "not-writable")
            #expect(report["status"]?.string == "finished")
            let verify = try Wizard.run(["verify", folder], through: Self.asNobody)
            #expect(verify.status == 0, "\(verify.stdout)")
        }
        let markdown = try String(contentsOfFile: first + "/report.md", encoding: .utf8)
        #expect(markdown.contains("記録の保存先"), "\(markdown)")
        #expect(markdown.contains("利用者の予備フォルダー \(setup.fallback)"), "\(markdown)")
        // The fallback and what it holds are the user's own and private.
        var info = stat()
        #expect(lstat(setup.fallback, &info) == 0 && info.st_uid == Self.nobody && info.st_mode & 0o777 == 0o700)

        // `check`, as the same user with the same share, says the same.
        let line = try setup.check([], environment: environment, through: readOnly)
        #expect(line.hasPrefix("WARN"), "\(line)")
        #expect(line.contains("\(wanted) cannot be written: Read-only file system"), "\(line)")
        #expect(line.contains("will use the private fallback \(setup.fallback)"), "\(line)")

        // A session quit in the fallback is offered for resuming, and finishes there.
        let quit = try setup.run(["run", setup.playbook, "--plain"], input: "q\ny\n", lang: "en_US.UTF-8", environment: environment,
                                 through: readOnly)
        #expect(quit.status == 3, "\(quit.stdout)\(quit.stderr)")
        let resumed = try setup.run(["run", setup.playbook, "--plain", "--lang", "en"], input: "y\n\n\n", lang: "en_US.UTF-8",
                                    environment: environment, through: readOnly)
        #expect(resumed.stdout.contains("A response was stopped part-way. Continue where you left off?"), "\(resumed.stdout)")
        #expect(resumed.status == 0, "\(resumed.stdout)\(resumed.stderr)")
        #expect(try setup.kept().count == 3)
    }

    /// A reports folder that cannot be made (its parent is root's): the same walk, recorded as
    /// `cannot-create`, and `check` agrees.
    @Test(.enabled(if: canDropPrivileges, "needs root and setpriv"))
    func aFolderThatCannotBeMadeFallsBack() throws {
        let setup = try Setup()
        let wanted = try setup.folder("locked") + "/nobody"
        let result = try setup.walk(["--reports", wanted], lang: "ja_JP.UTF-8")
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let folder = try #require(try setup.kept().first)
        expectNoteTwice(result.stdout, wanted: wanted, folder: folder, japanese: true)
        #expect(try sessionStarted(folder)["reports_fallback"]?["reason"]?.string == "cannot-create")
        #expect(try Wizard.run(["verify", folder]).status == 0)
        #expect(!FileManager.default.fileExists(atPath: wanted))
        let line = try setup.check(["--reports", wanted])
        #expect(line.hasPrefix("WARN") && line.contains("\(wanted) cannot be created: Permission denied"), "\(line)")
        #expect(line.contains("will use the private fallback \(setup.fallback)"), "\(line)")

        // The emergency card of a broken playbook keeps its own record there too, and says so.
        let broken = setup.root.appendingPathComponent("broken.yaml").path
        try "playbook: 1\nid: broken\ntitle: Broken\nlanguages: [ja]\nsteps:\n  - {id: a, type: info, title: A, nxet: b}\n"
            .write(toFile: broken, atomically: true, encoding: .utf8)
        chmod(broken, 0o644)
        let card = try setup.run(["run", broken, "--plain", "--reports", wanted], input: "", lang: "ja_JP.UTF-8")
        #expect(card.status == 2, "\(card.stdout)\(card.stderr)")
        #expect(card.stdout.contains("落ち着いて、次の4つのことをしてください"), "\(card.stdout)")
        let emergency = try #require(try setup.kept().first { $0.hasSuffix("-emergency") })
        #expect(card.stdout.contains("記録を、いつもの保存先（\(wanted)）に保存できませんでした"), "\(card.stdout)")
        #expect(card.stdout.contains(emergency), "\(card.stdout)")
        #expect(try sessionStarted(emergency)["reports_fallback"]?["reason"]?.string == "cannot-create")
        #expect(try Wizard.run(["verify", emergency]).status == 0)
    }

    /// A `%u` folder another user made first, mode 0777: never used (nothing is written there, and a
    /// session planted there is not offered); `check` warns the same.
    @Test(.enabled(if: canDropPrivileges, "needs root and setpriv"))
    func aFolderAnotherUserMadeIsNotUsed() throws {
        let setup = try Setup()
        let share = try setup.folder("share", mode: 0o1777)
        let wanted = try setup.folder("share/nobody", owner: 0, mode: 0o777)
        let config = setup.root.appendingPathComponent("config").path
        try "reports = \(share)/%u\n".write(toFile: config, atomically: true, encoding: .utf8)
        chmod(config, 0o644)
        let environment = ["INCIDENT_WIZARD_CONFIG": config]
        let result = try setup.walk([], lang: "en_US.UTF-8", environment: environment)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: wanted).isEmpty, "the other user's folder was written to")
        let folder = try #require(try setup.kept().first)
        expectNoteTwice(result.stdout, wanted: wanted, folder: folder, japanese: false)
        #expect(try sessionStarted(folder)["reports_fallback"]?["reason"]?.string == "other-owner")
        let line = try setup.check([], environment: environment)
        #expect(line.hasPrefix("WARN") && line.contains("\(wanted) belongs to another user (uid 0)"), "\(line)")

        // And as root (root owns everything): a folder of `nobody`'s, mode 0777, is not root's.
        let rootSetup = try Setup(owner: 0)
        let others = try rootSetup.folder("reports", owner: Self.nobody, mode: 0o777)
        let asRoot = try rootSetup.walk(["--reports", others], lang: "en_US.UTF-8", through: [])
        #expect(asRoot.status == 0, "\(asRoot.stdout)\(asRoot.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: others).isEmpty)
        #expect(try sessionStarted(try #require(try rootSetup.kept().first))["reports_fallback"]?["reason"]?.string == "other-owner")
        #expect(try rootSetup.check(["--reports", others], through: []).contains("belongs to another user (uid 65534)"))
    }

    /// A reports folder that is a symbolic link (to a good folder of the user's own) is never
    /// followed: the record goes to the fallback, and `check` says why.
    @Test(.enabled(if: getuid() == 0, "needs root (CI runs as root)"))
    func aSymlinkedReportsFolderIsNotFollowed() throws {
        let setup = try Setup(owner: 0)
        let real = try setup.folder("real", mode: 0o700)
        let link = setup.root.appendingPathComponent("reports").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: real)
        let result = try setup.walk(["--reports", link], lang: "en_US.UTF-8", through: [])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: real).isEmpty, "the link was followed")
        let folder = try #require(try setup.kept().first)
        expectNoteTwice(result.stdout, wanted: link, folder: folder, japanese: false)
        #expect(try sessionStarted(folder)["reports_fallback"]?["reason"]?.string == "symlink")
        let line = try setup.check(["--reports", link], through: [])
        #expect(line.hasPrefix("WARN") && line.contains("\(link) is a symbolic link"), "\(line)")
        // `$XDG_STATE_HOME`, when set to an absolute path, holds the fallback instead.
        let state = try setup.folder("state", mode: 0o700)
        let xdg = try setup.walk(["--reports", link], lang: "en_US.UTF-8", environment: ["XDG_STATE_HOME": state], through: [])
        #expect(xdg.status == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: state + "/incident-wizard/reports").count == 1)
    }

    /// Nothing at all can be written (the reports folder cannot be made and the home is not the
    /// user's): the emergency card in the session's language, exit 2; `check` FAILs.
    @Test(.enabled(if: canDropPrivileges, "needs root and setpriv"))
    func nothingWritableShowsTheEmergencyCard() throws {
        let setup = try Setup(owner: 0)
        chmod(setup.home, 0o755)
        let wanted = try setup.folder("locked") + "/nobody"
        for (lang, title, line) in [("ja_JP.UTF-8", "落ち着いて、次の4つのことをしてください", "このパソコンのどこにも保存できません"),
                                    ("en_US.UTF-8", "Stay calm and do these four things now", "Nothing can be saved on this PC")] {
            let result = try setup.walk(["--reports", wanted], lang: lang)
            #expect(result.status == 2, "\(result.stdout)\(result.stderr)")
            #expect(result.stdout.contains(title), "\(result.stdout)")
            #expect(result.stdout.contains(line), "\(result.stdout)")
            #expect(!result.stdout.contains(lang == "en_US.UTF-8" ? "The first screen" : "最初の画面です"))
            #expect(result.stderr.contains("no report folder can be written"), "\(result.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: setup.fallback))
        let line = try setup.check(["--reports", wanted])
        #expect(line.hasPrefix("FAIL") && line.contains("nor the private fallback"), "\(line)")
    }

    /// The decision reads every folder on the path: a sticky folder others can write (as /tmp) is a
    /// safe place above the reports folder, one without the sticky bit or another user's is not;
    /// a link above it is followed only when root made it; `.` and `..` are read by name.
    @Test(.enabled(if: getuid() == 0, "needs root (CI runs as root)"))
    func theDecisionReadsEveryFolderOnThePath() throws {
        let setup = try Setup(owner: 0)
        #expect(ReportsLocation.inspect(try setup.folder("sticky", mode: 0o1777) + "/mine", create: true) == nil)
        let shared = try setup.folder("shared", mode: 0o777)
        #expect(ReportsLocation.inspect(shared + "/mine", create: true)?.code == "unsafe-parent")
        #expect(!FileManager.default.fileExists(atPath: shared + "/mine"), "nothing is made below an unsafe folder")
        let others = try setup.folder("others", owner: Self.nobody, mode: 0o755)
        #expect(ReportsLocation.inspect(others + "/mine", create: true)?.code == "unsafe-parent")
        let real = try setup.folder("real", mode: 0o755)
        let rootsLink = setup.root.appendingPathComponent("roots-link").path
        try FileManager.default.createSymbolicLink(atPath: rootsLink, withDestinationPath: real)
        #expect(ReportsLocation.inspect(rootsLink + "/mine", create: true) == nil)
        #expect(FileManager.default.fileExists(atPath: real + "/mine"))
        let othersLink = setup.root.appendingPathComponent("others-link").path
        try FileManager.default.createSymbolicLink(atPath: othersLink, withDestinationPath: real)
        lchown(othersLink, Self.nobody, Self.nobody)
        #expect(ReportsLocation.inspect(othersLink + "/mine", create: true) == .symlink(path: othersLink))
        #expect(ReportsLocation.inspect(rootsLink, create: true) == .symlink(path: rootsLink), "never the last component")
        #expect(ReportsLocation.inspect(real + "/x/../mine", create: true) == nil)
        #expect(!FileManager.default.fileExists(atPath: real + "/x"))
        // A dry run (check) makes nothing, and still answers.
        #expect(ReportsLocation.inspect(real + "/dry/run", create: false) == nil)
        #expect(!FileManager.default.fileExists(atPath: real + "/dry"))
        var info = stat()
        #expect(lstat(real + "/mine", &info) == 0 && info.st_mode & 0o777 == 0o700)
    }

    /// The full screen shows the note on its first screen (Japanese), the folder's path whole.
    @Test(.enabled(if: getuid() == 0 && Tmux.available, "needs root and tmux"))
    func theFullScreenShowsTheNoteOnTheFirstScreen() throws {
        let setup = try Setup(owner: 0)
        let real = try setup.folder("real", mode: 0o700)
        let link = setup.root.appendingPathComponent("r").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: real)
        let tmux = Tmux()
        try tmux.start("\(Tmux.quote(Wizard.binary)) run \(Tmux.quote(setup.playbook)) --reports \(Tmux.quote(link))",
                       width: 200, height: 30,
                       environment: ["HOME": setup.home, "LANG": "ja_JP.UTF-8", "TERM": "xterm-256color",
                                     "INCIDENT_WIZARD_CONFIG": "/nonexistent/incident-wizard/config"])
        try tmux.wait(for: "最初の画面です")
        try tmux.wait(for: "管理者に、この場所を伝えてください。")
        let folder = try #require(try setup.kept().first)
        try tmux.wait(for: folder)
        let screen = try tmux.screen()
        #expect(screen.contains("いつもの保存先"), "\(screen)")
        try tmux.send("Enter")
        try tmux.wait(for: "最後の画面です")
        try tmux.wait(for: "管理者に、この場所を伝えてください。")
        try tmux.send("Enter")
        #expect(try tmux.waitForExit() == 0)
    }
}
