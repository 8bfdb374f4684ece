import Foundation
import IncidentCore
import IncidentEdges

/// The session's edges on the real machine: the report folder's store, the network probe,
/// processes in groups of their own, the evidence folder, libqrencode.
public final class LiveEdges: SessionEdges {
    private let store: SessionStore
    private let context: PlaceholderContext
    /// A drill's scan looks at a test folder made for it (`DrillTarget`), removed after the scan.
    private var drillTarget: DrillTarget?

    public init(store: SessionStore, context: PlaceholderContext) {
        self.store = store
        self.context = context
    }

    deinit { drillTarget?.remove() }

    public func append(_ events: [SessionEvent]) throws -> [JournalEntry] {
        let before = store.entries.count
        try store.append(events)
        return Array(store.entries[before...])
    }

    public func rewriteReports() throws {
        try store.rewriteReports()
    }

    public func prepare(_ needs: SessionProgram.StepNeeds, handoffText: (String) -> String?) -> SessionProgram.StepFacts {
        SessionProgram.StepFacts(
            recentFiles: needs.recentFiles ? EvidenceStore.recentFiles(home: context.home) : [],
            qrModules: needs.qrOutcome.flatMap(handoffText).flatMap { QRCode($0)?.modules },
            scanProblem: needs.scanReadiness.flatMap(ScanReadiness.problem))
    }

    public func probeNetwork() -> NetworkReading { NetworkProbe().probe() }

    public func prepareCommand(_ request: SessionProgram.CommandRequest) throws -> PreparedCommand {
        var argv = request.argv
        var directory: String?
        drillTarget?.remove()
        drillTarget = nil
        if store.isDrill, let template = request.scanTemplate {
            let target = try DrillTarget.create()
            drillTarget = target
            argv = target.argv(for: template, context: context)
            directory = target.directory
        }
        // A clamscan the ClamAV daemon can run, when it answers, is run through it.
        if request.isScan { argv = ClamDaemon.route(argv: argv) }
        let output = store.outputPath(request.outputBase)
        return PreparedCommand(start: .init(step: request.step, name: request.name, argv: argv, outputFile: output.relative),
                               outputPath: output.absolute, directory: directory, timeout: request.timeout, isScan: request.isScan)
    }

    public func start(_ command: PreparedCommand) -> RunningCommand {
        // The drill's test folder goes with the scan that looks at it.
        let job = CommandJob(command, leaving: drillTarget)
        drillTarget = nil
        job.start()
        return job
    }

    public func attach(step: String, path: String) -> SessionProgram.EvidenceResult {
        do {
            let attached = try EvidenceStore(directory: store.evidencePath).attach(path)
            return .added(.init(step: step, file: attached.file, email: attached.email, emocheck: attached.emocheck))
        } catch let refusal as EvidenceStore.Refusal {
            return .refused(reason: refusal.description, local: refusal.reason(Vocabulary(language: context.language)))
        } catch {
            return .refused(reason: "\(error)", local: "\(error)")
        }
    }
}

/// One command on a thread of its own. The loop's thread reads only the lock-protected state;
/// the journal is the loop's to write.
final class CommandJob: RunningCommand, @unchecked Sendable {
    // Safe: `cancelled` and `ended` are only touched under `lock`; the rest is set in init.
    private let lock = NSLock()
    private let command: PreparedCommand
    /// A ClamAV scan's progress, counted and followed beside it (nil for anything else).
    private let follower: ScanFollower?
    /// The follower takes one caller at a time: the loop's looks and the job's last one.
    private let following = NSLock()
    /// Monotonic: a wall clock set back during a scan must not make the time shown negative.
    private let startedAt = ProcessInfo.processInfo.systemUptime
    private var cancelled = false
    private var ended: SessionProgram.CommandResult?
    /// Removed once the command has ended.
    private let leaving: DrillTarget?

    init(_ command: PreparedCommand, leaving: DrillTarget? = nil) {
        self.command = command
        self.leaving = leaving
        follower = command.isScan ? ScanFollower.forScan(command.start.argv) : nil
    }

    var result: SessionProgram.CommandResult? { lock.withLock { ended } }

    func cancel() { lock.withLock { cancelled = true } }

    func progress() -> (seconds: Int, lines: [String], progress: ScanProgress?) {
        let seconds = max(0, Int(ProcessInfo.processInfo.systemUptime - startedAt))
        return (seconds, CommandOutput.tail(of: command.outputPath, lines: 6), followed())
    }

    private func followed() -> ScanProgress? {
        following.withLock { follower?.progress(outputPath: command.outputPath, now: ProcessInfo.processInfo.systemUptime) }
    }

    func start() {
        // Counting the files to scan starts with the scanner, on a thread of its own.
        follower?.start()
        Thread { [self] in
            let result = run()
            follower?.stop()
            leaving?.remove()
            lock.withLock { ended = result }
        }.start()
    }

    private func run() -> SessionProgram.CommandResult {
        let start = command.start
        let run = ProcessRunner().run(start.argv, outputPath: command.outputPath, timeoutSeconds: command.timeout,
                                      directory: command.directory, isCancelled: { [self] in lock.withLock { cancelled } })
        // One pass over the output (it may be gigabytes): its hash, size and detection lines.
        let digest = FileManager.default.fileExists(atPath: command.outputPath) ? CommandOutput.digest(of: command.outputPath) : nil
        let end = SessionEvent.CommandEnd(
            step: start.step, name: start.name, argv: start.argv, exitCode: run.exitCode.map(Int.init), durationMs: run.durationMs,
            timedOut: run.timedOut, failure: run.failure, outputFile: digest == nil ? nil : start.outputFile,
            outputSHA256: digest?.sha256, outputSize: digest?.size ?? 0, detections: digest?.detections ?? [],
            tail: digest == nil ? [] : CommandOutput.tail(of: command.outputPath, lines: 20))
        return SessionProgram.CommandResult(end: end, ran: run.ran, missingProgram: run.missingProgram, progress: followed())
    }
}
