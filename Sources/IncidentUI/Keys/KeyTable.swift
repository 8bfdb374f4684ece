import IncidentCore

/// The keys of one screen, in one table (`KeyTable.of(_:)`): what each key stands for
/// (`KeyMap`), what the footer and the "keys you can use" line name (`StepView`), what plain
/// mode's line commands mean (`LineMap`) and what its prompt asks for (`PlainView`). One list, so
/// none of them can disagree with what the keys do.
struct KeyTable: Sendable {
    /// The keys with a meaning here, in the footer's order.
    var bindings: [KeyBinding]
    /// A text field has the keyboard: `?`, `q` and ← are text there, and full-width characters
    /// stay as typed (elsewhere ｙ and １ are the keys they look like).
    var editing = false
    /// Characters no binding takes are typed into the focused field (`.type`).
    var typing = false
    /// What every other key stands for: `.invalid` on a step (the screen answers with the keys that
    /// work), `.dismiss` on the help or the QR code (any key closes them), nil in a question (the
    /// question itself says what to press).
    var otherwise: StepInput?
    /// Plain mode's prompt, its words run together ("1 = check again, 2 = …" + ", Enter =
    /// continue (drill)"); empty where the prompt is a field's label.
    var prompt: [Vocabulary.Key] = []

    /// The input `raw` stands for here; nil for a resize (not a key of any screen) and for a key
    /// this table leaves to nothing.
    func input(for raw: Key) -> StepInput? {
        guard raw != .resize else { return nil }
        var key = raw
        if !editing, case .character(let character) = raw, let narrow = Self.narrow(character) { key = .character(narrow) }
        if let binding = bindings.first(where: { $0.keys.contains(key) }) { return binding.input }
        if typing, case .character(let character) = key { return .type(character) }
        return otherwise
    }

    /// The input a plain-mode line stands for, when it is one of this table's keys typed.
    func input(forLine line: String) -> StepInput? {
        bindings.first { $0.lines.contains(line) }?.input
    }

    /// The footer's items: each shown binding's label and word, bindings side by side with the
    /// same label and word once.
    var named: [(label: String, word: Vocabulary.Key?)] {
        var items: [(label: String, word: Vocabulary.Key?)] = []
        for binding in bindings where binding.shown {
            if let last = items.last, last.label == binding.label, last.word == binding.word { continue }
            items.append((binding.label, binding.word))
        }
        return items
    }

    /// The half-width twin of a full-width letter, digit or sign (ｙ → y, １ → 1, ？ → ?).
    static func narrow(_ character: Character) -> Character? {
        guard let scalar = character.unicodeScalars.first, character.unicodeScalars.count == 1,
              (0xFF01...0xFF5E).contains(scalar.value) || scalar.value == 0x3000 else { return nil }
        return scalar.value == 0x3000 ? " " : Character(Unicode.Scalar(scalar.value - 0xFEE0)!)
    }
}
