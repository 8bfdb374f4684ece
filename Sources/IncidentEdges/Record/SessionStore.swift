import Foundation
import IncidentCore

/// The report folder of one session on disk: the append-only journal (each line written and
/// fsync'd before the next screen), the playbook copies, `evidence/`, and `report.md` /
/// `report.json` rewritten atomically after every answer.
public final class SessionStore {
    public enum Failure: Error, CustomStringConvertible {
        case write(String, String)
        case unreadable(String)
        case notResumable(String)
        /// Another wizard (another window) holds the session's lock: it is being answered there.
        case openElsewhere(String)

        public var description: String {
            switch self {
            case let .write(path, reason): return "cannot write \(path): \(reason)"
            case .unreadable(let reason): return reason
            case .notResumable(let reason): return reason
            case .openElsewhere(let folder): return "the session in \(folder) is open in another window of the wizard; continue there"
            }
        }
    }

    /// A session that was not finished, found in the reports directory.
    public struct Unfinished: Sendable {
        public var folder: String
        public var playbookID: String
        public var started: String
        public var incidentID: String
        public var drill: Bool
        /// Another wizard holds its lock (it is open in another window): not to be resumed here.
        public var openElsewhere: Bool = false
    }

    public let folder: String
    public let playbook: Playbook
    public let contacts: [String: Contact]
    public var evidencePath: String { folder + "/" + SessionFiles.evidence }
    public private(set) var entries: [JournalEntry]

    private var chain: JournalChain
    private var lineCount: Int
    private let journal: FileHandle
    private let clock: @Sendable () -> Date

    private init(folder: String, playbook: Playbook, contacts: [String: Contact], entries: [JournalEntry], chain: JournalChain,
                 lineCount: Int, journal: FileHandle, clock: @escaping @Sendable () -> Date) {
        self.folder = folder
        self.playbook = playbook
        self.contacts = contacts
        self.entries = entries
        self.chain = chain
        self.lineCount = lineCount
        self.journal = journal
        self.clock = clock
    }

    deinit { try? journal.close() }

    /// The session's `session.started`, as recorded.
    public var start: SessionEvent.SessionStart? {
        if case .sessionStarted(let start)? = entries.first?.typed { return start }
        return nil
    }
    public var incidentID: String { start?.incidentID ?? "" }
    public var language: String { start?.language ?? playbook.languageCodes.first ?? "en" }
    public var started: String { entries.first?.time ?? "" }
    public var isDrill: Bool { start?.drill ?? false }
    /// The record is kept in the private fallback folder, and why (`session.started` says so).
    public var reportsFallback: ReportsFallback? { start?.reportsFallback }

    // MARK: Creating

