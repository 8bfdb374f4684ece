import Foundation
import IncidentCore
import IncidentTerminal

/// The session's edges in memory: a journal chained with the real `JournalChain` (so hashes and
/// check codes are real, and the bytes read back with `Journal.read` as a resumed session reads
/// its file), network readings from a script, commands as `FakeCommand`s the test ends or cancels.
///
/// Not thread-safe on purpose: the loop calls it from one thread, and it records any call that
/// comes from another (`appendsOffThread`).
final class FakeEdges: SessionEdges {
    static let time = "2026-12-02T15:09:00+09:00"

    /// The journal file as written so far, line by line.
    private(set) var bytes = Data()
    private(set) var entries: [JournalEntry]
    private var chain: JournalChain
    /// The thread that made the edges (the test's): the loop's, the only one that may append.
    private let owner = pthread_self()
    private(set) var appends = 0
    private(set) var appendsOffThread = 0
    private(set) var reportRewrites = 0

    /// What the network reads, in order; the last one is read again once the script is used up.
    var readings: [NetworkReading]
    private(set) var probes = 0

    /// How each command runs, by its name (`scan`, or a collect command's name).
    var plans: [String: FakeCommand.Plan] = [:]
    /// The plan of a command not named in `plans`.
    var defaultPlan = FakeCommand.Plan.runsUntilCancelled
    /// Commands run on threads of their own (as `CommandJob` does).
    var commandsOnThreads = false
    /// Making a command ready fails with this (a drill's test folder that could not be made).
    var prepareFailure: String?
    private(set) var prepared: [SessionProgram.CommandRequest] = []
    private(set) var started: [FakeCommand] = []
    /// For each command started: the journal's last event as `start` was called.
    private(set) var lastEventAtStart: [SessionEvent?] = []

    /// What attaching a path gives; any other path is refused.
    var attachments: [String: SessionProgram.EvidenceResult] = [:]
    private(set) var needs: [SessionProgram.StepNeeds] = []
    private(set) var handoffTexts: [String] = []

    /// A new session's journal: `session.started` only.
    init(playbook: Playbook, readings: [NetworkReading] = []) throws {
        entries = []
        chain = JournalChain()
        self.readings = readings
        let start = SessionEvent.SessionStart(
            incidentID: "8f0c4e0a-3a9b-4c43-9f7e-1d2b3c4d5e6f",
            playbook: .init(id: playbook.id.value, revision: playbook.revision, sha256: String(repeating: "a", count: 64), file: "playbook.yaml"),
            contacts: nil, language: "en", host: nil, toolVersion: "test", drill: false)
        _ = try append([.sessionStarted(start)])
    }

    /// A journal file left by another run (a kill): read as a resumed session reads it, and
    /// continued from its last line.
    init(journal: Data, readings: [NetworkReading] = []) {
        let contents = Journal.read(journal)
        bytes = journal
        entries = contents.entries
        chain = JournalChain(continuing: contents)
        self.readings = readings
    }

    /// The events journaled so far, typed.
    var events: [SessionEvent] { entries.compactMap(\.typed) }

    // MARK: SessionEdges

    func append(_ events: [SessionEvent]) throws -> [JournalEntry] {
        appends += 1
        if pthread_equal(pthread_self(), owner) == 0 { appendsOffThread += 1 }
        var added: [JournalEntry] = []
        for event in events {
            let previous = chain.lastHash
            let seq = chain.nextSeq
            let fields = event.fields
            bytes.append(chain.append(event: event.name, time: Self.time, fields: fields))
            added.append(JournalEntry(seq: seq, time: Self.time, event: event.name, prev: previous, fields: fields,
                                      line: entries.count + added.count + 1, hash: chain.lastHash))
        }
        entries += added
        return added
    }

    func rewriteReports() throws {
        reportRewrites += 1
    }

    func prepare(_ needs: SessionProgram.StepNeeds, handoffText: (String) -> String?) -> SessionProgram.StepFacts {
        self.needs.append(needs)
        if let outcome = needs.qrOutcome, let text = handoffText(outcome) { handoffTexts.append(text) }
        return SessionProgram.StepFacts()
    }

    func probeNetwork() -> NetworkReading {
        defer { probes += 1 }
        guard !readings.isEmpty else { return NetworkReading(connected: [], defaultRoute: false) }
        return readings[min(probes, readings.count - 1)]
    }

    func prepareCommand(_ request: SessionProgram.CommandRequest) throws -> PreparedCommand {
        prepared.append(request)
        if let prepareFailure { throw FakeFailure(prepareFailure) }
        return PreparedCommand(start: .init(step: request.step, name: request.name, argv: request.argv,
                                            outputFile: "evidence/\(request.outputBase).txt"),
                               outputPath: "/nonexistent/evidence/\(request.outputBase).txt", timeout: request.timeout,
                               isScan: request.isScan)
    }

