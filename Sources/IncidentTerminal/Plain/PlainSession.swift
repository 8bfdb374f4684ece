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

    private let runtime: SessionRuntime
    private let readLine: () -> String?
    private let write: (String) -> Void

    public convenience init(engine: Engine, context: PlaceholderContext, store: SessionStore,
                            readLine: @escaping () -> String? = { Swift.readLine(strippingNewline: true) },
                            write: @escaping (String) -> Void = { try? FileHandle.standardOutput.write(contentsOf: Data(($0 + "\n").utf8)) }) {
        self.init(program: SessionProgram(engine: engine, context: context, entries: store.entries,
                                          operatingSystem: SystemFacts.operatingSystem, clock: { Timestamp.rfc3339() }),
                  edges: LiveEdges(store: store, context: context), readLine: readLine, write: write)
    }

    /// The session over any edges (the tests give fakes).
    public init(program: SessionProgram, edges: SessionEdges, readLine: @escaping () -> String?, write: @escaping (String) -> Void) {
        runtime = SessionRuntime(program: program, edges: edges)
        self.readLine = readLine
        self.write = write
    }

    public func run() -> Exit {
        // A SIGTERM or SIGHUP (the window closed) ends a running command's process group with the
        // wizard; a command is never left behind as an orphan.
        iw_install_plain_exit_handlers()
        do {
            try runtime.send(.start)
            var shown = 0
            while runtime.ending == nil, let model = runtime.model {
                if shown != runtime.program.entered {
                    shown = runtime.program.entered
                    PlainView.opening(model, frame: runtime.frame(clock: Timestamp.clock())).forEach(write)
                }
                if runtime.commandRunning {
                    try waitForCommand()
                    continue
                }
                PlainView.prompt(model).forEach(write)
                guard let line = readLine() else {
                    // The end screen: the session is finished already, nothing is left to save.
                    if runtime.program.isFinished { return .finished(outcome: runtime.program.outcome) }
                    write(runtime.words(.endOfInput))
                    try runtime.send(.stop(reason: "end-of-input"))
                    return .quit
                }
                for input in LineMap.inputs(for: line, in: model, fileExists: { FileManager.default.fileExists(atPath: $0) }) {
                    try send(input)
                    if runtime.ending != nil { break }
                    // A refused input ends the line: what came after it was meant for what was refused.
                    if runtime.program.entered != shown || runtime.model?.message != nil { break }
                }
            }
            switch runtime.ending {
            case .suspended?:
                write(runtime.words(.quitSaved))
                return .quit
            case .failed(let reason)?: return .failed(reason)
            case .finished(let outcome)?: return .finished(outcome: outcome)
            case nil: return .finished(outcome: runtime.program.outcome)
            }
        } catch {
            return .failed("\(error)")
        }
    }

    /// Feeds one input and prints what it changed on the same step.
    private func send(_ input: StepInput) throws {
        guard let before = runtime.model else { return }
        let step = runtime.program.entered
        try runtime.send(.input(input))
        if runtime.program.entered == step, runtime.ending == nil, let after = runtime.model {
            PlainView.changes(from: before, to: after, after: input).forEach(write)
        }
    }

    /// While the step's commands run, stdin is not read (what is typed ahead is for the next
    /// steps): Ctrl-C asks whether to cancel, a second one within ten seconds confirms.
    private func waitForCommand() throws {
        let interrupts = InterruptCounter()
        defer { interrupts.stop() }
        var askedAt: Date?
        var looks = 0
        // The model before the command's end, for the lines that say how it ended (a look at the
        // progress may be the one that brings the end in).
        var running = runtime.model
        while runtime.commandRunning, runtime.ending == nil {
            // Once a second: how far a followed scan is, said at every tenth.
            looks += 1
            let before = runtime.model
            try runtime.poll(progress: looks % 20 == 0)
            if looks % 20 == 0, case .command(let was)? = before?.widget, case .command(let now)? = runtime.model?.widget, !now.isFinished,
               let line = PlainView.progress(from: was, to: now, words: runtime.words) {
                write(line)
            }
            if case .command(let command)? = runtime.model?.widget, !command.isFinished { running = runtime.model }
            let pressed = interrupts.take()
            if pressed > 0 {
                // Two within one look (50 ms) are the question and its answer at once.
                if pressed >= 2, askedAt == nil { try send(.quit) }
                if pressed >= 2 || askedAt.map({ Date().timeIntervalSince($0) <= 10 }) == true {
                    askedAt = nil
                    try send(.yes)
                } else {
                    askedAt = Date()
                    try send(.quit)
                }
            } else if let asked = askedAt, Date().timeIntervalSince(asked) > 10 {
                askedAt = nil
                try send(.dismiss)
            }
            if runtime.commandRunning { usleep(50_000) }
        }
        guard let before = running ?? runtime.model, runtime.ending == nil, let after = runtime.model else { return }
        PlainView.changes(from: before, to: after, after: .submit).forEach(write)
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
