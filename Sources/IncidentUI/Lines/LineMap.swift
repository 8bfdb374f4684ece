import Foundation
import IncidentCore

/// Plain mode's typed lines as the step model's inputs: a number, `y`/`n`/`u` (はい/いいえ too),
/// text; `?` help, `q` quit, `<` back; Esc alone on a line goes back even in a text field. A line
/// that is one of the screen's keys typed is looked up in its `KeyTable`, as the key is.
public enum LineMap {
    /// The inputs one line stands for, in order. `fileExists` tells a recent file's number from a
    /// file that really has that name.
    public static func inputs(for raw: String, in model: StepModel, fileExists: (String) -> Bool) -> [StepInput] {
        let line = raw.hasSuffix("\r") ? String(raw.dropLast()) : raw
        if line == "\u{1b}" { return [.back] }
        if model.overlay == .quit || model.overlay == .leave || model.overlay == .stopScan { return [Vocabulary.typedAnswer(line) == .yes ? .yes : .no] }
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
        // A line that is one of the screen's keys typed (`?`, `q`, `<` for Esc, a network or
        // notify step's digit, y/n/u or their words, an empty line for Enter) means what the key
        // means.
        let keys = KeyTable.step(model)
        if let input = keys.input(forLine: trimmed) ?? Vocabulary.typedAnswer(trimmed).flatMap({ keys.input(forLine: letter($0)) }) {
            // The help is printed, not kept open: the prompt comes again under it.
            return input == .help ? [.help, .dismiss] : [input]
        }
        switch model.widget {
        case .proceed, .command, .form:
            // Any line continues.
            return [.submit]
        case .choice:
            // Any option's number (an empty line is Enter: nothing is picked, and it is asked again).
            return Int(trimmed).map { [.pick($0)] } ?? [.invalid]
        case .checklist:
            let numbers = trimmed.split(whereSeparator: { $0 == " " || $0 == "," }).map { Int($0) }
            guard numbers.allSatisfy({ $0 != nil }) else { return [.invalid] }
            return [.ticks(numbers.compactMap { $0 }), .submit]
        case .confirm, .network, .evidence, .notify:
            return [.invalid]
        }
    }

    /// The key a typed answer stands for.
    private static func letter(_ answer: ConfirmAnswer) -> String {
        switch answer {
        case .yes: return "y"
        case .no: return "n"
        case .unsure: return "u"
        }
    }
}
