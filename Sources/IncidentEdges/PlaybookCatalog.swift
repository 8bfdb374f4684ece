import Foundation
import IncidentCore

/// Finds, reads and checks playbook files on disk: the file-system edge around the pure loader and
/// validator.
public struct PlaybookCatalog: Sendable {
    /// One checked file.
    public struct Entry: Sendable {
        public var path: String
        public var playbook: Playbook?
        /// For a `contacts.yaml`: the contacts it defines.
        public var contacts: [String: Contact]?
        public var diagnostics: [Diagnostic]
        public var source: String?
        /// The bytes that were checked (a session copies exactly these into its report folder).
        public var data: Data?
        /// For a playbook: the shared `contacts.yaml` beside it as it was checked with it (its
        /// contacts, nil if it has none or they did not load, and its bytes), or nil if there is none.
        public var shared: (contacts: [String: Contact]?, data: Data?)?

        public var isValid: Bool { !diagnostics.hasErrors }
        public var isContactsFile: Bool { ContactsLoader.isContactsFile(path) }
    }

    public var today: CalendarDay

    public init(today: CalendarDay = PlaybookCatalog.localToday()) {
        self.today = today
    }

    /// Today in the local time zone.
    public static func localToday() -> CalendarDay {
        let (local, _) = Timestamp.parts(Date())
        return CalendarDay(year: Int(local.tm_year) + 1900, month: Int(local.tm_mon) + 1, day: Int(local.tm_mday))!
    }

    /// The playbooks directory: `--playbooks`, `$INCIDENT_WIZARD_PLAYBOOKS`, `./playbooks`, the
    /// installed share directory, then `/etc/incident-wizard/playbooks` — the first that exists.
    public static func playbooksDirectory(option: String?, environment: [String: String] = SystemFacts.environment,
                                          executablePath: String = CommandLine.arguments.first ?? "") -> String? {
        var candidates: [String] = []
        if let option { return option }
        if let fromEnvironment = environment["INCIDENT_WIZARD_PLAYBOOKS"], !fromEnvironment.isEmpty {
            return fromEnvironment
        }
        candidates.append(FileManager.default.currentDirectoryPath + "/playbooks")
        let binary = URL(fileURLWithPath: executablePath).resolvingSymlinksInPath()
        let prefix = binary.deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(prefix.appendingPathComponent("share/incident-wizard/playbooks").path)
        candidates.append("/etc/incident-wizard/playbooks")
        return candidates.first(where: PosixFiles.isDirectory)
    }

    /// The `.yaml`/`.yml` files of a directory, sorted, contacts file included.
    public static func files(in directory: String) -> [String] {
        let names = PosixFiles.names(in: directory) ?? []
        return names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
            .map { PathName.join(directory, $0) }
    }

    /// Checks files as `validate` does: each on its own (a broken file never stops the others), with
    /// the shared `contacts.yaml` of its directory merged in, and duplicate playbook ids across files.
    public func check(_ paths: [String]) -> [Entry] {
        var sharedByDirectory: [String: Entry?] = [:]
        func shared(for path: String) -> Entry? {
            let directory = PathName.directory(path)
            if let cached = sharedByDirectory[directory] { return cached }
            let candidates = ["contacts.yaml", "contacts.yml"].map { PathName.join(directory, $0) }
            let entry = candidates.first(where: PosixFiles.exists).map(readContacts)
            sharedByDirectory[directory] = entry
            return entry
        }
        var entries: [Entry] = []
        for path in paths {
            if ContactsLoader.isContactsFile(path) {
                entries.append(readContacts(path))
            } else {
                entries.append(readPlaybook(path, shared: shared(for: path)))
            }
        }
        // Duplicate playbook ids among the loaded files.
        var firstByID: [String: String] = [:]
        for index in entries.indices {
            guard let playbook = entries[index].playbook else { continue }
            if let first = firstByID[playbook.id.value] {
                entries[index].diagnostics.append(Diagnostic(.error, path: playbook.path, at: playbook.id.location,
                                                             "duplicate playbook id '\(playbook.id.value)' (also used by \(first))"))
            } else {
                firstByID[playbook.id.value] = playbook.path
            }
        }
        return entries
    }

    func readContacts(_ path: String) -> Entry {
        guard let data = PosixFiles.contents(path) else {  // nil for a directory too
            return Entry(path: path, diagnostics: [unreadable(path)])
        }
        let result = ContactsLoader.load(data, path: path)
        var diagnostics = result.diagnostics
        let validator = PlaybookValidator(today: today)
        for contact in (result.value ?? [:]).values.sorted(by: { $0.location < $1.location }) {
            diagnostics += validator.contactWarnings(contact)
        }
        if Self.writableByOthers(path) { diagnostics.append(writableWarning(path)) }
        return Entry(path: path, contacts: result.value, diagnostics: diagnostics, source: result.source, data: data)
    }

    func readPlaybook(_ path: String, shared: Entry?) -> Entry {
        guard let data = PosixFiles.contents(path) else {  // nil for a directory too
            return Entry(path: path, diagnostics: [unreadable(path)])
        }
        let result = PlaybookLoader.load(data, path: path)
        var diagnostics = result.diagnostics
        var playbook = result.value
        if let loaded = playbook {
            let validator = PlaybookValidator(today: today, sharedContacts: shared?.contacts ?? [:])
            diagnostics += validator.validate(loaded, source: result.source,
                                              writableByOthers: Self.writableByOthers(path))
            if let shared, !shared.isValid, loaded.steps.contains(where: {
                if case .notify = $0.kind { return true } else { return false }
            }) {
                diagnostics.append(Diagnostic(.error, path: path, at: .start,
                                              "the shared \(PathName.last(shared.path)) has errors; fix it first"))
            }
            if diagnostics.hasErrors { playbook = nil }
        }
        return Entry(path: path, playbook: playbook, diagnostics: diagnostics, source: result.source, data: data,
                     shared: shared.map { ($0.contacts, $0.data) })
    }

    private func unreadable(_ path: String) -> Diagnostic {
        var info = stat()
        let reason: String
        if stat(path, &info) != 0 {
            reason = errno == ENOENT ? "does not exist"
                : "cannot be reached (\(String(cString: strerror(errno))))"
        } else {
            switch info.st_mode & S_IFMT {
            case S_IFDIR: reason = "is a directory, not a playbook file"
            case S_IFREG: reason = "cannot be read (permissions?)"
            default: reason = "is not a regular file (a FIFO or a device is never read)"
            }
        }
        return Diagnostic(.error, path: path, at: .start, "the file \(reason)")
    }

    private func writableWarning(_ path: String) -> Diagnostic {
        Diagnostic(.warning, path: path, at: .start,
                   "the file can be changed by other users (group or others may write it); run: chmod go-w \(path)")
    }

    static func writableByOthers(_ path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0 else { return false }
        return info.st_mode & (S_IWGRP | S_IWOTH) != 0
    }
}
