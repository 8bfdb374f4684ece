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

    public var incidentID: String { entries.first?["incident_id"]?.string ?? opening?.incidentID ?? "" }
    public var language: String {
        entries.first?["language"]?.string ?? opening?.language ?? playbook.languageCodes.first ?? "en"
    }
    public var started: String { entries.first?.time ?? opening.map { Timestamp.rfc3339($0.started) } ?? "" }
    public var isDrill: Bool { entries.first?["drill"]?.bool ?? opening?.drill ?? false }
    /// The record is kept in the private fallback folder, and why (`session.started` says so).
    public var reportsFallback: ReportsFallback? {
        guard let first = entries.first else { return opening?.reportsFallback }
        return ReportsFallback(json: first[ReportsFallback.key])
    }

    // MARK: Creating

    /// Creates the folder and the (empty) journal, and writes `session.started` with the host
    /// facts, the engine's `firstRecords` (the first step entered) and the copies of the playbook
    /// (and contacts) as they are now.
    ///
    /// With `defersReports` (the terminal interface) only the folder and the journal file are
    /// made now; the rest is written right after the first screen is drawn (`flushReports`), or
    /// before any other journal line, whichever comes first — and made durable before any other
    /// line (an answer) is written (`append`). The employee sees the first step a millisecond
    /// sooner; a session killed in between leaves a folder with an empty journal, which is never
    /// offered for resuming (nothing was answered). Plain mode writes and syncs everything now.
    public static func create(reports: String, playbook: Playbook, playbookData: Data, contactsData: Data?,
                              contacts: [String: Contact], language: String, host: @escaping @autoclosure () -> HostFacts,
                              drill: Bool, toolVersion: String, defersReports: Bool = false,
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
        store.defersReports = defersReports
        store.opening = Opening(reports: reports, started: started, incidentID: UUID().uuidString.lowercased(), language: language,
                                drill: drill, toolVersion: toolVersion, playbookData: playbookData, contactsData: contactsData,
                                host: host, firstRecords: firstRecords, reportsFallback: reportsFallback)
        if !defersReports {
            try store.writeOpening()
            try store.rewriteReports()
        }
        return store
    }

    /// What `create` has still to write (see there).
    private struct Opening {
        var reports: String
        var started: Date
        var incidentID: String
        var language: String
        var drill: Bool
        var toolVersion: String
        var playbookData: Data
        var contactsData: Data?
        var host: () -> HostFacts
        var firstRecords: [EngineRecord]
        var reportsFallback: ReportsFallback?
    }

    private var opening: Opening?

    /// The copies, then `session.started` and the first records in one write (its time is the
    /// session's start). Deferred, nothing is synced here: `flushReports`, or the next public
    /// `append` before it writes its own line, does it. `opening` is cleared only when all of it
    /// is written, so after a failure every later write fails too (the copies exist: `O_EXCL`)
    /// rather than a journal going on without its `session.started`.
    ///
    /// Only the main thread calls this: a command's thread appends only after `startJob` has
    /// flushed, when there is nothing left to write or sync.
    private func writeOpening() throws {
        guard let opening else { return }
        let sync = !defersReports
        var written: [String] = []
        let playbookCopy = folder + "/" + SessionFiles.playbookCopy
        try Self.writeNew(playbookCopy, opening.playbookData, sync: sync)
        written.append(playbookCopy)
        if let contactsData = opening.contactsData {
            let contactsCopy = folder + "/" + SessionFiles.contactsCopy
            try Self.writeNew(contactsCopy, contactsData, sync: sync)
            written.append(contactsCopy)
        }
        if sync {
            Self.syncDirectory(folder)
            Self.syncDirectory(opening.reports)
        } else {
            unsynced += written + [folder + "/" + SessionFiles.journal, evidencePath, folder, opening.reports]
        }
        let started = (JournalEventName.sessionStarted, SessionEvents.started(
            incidentID: opening.incidentID, playbook: playbook, playbookSHA256: Journal.sha256(opening.playbookData),
            contactsSHA256: opening.contactsData.map(Journal.sha256), language: opening.language, host: opening.host(),
            toolVersion: opening.toolVersion, drill: opening.drill, reportsFallback: opening.reportsFallback))
        try append([started] + opening.firstRecords.map(SessionEvents.event), sync: sync, time: opening.started)
        self.opening = nil
        reportsStale = true
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
        guard !contents.entries.contains(where: { $0.event == JournalEventName.sessionFinished }) else {
            throw Failure.notResumable("the session in \(folder) is already finished")
        }
        guard !contents.entries.contains(where: { $0.event == JournalEventName.sessionAbandoned }) else {
            throw Failure.notResumable("the session in \(folder) was closed without finishing (the employee started afresh)")
        }
        let isDrill = contents.entries.first?["drill"]?.bool ?? false
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
        var fields: [JSONValue.Member] = []
        if let torn = contents.tornTail {
            lines = torn.line
            fields.append(.init("torn_line", .int(torn.line)))
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
            try store.append(JournalEventName.sessionAbandoned, fields)
            try store.rewriteReports()
            return (store, engine, notes)
        }
        try store.append(JournalEventName.sessionResumed, fields)
        try store.record(missing)
        try store.rewriteReports()
        return (store, engine, notes)
    }

    /// Unfinished sessions in a reports directory, newest first. Symlinks are never followed.
    /// `drill`: only drills, or only real sessions (a drill never resumes a real incident).
    public static func unfinished(in reports: String, playbookID: String? = nil, drill: Bool? = nil) -> [Unfinished] {
        let names = PosixFiles.names(in: reports) ?? []
        var found: [Unfinished] = []
        for name in names {
            let path = reports + "/" + name
            var info = stat()
            guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR, info.st_uid == getuid(),
                  let (start, finished) = SessionFolderReader.glance(folder: path), !finished else { continue }
            let id = start["playbook"]?["id"]?.string ?? ""
            let isDrill = start["drill"]?.bool ?? false
            if let playbookID, id != playbookID { continue }
            if let drill, drill != isDrill { continue }
            found.append(Unfinished(folder: path, playbookID: id, started: start.time, incidentID: start["incident_id"]?.string ?? "",
                                    drill: isDrill, openElsewhere: isLocked(journal: path + "/" + SessionFiles.journal)))
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

    /// Appends one event and makes it durable before returning.
    public func append(_ event: String, _ fields: [JSONValue.Member]) throws {
        try append([(event, fields)])
    }

    /// Appends events as consecutive chained lines with one write and one fsync: all of them are
    /// durable before this returns (a crash in between leaves at most a torn last line). What a new
    /// session has not yet written or synced (its opening lines, copies, folder entries) is made
    /// durable first, so no answer is ever on disk without them. Only `create` appends without
    /// the fsync.
    public func append(_ events: [(String, [JSONValue.Member])]) throws {
        try writeOpening()
        try syncPending()
        try append(events, sync: true)
    }

    private func append(_ events: [(String, [JSONValue.Member])], sync: Bool, time: Date? = nil) throws {
        guard !events.isEmpty else { return }
        let time = Timestamp.rfc3339(time ?? clock())
        var next = chain
        var bytes = Data()
        var added: [JournalEntry] = []
        var line = lineCount
        for (event, fields) in events {
            let previous = next.lastHash
            let seq = next.nextSeq
            let data = next.append(event: event, time: time, fields: fields)
            bytes.append(data)
            line += 1
            added.append(JournalEntry(seq: seq, time: time, event: event, prev: previous, fields: fields, line: line,
                                      hash: next.lastHash))
        }
        do {
            try journal.write(contentsOf: bytes)
            if sync { try journal.synchronize() }
        } catch {
            throw Failure.write(folder + "/" + SessionFiles.journal, Self.reason(error))
        }
        chain = next
        lineCount = line
        entries += added
    }

    /// The terminal interface draws the next screen first and rewrites the reports right after
    /// (`flushReports`); plain mode rewrites them at once.
    public var defersReports = false
    private var reportsStale = false

    /// Appends the engine's records (one fsync for all); after an answer or the end, rewrites the
    /// reports — at once, or at the next `flushReports` when they are deferred.
    public func record(_ records: [EngineRecord]) throws {
        try append(records.map(SessionEvents.event))
        if records.contains(where: {
            switch $0 {
            case .stepAnswered, .finished, .stepBack: return true
            default: return false
            }
        }) {
            if defersReports { reportsStale = true } else { try rewriteReports() }
        }
    }

    /// Files and folders of a new session not yet synced (see `create`).
    private var unsynced: [String] = []

    /// Whether `flushReports` has anything to do.
    public var hasPendingWork: Bool { opening != nil || reportsStale || !unsynced.isEmpty }

    private func syncPending() throws {
        guard !unsynced.isEmpty else { return }
        for path in unsynced { try Self.syncPath(path) }
        unsynced = []
    }

    /// Rewrites the reports if an answer came since they were last written, and syncs what a new
    /// session left unsynced.
    public func flushReports() throws {
        try writeOpening()
        try syncPending()
        guard reportsStale else { return }
        try rewriteReports()
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
        try writeOpening()
        reportsStale = false
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

    /// fsync of a file or folder by path; a failure is an error: it guards what the first answer
    /// relies on.
    static func syncPath(_ path: String) throws {
        let descriptor = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard descriptor >= 0 else { throw Failure.write(path, String(cString: strerror(errno))) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw Failure.write(path, String(cString: strerror(errno))) }
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

    /// For the list of unfinished sessions that every start makes: the journal's first entry, and
    /// whether it records `session.finished` — without decoding every line (about 0.1 ms a line,
    /// times every session in the folder). Lines count as resume reads them: the complete ones,
    /// and a last line without its newline if it still parses (a lost newline, not a torn write).
    /// `resume` and `verify` read and check the whole journal.
    static func glance(folder: String) -> (start: JournalEntry, finished: Bool)? {
        guard let data = try? journalBytes(folder: folder), !data.isEmpty else { return nil }
        let firstEnd = data.firstIndex(of: 0x0A).map { data.index(after: $0) } ?? data.endIndex
        guard let start = Journal.read(Data(data[data.startIndex..<firstEnd])).entries.first,
              start.event == JournalEventName.sessionStarted else { return nil }
        let tailStart = data.lastIndex(of: 0x0A).map { data.index(after: $0) } ?? data.startIndex
        // Finished, or closed by the employee (abandoned): either way not offered again.
        let markers = [JournalEventName.sessionFinished, JournalEventName.sessionAbandoned].map { Array("\"event\":\"\($0)\"".utf8) }
        var finished = data[data.startIndex..<tailStart].withUnsafeBytes { bytes in markers.contains { Self.contains(bytes, $0) } }
        if !finished, tailStart < data.endIndex, tailStart >= firstEnd,
           let last = Journal.read(Data(data[tailStart...])).entries.first {
            finished = last.event == JournalEventName.sessionFinished || last.event == JournalEventName.sessionAbandoned
        }
        return (start, finished)
    }

    /// A plain byte search (Foundation's generic `firstRange(of:)` on bytes is far slower).
    static func contains(_ bytes: UnsafeRawBufferPointer, _ needle: [UInt8]) -> Bool {
        guard let first = needle.first, bytes.count >= needle.count else { return false }
        var index = 0
        while index <= bytes.count - needle.count {
            if bytes[index] == first {
                var matched = 1
                while matched < needle.count, bytes[index + matched] == needle[matched] { matched += 1 }
                if matched == needle.count { return true }
            }
            index += 1
        }
        return false
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
        guard let start = contents.entries.first, start.event == JournalEventName.sessionStarted else {
            throw SessionStore.Failure.unreadable("\(folder)/journal.jsonl does not begin with session.started")
        }
        let playbookPath = folder + "/" + SessionFiles.playbookCopy
        let data = try checkedCopy("playbook", SessionFiles.playbookCopy, start: start, required: true)!
        guard let playbook = PlaybookLoader.load(data, path: playbookPath).value else {
            throw SessionStore.Failure.unreadable("\(playbookPath) cannot be read as a playbook")
        }
        var shared: [String: Contact] = [:]
        if let contactsData = try checkedCopy("contacts", SessionFiles.contactsCopy, start: start) {
            shared = ContactsLoader.load(contactsData, path: folder + "/" + SessionFiles.contactsCopy).value ?? [:]
        }
        return (playbook, playbook.mergedContacts(shared: shared))
    }

    /// A copy beside the journal (`session.started`'s `key` names its SHA-256), checked against that
    /// hash; nil when the session recorded none and it is not `required`.
    public func checkedCopy(_ key: String, _ file: String, start: JournalEntry, required: Bool = false) throws -> Data? {
        let expected = start[key]?["sha256"]?.string
        guard expected != nil || required else { return nil }
        let path = folder + "/" + file
        guard let data = PosixFiles.contents(path) else { throw SessionStore.Failure.unreadable("\(path) is missing") }
        if let expected, Journal.sha256(data) != expected {
            throw SessionStore.Failure.unreadable("\(path) was changed: its SHA-256 is not the one in session.started")
        }
        return data
    }
}
