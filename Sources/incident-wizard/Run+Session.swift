import ArgumentParser
import Foundation
import IncidentCore
import IncidentEdges
import IncidentTerminal

/// The session itself: created or resumed, and walked on the full screen or in plain mode.
extension Run {
    /// Whether to use the full-screen terminal: not with `--plain`, when stdin or stdout is not a
    /// terminal, or when `TERM` is dumb or unset.
    static func wantsFullScreen(plain: Bool) -> Bool {
        let term = SystemFacts.environment["TERM"] ?? ""
        return !plain && isatty(0) == 1 && isatty(1) == 1 && !term.isEmpty && term != "dumb"
    }

    static func warn(_ message: String) {
        Output.err("incident-wizard: " + message)
    }

    func startSession(_ resolved: PlaybookResolver.Resolved, location: ReportsLocation, screen: ScreenHolder) throws {
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

    func continueSession(folder: String, screen: ScreenHolder) throws {
        let (store, engine, notes) = try SessionStore.resume(folder: folder, drill: drill)
        try walk(store: store, engine: engine, notes: notes, screen: screen)
    }

    func walk(store: SessionStore, engine: Engine, notes: [String], screen: ScreenHolder) throws {
        let host = store.start?.host
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
                                   readLine: { screen.console.readLine() }, lineReady: { screen.console.lineReady(milliseconds: $0) },
                                   write: { screen.console.write($0) })
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