    /// Creates the folder and the journal, writes the copies of the playbook (and contacts) as
    /// they are now, then `session.started` with the host facts and the engine's `firstRecords`
    /// (the first step entered), and the first reports — all durable before it returns.
    public static func create(reports: String, playbook: Playbook, playbookData: Data, contactsData: Data?,
                              contacts: [String: Contact], language: String, host: HostFacts,
                              drill: Bool, toolVersion: String,
                              firstRecords: [EngineRecord] = [], reportsFallback: ReportsFallback? = nil,
                              clock: @escaping @Sendable () -> Date = { Date() }) throws -> SessionStore {
        let started = clock()
        let folder = try ReportFolder.create(in: reports, playbookID: playbook.id.value, host: SystemFacts.hostName, date: started)
        let path = folder.path + "/" + SessionFiles.journal
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw Failure.write(path, String(cString: strerror(errno))) }
        // The session's one writer: held as long as this store lives (see `lockJournal`; a file
        // just created exclusively has no other holder).
        _ = lockJournal(descriptor)
        let store = SessionStore(folder: folder.path, playbook: playbook, contacts: contacts, entries: [], chain: JournalChain(),
                                 lineCount: 0, journal: FileHandle(fileDescriptor: descriptor, closeOnDealloc: true), clock: clock)
        try writeNew(folder.path + "/" + SessionFiles.playbookCopy, playbookData)
        if let contactsData { try writeNew(folder.path + "/" + SessionFiles.contactsCopy, contactsData) }
        syncDirectory(folder.path)
        syncDirectory(reports)
        let start = SessionEvent.SessionStart(
            incidentID: UUID().uuidString.lowercased(),
            playbook: .init(id: playbook.id.value, revision: playbook.revision, sha256: Journal.sha256(playbookData),
                            file: SessionFiles.playbookCopy),
            contacts: .init(sha256: contactsData.map(Journal.sha256), file: contactsData == nil ? nil : SessionFiles.contactsCopy),
            language: language, host: host, toolVersion: toolVersion, drill: drill, reportsFallback: reportsFallback)
        try store.append([.sessionStarted(start)] + firstRecords.map(SessionEvent.init), time: started)
        try store.rewriteReports()
        return store
    }

    // MARK: Resuming

    /// Reopens an unfinished session: checks the journal, reloads the playbook copy, rebuilds the
    /// engine by replaying the journal, terminates a torn last line and records the resume.
    /// Returns the engine and notes for the employee (a torn line that was ignored).
    /// `drill`: whether this run is a drill; a drill never continues a real session, nor a real
    /// run a drill (they never share a folder).
    /// `abandon`: the employee chose not to continue it: `session.abandoned` closes it (nothing
    /// else is written), and it is never offered again.
    public static func resume(folder: String, drill: Bool, abandon: Bool = false,
                              clock: @escaping @Sendable () -> Date = { Date() }) throws -> (SessionStore, Engine, [String]) {
        // The lock first, then the journal is read: what another window appended before it let go
        // is part of what is replayed, and nothing is appended while it still writes.
        let path = try SessionFolderReader.journalPath(folder: folder)
        // O_NONBLOCK and fstat: a file swapped for a FIFO after the check fails at once instead of
        // waiting for a reader.
        let descriptor = open(path, O_WRONLY | O_APPEND | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else { throw Failure.write(path, String(cString: strerror(errno))) }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        var info = stat()
        guard fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { throw Failure.write(path, "not a regular file") }
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~O_NONBLOCK)
        guard lockJournal(descriptor) else { throw Failure.openElsewhere(folder) }
        let opened = try SessionFolderReader(folder: folder)
        let contents = opened.contents
        if let problem = contents.problems.first(where: { if case .torn = $0 { return false } else { return true } }) {
            throw Failure.notResumable("cannot resume \(folder): \(problem)")
        }
        let events = contents.entries.compactMap(\.typed)
        guard !events.contains(where: { if case .sessionFinished = $0 { return true } else { return false } }) else {
            throw Failure.notResumable("the session in \(folder) is already finished")
        }
        guard !events.contains(where: { if case .sessionAbandoned = $0 { return true } else { return false } }) else {
            throw Failure.notResumable("the session in \(folder) was closed without finishing (the employee started afresh)")
        }
        guard case .sessionStarted(let start)? = events.first else {
            throw Failure.notResumable("cannot resume \(folder): \(JournalContents.Problem.noStart)")
        }
        let isDrill = start.drill
        if drill, !isDrill {
            throw Failure.notResumable("\(folder) is a real session, not a drill: a drill never continues a real session (run it without --drill)")
        }
        if !drill, isDrill {
            throw Failure.notResumable("\(folder) is a drill: resume it with --drill (a drill and a real session never share a folder)")
        }
        let (playbook, contacts) = try opened.playbook()
        let (engine, missing): (Engine, [EngineRecord])
        do {
            (engine, missing) = try SessionReplay.replay(contents.entries, playbook: playbook)
        } catch {
            throw Failure.notResumable("cannot resume \(folder): \(error)")
        }
        var lines = contents.entries.last?.line ?? 0
        var notes: [String] = []
        let torn = contents.tornTail?.line
        if let torn = contents.tornTail {
            lines = torn.line
            notes.append(JournalContents.Problem.torn(line: torn.line, bytes: torn.bytes).description)
        }
        if contents.needsNewline {
            // Terminate the torn (or newline-less) last line so appending starts on a line of its own.
            do { try handle.write(contentsOf: Data([0x0A])); try handle.synchronize() } catch {
                throw Failure.write(path, "\(error)")
            }
        }
        let store = SessionStore(folder: folder, playbook: playbook, contacts: contacts, entries: contents.entries,
                                 chain: JournalChain(continuing: contents), lineCount: lines, journal: handle, clock: clock)
        if abandon {
            try store.append([.sessionAbandoned(tornLine: torn)])
            try store.rewriteReports()
            return (store, engine, notes)
        }
        try store.append([.sessionResumed(tornLine: torn)])
        try store.record(missing)
        try store.rewriteReports()
        return (store, engine, notes)
    }

    /// Unfinished sessions in a reports directory, newest first. Symlinks are never followed.
    /// `drill`: only drills, or only real sessions (a drill never resumes a real incident).
    public static func unfinished(in reports: String, playbookID: String? = nil, drill: Bool? = nil) -> [Unfinished] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: reports)) ?? []
        var found: [Unfinished] = []
        for name in names {
            let path = reports + "/" + name
            var info = stat()
            guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR, info.st_uid == getuid(),
                  let (time, start, finished) = SessionFolderReader.glance(folder: path), !finished else { continue }
            let id = start.playbook.id ?? ""
            if let playbookID, id != playbookID { continue }
            if let drill, drill != start.drill { continue }
            found.append(Unfinished(folder: path, playbookID: id, started: time, incidentID: start.incidentID,
                                    drill: start.drill, openElsewhere: isLocked(journal: path + "/" + SessionFiles.journal)))
        }
        return found.sorted { $0.started > $1.started }
    }

    // MARK: One writer

    /// Takes the session's exclusive lock (`flock` on the journal) without waiting. It is held
    /// through the descriptor for as long as the session is open — released by the kernel however
    /// the wizard ends, SIGKILL and power loss included — and commands never inherit it.
    ///
    /// Only another holder counts as "open elsewhere" (retried for a moment: another start may be
    /// testing the lock just then); a file system without locks (ENOLCK, EOPNOTSUPP on some network
    /// homes) is no reason to refuse the employee: the session goes on without the lock.
    static func lockJournal(_ descriptor: Int32) -> Bool {
        for attempt in 0..<10 {
            if flock(descriptor, LOCK_EX | LOCK_NB) == 0 { return true }
            if errno == EINTR { continue }
            guard errno == EWOULDBLOCK else { return true }
            if attempt < 9 { usleep(10_000) }
        }
        return false
    }

    /// Whether another wizard holds the journal's lock now.
    static func isLocked(journal path: String) -> Bool {
        let descriptor = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        if flock(descriptor, LOCK_SH | LOCK_NB) == 0 { return false }
        return errno == EWOULDBLOCK
    }

    // MARK: Recording

    /// Appends events as consecutive chained lines with one write and one fsync: all of them are
    /// durable before this returns (a crash in between leaves at most a torn last line).
    public func append(_ events: [SessionEvent], time: Date? = nil) throws {
        guard !events.isEmpty else { return }
        let time = Timestamp.rfc3339(time ?? clock())
        var next = chain
        var bytes = Data()
        var added: [JournalEntry] = []
        var line = lineCount
        for event in events {
            let previous = next.lastHash
            let seq = next.nextSeq
            let fields = event.fields
            bytes.append(next.append(event: event.name, time: time, fields: fields))
            line += 1
            added.append(JournalEntry(seq: seq, time: time, event: event.name, prev: previous, fields: fields, line: line,
                                      hash: next.lastHash))
        }
        do {
            try journal.write(contentsOf: bytes)
            try journal.synchronize()
        } catch {
            throw Failure.write(folder + "/" + SessionFiles.journal, Self.reason(error))
        }
        chain = next
        lineCount = line
        entries += added
    }

    /// Appends the engine's records (one fsync for all); after an answer, a Back or the end,
    /// rewrites the reports.
    public func record(_ records: [EngineRecord]) throws {
        try append(records.map(SessionEvent.init))
        if records.contains(where: {
            switch $0 {
            case .stepAnswered, .finished, .stepBack: return true
            default: return false
            }
        }) {
            try rewriteReports()
        }
    }

    /// Renders both reports from the journal and replaces them atomically (temp file + rename).
    /// Command outputs already read for the report (an output file never changes once written; the
    /// reports are rewritten after every answer).
    private var outputs: [String: Data] = [:]

    private func outputFile(_ name: String) -> Data? {
        if let known = outputs[name] { return known }
        let data = FileManager.default.contents(atPath: folder + "/" + name)
        if let data { outputs[name] = data.prefix(4 << 20) }
        return data
    }

    public func rewriteReports() throws {
        let report = try Report.build(entries: entries, playbook: playbook, contacts: contacts, readFile: outputFile)
        try Self.replace(folder + "/" + SessionFiles.reportJSON, with: Data(ReportJSON.render(report).utf8))
        try Self.replace(folder + "/" + SessionFiles.reportMarkdown, with: Data(ReportMarkdown.render(report).utf8))
        Self.syncDirectory(folder)
    }

    /// A fresh file name in `evidence/` for a command's output (`base.txt`, `base-2.txt`, …).
    public func outputPath(_ base: String) -> (relative: String, absolute: String) {
        for attempt in 1...1000 {
            let name = attempt == 1 ? "\(base).txt" : "\(base)-\(attempt).txt"
            let absolute = evidencePath + "/" + name
            if !FileManager.default.fileExists(atPath: absolute) { return (SessionFiles.evidence + "/" + name, absolute) }
        }
        let name = "\(base)-\(UUID().uuidString).txt"
        return (SessionFiles.evidence + "/" + name, evidencePath + "/" + name)
    }

    // MARK: Files

    static func writeNew(_ path: String, _ data: Data, sync: Bool = true) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw Failure.write(path, String(cString: strerror(errno))) }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        do {
            try handle.write(contentsOf: data)
            if sync { try handle.synchronize() }
        } catch {
            // Nothing half-written is left behind (a full disk would otherwise pile up partial
            // copies and report.json.tmp files).
            unlink(path)
            throw Failure.write(path, reason(error))
        }
    }

    static func replace(_ path: String, with data: Data) throws {
        let temporary = path + ".tmp-\(getpid())"
        unlink(temporary)
        try writeNew(temporary, data)
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw Failure.write(path, reason)
        }
    }

    static func syncDirectory(_ path: String) {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }

    static func reason(_ error: Error) -> String {
        let nsError = error as NSError
        if let posix = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, posix.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(posix.code)))
        }
        return nsError.localizedDescription
    }
}

