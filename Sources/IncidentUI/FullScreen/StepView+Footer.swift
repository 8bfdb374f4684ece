import IncidentCore

/// The footer: the keys that work on this screen, with their meanings.
extension StepView {
    /// The keys that work on this screen and what each does, in the session's language: on one
    /// row when they fit, else on two, each key still with its meaning (short words first).
    func footer(width: Int) -> [String] {
        var keys: [(key: String, word: String)]
        switch model.widget {
        case .proceed:
            keys = [("Enter", words(.keyContinue))]
            if model.qrModules != nil { keys.append(("c", words(.keyQR))) }
        case .confirm(let confirm):
            keys = [("y", words(.yes)), ("n", words(.no))]
            if confirm.answers.count == 3 { keys.append(("u", words(.unsure))) }
        case .choice: keys = [("1-9", words(.keyChoose)), ("↑↓ Enter", "")]
        case .checklist: keys = [("Space/1-9", words(.keyTick)), ("Enter", words(.keyContinue))]
        case .form(let form):
            keys = form.focusIsMultiline ? [("Enter", words(.keyNewline)), ("Tab", words(.keyNextField))]
                : [("Tab", words(.keyNextField)), ("Enter", words(.keyNext))]
        case .network(let network):
            keys = [("1", words(.keyCheckAgain)), ("2", words(.keyCannotDisconnect))]
            if network.isDisconnected || network.drill { keys.append(("Enter", words(network.drill ? .keyContinueDrill : .keyContinue))) }
        case .evidence(let evidence):
            keys = evidence.photographed == nil ? [("y", words(.yes)), ("n", words(.no))] : [("Enter", words(.keyContinue))]
            if evidence.photographed != nil, !evidence.suggestions.isEmpty { keys.append(("↑↓", words(.keyPickFile))) }
        case .command(let command):
            keys = command.isFinished ? [("Enter", words(.keyContinue))] : [("Esc", words(.keyStop))]
        case .notify(let notify):
            let email = notify.current?.emailOnly == true
            keys = notify.askingName ? [("Enter", words(.keyDone))]
                : [("1", words(email ? .keySent : .keyReached)), ("2", words(email ? .keyCannotSend : .keyNoAnswer)), ("3", words(.keyLater))]
        }
        // A critical step's Enter is named once it works (after its first second on screen).
        if model.enterHeld { keys.removeAll { $0.key == "Enter" } }
        if !model.isRunning, !isEnd { keys.append(("Esc", words(.back))) }
        let editing = model.isEditingText
        keys.append((editing ? "F1" : "?", words(.help)))
        keys.append((editing ? "Ctrl-C" : "q", words(.quit)))
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

    private var isEnd: Bool {
        if case .end = model.step.kind { return true }
        return false
    }
}
