import Foundation
import IncidentCore
import IncidentEdges

/// A step's commands running on their own thread while the front end keeps drawing (or, in plain
/// mode, watching for Ctrl-C). The front end's thread reads only the lock-protected results; the
/// journal is written by this thread alone while it runs (the driver waits for it before writing
/// anything else: see `StepDriver.suspend(reason:)`).
final class CommandJob: @unchecked Sendable {
    private let lock = NSLock()
    private let step: Step
    private let commands: [(name: String, argv: [String], timeout: Int)]
    private let effects: StepEffects
    private let words: Vocabulary
    private let done = DispatchSemaphore(value: 0)
    /// Monotonic: a wall clock set back during a scan must not make the time shown negative.
    private let startedAt = ProcessInfo.processInfo.systemUptime

    var elapsedSeconds: Int { max(0, Int(ProcessInfo.processInfo.systemUptime - startedAt)) }
    private var cancelled = false
    private var result: Answer?
    private var outputPath: String?
    /// A ClamAV scan's progress, counted and followed beside it (nil for anything else).
    private var follower: ScanFollower?
    /// What the employee is told, in words; the raw lines behind the help.
    private var summary: [String] = []
    private var details: [String] = []

    /// `note`: a sentence to say first (why there is nothing to run).
    init(step: Step, commands: [(name: String, argv: [String], timeout: Int)], effects: StepEffects, words: Vocabulary,
         note: String? = nil) {
        self.words = words
        summary = note.map { [$0] } ?? []
        self.step = step
        self.commands = commands
        self.effects = effects
    }

    var answer: Answer? { lock.withLock { result } }

    /// The finished commands as the employee reads them: sentences, then the raw output (a scan's
    /// detection lines, else the end of its output; each command's status) for the help.
    var report: (summary: [String], details: [String]) {
        lock.withLock { (summary, details) }
    }

    func cancel() { lock.withLock { cancelled = true } }

    func waitUntilDone() { done.wait(); done.signal() }

    /// How far a followed scan is, read from its output so far.
    /// `finished`: the answer the caller already saw (nil while running), so that a scan that
    /// ends between the caller's two looks is not drawn as running at 100 %.
    func scanProgress(finished: Answer?) -> ScanProgress? {
        let (follower, path) = lock.withLock { (self.follower, outputPath) }
        guard var progress = follower?.progress(outputPath: path, now: ProcessInfo.processInfo.systemUptime) else { return nil }
        if case .scan(let outcome)? = finished {
            // At the verdict: through to a verdict (clean or found) is 100 % of what the scanner
            // reported; a cancelled or failed scan stays where it stopped (or says nothing, if the
            // files were not counted yet).
            progress.secondsLeft = nil
            progress.complete = (outcome.verdict == .clean || outcome.verdict == .detected) && progress.done > 0
            if progress.complete, progress.total == nil { progress.total = progress.done }
        }
        return progress
    }

    func liveTail() -> [String] {
        guard let path = lock.withLock({ outputPath }) else { return [] }
        return StepEffects.tail(of: path, lines: 6)
    }

    func start() {
        Thread { [self] in
            let answer = run()
            lock.withLock { result = answer }
            done.signal()
        }.start()
    }

    private func run() -> Answer {
        let isCancelled: @Sendable () -> Bool = { [self] in lock.withLock { cancelled } }
        if case .scan(let spec) = step.kind {
            guard let command = commands.first else {
                lock.withLock { summary.insert(words(.scanSaidUnavailable), at: 0) }
                return .scan(ScanOutcome(verdict: .unavailable))
            }
            // Counting the files to scan starts with the scanner, on a thread of its own.
            let follower = ScanFollower.forScan(command.argv)
            follower?.start()
            lock.withLock { self.follower = follower }
            defer { follower?.stop() }
            do {
                let (run, outcome) = try effects.runScan(step, spec, argv: command.argv, isCancelled: isCancelled,
                                                         started: { path in self.lock.withLock { self.outputPath = path } })
                var said = [said(outcome.verdict)]
                if let program = run.result.missingProgram {
                    said.append(words.programMissing(program))
                } else if run.result.timedOut {
                    said += [words(.scanTimedOut), words(.scanNoWorry)]
                } else if run.result.failure != nil {
                    said += [words(.scanCouldNotStart), words(.scanNoWorry)]
                } else if outcome.verdict == .error {
                    said.append(words(.scanNoWorry))
                }
                let raw = (run.result.failure.map { [$0] } ?? []) + (run.detections.isEmpty ? run.tail : run.detections)
                if !raw.isEmpty { said.append(words(.detailsBehindHelp)) }
                lock.withLock {
                    summary = said + summary
                    details = raw
                }
                return .scan(outcome)
            } catch {
                lock.withLock {
                    summary = [words(.scanSaidError), words(.scanNoWorry)]
                    details = ["\(error)"]
                }
                return .scan(ScanOutcome(verdict: .error))
            }
        }
        var outputs: [CollectOutput] = []
        var complete = true
        for command in commands {
            // Cancelled: the commands not yet started are not started.
            if isCancelled() { complete = false; break }
            guard let run = try? effects.runCommand(step, name: command.name, argv: command.argv, timeout: command.timeout,
                                                    isCancelled: isCancelled,
                                                    started: { path in self.lock.withLock { self.outputPath = path } }) else {
                complete = false
                continue
            }
            outputs.append(CollectOutput(name: command.name, exitCode: run.result.exitCode, outputFile: run.outputFile,
                                         outputSHA256: run.outputSHA256))
            if run.result.failure != nil || run.result.exitCode != 0 { complete = false }
            lock.withLock { details.append("\(command.name): " + (run.result.failure ?? "exit \(run.result.exitCode.map(String.init) ?? "-")")) }
        }
        let said = [words(.collectFinished)] + (complete ? [] : [words(.collectPartly)])
        lock.withLock { summary = said }
        return .collect(CollectOutcome(outputs: outputs))
    }

    private func said(_ verdict: ScanVerdict) -> String {
        switch verdict {
        case .clean: return words(.scanSaidClean)
        case .detected: return words(.scanSaidDetected)
        case .error: return words(.scanSaidError)
        case .unavailable: return words(.scanSaidUnavailable)
        case .cancelled: return words(.scanSaidCancelled)
        }
    }
}
