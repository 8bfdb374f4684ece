import IncidentCore

/// One line of a screen's key table: the keys, the input they stand for, how the footer names
/// them, and the typed line that means the same in plain mode (bubbles' `key.Binding` with its
/// help). What the input then does is the step model's decision.
struct KeyBinding: Sendable, Equatable {
    /// The keys that press it (a letter in both cases; ↑ and k).
    var keys: [Key]
    /// What pressing one of them stands for.
    var input: StepInput
    /// How the footer names the keys: "Enter", "1-9", "↑↓". Bindings side by side with the same
    /// label and word are one item of the footer (nine digits are "1-9", two arrows "↑↓").
    var label: String
    /// The meaning, in the footer's words; nil where the keys say it themselves ("↑↓ Enter").
    var word: Vocabulary.Key?
    /// Whether the footer names it: a second way to an input (←, k/j) is not named, nor a key
    /// that does nothing useful yet (a running command's Enter, a critical step's held Enter).
    var shown: Bool
    /// The typed lines plain mode reads as the same input ("" for Enter, "<" for Esc). None where
    /// plain mode has its own way (a checklist's line of numbers) or no way at all.
    var lines: [String]

    init(_ keys: [Key], _ input: StepInput, _ label: String, _ word: Vocabulary.Key? = nil, shown: Bool = true,
         lines: [String] = []) {
        self.keys = keys
        self.input = input
        self.label = label
        self.word = word
        self.shown = shown
        self.lines = lines
    }
}
