import CSupport
import Foundation
import IncidentCore
import IncidentEdges
import IncidentUI

/// Plain mode: the step driver with lines for a view — prompts on stdout, answers read from stdin —
/// for screen readers, serial consoles and scripted drills. `LineMap` turns each typed line into
/// the step model's inputs and `PlainView` prints what they changed; what an input means is the
/// model's decision, exactly as on the full screen.
public final class PlainSession {
    public enum Exit: Equatable {
        case finished(outcome: String)
        /// The employee quit, or the input ended: the session stays resumable.
        case quit
        case failed(String)
    }

    private let driver: StepDriver
    private let readLine: () -> String?
    private let write: (String) -> Void

    public init(engine: Engine, context: PlaceholderContext, store: SessionStore,
                readLine: @escaping () -> String? = { Swift.readLine(strippingNewline: true) },
                write: @escaping (String) -> Void = { try? FileHandle.standardOutput.write(contentsOf: Data(($0 + "\n").utf8)) }) {
        driver = StepDriver(engine: engine, context: context, store: store)
        self.readLine = readLine
        self.write = write
    }

    public func run() -> Exit {
        // A SIGTERM or SIGHUP (the window closed) ends a running command's process group with the
        // wizard; a command is never left behind as an orphan.
        iw_install_plain_exit_handlers()
        do {
            try driver.start()
            var shown = 0
            while let model = driver.model {
                if shown != driver.entered {
                    shown = driver.entered
                    PlainView.opening(model, frame: driver.frame()).forEach(write)
                }
                if driver.commandRunning {
                    if let ending = try waitForCommand() { return exit(ending) }
                    continue
                }
                PlainView.prompt(model).forEach(write)
                guard let line = readLine() else {
                    // The end screen: the session is finished already, nothing is left to save.
                    if driver.isFinished { return .finished(outcome: driver.outcome) }
                    write(driver.words(.endOfInput))
                    try driver.suspend(reason: "end-of-input")
                    return .quit
                }
                for input in LineMap.inputs(for: line, in: model, fileExists: { FileManager.default.fileExists(atPath: $0) }) {
                    if let ending = try send(input) { return exit(ending) }
                    // A refused input ends the line: what came after it was meant for what was refused.
                    if driver.entered != shown || driver.model?.message != nil { break }
                }
            }
            return .finished(outcome: driver.outcome)
        } catch let error as EngineError {
            return .failed(error.description)
        } catch {
            return .failed("\(error)")
        }
    }

    private func exit(_ ending: StepDriver.Ending) -> Exit {
        switch ending {
        case .finished(let outcome): return .finished(outcome: outcome)
        case .suspended:
            write(driver.words(.quitSaved))
            return .quit
        }
    }

    /// Feeds one input and prints what it changed on the same step.
    private func send(_ input: StepInput) throws -> StepDriver.Ending? {
        guard let before = driver.model else { return nil }
        let step = driver.entered
        let ending = try driver.send(input)
        if driver.entered == step, let after = driver.model {
            PlainView.changes(from: before, to: after, after: input).forEach(write)
        }
        return ending
    }

    /// While the step's commands run, stdin is not read (what is typed ahead is for the next
    /// steps): Ctrl-C asks whether to cancel, a second one within ten seconds confirms.
    private func waitForCommand() throws -> StepDriver.Ending? {
        let interrupts = InterruptCounter()
        defer { interrupts.stop() }
        var askedAt: Date?
        var looks = 0
        // The model before the command's end, for the lines that say how it ended (a look at the
        // progress may be the one that brings the end in).
        var running = driver.model
        while driver.commandRunning {
            // Once a second: how far a followed scan is, said at every tenth.
            looks += 1
            if looks % 20 == 0, case .command(let before)? = driver.model?.widget {
                driver.poll()
                if case .command(let after)? = driver.model?.widget, !after.isFinished,
                   let line = PlainView.progress(from: before, to: after, words: driver.words) {
                    write(line)
                }
            }
            if case .command(let command)? = driver.model?.widget, !command.isFinished { running = driver.model }
            let pressed = interrupts.take()
            if pressed > 0 {
                // Two within one look (50 ms) are the question and its answer at once.
                if pressed >= 2, askedAt == nil, let ending = try send(.quit) { return ending }
                if pressed >= 2 || askedAt.map({ Date().timeIntervalSince($0) <= 10 }) == true {
                    askedAt = nil
                    if let ending = try send(.yes) { return ending }
                } else {
                    askedAt = Date()
                    if let ending = try send(.quit) { return ending }
                }
            } else if let asked = askedAt, Date().timeIntervalSince(asked) > 10 {
                askedAt = nil
                if let ending = try send(.dismiss) { return ending }
            }
            usleep(50_000)
        }
        guard let before = running ?? driver.model else { return nil }
        driver.poll()
        if let after = driver.model { PlainView.changes(from: before, to: after, after: .submit).forEach(write) }
        return nil
    }
}

/// Ctrl-C while a command runs in plain mode: counted, not fatal. Installed only then; afterwards
/// Ctrl-C is again the wizard's ending (which ends any command's group first, as SIGTERM does).
final class InterruptCounter: @unchecked Sendable {
    // Safe: `count` is only touched under `lock`; `source` is set once in init.
    private let lock = NSLock()
    private var count = 0
    private let source: DispatchSourceSignal
    private var stopped = false

    init() {
        signal(SIGINT, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler { [self] in lock.withLock { count += 1 } }
        source.resume()
    }

    /// The Ctrl-Cs since the last call.
    func take() -> Int {
        lock.withLock {
            defer { count = 0 }
            return count
        }
    }

    func stop() {
        guard !stopped else { return }
        stopped = true
        source.cancel()
        iw_install_plain_exit_handlers()
    }
}