    func start(_ command: PreparedCommand) -> RunningCommand {
        lastEventAtStart.append(entries.last?.typed)
        let fake = FakeCommand(command, plan: plans[command.start.name] ?? defaultPlan, onThread: commandsOnThreads)
        started.append(fake)
        fake.start()
        return fake
    }

    func attach(step: String, path: String) -> SessionProgram.EvidenceResult {
        attachments[path] ?? .refused(reason: "\(path): no such file", local: "\(path) was not found")
    }
}

struct FakeFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A command the test controls: it never ends, ends with an exit code and output when told (or at
/// once), and ends as a killed process does when it is cancelled (unless it ignores that).
///
/// On a thread of its own (`onThread`), its end is set by that thread, as `CommandJob`'s is: the
/// loop sees it only by polling.
final class FakeCommand: RunningCommand, @unchecked Sendable {
    // Safe: every var is only touched under `lock`; the rest is set in init.
    enum Plan: Sendable {
        /// Runs until cancelled; then ends with no exit code, as a killed process.
        case runsUntilCancelled
        /// Never ends by itself and ignores a cancel (the test ends it with `finish`).
        case ignoresCancel
        /// Ends at once with this exit code and output.
        case exits(Int, output: [String])
    }

    private struct Ending {
        var exitCode: Int?
        var output: [String]
        var timedOut: Bool
    }

    let command: PreparedCommand
    let plan: Plan
    let onThread: Bool
    private let lock = NSLock()
    private var ended: SessionProgram.CommandResult?
    private var pending: Ending?
    private var cancels = 0
    private var output: [String] = []
    private var seconds = 0
    private var scanProgress: ScanProgress?
    private var endedOnOwnThread = false
    private let wake = DispatchSemaphore(value: 0)
    private let endSignal = DispatchSemaphore(value: 0)

    init(_ command: PreparedCommand, plan: Plan, onThread: Bool) {
        self.command = command
        self.plan = plan
        self.onThread = onThread
    }

    var name: String { command.start.name }
    var cancelCount: Int { lock.withLock { cancels } }
    /// Whether the end was set by the command's own thread (not the loop's).
    var endedOffLoop: Bool { lock.withLock { endedOnOwnThread } }

    func start() {
        if onThread {
            let owner = pthread_self()
            Thread { [self] in
                wake.wait()
                let differs = pthread_equal(pthread_self(), owner) == 0
                lock.withLock {
                    if let pending { ended = result(pending) }
                    endedOnOwnThread = differs
                }
                endSignal.signal()
            }.start()
        }
        if case let .exits(code, output) = plan { end(Ending(exitCode: code, output: output, timedOut: false)) }
    }

    /// What the running command has done so far (its output, time and scan progress).
    func advance(seconds: Int, output: [String], progress: ScanProgress? = nil) {
        lock.withLock {
            self.seconds = seconds
            self.output += output
            scanProgress = progress
        }
    }

    /// Ends it with this exit code and output (nil: killed).
    func finish(exitCode: Int?, output: [String] = [], timedOut: Bool = false) {
        end(Ending(exitCode: exitCode, output: output, timedOut: timedOut))
    }

    /// Waits (with a deadline) until its end is set: on its own thread, that takes a moment.
    @discardableResult
    func waitUntilEnded(seconds: Double = 10) -> Bool {
        if result != nil { return true }
        guard endSignal.wait(timeout: .now() + seconds) == .success else { return false }
        endSignal.signal()
        return true
    }

    private func end(_ ending: Ending) {
        let first: Bool = lock.withLock {
            guard ended == nil, pending == nil else { return false }
            if onThread {
                pending = ending
            } else {
                ended = result(ending)
            }
            return true
        }
        guard first else { return }
        if onThread { wake.signal() } else { endSignal.signal() }
    }

    /// Called under `lock`.
    private func result(_ ending: Ending) -> SessionProgram.CommandResult {
        let all = output + ending.output
        let text = all.map { $0 + "\n" }.joined()
        let start = command.start
        let end = SessionEvent.CommandEnd(
            step: start.step, name: start.name, argv: start.argv, exitCode: ending.exitCode, durationMs: seconds * 1000,
            timedOut: ending.timedOut, outputFile: all.isEmpty ? nil : start.outputFile,
            outputSHA256: all.isEmpty ? nil : Journal.sha256(Data(text.utf8)), outputSize: text.utf8.count,
            detections: all.filter { $0.hasSuffix(" FOUND") }, tail: Array(all.suffix(20)))
        return SessionProgram.CommandResult(end: end, ran: true, progress: scanProgress)
    }

    // MARK: RunningCommand

    var result: SessionProgram.CommandResult? { lock.withLock { ended } }

    func progress() -> (seconds: Int, lines: [String], progress: ScanProgress?) {
        lock.withLock { (seconds, Array(output.suffix(6)), scanProgress) }
    }

    func cancel() {
        let honours: Bool = lock.withLock {
            cancels += 1
            if case .ignoresCancel = plan { return false }
            return true
        }
        if honours { end(Ending(exitCode: nil, output: [], timedOut: false)) }
    }
}
