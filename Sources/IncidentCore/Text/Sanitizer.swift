/// Neutralises text that came from outside the program (playbook text, scanner output, file names)
/// before it is shown, so that it can never drive the terminal: no escape sequences, no title
/// changes, no screen clears, no bidirectional overrides.
public enum Sanitizer {
    /// Replaces C0 controls and DEL by caret notation (`ESC` → `^[`), C1 controls and bidi
    /// overrides by U+FFFD. Tabs become a space; newlines are kept only when `keepNewlines` is set.
    public static func neutralise(_ text: some StringProtocol, keepNewlines: Bool = true) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            let value = scalar.value
            switch value {
            case 0x0A where keepNewlines:
                out.append(scalar)
            case 0x09:
                out.append(" ")
            case 0x00..<0x20:
                out.append("^")
                out.append(Unicode.Scalar(UInt8(value + 0x40)))
            case 0x7F:
                out.append(contentsOf: "^?".unicodeScalars)
            case 0x80..<0xA0, 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F, 0xFFF9...0xFFFB:
                out.append("\u{FFFD}")
            default:
                out.append(scalar)
            }
        }
        return String(out)
    }
}

extension String {
    /// Without the leading and trailing characters that match (pure Swift: Foundation's
    /// `trimmingCharacters(in:)` goes through NSString and costs a start-up's worth of runtime
    /// type look-ups the first time).
    public func trimming(where matches: (Character) -> Bool) -> String {
        guard let first = firstIndex(where: { !matches($0) }), let last = lastIndex(where: { !matches($0) }) else { return "" }
        return String(self[first...last])
    }

    /// Without leading and trailing white space and line breaks.
    public var trimmed: String { trimming(where: \.isWhitespace) }
}
