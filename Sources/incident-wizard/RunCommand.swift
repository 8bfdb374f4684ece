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

    @Option(help: "ja or en (default: $INCIDENT_WIZARD_LANG, the language setting, LC_ALL / LC_MESSAGES / LANG, else the playbook's first language).")
    var lang: String?

    @Option(help: "Where report folders are created (default: $INCIDENT_WIZARD_REPORTS, the reports setting, else ~/incident-reports).")
    var reports: String?

    @Flag(help: "Line-by-line prompts instead of the full-screen interface.")
    var plain = false

    @Flag(help: "A training drill: nothing on the PC is changed (no disconnect command; the scan looks only at a harmless test file), and every screen and the report say DRILL.")
    var drill = false

    @Option(help: "Resume the unfinished session in this report folder.")
    var resume: String?

    @OptionGroup var options: PlaybooksOption

    func run() throws {
        try Run(playbook: playbook, lang: lang, reports: reports, plain: plain, drill: drill, resume: resume,
                playbooksDirectory: options.playbooks).execute()
    }
}

/// What `run` does, with its options as plain values (filled by `RunCommand`).
struct Run {
    var playbook: String?
    var lang: String?
    var reports: String?
    var plain = false
    var drill = false
    var resume: String?
    var playbooksDirectory: String?

    func execute() throws {
        let screen = ScreenHolder(wanted: Self.wantsFullScreen(plain: plain))
        defer { screen.restore() }
        do {
            if let resume {
                try continueSession(folder: resume, screen: screen)
                return
            }
            let location = Self.reportsLocation(option: reports)
            switch try choose(location: location, screen: screen) {
            case .resume(let folder):
                try continueSession(folder: folder, screen: screen)
            case .start(let resolved):
                if let unfinished = try Self.resumable(Self.unfinished(in: location, playbookID: resolved.playbook.id.value,
                                                                       drill: drill)).first,
                   try askToResume(unfinished, language: try Self.language(option: lang, playbook: resolved.playbook), screen: screen) {
                    try continueSession(folder: unfinished.folder, screen: screen)
                } else {
                    try startSession(resolved, location: location, screen: screen)
                }
            }
        } catch let failure as PlaybookResolver.Failure {
            if failure.needsEmergencyCard { showEmergencyCard(failure, screen: screen) }
            screen.restore()
            failure.printDiagnostics()
            Self.fail(failure.description, status: 2)
        } catch let nowhere as NoRecord {
            // Never a dead end, even for the record: nothing at all can be written, so the card.
            let card = Vocabulary(language: nowhere.language).emergencyCard(admin: nowhere.admin, noRecord: true)
            present(card, language: nowhere.language, screen: screen)
            screen.restore()
            Self.fail(nowhere.description, status: 2)
        } catch let failure as ReportFolder.Failure {
            screen.restore()
            Self.fail(failure.description, status: 1)
        } catch SessionStore.Failure.openElsewhere(let folder) {
            // Two windows on one session: one writer. This one says so and closes.
            let words = Vocabulary(language: employeeLanguage)
            _ = screen.ask(.notice(title: "incident-wizard", heading: words(.openElsewhereTitle), text: words(.openElsewhere),
                                   language: words.language))
            screen.restore()
            Self.fail(SessionStore.Failure.openElsewhere(folder).description, status: 1)
        } catch let failure as SessionStore.Failure {
            screen.restore()
            Self.fail(failure.description, status: 1)
        }
    }