/// Read-only access to a report folder: the journal and the playbook copies.
public struct SessionFolderReader {
    public let folder: String
    public let contents: JournalContents
    public let journalData: Data

    /// For the list of unfinished sessions that every start makes: the journal's first entry (its
    /// time and `session.started`), and whether the session was closed (finished or abandoned) —
    /// found by the event's name in the text rather than by reading every line of every session.
    /// Lines count as resume reads them: the complete ones, and a last line without its newline
    /// if it still parses (a lost newline, not a torn write). `resume` and `verify` read and check
    /// the whole journal.
    static func glance(folder: String) -> (time: String, start: SessionEvent.SessionStart, finished: Bool)? {
        guard let data = try? journalBytes(folder: folder), !data.isEmpty else { return nil }
        let firstEnd = data.firstIndex(of: 0x0A).map { data.index(after: $0) } ?? data.endIndex
        guard let first = Journal.read(Data(data[data.startIndex..<firstEnd])).entries.first,
              case .sessionStarted(let start)? = first.typed else { return nil }
        let tailStart = data.lastIndex(of: 0x0A).map { data.index(after: $0) } ?? data.startIndex
        let closing: [SessionEvent] = [.sessionFinished(outcome: ""), .sessionAbandoned(tornLine: nil)]
        let complete = data[data.startIndex..<tailStart]
        var finished = closing.contains { complete.range(of: Data("\"event\":\"\($0.name)\"".utf8)) != nil }
        if !finished, tailStart < data.endIndex, tailStart >= firstEnd,
           let last = Journal.read(Data(data[tailStart...])).entries.first {
            finished = last.typed?.closesSession ?? false
        }
        return (first.time, start, finished)
    }

