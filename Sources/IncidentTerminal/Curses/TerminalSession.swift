import Foundation
import IncidentCore
import IncidentEdges
import IncidentUI

/// The full-screen session: the engine, the journal and the step screens wired to the curses
/// terminal. Every answer is journaled (and fsync'd) before the next screen is drawn.
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
        // The step on screen (the program's count of steps entered) and when it was first drawn.
        var shown = -1
        var shownAt = DispatchTime.now()
        // A signal, or the window gone: the session is stopped (a running command is ended and
        // recorded first) and the loop runs on until the program says it is over.
        var stopped: Int32?
        do {
            try runtime.send(.start)
            while true {
                if let ending = runtime.ending { return exit(ending, signal: stopped) }
                if stopped == nil {
                    let signal = terminal.pendingSignal != 0 ? terminal.pendingSignal : terminal.isLost ? SIGHUP : 0
                    if signal != 0 {
                        stopped = signal
                        try runtime.send(.stop(reason: "signal \(signal)"))
                        continue
                    }
                }
                try runtime.poll()
                _ = terminal.sizeChanged()
                guard var model = runtime.model else { continue }
                if model.overlay == .help {
                    // The help's size at this terminal size, for its scrolling (as a window size).
                    let viewport = StepView(model).helpViewport(width: terminal.width, height: terminal.height)
                    try runtime.send(.input(.helpViewport(lines: viewport.lines, rows: viewport.rows)))
                    model = runtime.model ?? model
                }
                // A critical step's Enter works once it has been on screen for a second.
                if model.enterHeld, shown == runtime.program.entered,
                   DispatchTime.now().uptimeNanoseconds >= shownAt.uptimeNanoseconds + 1_000_000_000 {
                    try runtime.send(.input(.enterReady))
                    model = runtime.model ?? model
                }
                if shown != runtime.program.entered {
                    // A new step: keys typed before it is drawn never answer it (dropped just
                    // before its first frame, so a key pressed once it is seen always counts).
                    shown = runtime.program.entered
                    shownAt = DispatchTime.now()
                    terminal.flushInput()
                }
                if stopped != nil {
                    // Waiting for a cancelled command to end: nothing more is read.
                    usleep(50_000)
                    continue
                }
                terminal.present(StepView(model).render(runtime.frame(clock: Timestamp.clock()), width: terminal.width, height: terminal.height))
                guard let key = terminal.readKey(milliseconds: model.enterHeld ? 100 : 250),
                      let input = KeyMap.input(for: key, in: model) else { continue }
                try runtime.send(.input(input))
            }
        } catch {
            return .failed("\(error)")
        }
    }

    private func exit(_ ending: SessionProgram.Ending, signal: Int32?) -> Exit {
        switch ending {
        // On the end screen the session is already finished: nothing was interrupted.
        case .finished(let outcome): return .finished(outcome: outcome)
        case .suspended: return signal.map(Exit.signal) ?? .quit
        case .failed(let reason): return .failed(reason)
        }
    }
}