    /// Never a dead end: the playbook the employee would run is missing or broken, so the card
    /// built into the binary says what to do now, in the employee's language, and is journaled
    /// when a reports folder can be made. The diagnostics for the administrator follow (after the
    /// terminal is restored), then exit status 2.
    private func showEmergencyCard(_ failure: PlaybookResolver.Failure, screen: ScreenHolder) {
        let language = employeeLanguage
        let words = Vocabulary(language: language)
        var brokenPath: String?
        var reasons = [failure.description]
        if case let .invalidPlaybook(path, diagnostics) = failure {
            brokenPath = path
            reasons = diagnostics.map { String($0.split(separator: "\n").first ?? "") }
        }
        let directory = brokenPath.map(PathName.directory)
            ?? playbook.flatMap { PlaybookResolver.isPath($0) ? PathName.directory($0) : nil }
            ?? PlaybookCatalog.playbooksDirectory(option: playbooksDirectory)
        let admin = EmergencyCard.administrator(contactsDirectory: directory, language: language)
        var fallbackNote: [String] = []
        // `execute` has told the administrator about the folder already.
        let location = Self.reportsLocation(option: reports, announce: false)
        do {
            guard let reportsDirectory = location.directory else { throw NoRecord(location: location, language: language, admin: admin) }
            let folder = try EmergencyCard.record(reports: reportsDirectory, language: language,
                                                  playbookID: brokenPath.map { PathName.withoutExtension(PathName.last($0)) } ?? playbook,
                                                  reasons: reasons, admin: admin, playbookPath: brokenPath, contactsDirectory: directory,
                                                  toolVersion: IncidentWizard.version, reportsFallback: location.record)
            if let fallback = location.record { fallbackNote = words.reportsFallbackNote(wanted: fallback.wanted, folder: folder) }
        } catch {
            Self.warn("the emergency card could not be recorded: \(error)")
        }
        present(words.emergencyCard(admin: admin, fallback: fallbackNote), language: language, screen: screen)
    }

    /// Shows the emergency card until Enter (or the end of the input).
    private func present(_ card: (title: String, lines: [String]), language: String, screen: ScreenHolder) {
        _ = screen.ask(.notice(title: "incident-wizard", heading: card.title, text: card.lines.joined(separator: "\n"), language: language))
    }

    static func fail(_ message: String, status: Int32) -> Never {
        Output.err("incident-wizard: " + message)
        Foundation.exit(status)
    }

    /// `--lang`, else `$INCIDENT_WIZARD_LANG`, else the administrator's `language` setting (when
    /// the playbook has it), else the locale, else the playbook's first language.
    static func language(option: String?, playbook: Playbook,
                         environment: [String: String] = SystemFacts.environment, settings: Settings = .current) throws -> String {
        let available = playbook.languageCodes
        if let option {
            guard available.contains(option) else {
                throw PlaybookResolver.Failure.usage("the playbook has no '\(option)' text (it has: \(available.joined(separator: ", ")))")
            }
            return option
        }
        if let wanted = preferredLanguage(environment: environment, settings: settings), available.contains(wanted) { return wanted }
        let locale = localeName(environment)
        if locale.hasPrefix("ja"), available.contains("ja") { return "ja" }
        if !locale.isEmpty, !locale.hasPrefix("ja"), available.contains("en"), !["C", "POSIX"].contains(locale),
           !locale.hasPrefix("C.") { return "en" }
        return available.first ?? "en"
    }

    static func localeName(_ environment: [String: String] = SystemFacts.environment) -> String {
        ["LC_ALL", "LC_MESSAGES", "LANG"].lazy.compactMap { environment[$0] }.first { !$0.isEmpty } ?? ""
    }

    /// The employee's language when no playbook can say: `--lang` when it is one the wizard speaks.
    var employeeLanguage: String { lang == "ja" || lang == "en" ? lang! : Self.menuLanguage }

    /// The wizard's own language before a playbook is chosen.
    static var menuLanguage: String {
        preferredLanguage() ?? (localeName().hasPrefix("ja") ? "ja" : "en")
    }

    /// The language asked for before the locale: `$INCIDENT_WIZARD_LANG`, else the setting.
    static func preferredLanguage(environment: [String: String] = SystemFacts.environment, settings: Settings = .current) -> String? {
        if let value = environment["INCIDENT_WIZARD_LANG"], ["ja", "en"].contains(value) { return value }
        return settings.language
    }

