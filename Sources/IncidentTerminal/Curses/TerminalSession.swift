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

    private let driver: StepDriver
    private let terminal: CursesTerminal

    public init(engine: Engine, context: PlaceholderContext, store: SessionStore, terminal: CursesTerminal) {
        driver = StepDriver(engine: engine, context: context, store: store)
        self.terminal = terminal
    }

    public func run() -> Exit {
        let store = driver.store
        // The next screen is drawn first, then the reports are rewritten (the journal, written
        // before, is what makes the answer durable).
        driver.holdsCriticalEnter = true
        // The step on screen (the driver's count of steps entered) and when it was first drawn.
        var shown = -1
        var shownAt = DispatchTime.now()
        do {
            try driver.start()
            while true {
                if terminal.pendingSignal != 0 { return try suspend(signal: terminal.pendingSignal) }
                if terminal.isLost { return try suspend(signal: SIGHUP) }
                driver.poll()
                _ = terminal.sizeChanged()
                guard var model = driver.model else { return .finished(outcome: driver.outcome) }
                if model.overlay == .help {
                    // The help's size at this terminal size, for its scrolling (as a window size).
                    let viewport = StepView(model).helpViewport(width: terminal.width, height: terminal.height)
                    _ = try driver.send(.helpViewport(lines: viewport.lines, rows: viewport.rows))
                    model = driver.model ?? model
                }
                // A critical step's Enter works once it has been on screen for a second.
                if model.enterHeld, shown == driver.entered, DispatchTime.now().uptimeNanoseconds >= shownAt.uptimeNanoseconds + 1_000_000_000 {
                    _ = try driver.send(.enterReady)
                    model = driver.model ?? model
                }
                if shown != driver.entered {
                    // A new step: keys typed before it is drawn never answer it (dropped just
                    // before its first frame, so a key pressed once it is seen always counts).
                    shown = driver.entered
                    shownAt = DispatchTime.now()
                    terminal.flushInput()
                }
                terminal.present(StepView(model).render(driver.frame(), width: terminal.width, height: terminal.height))
                // The disk work an answer leaves (the reports, a new session's opening lines and
                // fsyncs) waits until the terminal has had a moment to show the screen: it runs
                // once no key has come for a short while. A key that comes first is handled first;
                // its journal line writes and syncs whatever is still pending before it. Not while
                // a command's thread writes the journal (it alone writes then).
                guard let key = terminal.readKey(milliseconds: model.enterHeld ? 100 : 250) else { continue }
                guard let input = KeyMap.input(for: key, in: model) else { continue }
                switch try driver.send(input) {
                case .finished(let outcome): return .finished(outcome: outcome)
                case .suspended: return .quit
                case nil: continue
                }
            }
        } catch {
            return .failed("\(error)")
        }
    }

    private func suspend(signal: Int32) throws -> Exit {
        try driver.suspend(reason: "signal \(signal)")
        // On the end screen the session is already finished: nothing was interrupted.
        if driver.isFinished { return .finished(outcome: driver.outcome) }
        return .signal(signal)
    }
}
