import CNcursesw
import CSupport
import Glibc
import IncidentUI

/// The ncursesw edge: set-up with `newterm` (a bad `TERM` is reported, not fatal), colours unless
/// `NO_COLOR` or a monochrome terminal, drawing a `ScreenBuffer`, reading keys, and restoring the
/// terminal on every way out.
public final class CursesTerminal {
    public enum Failure: Error, CustomStringConvertible {
        case cannotInitialise(String)

        public var description: String {
            switch self {
            case .cannotInitialise(let term): return "the terminal '\(term)' cannot be used for the full-screen interface"
            }
        }
    }

    private var screen: OpaquePointer?
    private let colors: Bool
    public private(set) var width: Int = 80
    public private(set) var height: Int = 24

    /// Opens the terminal on stdin/stdout.
    public init(environment: [String: String]) throws {
        let term = environment["TERM"] ?? ""
        // The size comes from the terminal itself: a stale LINES/COLUMNS in the environment
        // (exported by a shell or a test runner) would otherwise pin it and break resizing.
        use_env(false)
        // newterm, not initscr: initscr exits the process itself on an unknown TERM.
        guard let opened = iw_newterm_stdio() else {
            throw Failure.cannotInitialise(term)
        }
        screen = opened
        set_term(opened)
        iw_mark_curses_active(1)
        raw()
        noecho()
        nonl()
        set_escdelay(25)
        let noColor = !(environment["NO_COLOR"] ?? "").isEmpty
        colors = !noColor && has_colors()
        if colors {
            start_color()
            use_default_colors()
            // Calm palette: blue bars, red warnings, green good news, the terminal's own background.
            init_pair(1, Int16(COLOR_WHITE), Int16(COLOR_BLUE))
            init_pair(2, Int16(COLOR_RED), -1)
            init_pair(3, Int16(COLOR_GREEN), -1)
            init_pair(4, Int16(COLOR_BLACK), Int16(COLOR_YELLOW))
            init_pair(5, Int16(COLOR_CYAN), -1)
            init_pair(6, Int16(COLOR_BLACK), Int16(COLOR_WHITE))
        }
        iw_install_signal_handlers()
        updateSize()
    }

    /// Nothing is sent to the terminal before the first frame: the terminal set-up newterm
    /// buffered goes out with it, in one burst, instead of a blank screen first and the frame
    /// milliseconds later. keypad() would send that buffer at once, so it waits until then.
    private var keypadOn = false

    private func enableKeypad() {
        guard !keypadOn else { return }
        keypadOn = true
        keypad(iw_stdscr(), true)
    }

    deinit { restore() }

    /// Leaves curses: echo, canonical mode, visible cursor, no alternate screen.
    public func restore() {
        guard screen != nil else { return }
        curs_set(1)
        endwin()
        iw_mark_curses_active(0)
        delscreen(screen)
        screen = nil
    }

    public func updateSize() {
        width = Int(iw_cols())
        height = Int(iw_lines())
    }

    /// A signal (SIGTERM, SIGHUP, SIGINT, SIGQUIT) that arrived, or 0.
    public var pendingSignal: Int32 { iw_pending_signal() }

    /// The terminal went away (its window was closed without a SIGHUP reaching us): reading
    /// would fail at once, for ever.
    public private(set) var isLost = false

    private func attributes(_ style: Style) -> attr_t {
        if colors {
            switch style {
            case .normal: return iw_a_normal()
            case .bar: return attr_t(COLOR_PAIR(1))
            case .title: return iw_a_bold()
            case .critical: return attr_t(COLOR_PAIR(2)) | iw_a_bold()
            case .selected: return iw_a_reverse()
            case .dim: return attr_t(COLOR_PAIR(5))
            case .good: return attr_t(COLOR_PAIR(3)) | iw_a_bold()
            case .drill: return attr_t(COLOR_PAIR(4)) | iw_a_bold()
            case .qr: return attr_t(COLOR_PAIR(6))
            }
        }
        // Monochrome and NO_COLOR: attributes only.
        switch style {
        case .normal, .dim: return iw_a_normal()
        case .bar, .selected, .drill: return iw_a_reverse()
        case .title, .good: return iw_a_bold()
        case .critical: return iw_a_bold() | iw_a_underline()
        // Without colours the terminal's own theme decides; the help says to use `qr DIR` then.
        case .qr: return iw_a_normal()
        }
    }

