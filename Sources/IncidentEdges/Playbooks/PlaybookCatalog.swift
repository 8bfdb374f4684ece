import Foundation
import IncidentCore

/// Finds, reads and checks playbook files on disk: the file-system edge around the pure loader and
/// validator.
public struct PlaybookCatalog: Sendable {
    /// One checked file.
    public struct Entry: Sendable {
        public var path: String
        /// The playbook, when it is valid.
        public var playbook: Playbook?
        /// What could be read of it even when it is invalid (its id, title, audience, steps), for
        /// `list` and the scenario menu.
        public var readable: Playbook?
        /// For a `contacts.yaml`: the contacts it defines.
        public var contacts: [String: Contact]?
        /// For a `contacts.yaml` with errors: the contacts that could still be read (for the checks
        /// of references to them; `contacts` stays nil).
        public var readableContacts: [String: Contact]?
        public var diagnostics: [Diagnostic]
        public var source: String?
        /// The bytes that were checked (a session copies exactly these into its report folder).
        public var data: Data?
        /// For a playbook: the shared `contacts.yaml` beside it as it was checked with it (its
        /// contacts, nil if it has none or they did not load, and its bytes), or nil if there is none.
        public var shared: (contacts: [String: Contact]?, data: Data?)?
        /// The playbook's id (nil when it did not load or check; a duplicate of another file's id
        /// keeps it, with its error).
        public var id: String? { playbook?.id.value }

        public var isValid: Bool { !diagnostics.hasErrors }
        public var isContactsFile: Bool { ContactsLoader.isContactsFile(path) }
    }

    public var today: CalendarDay

    /// Every command, `run` included, checks the files themselves: nothing a process of the user
    /// can write (a cache, a state file) decides what the steps say (quality-bars.md, security).
    public init(today: CalendarDay = PlaybookCatalog.localToday()) {
        self.today = today
    }

    /// Today in the local time zone.
    public static func localToday() -> CalendarDay {
        let (local, _) = Timestamp.parts(Date())
        return CalendarDay(year: Int(local.tm_year) + 1900, month: Int(local.tm_mon) + 1, day: Int(local.tm_mday))!
    }

    /// The playbooks directory: `--playbooks`, `$INCIDENT_WIZARD_PLAYBOOKS`, the administrator's
    /// `/etc/incident-wizard/playbooks`, then the installed share directory (the packaged
    /// defaults) — the first that exists. Never the current directory: a `playbooks/` folder
    /// unpacked into Downloads must not be able to steer the wizard (CWE-427).
    public static func playbooksDirectory(option: String?, environment: [String: String] = SystemFacts.environment,
                                          executablePath: String = SystemFacts.executablePath) -> String? {
        playbooksLookup(option: option, environment: environment, executablePath: executablePath).directory
    }

    /// The directory found and where it came from (for `check`).
    public static func playbooksLookup(option: String?, environment: [String: String] = SystemFacts.environment,
                                       executablePath: String = SystemFacts.executablePath)
        -> (directory: String?, source: String, searched: [String]) {
        if let option { return (option, "--playbooks", [option]) }
        if let fromEnvironment = environment["INCIDENT_WIZARD_PLAYBOOKS"], !fromEnvironment.isEmpty {
            return (fromEnvironment, "$INCIDENT_WIZARD_PLAYBOOKS", [fromEnvironment])
        }
        let candidates = [("/etc/incident-wizard/playbooks", "the administrator's /etc"),
                          (installedShareDirectory(executablePath: executablePath), "the installed defaults")]
        let found = candidates.first { Self.isDirectory($0.0) }
        return (found?.0, found?.1 ?? "none", candidates.map(\.0))
    }

    /// `<prefix>/share/incident-wizard/playbooks` for the binary at `<prefix>/bin/incident-wizard`.
    static func installedShareDirectory(executablePath: String) -> String {
        let binary = URL(fileURLWithPath: executablePath).resolvingSymlinksInPath()
        return binary.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("share/incident-wizard/playbooks").path
    }

    /// The shared contacts file of a playbooks directory, if it has one.
    public static func contactsFile(in directory: String) -> String? {
        ["contacts.yaml", "contacts.yml"].map { PathName.join(directory, $0) }.first { FileManager.default.fileExists(atPath: $0) }
    }

    /// The `.yaml`/`.yml` files of a directory, sorted, contacts file included.
    public static func files(in directory: String) -> [String] {
        let names = PosixFiles.names(in: directory) ?? []
        return names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
            .map { PathName.join(directory, $0) }
    }

    /// The files `validate` checks: a directory stands for its `.yaml`/`.yml` files (contacts.yaml
    /// included), anything else for itself; each file once. A directory without any playbook
    /// file is an error of its own.
    public static func expand(_ arguments: [String]) -> (files: [String], problems: [Diagnostic]) {
        var files: [String] = []
        var problems: [Diagnostic] = []
        for argument in arguments {
            guard Self.isDirectory(argument) else {
                if !files.contains(argument) { files.append(argument) }
                continue
            }
            let found = Self.files(in: argument)
            if found.isEmpty {
                problems.append(Diagnostic(.error, path: argument, at: .start, .directoryEmpty))
            }
            for file in found where !files.contains(file) { files.append(file) }
        }
        return (files, problems)
    }

