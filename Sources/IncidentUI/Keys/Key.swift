/// A key press, as the terminal edge decodes it (ncurses key codes and characters), or a resize.
public enum Key: Sendable, Equatable {
    case enter, up, down, left, right, tab, backTab, escape, backspace, help, interrupt, resize, pageUp, pageDown
    case character(Character)
}