    /// Where the record goes (`ReportsLocation`: the reports folder, else the private fallback,
    /// else nowhere); the administrator's line on stderr when it is not the reports folder.
    static func reportsLocation(option: String?, announce: Bool = true) -> ReportsLocation {
        let location = ReportsLocation.decide(wanted: ReportFolder.reportsDirectory(option: option))
        if announce, let problem = location.problem {
            if let fallbackProblem = location.fallbackProblem {
                warn("the reports folder cannot be used (\(problem)), nor the private fallback (\(fallbackProblem)): nothing can be recorded")
            } else {
                warn("the reports folder cannot be used (\(problem)): the record is kept in the private fallback \(location.fallback)")
            }
        }
        return location
    }

    /// The unfinished sessions in every folder where the record may be, newest first.
    static func unfinished(in location: ReportsLocation, playbookID: String? = nil, drill: Bool) -> [SessionStore.Unfinished] {
        location.searchDirectories.flatMap { SessionStore.unfinished(in: $0, playbookID: playbookID, drill: drill) }
            .sorted { $0.started > $1.started }
    }

    /// No folder at all can be written, not even the private fallback: only the emergency card.
    struct NoRecord: Error, CustomStringConvertible {
        var location: ReportsLocation
        var language: String
        var admin: (name: String, phone: String)?

        var description: String {
            "no report folder can be written: \(location.problem.map { "\($0)" } ?? location.wanted); "
                + "the private fallback: \(location.fallbackProblem.map { "\($0)" } ?? location.fallback)"
        }
    }

    enum Choice {
        case start(PlaybookResolver.Resolved)
        case resume(String)
    }

    /// The playbook named, or the scenario menu of the employee playbooks (with the unfinished
    /// sessions to resume); a single employee playbook and nothing to resume starts directly.
    private func choose(location: ReportsLocation, screen: ScreenHolder) throws -> Choice {
        if let playbook { return .start(try PlaybookResolver(option: playbooksDirectory).resolve(playbook)) }
        guard let directory = PlaybookCatalog.playbooksDirectory(option: playbooksDirectory) else {
            throw PlaybookResolver.Failure.unusable("no playbooks directory found (use --playbooks DIR)")
        }
        let files = PlaybookCatalog.files(in: directory).filter { !ContactsLoader.isContactsFile($0) }
        // Every employee playbook found, the broken ones too (what can be read of them says whose
        // they are): a broken one is listed as broken and leads to the emergency card; another
        // is never started in its place. The one chosen is run as checked here, not read again.
        let employee: [Candidate] = PlaybookCatalog().check(files).compactMap { entry in
            entry.readable?.audience == .admin ? nil : Candidate(entry: entry, playbook: entry.readable)
        }
        guard !employee.isEmpty else {
            throw PlaybookResolver.Failure.unusable("no employee playbook in \(directory)")
        }
        let unfinished = try Self.resumable(Self.unfinished(in: location, drill: drill))
        if employee.count == 1, unfinished.isEmpty { return .start(try PlaybookResolver.resolved(employee[0].entry)) }
        let language = Self.menuLanguage
        let words = Vocabulary(language: language)
        var options = employee.enumerated().map { index, candidate in
            (value: "p\(index)", label: candidate.label(language, words: words))
        }
        if let latest = unfinished.first {
            options.append((value: "resume", label: words.resumeOption(started: latest.started, playbookID: latest.playbookID)))
        }
        // What each scenario is about, behind `?`.
        let help = employee.compactMap { candidate -> String? in
            guard candidate.isValid, let summary = candidate.playbook?.summary else { return nil }
            return candidate.label(language, words: words) + "\n  " + summary.resolved(candidate.language(language))
        }.joined(separator: "\n\n")
        switch screen.ask(.menu(title: "incident-wizard", question: words(.menuQuestion), options: options,
                                help: help.isEmpty ? nil : help, language: language)) {
        case .answered(.choice("resume"))?: return .resume(unfinished[0].folder)
        case .answered(.choice(let value))?:
            guard let index = Int(value.dropFirst()), employee.indices.contains(index) else { throw ExitCode(3) }
            return .start(try PlaybookResolver.resolved(employee[index].entry))
        case nil:
            throw PlaybookResolver.Failure.usage("no scenario chosen")
        default:
            screen.restore()
            throw ExitCode(3)
        }
    }