    /// Checks files as `validate` does: each on its own (a broken file never stops the others), with
    /// the shared `contacts.yaml` of its directory merged in, and duplicate playbook ids across files.
    public func check(_ paths: [String]) -> [Entry] {
        // Each directory's shared contacts file is read once (its bytes), and parsed and checked
        // once, when a playbook of the directory has to be checked.
        var bytesByDirectory: [String: SharedBytes?] = [:]
        var sharedByDirectory: [String: Entry?] = [:]
        func sharedBytes(for path: String) -> SharedBytes? {
            let directory = PathName.directory(path)
            if let known = bytesByDirectory[directory] { return known }
            let bytes = Self.contactsFile(in: directory).map { SharedBytes(path: $0, data: PosixFiles.contents($0)) }
            bytesByDirectory[directory] = bytes
            return bytes
        }
        func shared(for path: String) -> Entry? {
            let directory = PathName.directory(path)
            if let checked = sharedByDirectory[directory] { return checked }
            let entry = sharedBytes(for: path).map { readContacts($0.path, data: $0.data) }
            sharedByDirectory[directory] = entry
            return entry
        }
        var entries: [Entry] = []
        for path in paths {
            if ContactsLoader.isContactsFile(path) {
                entries.append(readContacts(path, data: PosixFiles.contents(path)))
            } else {
                entries.append(readPlaybook(path, data: PosixFiles.contents(path), shared: shared(for: path)))
            }
        }
        // Duplicate playbook ids among the loaded files.
        var firstByID: [String: String] = [:]
        for index in entries.indices {
            guard let id = entries[index].id else { continue }
            guard let first = firstByID[id] else {
                firstByID[id] = entries[index].path
                continue
            }
            guard let playbook = entries[index].playbook, playbook.id.value == id else { continue }
            entries[index].diagnostics.append(Diagnostic(.error, path: entries[index].path, at: playbook.id.location,
                                                         .duplicatePlaybookID(id: playbook.id.value, other: first)))
        }
        return entries
    }

    /// A shared contacts file as read from disk (nil data: it could not be read).
    struct SharedBytes {
        var path: String
        var data: Data?
    }

    /// `data`: the file's bytes, nil if it could not be read (`PosixFiles.contents`).
    func readContacts(_ path: String, data: Data?) -> Entry {
        guard let data else {  // nil for a directory too
            return Entry(path: path, diagnostics: [unreadable(path)])
        }
        let result = ContactsLoader.load(data, path: path)
        var diagnostics = result.diagnostics
        let validator = PlaybookValidator(today: today)
        for contact in (result.value ?? [:]).values.sorted(by: { $0.location < $1.location }) {
            diagnostics += validator.contactWarnings(contact)
        }
        if Self.writableByOthers(path) { diagnostics.append(writableWarning(path)) }
        return Entry(path: path, contacts: result.value, readableContacts: result.readable, diagnostics: diagnostics,
                     source: result.source, data: data)
    }

    /// `data`: the file's bytes, nil if it could not be read (`PosixFiles.contents`).
    func readPlaybook(_ path: String, data: Data?, shared: Entry?) -> Entry {
        guard let data else {  // nil for a directory too
            return Entry(path: path, diagnostics: [unreadable(path)])
        }
        let result = PlaybookLoader.load(data, path: path)
        var diagnostics = result.diagnostics
        var playbook = result.value
        if let loaded = playbook {
            // A shared file with errors: the contacts that could be read still count as defined,
            // and the playbook gets one line about the file, not an error per reference.
            let validator = PlaybookValidator(today: today,
                                              sharedContacts: shared?.contacts ?? shared?.readableContacts ?? [:],
                                              sharedContactsUnreadable: shared.map { $0.contacts == nil && $0.readableContacts == nil } ?? false)
            diagnostics += validator.validate(loaded, source: result.source,
                                              writableByOthers: Self.writableByOthers(path))
            // A broken shared file is reported at its own lines, once (`validate` prints a
            // diagnostic the contacts file's entry also has only once), not by every playbook
            // that reads a contact from it; the playbook is refused all the same.
            if let shared, !shared.isValid, !PlaybookValidator.sharedContactReferences(in: loaded).isEmpty {
                diagnostics += shared.diagnostics.filter(\.isError)
            }
            if diagnostics.hasErrors { playbook = nil }
        }
        return Entry(path: path, playbook: playbook, readable: result.readable, diagnostics: diagnostics, source: result.source, data: data,
                     shared: shared.map { ($0.contacts, $0.data) })
    }

    private func unreadable(_ path: String) -> Diagnostic {
        var info = stat()
        let reason: DiagnosticText
        if stat(path, &info) != 0 {
            reason = errno == ENOENT ? .fileMissing : .fileUnreachable(reason: String(cString: strerror(errno)))
        } else {
            switch info.st_mode & S_IFMT {
            case S_IFDIR: reason = .fileIsDirectory
            case S_IFREG: reason = .fileNotReadable
            default: reason = .fileNotRegular
            }
        }
        return Diagnostic(.error, path: path, at: .start, reason)
    }

    private func writableWarning(_ path: String) -> Diagnostic {
        Diagnostic(.warning, path: path, at: .start, .writableByOthers(path: path))
    }

    static func writableByOthers(_ path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0 else { return false }
        return info.st_mode & (S_IWGRP | S_IWOTH) != 0
    }
}

extension PlaybookCatalog.Entry {
    /// The texts a renderer needs to quote this entry's diagnostics: its own, and for a playbook
    /// its shared `contacts.yaml`'s (whose bytes it keeps), each under its own path.
    public var diagnosticSources: [String: String?] {
        var sources: [String: String?] = [path: source]
        guard let data = shared?.data else { return sources }
        for diagnostic in diagnostics where diagnostic.path != path && ContactsLoader.isContactsFile(diagnostic.path)
            && PathName.directory(diagnostic.path) == PathName.directory(path) {
            sources[diagnostic.path] = String(decoding: data, as: UTF8.self)
        }
        return sources
    }
}

extension PlaybookCatalog {
    /// Whether `path` is a folder (a symlink to one counts).
    static func isDirectory(_ path: String) -> Bool {
        var directory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &directory) && directory.boolValue
    }
}
