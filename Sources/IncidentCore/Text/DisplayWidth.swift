/// Display width of text, measured per Unicode scalar with the same rule as glibc's `wcwidth`,
/// which is what ncurses and terminals such as tmux use. Grapheme-aware widths would drift from the
/// terminal for emoji sequences, so this deliberately does not use `Character`.
public enum DisplayWidth {
    /// Columns one scalar occupies: 0 (combining, format), 1, or 2 (East Asian wide).
    /// Control characters count as 0 here; callers neutralise them before drawing (see `Sanitizer`).
    public static func of(_ scalar: Unicode.Scalar) -> Int {
        let value = scalar.value
        if value < 0x20 || (value >= 0x7F && value < 0xA0) { return 0 }
        if value < 0x7F { return 1 }
        if contains(WidthTable.zero, value) { return 0 }
        if contains(WidthTable.double, value) { return 2 }
        return 1
    }

    /// Total columns of a string.
    public static func of(_ text: some StringProtocol) -> Int {
        var total = 0
        for scalar in text.unicodeScalars { total += of(scalar) }
        return total
    }

    private static func contains(_ ranges: [ClosedRange<UInt32>], _ value: UInt32) -> Bool {
        var low = 0
        var high = ranges.count - 1
        while low <= high {
            let mid = (low + high) / 2
            let range = ranges[mid]
            if value < range.lowerBound {
                high = mid - 1
            } else if value > range.upperBound {
                low = mid + 1
            } else {
                return true
            }
        }
        return false
    }
}
