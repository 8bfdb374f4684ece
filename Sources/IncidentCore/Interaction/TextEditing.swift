import Foundation

/// Typing into one text field, as every step with a field does it — a character at a time on the
/// full screen, a whole line in plain mode — with the same rules: no control characters (a tab
/// becomes a space), never longer than the field's limit (what would pass it is refused, with
/// the limit said).
enum TextEditing {
    enum Outcome: Equatable {
        case notAnEdit
        case edited
        case refused(StepModel.Message)
    }

    /// Applies `input` to `value`.
    static func apply(_ input: StepInput, to value: inout String, limit: Int) -> Outcome {
        switch input {
        case .type(let character):
            let clean = cleaned(String(character))
            guard !clean.isEmpty else { return .edited }
            guard value.count + clean.count <= limit else { return .refused(.tooLong(maximum: limit)) }
            value += clean
        case .erase:
            if !value.isEmpty { value.removeLast() }
        case .text(let text):
            let clean = cleaned(text)
            guard clean.count <= limit else { return .refused(.tooLong(maximum: limit)) }
            value = clean
        case .appendLine(let line):
            let joined = value + (value.isEmpty ? "" : "\n") + cleaned(line)
            guard joined.count <= limit else { return .refused(.tooLong(maximum: limit)) }
            value = joined
        default:
            return .notAnEdit
        }
        return .edited
    }

    /// Without control characters: a tab is a space, the others are dropped.
    static func cleaned(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F || (0x80...0x9F).contains($0.value) }) else {
            return text
        }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar == "\t" { out.append(" ") } else if !(scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value)) {
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// What an answer records of a field: without the spaces and blank lines around it.
    static func trimmed(_ value: String) -> String {
        value.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
