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
    private let lineReady: ((Int32) -> Bool)?
    private let write: (String) -> Void

    public convenience init(engine: Engine, context: PlaceholderContext, store: SessionStore,
                            readLine: @escaping () -> String? = { Swift.readLine(strippingNewline: true) },
                            lineReady: ((Int32) -> Bool)? = nil,
                            write: @escaping (String) -> Void = { try? FileHandle.standardOutput.write(contentsOf: Data(($0 + "\n").utf8)) }) {
        self.init(program: SessionProgram(engine: engine, context: context, entries: store.entries,
                                          operatingSystem: SystemFacts.operatingSystem, clock: { Timestamp.rfc3339() }),
                  edges: LiveEdges(store: store, context: context), readLine: readLine, lineReady: lineReady, write: write)
    }

    /// The session over any edges (the tests give fakes). `lineReady(ms)`: whether a line can be
    /// read without waiting, after waiting up to `ms` for one (nil: lines are read as they come,
    /// and a background scan's end is taken in between them).
    public init(program: SessionProgram, edges: SessionEdges, readLine: @escaping () -> String?,
                lineReady: ((Int32) -> Bool)? = nil, write: @escaping (String) -> Void) {
        runtime = SessionRuntime(program: program, edges: edges)
        self.readLine = readLine
        self.lineReady = lineReady
        self.write = write
    }

    public func run() -> Exit {
        // A SIGTERM or SIGHUP (the window closed) ends a running command's process group with the
        // wizard; a command is never left behind as an orphan.
        iw_install_plain_exit_handlers()
        do {
            try runtime.send(.start)
            if try PlainLoop.run(runtime, readLine: readLine, lineReady: lineReady, write: write) == .inputEnded {
                // The end screen: the session is finished already (a background scan still
                // running is stopped and recorded first).
                if runtime.program.isFinished {
                    try stop(reason: "end-of-input")
                    return .finished(outcome: runtime.program.outcome)
                }
                write(runtime.words(.endOfInput))
                try stop(reason: "end-of-input")
                return .quit
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
}

extension PlainSession {
    /// Stops the session and waits (with a deadline) for its commands' ends to be recorded.
    fileprivate func stop(reason: String) throws {
        try runtime.send(.stop(reason: reason))
        let deadline = ProcessInfo.processInfo.systemUptime + 10
        while !runtime.isOver, ProcessInfo.processInfo.systemUptime < deadline {
            try runtime.poll(progress: false)
            if !runtime.isOver { usleep(20_000) }
        }
    }
}

/// One question in plain mode outside a session (the scenario menu, "continue?", "close the
/// earlier record?", a notice), on the same loop as the session's steps.
public struct PlainPrompt {
    private let readLine: () -> String?
    private let write: (String) -> Void

    public init(readLine: @escaping () -> String?, write: @escaping (String) -> Void) {
        self.readLine = readLine
        self.write = write
    }

    /// The answer, `.quit`, or nil when the input ended first. A notice (the emergency card) is
    /// printed and not waited for: it stays on the screen, and a script is never held by it.
    public func ask(_ dialog: DialogProgram) -> DialogProgram.Ending? {
        if case .info = dialog.model.step.kind {
            PlainView.opening(dialog.model, frame: DialogRuntime(dialog).frame(clock: "")).forEach(write)
            return .answered(.none)
        }
        let runtime = DialogRuntime(dialog)
        guard (try? PlainLoop.run(runtime, readLine: readLine, write: write)) == .over else { return nil }
        return runtime.ending
    }
}

/// Plain mode's loop: prints each new screen and what every line changed, reads lines into the
/// model's inputs, and while a command runs, reports its progress and takes Ctrl-C.
enum PlainLoop {
    enum End: Equatable {
        case over
        case inputEnded
    }

    static func run(_ loop: LoopProgram, readLine: () -> String?, lineReady: ((Int32) -> Bool)? = nil,
                    write: (String) -> Void) throws -> End {
        var shown = 0
        // A background scan's status as last printed: its verdict (or a find) is printed when it
        // comes, between two prompts, never inside one.
        var status: String?
        while !loop.isOver, let model = loop.model {
            if shown != loop.entered {
                shown = loop.entered
                let frame = loop.frame(clock: Timestamp.clock())
                status = frame.status
                PlainView.opening(model, frame: frame).forEach(write)
            }
            if loop.commandRunning {
                try waitForCommand(loop, write: write)
                continue
            }
            /// Brings a background scan's progress and end in; a verdict or a find not yet said is
            /// printed (true then).
            func lookAtTheScan() throws -> Bool {
                try loop.poll(progress: true)
                let frame = loop.frame(clock: Timestamp.clock())
                defer { status = frame.status }
                guard let now = frame.status, now != status, frame.statusAlert || !loop.backgroundRunning else { return false }
                write("[\(Sanitizer.neutralise(now, keepNewlines: false))]")
                return true
            }
            _ = try lookAtTheScan()
            guard !loop.isOver, let model = loop.model, shown == loop.entered else { continue }
            PlainView.prompt(model).forEach(write)
            // While a background scan runs and no line has come, its end is taken in as it comes
            // (journaled at once); a verdict or a find is printed, then the prompt again, whole.
            if let lineReady {
                while loop.backgroundRunning, !loop.isOver, !lineReady(250) {
                    if try lookAtTheScan() { PlainView.prompt(loop.model ?? model).forEach(write) }
                }
                guard !loop.isOver, shown == loop.entered else { continue }
            }
            guard let line = readLine() else { return .inputEnded }
            for input in LineMap.inputs(for: line, in: model, fileExists: { FileManager.default.fileExists(atPath: $0) }) {
                try send(input, to: loop, write: write)
                // A refused input ends the line: what came after it was meant for what was refused.
                if loop.isOver || loop.entered != shown || loop.model?.message != nil { break }
            }
        }
        return .over
    }

    /// Feeds one input and prints what it changed on the same screen.
    private static func send(_ input: StepInput, to loop: LoopProgram, write: (String) -> Void) throws {
        guard let before = loop.model else { return }
        let screen = loop.entered
        try loop.input(input)
        if loop.entered == screen, !loop.isOver, let after = loop.model {
            PlainView.changes(from: before, to: after, after: input).forEach(write)
        }
    }

    /// While the step's commands run, stdin is not read (what is typed ahead is for the next
    /// steps): Ctrl-C asks whether to cancel, a second one within ten seconds confirms.
    private static func waitForCommand(_ loop: LoopProgram, write: (String) -> Void) throws {
        let interrupts = InterruptCounter()
        defer { interrupts.stop() }
        var question = InterruptQuestion()
        var looks = 0
        // The model before the command's end, for the lines that say how it ended (a look at the
        // progress may be the one that brings the end in).
        var running = loop.model
        while loop.commandRunning, !loop.isOver {
            // Once a second: how far a followed scan is, said at every tenth.
            looks += 1
            let before = loop.model
            try loop.poll(progress: looks % 20 == 0)
            if looks % 20 == 0, case .command(let was)? = before?.widget, case .command(let now)? = loop.model?.widget, !now.isFinished,
               let line = PlainView.progress(from: was, to: now, words: loop.words) {
                write(line)
            }
            if case .command(let command)? = loop.model?.widget, !command.isFinished { running = loop.model }
            let now = ProcessInfo.processInfo.systemUptime
            let pressed = interrupts.take()
            // A press in the look that brought the command's end in was meant for the command.
            guard loop.commandRunning else { break }
            for input in question.pressed(pressed, now: now) + question.tick(now: now) {
                try send(input, to: loop, write: write)
            }
            if loop.commandRunning { usleep(50_000) }
        }
        guard let before = running ?? loop.model, !loop.isOver, let after = loop.model else { return }
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
