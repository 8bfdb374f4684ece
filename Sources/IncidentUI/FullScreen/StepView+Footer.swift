import IncidentCore

/// The footer: the keys that work on this screen, with their meanings.
extension StepView {
    /// The keys that work on this screen and what each does, as its key table names them, in the
    /// session's language: on one row when they fit, else on two, each key still with its meaning
    /// (short words first).
    func footer(width: Int) -> [String] {
        let keys = KeyTable.step(model).named.map { (key: $0.label, word: $0.word.map { words($0) } ?? "") }
        let full = keys.map { $0.word.isEmpty ? $0.key : "\($0.key) \($0.word)" }.joined(separator: " · ")
        if DisplayWidth.of(full) <= width { return [full] }
        let items = keys.map { $0.word.isEmpty ? $0.key : "\($0.key):\($0.word)" }
        let compact = items.joined(separator: " ")
        if DisplayWidth.of(compact) <= width { return [compact] }
        // Two rows: as many items on the first as fit, the rest on the second.
        var rows = [""]
        for item in items {
            let candidate = rows[rows.count - 1].isEmpty ? item : rows[rows.count - 1] + " " + item
            if DisplayWidth.of(candidate) <= width || rows[rows.count - 1].isEmpty {
                rows[rows.count - 1] = candidate
            } else {
                rows.append(item)
            }
        }
        return rows.count <= 2 ? rows : [rows[0], rows.dropFirst().joined(separator: " ")]
    }
}