    public init(folder: String) throws {
        self.folder = folder
        journalData = try Self.journalBytes(folder: folder)
        contents = Journal.read(journalData)
    }

    /// The journal's bytes: a regular file, never through a symlink.
    private static func journalBytes(folder: String) throws -> Data {
        let path = try journalPath(folder: folder)
        guard let data = PosixFiles.contents(path) else {
            throw SessionStore.Failure.unreadable("cannot read \(path)")
        }
        return data
    }

    /// The journal's path, once it is known to be a regular file (a symlink is never followed).
    static func journalPath(folder: String) throws -> String {
        let path = folder + "/" + SessionFiles.journal
        var info = stat()
        guard lstat(path, &info) == 0 else {
            throw SessionStore.Failure.unreadable("\(folder) has no journal.jsonl (is it a report folder?)")
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            let what = info.st_mode & S_IFMT == S_IFLNK ? "a symbolic link" : "not a regular file"
            throw SessionStore.Failure.unreadable("\(path) is \(what); a report folder's journal is a regular file, and a link is never followed")
        }
        return path
    }

    /// The playbook and contacts the session ran with, checked against the hashes in `session.started`.
    public func playbook() throws -> (Playbook, [String: Contact]) {
        guard case .sessionStarted(let start)? = contents.entries.first?.typed else {
            throw SessionStore.Failure.unreadable("\(folder)/journal.jsonl does not begin with session.started")
        }
        let playbookPath = folder + "/" + SessionFiles.playbookCopy
        let data = try checkedCopy(SessionFiles.playbookCopy, sha256: start.playbook.sha256, required: true)!
        guard let playbook = PlaybookLoader.load(data, path: playbookPath).value else {
            throw SessionStore.Failure.unreadable("\(playbookPath) cannot be read as a playbook")
        }
        var shared: [String: Contact] = [:]
        if let contactsData = try checkedCopy(SessionFiles.contactsCopy, sha256: start.contacts?.sha256) {
            shared = ContactsLoader.load(contactsData, path: folder + "/" + SessionFiles.contactsCopy).value ?? [:]
        }
        return (playbook, playbook.mergedContacts(shared: shared))
    }

    /// A copy beside the journal, checked against the SHA-256 `session.started` names for it; nil
    /// when the session recorded none and it is not `required`.
    public func checkedCopy(_ file: String, sha256 expected: String?, required: Bool = false) throws -> Data? {
        guard expected != nil || required else { return nil }
        let path = folder + "/" + file
        guard let data = PosixFiles.contents(path) else { throw SessionStore.Failure.unreadable("\(path) is missing") }
        if let expected, Journal.sha256(data) != expected {
            throw SessionStore.Failure.unreadable("\(path) was changed: its SHA-256 is not the one in session.started")
        }
        return data
    }
}
