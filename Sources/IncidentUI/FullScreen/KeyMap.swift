import IncidentCore

/// A key press, as the terminal edge decodes it (ncurses key codes and characters), or a resize.
public enum Key: Sendable, Equatable {
    case enter, up, down, left, right, tab, backTab, escape, backspace, help, interrupt, resize, pageUp, pageDown
    case character(Character)
}

/// The full screen's keys (`product.md`, "Keys") as the step model's inputs. It only translates:
/// what an input does is the model's decision.
public enum KeyMap {
    /// The input `key` stands for on `model`'s screen: `.invalid` for a key that does nothing
    /// here (the screen then says which keys work), nil for a resize or a key an open question
    /// ignores (the question itself says what to press).
    public static func input(for raw: Key, in model: StepModel) -> StepInput? {
        if let input = meaning(of: raw, in: model) { return input }
        return raw == .resize || model.overlay != nil ? nil : .invalid
    }

    private static func meaning(of raw: Key, in model: StepModel) -> StepInput? {
        // Full-width letters and digits (the input method left on) are the keys they look like,
        // except inside a text field, where they are text.
        var key = raw
        if !model.isEditingText || model.overlay != nil, case .character(let c) = raw, let narrow = Self.narrow(c) { key = .character(narrow) }
        if let overlay = model.overlay {
            if overlay == .code { return key == .resize ? nil : .dismiss }
            if overlay == .help {
                switch key {
                case .resize: return nil
                case .up, .character("k"): return .scroll(-1)
                case .down, .character("j"): return .scroll(1)
                case .pageUp: return .page(-1)
                case .pageDown, .character(" "): return .page(1)
                default: return .dismiss
                }
            }
            switch key {
            case .character("y"), .character("Y"): return .yes
            case .character("n"), .character("N"), .escape: return .no
            default: return nil
            }
        }
        switch key {
        case .help: return .help
        case .interrupt: return .quit
        case .escape: return .back
        case .resize: return nil
        default: break
        }
        if !model.isEditingText {
            switch key {
            case .left: return .back
            case .character("?"): return .help
            case .character("q"), .character("Q"): return .quit
            default: break
            }
        }
        switch model.widget {
        case .proceed:
            if model.qrModules != nil, key == .character("c") || key == .character("C") { return .showCode }
            return key == .enter ? .submit : nil
        case .confirm:
            switch key {
            case .character("y"), .character("Y"): return .yes
            case .character("n"), .character("N"): return .no
            case .character("u"), .character("U"): return .unsure
            default: return list(key)
            }
        case .choice:
            if case .character(let c) = key, let number = c.wholeNumberValue, (1...9).contains(number) { return .pick(number) }
            return list(key)
        case .checklist(let checklist):
            if key == .character(" ") { return .tick(checklist.highlighted + 1) }
            if case .character(let c) = key, let number = c.wholeNumberValue, (1...9).contains(number) { return .tick(number) }
            return list(key)
        case .form(let form):
            switch key {
            case .tab: return .focus(1)
            case .backTab: return .focus(-1)
            case .down: return .move(1)
            case .up: return .move(-1)
            case .enter: return form.focusIsMultiline ? .newline : .submit
            default: return text(key)
            }
        case .network:
            switch key {
            case .character("1"): return .checkAgain
            case .character("2"): return .cannotDisconnect
            case .enter: return .submit
            default: return nil
            }
        case .evidence(let evidence):
            guard evidence.photographed != nil else {
                switch key {
                case .character("y"), .character("Y"): return .yes
                case .character("n"), .character("N"): return .no
                default: return nil
                }
            }
            switch key {
            case .up: return .move(-1)
            case .down: return .move(1)
            case .enter: return .submit
            default: return text(key)
            }
        case .command:
            return key == .enter ? .submit : nil
        case .notify(let notify):
            if notify.askingName { return key == .enter ? .submit : text(key) }
            switch key {
            case .character("1"): return .reached
            case .character("2"): return .noAnswer
            case .character("3"): return .later
            default: return nil
            }
        }
    }

    /// The half-width twin of a full-width letter, digit or sign (ｙ → y, １ → 1, ？ → ?).
    static func narrow(_ character: Character) -> Character? {
        guard let scalar = character.unicodeScalars.first, character.unicodeScalars.count == 1,
              (0xFF01...0xFF5E).contains(scalar.value) || scalar.value == 0x3000 else { return nil }
        return scalar.value == 0x3000 ? " " : Character(Unicode.Scalar(scalar.value - 0xFEE0)!)
    }

    private static func list(_ key: Key) -> StepInput? {
        switch key {
        case .up, .character("k"): return .move(-1)
        case .down, .character("j"): return .move(1)
        case .enter: return .submit
        default: return nil
        }
    }

    private static func text(_ key: Key) -> StepInput? {
        switch key {
        case .backspace: return .erase
        case .character(let c): return .type(c)
        default: return nil
        }
    }
}