    /// The unfinished sessions to offer; one already open in another window stops this one.
    static func resumable(_ found: [SessionStore.Unfinished]) throws -> [SessionStore.Unfinished] {
        if let live = found.first(where: \.openElsewhere) { throw SessionStore.Failure.openElsewhere(live.folder) }
        return found
    }

    /// An employee playbook of the scenario menu: valid, or broken (what could be read of it).
    struct Candidate {
        var entry: PlaybookCatalog.Entry
        var playbook: Playbook?
        var isValid: Bool { entry.playbook != nil }

        func language(_ wanted: String) -> String {
            guard let codes = playbook?.languageCodes else { return wanted }
            return codes.contains(wanted) ? wanted : codes.first ?? wanted
        }

        func label(_ language: String, words: Vocabulary) -> String {
            let title = playbook.map { Sanitizer.neutralise($0.title.resolved(self.language(language)), keepNewlines: false) }
                ?? Sanitizer.neutralise(PathName.withoutExtension(PathName.last(entry.path)), keepNewlines: false)
            return isValid ? title : words.brokenScenario(title)
        }

    }

    /// "Continue where you left off?" — and on no, "close the earlier record and start afresh?"
    /// (a closed record is journaled `session.abandoned` and never offered again; on no again it
    /// stays, and is offered next time).
    private func askToResume(_ unfinished: SessionStore.Unfinished, language: String, screen: ScreenHolder) throws -> Bool {
        let words = Vocabulary(language: language)
        if try askYesNo(.confirm(title: "incident-wizard", question: words(.resumeQuestion), text: words.resumeDetail(started: unfinished.started),
                                 language: language), screen: screen) {
            return true
        }
        // Only a clear yes closes it: any other answer keeps it.
        if try askYesNo(.confirm(title: "incident-wizard", question: words(.abandonQuestion), text: "", language: language, unclearIsNo: true),
                        screen: screen) {
            do {
                _ = try SessionStore.resume(folder: unfinished.folder, drill: drill, abandon: true)
            } catch {
                // Never in the way of a new start: the old record stays as it is.
                Self.warn("the earlier record could not be closed (\(error)); it is left as it is")
            }
        }
        return false
    }

    /// One yes/no question (the end of the input is no; quitting stops the wizard).
    private func askYesNo(_ dialog: DialogProgram, screen: ScreenHolder) throws -> Bool {
        switch screen.ask(dialog) {
        case .answered(.confirm(.yes))?: return true
        case .quit?:
            screen.restore()
            throw ExitCode(3)
        default: return false
        }
    }

    /// Whether to use the full-screen terminal: not with `--plain`, when stdin or stdout is not a
    /// terminal, or when `TERM` is dumb or unset.
    static func wantsFullScreen(plain: Bool) -> Bool {
        let term = SystemFacts.environment["TERM"] ?? ""
        return !plain && isatty(0) == 1 && isatty(1) == 1 && !term.isEmpty && term != "dumb"
    }

    static func warn(_ message: String) {
        Output.err("incident-wizard: " + message)
    }

    private func startSession(_ resolved: PlaybookResolver.Resolved, location: ReportsLocation, screen: ScreenHolder) throws {
        let language = try Self.language(option: lang, playbook: resolved.playbook)
        guard let reportsDirectory = location.directory else {
            let admin = resolved.contacts["admin"].flatMap { contact in
                contact.phone.map { (Sanitizer.neutralise(contact.name.resolved(language), keepNewlines: false),
                                     Sanitizer.neutralise($0, keepNewlines: false)) }
            }
            throw NoRecord(location: location, language: language, admin: admin)
        }
        var engine = Engine(playbook: resolved.playbook)
        let firstRecords = try engine.send(.start)
        let store = try SessionStore.create(
            reports: reportsDirectory, playbook: resolved.playbook, playbookData: resolved.playbookData,
            contactsData: resolved.contactsData, contacts: resolved.contacts, language: language,
            host: HostProbe.facts(), drill: drill, toolVersion: IncidentWizard.version,
            firstRecords: firstRecords, reportsFallback: location.record)
        try walk(store: store, engine: engine, notes: [], screen: screen)
    }

