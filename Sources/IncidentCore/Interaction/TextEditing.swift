import Foundation

/// Typing into one text field, as every step with a field does it: a typed character within the
/// limit (never a control character), erase, or the whole content at once.
enum TextEditing {
    /// Applies `input` to `value`; false when `input` is not an edit.
    static func apply(_ input: StepInput, to value: inout String, limit: Int) -> Bool {
        switch input {
        case .type(let character):
            if !character.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }), value.count < limit {
                value.append(character)
            }
        case .erase:
            if !value.isEmpty { value.removeLast() }
        case .text(let text):
            value = text
        default:
            return false
        }
        return true
    }

    /// What an answer records of a field: without the spaces and blank lines around it.
    static func trimmed(_ value: String) -> String {
        value.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
