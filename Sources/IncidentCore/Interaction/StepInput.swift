/// What the employee did, in the step's own terms — the same whether it came from a key on the
/// full screen or a typed line in plain mode — or what an edge reports back (a network check, a
/// copied file, a command's progress). The only way into a `StepModel`.
public enum StepInput: Sendable, Equatable {
    // Every screen
    /// Enter: continue, take the highlighted option, finish the field.
    case submit
    /// Back to the previous step (while a command runs: asks whether to cancel it).
    case back
    case help
    /// Asks "quit?" (while a command runs: "cancel the command?").
    case quit
    /// An answer: to a confirm step, to "did you take the photo?", or to an open question
    /// (quit? cancel the scan?).
    case yes, no, unsure
    /// Closes the help or a question without saying yes.
    case dismiss
    /// Shows the record's QR code (the last screen).
    case showCode
    /// A key or typed line that means nothing on this screen.
    case invalid
    /// The clock: a critical step has been on screen for a second, its Enter now works.
    case enterReady

    // Lists
    /// Moves the highlight (or the focus, on a form) by this many lines.
    case move(Int)
    /// Option (or recent file) number n, counted from 1.
    case pick(Int)
    /// Ticks or unticks item n, counted from 1.
    case tick(Int)
    /// Exactly these items ticked, counted from 1 (plain mode's line of numbers).
    case ticks([Int])

    // Text
    case type(Character)
    case erase
    case newline
    /// The focused field's whole content.
    case text(String)
    /// One more line of a multi-line field.
    case appendLine(String)
    /// The next (+1) or previous (-1) field, the Continue button counted as one.
    case focus(Int)

    // Network
    case checkAgain
    case cannotDisconnect

    // Notify
    case reached
    case noAnswer
    case later

    // Reports from the edges
    /// The network check's result: what is still connected, in the employee's words.
    case networkChecked(connected: [String])
    /// A file was copied into the record; `mail`: one line about it when it was an e-mail.
    case attached(EvidenceFile, mail: String?)
    /// Something the employee should read (why a file was refused, why a command could not start).
    case notice(String)
    /// A running command: seconds since it started and the last lines of its output.
    /// A running command: the time so far, its output's last lines, and, for a scan the wizard
    /// can follow, how far it is.
    case commandProgress(seconds: Int, lines: [String], progress: ScanProgress? = nil)
    /// The step's commands have ended: the answer they make, what to tell the employee in words,
    /// and the raw output (shown only behind the help).
    case commandFinished(Answer, summary: [String], details: [String], progress: ScanProgress? = nil)
    /// The help's size as the view lays it out: its lines and how many fit (a viewport's size,
    /// reported by the front end as Bubble Tea reports a window's).
    case helpViewport(lines: Int, rows: Int)

    // Scrolling the help
    /// By this many lines (↑/↓).
    case scroll(Int)
    /// By this many pages (PgUp/PgDn, Space).
    case page(Int)
}

/// What a `StepModel` asks of the edges after an input.
public enum StepEffect: Sendable, Equatable {
    case none
    /// The step's answer, for the engine (and the journal).
    case answer(Answer)
    case back
    /// The employee confirmed "quit": suspend the session (it stays resumable).
    case suspend
    /// Probe the network again and report `networkChecked`.
    case checkNetwork
    /// The network step's answer from a fresh check; `gaveUp`: the employee cannot disconnect.
    case finishNetwork(gaveUp: Bool)
    /// Copy this file into the record and report `attached` or `notice`.
    case attach(path: String)
    /// Stop the running command (it then reports `commandFinished`).
    case cancelCommand
    /// Journal a try at reaching a contact as it happens (the answer lists them all again).
    case recordAttempt(NotifyAttempt)
}
