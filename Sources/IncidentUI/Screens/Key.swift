import IncidentCore

/// A key press, as the terminal edge decodes it (ncurses key codes and characters), or a resize.
public enum Key: Sendable, Equatable {
    case enter, up, down, left, right, tab, backTab, escape, backspace, help, interrupt, resize
    case character(Character)
}

/// What a screen asks the session to do after a key.
public enum ScreenAction: Sendable, Equatable {
    case none
    case answer(Answer)
    case back
    /// The employee confirmed "quit": suspend the session.
    case quit
    // Effects the edge performs and reports back with `StepScreen.update…`.
    case checkNetwork
    case cannotDisconnect
    case networkContinue
    case attach(path: String)
    case evidenceDone
    case cancelCommand
    case commandContinue
    case notifyReached(contact: String, spokeWith: String)
    case notifyLater
}
