import ArgumentParser
import Foundation
import IncidentCore
import IncidentEdges
import IncidentTerminal

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a playbook (an id or a file path); with none, offer the employee playbooks.",
        discussion: """
            An unfinished session of the same playbook is offered for resuming. Exit status: 0 reached \
            an end; 3 the employee quit (answers are kept, run again to resume); 2 invalid playbook or \
            usage; 1 any other failure.
            """)

    @Argument(help: "A playbook id or file path.")
    var playbook: String?

    @Option(help: "ja or en (default: LC_ALL / LC_MESSAGES / LANG, else the playbook's first language).")
    var lang: String?

    @Option(help: "Where report folders are created (default: $INCIDENT_WIZARD_REPORTS, else ~/incident-reports).")
    var reports: String?

    @Flag(help: "Line-by-line prompts instead of the full-screen interface.")
    var plain = false

    @Option(help: "Resume the unfinished session in this report folder.")
    var resume: String?

    @OptionGroup var options: PlaybooksOption

    func run() throws {
        do {
            if let resume {
                try continueSession(folder: resume)
                return
            }
            let reportsDirectory = ReportFolder.reportsDirectory(option: reports)
            switch try choose(reportsDirectory: reportsDirectory) {
            case .resume(let folder):
                try continueSession(folder: folder)
            case .start(let resolved):
                if let unfinished = SessionStore.unfinished(in: reportsDirectory, playbookID: resolved.playbook.id.value).first,
                   askToResume(unfinished, language: try Self.language(option: lang, playbook: resolved.playbook)) {
                    try continueSession(folder: unfinished.folder)
                } else {
                    try startSession(resolved, reportsDirectory: reportsDirectory)
                }
            }
        } catch let failure as PlaybookResolver.Failure {
            Self.fail(failure.description, status: 2)
        } catch let failure as ReportFolder.Failure {
            Self.fail(failure.description, status: 1)
        } catch let failure as SessionStore.Failure {
            Self.fail(failure.description, status: 1)
        }
    }

    static func fail(_ message: String, status: Int32) -> Never {
        FileHandle.standardError.write(Data(("incident-wizard: " + message + "\n").utf8))
        Foundation.exit(status)
    }

    /// `--lang`, else `LC_ALL` / `LC_MESSAGES` / `LANG` (`ja*` → ja), else the playbook's first language.
    static func language(option: String?, playbook: Playbook,
                         environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        let available = playbook.languageCodes
        if let option {
            guard available.contains(option) else {
                throw PlaybookResolver.Failure.usage("the playbook has no '\(option)' text (it has: \(available.joined(separator: ", ")))")
            }
            return option
        }
        let locale = localeName(environment)
        if locale.hasPrefix("ja"), available.contains("ja") { return "ja" }
        if !locale.isEmpty, !locale.hasPrefix("ja"), available.contains("en"), !["C", "POSIX"].contains(locale),
           !locale.hasPrefix("C.") { return "en" }
        return available.first ?? "en"
    }

    static func localeName(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        ["LC_ALL", "LC_MESSAGES", "LANG"].lazy.compactMap { environment[$0] }.first { !$0.isEmpty } ?? ""
    }

    /// The wizard's own language before a playbook is chosen.
    static var menuLanguage: String { localeName().hasPrefix("ja") ? "ja" : "en" }

    enum Choice {
        case start(PlaybookResolver.Resolved)
        case resume(String)
    }

    /// The playbook named, or the scenario menu of the employee playbooks (with the unfinished
    /// sessions to resume); a single employee playbook and nothing to resume starts directly.
    private func choose(reportsDirectory: String) throws -> Choice {
        let resolver = PlaybookResolver(option: options.playbooks)
        if let playbook { return .start(try resolver.resolve(playbook)) }
        guard let directory = PlaybookCatalog.playbooksDirectory(option: options.playbooks) else {
            throw PlaybookResolver.Failure.usage("no playbooks directory found (use --playbooks DIR)")
        }
        let files = PlaybookCatalog.files(in: directory).filter { !ContactsLoader.isContactsFile($0) }
        let employee = PlaybookCatalog().check(files).compactMap(\.playbook).filter { $0.audience == .employee }
        guard !employee.isEmpty else {
            throw PlaybookResolver.Failure.usage("no valid employee playbook in \(directory)")
        }
        let unfinished = SessionStore.unfinished(in: reportsDirectory)
        if employee.count == 1, unfinished.isEmpty { return .start(try resolver.resolve(employee[0].path)) }
        let language = Self.menuLanguage
        let words = Vocabulary(language: language)
        print(words.isJapanese ? "何が起きましたか？ 当てはまるものを選んでください。" : "What happened? Choose the closest one.")
        var number = 0
        for candidate in employee {
            number += 1
            let lang = candidate.languageCodes.contains(language) ? language : candidate.languageCodes.first ?? language
            print("  \(number)) " + Sanitizer.neutralise(candidate.title.resolved(lang), keepNewlines: false))
            if let summary = candidate.summary {
                print("     " + Sanitizer.neutralise(summary.resolved(lang), keepNewlines: false))
            }
        }
        if let latest = unfinished.first {
            number += 1
            print("  \(number)) " + (words.isJapanese ? "中断したセッションを再開する（\(latest.started) 開始、\(latest.playbookID)）"
                                                     : "Resume the unfinished session (started \(latest.started), \(latest.playbookID))"))
        }
        while true {
            print("> " + words(.chooseNumber))
            guard let line = readLine() else { throw PlaybookResolver.Failure.usage("no scenario chosen") }
            guard let choice = Int(line.trimmingCharacters(in: .whitespaces)), (1...number).contains(choice) else {
                print(words(.invalidAnswer))
                continue
            }
            if choice <= employee.count { return .start(try resolver.resolve(employee[choice - 1].path)) }
            return .resume(unfinished[0].folder)
        }
    }

    private func askToResume(_ unfinished: SessionStore.Unfinished, language: String) -> Bool {
        let words = Vocabulary(language: language)
        print(words.isJapanese
              ? "\(unfinished.started) に始めた、終わっていないセッションがあります。続きから再開しますか？ (y/n)"
              : "There is an unfinished session started \(unfinished.started). Resume it? (y/n)")
        while true {
            print("> " + words(.answerYesNo))
            guard let line = readLine()?.trimmingCharacters(in: .whitespaces).lowercased() else { return false }
            if ["y", "yes", "はい"].contains(line) { return true }
            if ["n", "no", "いいえ"].contains(line) { return false }
        }
    }

    /// The full-screen terminal, or nil for plain mode: `--plain`, stdin or stdout not a terminal,
    /// `TERM` dumb or unset, no UTF-8 locale, or a terminal ncurses cannot drive (said on stderr).
    private func fullScreenTerminal() -> CursesTerminal? {
        let environment = ProcessInfo.processInfo.environment
        let term = environment["TERM"] ?? ""
        guard !plain, isatty(0) == 1, isatty(1) == 1, !term.isEmpty, term != "dumb" else { return nil }
        if case .notUTF8(let codeset) = TerminalLocale.activate() {
            Self.warn("the locale's character set is \(codeset), not UTF-8, and no UTF-8 locale is available: using plain mode")
            return nil
        }
        do {
            return try CursesTerminal(environment: environment)
        } catch {
            Self.warn("\(error); using plain mode")
            return nil
        }
    }

    static func warn(_ message: String) {
        FileHandle.standardError.write(Data(("incident-wizard: " + message + "\n").utf8))
    }

    private func startSession(_ resolved: PlaybookResolver.Resolved, reportsDirectory: String) throws {
        let language = try Self.language(option: lang, playbook: resolved.playbook)
        let store = try SessionStore.create(
            reports: reportsDirectory, playbook: resolved.playbook, playbookData: resolved.playbookData,
            contactsData: resolved.contactsData, contacts: resolved.contacts, language: language,
            host: HostProbe.facts(), drill: false, toolVersion: IncidentWizard.version)
        try walk(store: store, engine: Engine(playbook: store.playbook), notes: [])
    }

    private func continueSession(folder: String) throws {
        let (store, engine, notes) = try SessionStore.resume(folder: folder)
        try walk(store: store, engine: engine, notes: notes)
    }

    private func walk(store: SessionStore, engine: Engine, notes: [String]) throws {
        let host = store.entries.first?["host"].flatMap(HostFacts.init(json:))
        let context = PlaceholderContext(
            language: store.language, hostName: host?.name ?? SystemFacts.hostName, userName: host?.user ?? SystemFacts.userName,
            sessionID: store.incidentID, sessionStarted: store.started, now: Timestamp.rfc3339(), reportDir: store.folder,
            home: SystemFacts.homeDirectory, evidenceDir: store.evidencePath, contacts: store.contacts)
        for note in notes { FileHandle.standardError.write(Data(("incident-wizard: " + note + "\n").utf8)) }
        if let terminal = fullScreenTerminal() {
            let session = TerminalSession(engine: engine, context: context, store: store, terminal: terminal)
            let exit = session.run()
            terminal.restore()
            switch exit {
            case .finished: throw ExitCode(0)
            case .quit:
                print(Vocabulary(language: store.language)(.quitSaved))
                throw ExitCode(3)
            case .signal(let number):
                Self.fail("stopped by signal \(number); the answers so far are saved (run again to resume)", status: 1)
            case .failed(let reason): Self.fail(reason, status: 1)
            }
        }
        let session = PlainSession(engine: engine, context: context, store: store)
        switch session.run() {
        case .finished:
            throw ExitCode(0)
        case .quit:
            throw ExitCode(3)
        case .failed(let reason):
            Self.fail(reason, status: 1)
        }
    }
}
