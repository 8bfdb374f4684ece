import Foundation
import IncidentCore

/// Plain mode's typed lines as the step model's inputs: a number, `y`/`n`/`u` (はい/いいえ too),
/// text; `?` help, `q` quit, `<` back; Esc alone on a line goes back even in a text field.
public enum LineMap {
    /// The inputs one line stands for, in order. `fileExists` tells a recent file's number from a
    /// file that really has that name.
    public static func inputs(for raw: String, in model: StepModel, fileExists: (String) -> Bool) -> [StepInput] {
        let line = raw.hasSuffix("\r") ? String(raw.dropLast()) : raw
        if line == "\u{1b}" { return [.back] }
        if model.overlay == .quit || model.overlay == .leave { return [Vocabulary.typedAnswer(line) == .yes ? .yes : .no] }
        if model.isEditingText {
            switch model.widget {
            case .form(let form) where form.focusIsMultiline:
                return line.isEmpty ? [.submit] : [.appendLine(line)]
            case .form(let form) where line.trimmingCharacters(in: .whitespaces).isEmpty && !form.values[form.focus].isEmpty:
                return [.submit]
            case .evidence(let evidence):
                let typed = line.trimmingCharacters(in: .whitespaces)
                if let number = Int(typed.precomposedStringWithCompatibilityMapping), evidence.suggestions.indices.contains(number - 1),
                   !fileExists(typed) {
                    return [.pick(number)]
                }
                return [.text(typed), .submit]
            default:
                return [.text(line.trimmingCharacters(in: .whitespaces)), .submit]
            }
        }
        // Full-width digits and letters (the input method left on) are what they look like.
        let trimmed = line.precomposedStringWithCompatibilityMapping.trimmingCharacters(in: .whitespaces)
        switch trimmed {
        case "<": return [.back]
        case "?": return [.help, .dismiss]
        case "q", "Q": return [.quit]
        default: break
        }
        switch model.widget {
        case .proceed, .command:
            return [.submit]
        case .confirm:
            switch Vocabulary.typedAnswer(trimmed) {
            case .yes: return [.yes]
            case .no: return [.no]
            case .unsure: return [.unsure]
            case nil: return trimmed.isEmpty ? [.submit] : [.invalid]
            }
        case .evidence:
            switch Vocabulary.typedAnswer(trimmed) {
            case .yes: return [.yes]
            case .no: return [.no]
            default: return [.invalid]
            }
        case .choice:
            // An empty line picks nothing: the model says to type a number, and it is asked again.
            if trimmed.isEmpty { return [.submit] }
            return Int(trimmed).map { [.pick($0)] } ?? [.invalid]
        case .checklist:
            let numbers = trimmed.split(whereSeparator: { $0 == " " || $0 == "," }).map { Int($0) }
            guard numbers.allSatisfy({ $0 != nil }) else { return [.invalid] }
            return [.ticks(numbers.compactMap { $0 }), .submit]
        case .form:
            return [.submit]
        case .network:
            switch trimmed {
            case "1": return [.checkAgain]
            case "2": return [.cannotDisconnect]
            case "": return [.submit]
            default: return [.invalid]
            }
        case .notify:
            switch trimmed {
            case "1": return [.reached]
            case "2": return [.noAnswer]
            case "3": return [.later]
            default: return [.invalid]
            }
        }
    }
}
