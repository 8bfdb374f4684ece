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
    let startedAt = Date()
    private var cancelled = false
    private var result: Answer?
    private var outputPath: String?
    private var detections: [String] = []
    private var tail: [String] = []
    private var messages: [String] = []

    /// `note`: a line to show first (why there is nothing to run).
    init(step: Step, commands: [(name: String, argv: [String], timeout: Int)], effects: StepEffects, words: Vocabulary,
         note: String? = nil) {
        self.words = words
        messages = note.map { [$0] } ?? []
        self.step = step
        self.commands = commands
        self.effects = effects
    }

    var answer: Answer? { lock.withLock { result } }

    /// What to show of the finished commands: why a command could not run, then a scan's
    /// detection lines (or the end of its output when it found nothing), or each command's status.
    var resultLines: [String] {
        lock.withLock { messages + (detections.isEmpty ? tail : detections) }
    }

    func cancel() { lock.withLock { cancelled = true } }

    func waitUntilDone() { done.wait(); done.signal() }

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
            guard let command = commands.first else { return .scan(ScanOutcome(verdict: .unavailable)) }
            do {
                let (run, outcome) = try effects.runScan(step, spec, argv: command.argv, isCancelled: isCancelled,
                                                         started: { path in self.lock.withLock { self.outputPath = path } })
                lock.withLock {
                    detections = run.detections
                    tail = run.tail
                    messages += run.result.missingProgram.map { [words.programMissing($0)] } ?? run.result.failure.map { [$0] } ?? []
                }
                return .scan(outcome)
            } catch {
                lock.withLock { messages += ["\(error)"] }
                return .scan(ScanOutcome(verdict: .error))
            }
        }
        var outputs: [CollectOutput] = []
        for command in commands {
            // Cancelled: the commands not yet started are not started.
            if isCancelled() { break }
            guard let run = try? effects.runCommand(step, name: command.name, argv: command.argv, timeout: command.timeout,
                                                    isCancelled: isCancelled,
                                                    started: { path in self.lock.withLock { self.outputPath = path } }) else { continue }
            outputs.append(CollectOutput(name: command.name, exitCode: run.result.exitCode, outputFile: run.outputFile,
                                         outputSHA256: run.outputSHA256))
            lock.withLock { messages.append("\(command.name): " + (run.result.failure ?? "exit \(run.result.exitCode.map(String.init) ?? "-")")) }
        }
        return .collect(CollectOutcome(outputs: outputs))
    }
}
