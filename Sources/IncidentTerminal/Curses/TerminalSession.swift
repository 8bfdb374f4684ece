import Foundation
import IncidentCore
import IncidentEdges
import IncidentUI

/// The full-screen session: the program loop wired to the curses terminal. Every answer is
/// journaled (and fsync'd) before the next screen is drawn.
public final class TerminalSession {
    public enum Exit: Equatable {
        case finished(outcome: String)
        case quit
        /// Stopped by SIGTERM, SIGHUP, SIGINT or SIGQUIT: suspended, resumable.
        case signal(Int32)
        case failed(String)
    }

    private let runtime: SessionRuntime
    private let terminal: CursesTerminal

    public init(engine: Engine, context: PlaceholderContext, store: SessionStore, terminal: CursesTerminal) {
        runtime = SessionRuntime(
            program: SessionProgram(engine: engine, context: context, entries: store.entries, operatingSystem: SystemFacts.operatingSystem,
                                    holdsCriticalEnter: true, clock: { Timestamp.rfc3339() }),
            edges: LiveEdges(store: store, context: context))
        self.terminal = terminal
    }

    public func run() -> Exit {
        do {
            try runtime.send(.start)
            let signal = try TerminalLoop.run(runtime, on: terminal)
            switch runtime.ending {
            // On the end screen the session is already finished: nothing was interrupted.
            case .finished(let outcome)?: return .finished(outcome: outcome)
            case .failed(let reason)?: return .failed(reason)
            case .suspended?, nil: return signal.map(Exit.signal) ?? .quit
            }
        } catch {
            return .failed("\(error)")
        }
    }
}

/// One question on the full screen outside a session: the scenario menu, "resume the
/// unfinished session?", a notice. Built from a step, so it looks and behaves like every other
/// screen, on the same loop.
public struct TerminalPrompt {
    let terminal: CursesTerminal

    public init(terminal: CursesTerminal) {
        self.terminal = terminal
    }

    /// The answer, or `.quit` (the employee quit, or a signal came).
    public func ask(_ dialog: DialogProgram) -> DialogProgram.Ending {
        let runtime = DialogRuntime(dialog)
        _ = try? TerminalLoop.run(runtime, on: terminal)
        return runtime.ending ?? .quit
    }
}

/// The full screen's loop: draws the model, turns keys into its inputs, brings in the clock (a
/// critical step's first second), a running command's progress, resizes and signals.
enum TerminalLoop {
    /// Runs `loop` until it is over; the signal that stopped it, if one did.
    static func run(_ loop: LoopProgram, on terminal: CursesTerminal) throws -> Int32? {
        // The screen shown (the loop's count of screens entered) and when it was first drawn.
        var shown = -1
        var shownAt = DispatchTime.now()
        // A signal, or the window gone: the loop is stopped (a running command is ended and
        // recorded first) and runs on until it is over.
        var stopped: Int32?
        // While a command runs its end is looked for at every turn of the loop (keys are waited
        // for 50 ms then), its progress four times a second.
        var lookedAt = DispatchTime.now()
        while !loop.isOver {
            if stopped == nil {
                let signal = terminal.pendingSignal != 0 ? terminal.pendingSignal : terminal.isLost ? SIGHUP : 0
                if signal != 0 {
                    stopped = signal
                    try loop.stop(reason: "signal \(signal)")
                    continue
                }
            }
            let now = DispatchTime.now()
            let look = now.uptimeNanoseconds >= lookedAt.uptimeNanoseconds + 250_000_000
            if look { lookedAt = now }
            try loop.poll(progress: look)
            guard stopped == nil else {
                // Waiting for a cancelled command to end: nothing more is read or drawn.
                usleep(50_000)
                continue
            }
            _ = terminal.sizeChanged()
            guard var model = loop.model else {
                usleep(10_000)
                continue
            }
            if model.overlay == .help {
                // The help's size at this terminal size, for its scrolling (as a window size).
                let viewport = StepView(model).helpViewport(width: terminal.width, height: terminal.height)
                try loop.input(.helpViewport(lines: viewport.lines, rows: viewport.rows))
                model = loop.model ?? model
            }
            // A critical step's Enter works once it has been on screen for a second.
            if model.enterHeld, shown == loop.entered, DispatchTime.now().uptimeNanoseconds >= shownAt.uptimeNanoseconds + 1_000_000_000 {
                try loop.input(.enterReady)
                model = loop.model ?? model
            }
            if shown != loop.entered {
                // A new screen: keys typed before it is drawn never answer it (dropped just
                // before its first frame, so a key pressed once it is seen always counts).
                shown = loop.entered
                shownAt = DispatchTime.now()
                terminal.flushInput()
            }
            terminal.present(StepView(model).render(loop.frame(clock: Timestamp.clock()), width: terminal.width, height: terminal.height))
            let working = loop.commandRunning || loop.backgroundRunning
            guard let key = terminal.readKey(milliseconds: working ? 50 : model.enterHeld ? 100 : 250),
                  let input = KeyMap.input(for: key, in: model) else { continue }
            try loop.input(input)
        }
        return stopped
    }
}