    /// Draws a whole frame (runs of one style at a time) and places or hides the cursor.
    public func present(_ buffer: ScreenBuffer) {
        let window = iw_stdscr()
        werase(window)
        for row in 0..<min(buffer.height, height) {
            var column = 0
            while column < min(buffer.width, width) {
                let style = buffer.style(row: row, column: column)
                var text = ""
                let start = column
                while column < min(buffer.width, width), buffer.style(row: row, column: column) == style {
                    let cell = buffer.cell(row: row, column: column)
                    if !cell.isContinuation { text += cell.text }
                    column += 1
                }
                wattrset(window, Int32(bitPattern: UInt32(truncatingIfNeeded: attributes(style))))
                // The bottom-right cell makes ncurses report an error (it would scroll); harmless.
                _ = mvwaddstr(window, Int32(row), Int32(start), text)
            }
        }
        wattrset(window, 0)
        if let cursor = buffer.cursor {
            curs_set(1)
            wmove(window, Int32(cursor.row), Int32(cursor.column))
        } else {
            curs_set(0)
        }
        wrefresh(window)
        enableKeypad()
    }

    /// Whether the terminal's size changed without a KEY_RESIZE (a SIGWINCH that never reached
    /// us, e.g. blocked by whoever started the process); resizes ncurses if so.
    public func sizeChanged() -> Bool {
        var rows: Int32 = 0
        var columns: Int32 = 0
        guard iw_window_size(&rows, &columns) == 0, Int(rows) != height || Int(columns) != width else { return false }
        resizeterm(rows, columns)
        updateSize()
        return true
    }

    /// ESC alone is Esc (back). ESC with more already waiting is a sequence ncurses did not know
    /// (`ESC [ 2 5 ~`, `ESC O 2 P`) or Alt with a key (`ESC 2`): the whole of it is consumed and
    /// ignored, so it is never read as Esc followed by characters that re-answer a question.
    private func escapeOrSequence(_ window: UnsafeMutablePointer<WINDOW>?) -> Key? {
        wtimeout(window, 0)
        let next = wgetch(window)
        guard next != iw_err() else { return .escape }
        guard next == 0x5B || next == 0x4F else { return nil }  // ESC x (Alt+x), or ESC + a known key.
        // CSI (`ESC [`) or SS3 (`ESC O`): parameters and intermediates, up to a final byte.
        for _ in 0..<32 {
            let byte = wgetch(window)
            if byte == iw_err() || (0x40...0x7E).contains(byte) { return nil }
        }
        return nil
    }

    /// The rest of a UTF-8 character whose first byte is `lead` (already waiting: a terminal sends
    /// a character whole). An invalid byte is dropped alone; a byte that cannot continue the
    /// character is put back, so the keys after a bad byte are never lost.
    private func utf8Character(lead: UInt8, _ window: UnsafeMutablePointer<WINDOW>?) -> Unicode.Scalar? {
        let count = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : lead >= 0xC2 ? 1 : 0
        guard count > 0, lead <= 0xF4 else { return nil }
        wtimeout(window, 0)
        var bytes = [lead]
        for _ in 0..<count {
            let next = wgetch(window)
            guard next != iw_err() else { return nil }
            guard next & 0xC0 == 0x80, next < 0x100 else {
                ungetch(next)
                return nil
            }
            bytes.append(UInt8(next))
        }
        return String(validating: bytes, as: UTF8.self)?.unicodeScalars.first
    }

    /// Drops every key typed but not yet read (keys typed ahead never answer a new screen).
    public func flushInput() {
        flushinp()
    }

    /// Waits up to `milliseconds` for a key; nil when none came. Bytes are read one at a time
    /// (`wgetch`) and UTF-8 decoded here, so one invalid byte costs only itself.
    public func readKey(milliseconds: Int32) -> Key? {
        enableKeypad()
        let window = iw_stdscr()
        wtimeout(window, milliseconds)
        let result = wgetch(window)
        if result == iw_err() {
            var descriptor = pollfd(fd: 0, events: Int16(POLLIN), revents: 0)
            if poll(&descriptor, 1, 0) == 1, descriptor.revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 { isLost = true }
            return nil
        }
        if result >= KEY_MIN {
            switch result {
            case KEY_UP: return .up
            case KEY_DOWN: return .down
            case KEY_LEFT: return .left
            case KEY_RIGHT: return .right
            case KEY_BACKSPACE, KEY_DC: return .backspace
            case KEY_BTAB: return .backTab
            case KEY_ENTER: return .enter
            case KEY_PPAGE: return .pageUp
            case KEY_NPAGE: return .pageDown
            case KEY_RESIZE:
                updateSize()
                return .resize
            case iw_key_f(1): return .help
            default: return nil
            }
        }
        guard result >= 0, result < 0x100 else { return nil }
        let scalar: Unicode.Scalar
        if result >= 0x80 {
            guard let decoded = utf8Character(lead: UInt8(result), window) else { return nil }
            scalar = decoded
        } else {
            scalar = Unicode.Scalar(UInt8(result))
        }
        switch scalar.value {
        case 10, 13: return .enter
        case 9: return .tab
        case 27: return escapeOrSequence(window)
        case 8, 127: return .backspace
        case 3: return .interrupt
        case 0..<32: return nil
        default: return .character(Character(scalar))
        }
    }
}
