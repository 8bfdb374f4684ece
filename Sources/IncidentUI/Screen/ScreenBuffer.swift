import IncidentCore

/// A grid of terminal cells that widgets draw into and the terminal edge presents.
///
/// Widths are per Unicode scalar (`DisplayWidth`), the rule ncurses and the terminal use, so the
/// buffer's columns are the terminal's columns. A wide (2-column) character occupies a lead cell
/// and a continuation cell; the buffer never holds half of one, because a terminal would draw the
/// orphan half as garbage and shift the rest of the row.
public struct ScreenBuffer: Sendable, Equatable {
    /// One terminal cell.
    public struct Cell: Sendable, Equatable {
        /// One base scalar plus any zero-width scalars that follow it (combining marks, variation
        /// selectors, ZWJ). Empty for a continuation cell.
        public var text: String
        /// How the cell is drawn.
        public var style: Style
        /// True for the right half of a wide character; the lead cell to its left holds the text.
        public var isContinuation: Bool

        /// Creates a cell.
        public init(text: String, style: Style, isContinuation: Bool = false) {
            self.text = text
            self.style = style
            self.isContinuation = isContinuation
        }

        /// An empty cell: a space in the normal style.
        public static let blank = Cell(text: " ", style: .normal)
    }

    /// Where the terminal cursor should be shown (a struct rather than a tuple so that the buffer
    /// stays `Equatable`).
    public struct CursorPosition: Sendable, Equatable {
        /// Zero-based row.
        public var row: Int
        /// Zero-based display column.
        public var column: Int

        /// Creates a cursor position.
        public init(row: Int, column: Int) {
            self.row = row
            self.column = column
        }
    }

    /// Number of columns.
    public let width: Int
    /// Number of rows.
    public let height: Int
    /// Where the terminal cursor should be shown; `nil` hides it.
    public var cursor: CursorPosition?

    /// Row-major, `width * height` cells.
    private var cells: [Cell]

    /// Creates a blank buffer; negative sizes are treated as 0.
    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        self.cursor = nil
        self.cells = Array(repeating: .blank, count: self.width * self.height)
    }

    // MARK: Drawing

    /// Draws `text` on `row` starting at display column `column`, and returns the number of
    /// columns it drew.
    ///
    /// - Drawing stops at `min(width, column + maxWidth)`. A wide character that would straddle
    ///   that edge is not drawn; the single cell left before the edge is blanked (in `style`, not
    ///   counted in the result) so no stale character shows there.
    /// - Zero-width scalars attach to the character drawn before them; at the start of the text
    ///   (or after a clipped character) they are dropped.
    /// - Control characters are drawn as "?": callers neutralise text with `Sanitizer` first, and
    ///   this is the last line of defence against a control byte reaching the terminal.
    /// - Overwriting one half of an existing wide character blanks its other half.
    /// - Rows outside the buffer are ignored; columns left of 0 are clipped.
    @discardableResult
    public mutating func put(
        _ text: String, row: Int, column: Int, maxWidth: Int? = nil, style: Style = .normal
    ) -> Int {
        guard (0..<height).contains(row) else { return 0 }
        let limit = min(width, maxWidth.map { column + max(0, $0) } ?? width)
        var position = column
        var drawn = 0
        // Column of the lead cell drawn last by this call, where zero-width scalars attach.
        var lastDrawn: Int?
        for original in text.unicodeScalars {
            let scalar: Unicode.Scalar = Self.isControl(original) ? "?" : original
            let columns = DisplayWidth.of(scalar)
            if columns == 0 {
                if let lead = lastDrawn { cells[index(row, lead)].text.unicodeScalars.append(scalar) }
                continue
            }
            if position + columns > limit {
                if position >= 0 && position < limit {
                    write(" ", row: row, column: position, columns: 1, style: style)
                }
                break
            }
            if position >= 0 {
                write(String(scalar), row: row, column: position, columns: columns, style: style)
                lastDrawn = position
                drawn += columns
            } else {
                // Clipped on the left. A wide character straddling column 0 leaves its right half
                // there, which must not stay as whatever was drawn before.
                if position + columns > 0 { write(" ", row: row, column: 0, columns: 1, style: style) }
                lastDrawn = nil
            }
            position += columns
        }
        return drawn
    }

    /// Fills `width` columns of `row` from `column` with spaces in `style` (bars, highlighted
    /// lines). Parts outside the buffer are ignored.
    public mutating func fill(row: Int, column: Int, width count: Int, style: Style = .normal) {
        guard (0..<height).contains(row) else { return }
        let start = max(0, column)
        let end = min(width, column + max(0, count))
        guard start < end else { return }
        for position in start..<end {
            write(" ", row: row, column: position, columns: 1, style: style)
        }
    }

    /// Resets every cell to blank and hides the cursor, ready for the next frame.
    public mutating func clear() {
        cells = Array(repeating: .blank, count: width * height)
        cursor = nil
    }

    // MARK: Reading

    /// The row as text, each wide character once, trailing spaces removed ("" outside the buffer).
    public func line(_ row: Int) -> String {
        guard (0..<height).contains(row) else { return "" }
        var text = ""
        for column in 0..<width {
            let cell = cells[index(row, column)]
            if !cell.isContinuation { text += cell.text }
        }
        while text.last == " " { text.removeLast() }
        return text
    }

    /// Every row as text, as `line(_:)` gives it.
    public var lines: [String] {
        (0..<height).map(line)
    }

    /// The style of a cell (`.normal` outside the buffer).
    public func style(row: Int, column: Int) -> Style {
        cell(row: row, column: column).style
    }

    /// The cell at a position (`Cell.blank` outside the buffer).
    public func cell(row: Int, column: Int) -> Cell {
        guard (0..<height).contains(row), (0..<width).contains(column) else { return .blank }
        return cells[index(row, column)]
    }

    // MARK: Private

    private func index(_ row: Int, _ column: Int) -> Int {
        row * width + column
    }

    /// C0, DEL and C1 controls: `DisplayWidth` counts them as 0 columns, so without this they
    /// would silently attach to the previous cell and reach the terminal.
    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F..<0xA0).contains(scalar.value)
    }

    /// Writes one character of `columns` (1 or 2) cells at a position that fits in the row,
    /// first blanking the other half of any wide character it partly overwrites.
    private mutating func write(_ text: String, row: Int, column: Int, columns: Int, style: Style) {
        let covered = column..<(column + columns)
        for position in covered {
            let cell = cells[index(row, position)]
            if cell.isContinuation, position > 0, !covered.contains(position - 1) {
                blank(row: row, column: position - 1)
            }
            if position + 1 < width, cells[index(row, position + 1)].isContinuation,
               !covered.contains(position + 1) {
                blank(row: row, column: position + 1)
            }
        }
        cells[index(row, column)] = Cell(text: text, style: style)
        if columns == 2 {
            cells[index(row, column + 1)] = Cell(text: "", style: style, isContinuation: true)
        }
    }

    /// Blanks an orphaned half, keeping its style so that a bar's background stays unbroken.
    private mutating func blank(row: Int, column: Int) {
        let i = index(row, column)
        cells[i] = Cell(text: " ", style: cells[i].style)
    }
}
