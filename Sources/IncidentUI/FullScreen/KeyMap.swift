import IncidentCore

/// The full screen's keys as the step model's inputs: a lookup in the screen's `KeyTable`. It
/// only translates: what an input does is the model's decision.
public enum KeyMap {
    /// The input `key` stands for on `model`'s screen: `.invalid` for a key that does nothing
    /// here (the screen then says which keys work), nil for a resize or a key an open question
    /// ignores (the question itself says what to press).
    public static func input(for key: Key, in model: StepModel) -> StepInput? {
        KeyTable.of(model).input(for: key)
    }
}
