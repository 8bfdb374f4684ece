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
}
