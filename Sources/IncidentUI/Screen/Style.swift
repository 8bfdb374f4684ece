/// How a cell is drawn. The curses edge maps these to colour pairs or, under `NO_COLOR` and on
/// monochrome terminals, to bold/reverse/underline only.
public enum Style: Sendable, Hashable, CaseIterable {
    case normal
    /// Header and footer bars.
    case bar
    /// Step titles.
    case title
    /// `critical` steps: warning style.
    case critical
    /// The highlighted option, focused field or button.
    case selected
    /// Hints and secondary text.
    case dim
    /// Good news (disconnected, nothing found).
    case good
    /// The DRILL badge.
    case drill
    /// A QR code: dark on light, explicitly, whatever the terminal's theme.
    case qr
}