    private func continueSession(folder: String, screen: ScreenHolder) throws {
        let (store, engine, notes) = try SessionStore.resume(folder: folder, drill: drill)
        try walk(store: store, engine: engine, notes: notes, screen: screen)
    }

    private func walk(store: SessionStore, engine: Engine, notes: [String], screen: ScreenHolder) throws {
        let host = store.entries.first?["host"].flatMap(HostFacts.init(json:))
        let context = PlaceholderContext(
            language: store.language, hostName: host?.name ?? SystemFacts.hostName, userName: SystemFacts.personName(login: host?.user),
            sessionID: store.incidentID, sessionStarted: store.started, now: Timestamp.rfc3339(), reportDir: store.folder,
            home: SystemFacts.homeDirectory, evidenceDir: store.evidencePath, contacts: store.contacts)
        if let terminal = screen.terminal {
            let session = TerminalSession(engine: engine, context: context, store: store, terminal: terminal)
            let exit = session.run()
            screen.restore()
            for note in notes { Self.warn(note) }
            switch exit {
            case .finished: throw ExitCode(0)
            case .quit:
                screen.console.write(Vocabulary(language: store.language)(.quitSaved))
                throw ExitCode(3)
            case .signal(let number):
                Self.fail("stopped by signal \(number); the answers so far are saved (run again to resume)", status: 1)
            case .failed(let reason): Self.fail(reason, status: 1)
            }
        }
        for note in notes { Self.warn(note) }
        let session = PlainSession(engine: engine, context: context, store: store,
                                   readLine: { screen.console.readLine() }, write: { screen.console.write($0) })
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

/// The full-screen terminal of one run, opened on first use (so usage errors print normally) and
/// restored exactly once, before anything is printed after it.
final class ScreenHolder {
    private let wanted: Bool
    private var opened: CursesTerminal?
    private var tried = false
    /// Plain mode's lines in and out, in the locale's character set.
    let console: PlainConsole
    private let localeProblem: String?

    init(wanted: Bool) {
        self.wanted = wanted
        switch TerminalLocale.activate() {
        case .utf8, .fellBackToCUTF8:
            console = PlainConsole(charset: nil)
            localeProblem = nil
        case .legacy(let charset):
            console = PlainConsole(charset: charset)
            localeProblem = "the locale's character set is \(charset), not UTF-8: using plain mode in \(charset)"
        case .notUTF8(let codeset):
            console = PlainConsole(charset: codeset)
            localeProblem = "the locale's character set is \(codeset), not UTF-8, and no UTF-8 locale is available: using plain mode"
        }
    }

    /// The terminal, or nil for plain mode (with the reason on stderr when it could not be opened).
    var terminal: CursesTerminal? {
        if tried { return opened }
        tried = true
        if let localeProblem {
            console.warn("incident-wizard: " + localeProblem)
            return nil
        }
        guard wanted else { return nil }
        do {
            opened = try CursesTerminal(environment: SystemFacts.environment)
        } catch {
            Run.warn("\(error); using plain mode")
        }
        return opened
    }

    func restore() {
        opened?.restore()
    }

    /// One question outside a session, on the full screen or in lines: the answer, `.quit`, or
    /// nil when plain mode's input ended first.
    func ask(_ dialog: DialogProgram) -> DialogProgram.Ending? {
        if let terminal { return TerminalPrompt(terminal: terminal).ask(dialog) }
        return PlainPrompt(readLine: { self.console.readLine() }, write: { self.console.write($0) }).ask(dialog)
    }
}
