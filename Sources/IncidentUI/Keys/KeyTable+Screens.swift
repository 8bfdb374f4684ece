import IncidentCore

/// Every screen's keys (`product.md`, "Keys"): one table for each widget and state, one for the
/// help, the QR code and the questions.
extension KeyTable {
    /// The keys that work now: an open question's, the help's or the QR code's, else the step's.
    static func of(_ model: StepModel) -> KeyTable {
        switch model.overlay {
        case nil: return step(model)
        case .help?: return help
        case .code?: return KeyTable(bindings: [], otherwise: .dismiss)
        case .quit?: return question(asking: [.quitAsk])
        case .leave?: return question(asking: [.leaveAsk])
        case .stopScan?: return question(asking: [.endScanStopAsk])
        // Plain mode never asks it: it reads no lines while a command runs.
        case .cancel?: return question(asking: [])
        }
    }

    /// The step's own keys, whatever covers the step for a moment (the footer still names them).
    static func step(_ model: StepModel) -> KeyTable {
        var table = widget(model)
        let editing = model.isEditingText
        var isEnd = false
        if case .end = model.step.kind { isEnd = true }
        table.editing = editing
        table.otherwise = .invalid
        // While a command runs Esc asks whether to stop it; the last screen has no way back (Esc
        // there says which keys work).
        table.bindings.append(KeyBinding([.escape], .back, "Esc", model.isRunning ? .keyStop : .back, shown: !isEnd, lines: ["<"]))
        // In a text field ←, ? and q are the field's; F1 and Ctrl-C still work.
        table.bindings += editing
            ? [KeyBinding([.help], .help, "F1", .help),
               KeyBinding([.interrupt], .quit, "Ctrl-C", .quit)]
            : [KeyBinding([.left], .back, "←", .back, shown: false),
               KeyBinding([.help, .character("?")], .help, "?", .help, lines: ["?"]),
               KeyBinding([.interrupt] + keys("qQ"), .quit, "q", .quit, lines: ["q", "Q"])]
        // A critical step's Enter is named once it works (after its first second on screen).
        if model.enterHeld {
            for index in table.bindings.indices where table.bindings[index].keys.contains(.enter) { table.bindings[index].shown = false }
        }
        return table
    }

    /// The widget's keys, and plain mode's prompt for them.
    private static func widget(_ model: StepModel) -> KeyTable {
        switch model.widget {
        case .proceed:
            var bindings = [KeyBinding([.enter], .submit, "Enter", .keyContinue)]
            if model.qrModules != nil { bindings.append(KeyBinding(keys("cC"), .showCode, "c", .keyQR)) }
            return KeyTable(bindings: bindings, prompt: [.pressEnter])
        case .confirm(let confirm):
            var bindings = [KeyBinding(keys("yY"), .yes, "y", .yes, lines: ["y"]), KeyBinding(keys("nN"), .no, "n", .no, lines: ["n"])]
            if confirm.answers.contains(.unsure) { bindings.append(KeyBinding(keys("uU"), .unsure, "u", .unsure, lines: ["u"])) }
            // The list can be walked too; the footer names the letters (nothing is highlighted at first).
            bindings += arrows(label: "↑↓", shown: false) + [KeyBinding([.enter], .submit, "Enter", shown: false, lines: [""])]
            return KeyTable(bindings: bindings, prompt: [confirm.answers.contains(.unsure) ? .answerYesNoUnsure : .answerYesNo])
        case .choice:
            let bindings = digits(StepInput.pick, "1-9", .keyChoose)
                + arrows(label: "↑↓ Enter", shown: true) + [KeyBinding([.enter], .submit, "↑↓ Enter", lines: [""])]
            return KeyTable(bindings: bindings, prompt: [.chooseNumber])
        case .checklist(let checklist):
            // Plain mode types the ticked numbers on one line, and an empty line ticks none.
            let bindings = [KeyBinding([.character(" ")], .tick(checklist.highlighted + 1), "Space/1-9", .keyTick)]
                + digits(StepInput.tick, "Space/1-9", .keyTick)
                + arrows(label: "↑↓", shown: false) + [KeyBinding([.enter], .submit, "Enter", .keyContinue)]
            return KeyTable(bindings: bindings, prompt: [.checklistHint])
        case .form(let form):
            let tab = KeyBinding([.tab], .focus(1), "Tab", .keyNextField)
            let enter = form.focusIsMultiline ? KeyBinding([.enter], .newline, "Enter", .keyNewline)
                : KeyBinding([.enter], .submit, "Enter", .keyNext)
            let bindings = (form.focusIsMultiline ? [enter, tab] : [tab, enter])
                + [KeyBinding([.backTab], .focus(-1), "Shift-Tab", shown: false),
                   KeyBinding([.down], .move(1), "↓", shown: false), KeyBinding([.up], .move(-1), "↑", shown: false), erase]
            // A single-line field's prompt is its label.
            let prompt: [Vocabulary.Key] = form.focus == form.values.count ? [.pressEnter]
                : form.focusIsMultiline ? [.inputHint, .emptyLineEnds] : []
            return KeyTable(bindings: bindings, typing: true, prompt: prompt)
        case .network(let network):
            // Enter is named once it continues; before that it checks again and says why it does
            // not go on.
            let bindings = [KeyBinding([.character("1")], .checkAgain, "1", .keyCheckAgain, lines: ["1"]),
                            KeyBinding([.character("2")], .cannotDisconnect, "2", .keyCannotDisconnect, lines: ["2"]),
                            KeyBinding([.enter], .submit, "Enter", network.drill ? .keyContinueDrill : .keyContinue,
                                       shown: network.isDisconnected || network.drill, lines: [""])]
            let prompt: [Vocabulary.Key] = network.isDisconnected ? [.pressEnter]
                : [.networkHint] + (network.drill ? [.drillEnterContinues] : [])
            return KeyTable(bindings: bindings, prompt: prompt)
        case .evidence(let evidence):
            guard evidence.photographed != nil else {
                let bindings = [KeyBinding(keys("yY"), .yes, "y", .yes, lines: ["y"]), KeyBinding(keys("nN"), .no, "n", .no, lines: ["n"])]
                return KeyTable(bindings: bindings, prompt: [.evidenceAsk])
            }
            // A path is typed (k and j are text); ↑↓ pick a recent file. Plain mode types its number.
            let pick = !evidence.suggestions.isEmpty
            let bindings = [KeyBinding([.enter], .submit, "Enter", .keyContinue),
                            KeyBinding([.up], .move(-1), "↑↓", .keyPickFile, shown: pick),
                            KeyBinding([.down], .move(1), "↑↓", .keyPickFile, shown: pick),
                            erase]
            return KeyTable(bindings: bindings, typing: true, prompt: [.evidenceFiles])
        case .command(let command):
            // While it runs, Enter does nothing and is not named (Esc stops it).
            let enter = KeyBinding([.enter], .submit, "Enter", .keyContinue, shown: command.isFinished)
            return KeyTable(bindings: [enter], prompt: [.pressEnter])
        case .notify(let notify):
            if notify.askingName {
                return KeyTable(bindings: [KeyBinding([.enter], .submit, "Enter", .keyDone), erase], typing: true, prompt: [.notifySpokeWith])
            }
            let email = notify.current?.emailOnly == true
            let bindings = [KeyBinding([.character("1")], .reached, "1", email ? .keySent : .keyReached, lines: ["1"]),
                            KeyBinding([.character("2")], .noAnswer, "2", email ? .keyCannotSend : .keyNoAnswer, lines: ["2"]),
                            KeyBinding([.character("3")], .later, "3", .keyLater, lines: ["3"])]
            return KeyTable(bindings: bindings, prompt: [email ? .notifyHintEmail : .notifyHint])
        }
    }

    /// The help: it scrolls, and any other key closes it (the overlay says so itself).
    private static let help = KeyTable(bindings: [
        KeyBinding([.up, .character("k")], .scroll(-1), "↑", shown: false),
        KeyBinding([.down, .character("j")], .scroll(1), "↓", shown: false),
        KeyBinding([.pageUp], .page(-1), "PgUp", shown: false),
        KeyBinding([.pageDown, .character(" ")], .page(1), "PgDn", shown: false),
    ], otherwise: .dismiss)

    /// quit? go back? stop the scan?: y or n (Esc too); other keys do nothing.
    private static func question(asking prompt: [Vocabulary.Key]) -> KeyTable {
        KeyTable(bindings: [KeyBinding(keys("yY"), .yes, "y", .yes, shown: false),
                            KeyBinding(keys("nN") + [.escape], .no, "n", .no, shown: false)],
                 otherwise: nil, prompt: prompt)
    }

    /// ↑/k and ↓/j move a list's highlight.
    private static func arrows(label: String, shown: Bool) -> [KeyBinding] {
        [KeyBinding([.up, .character("k")], .move(-1), label, shown: shown),
         KeyBinding([.down, .character("j")], .move(1), label, shown: shown)]
    }

    /// 1 to 9, each its own number.
    private static func digits(_ input: (Int) -> StepInput, _ label: String, _ word: Vocabulary.Key) -> [KeyBinding] {
        (1...9).map { KeyBinding([.character(Character(String($0)))], input($0), label, word) }
    }

    /// Backspace in a text field.
    private static let erase = KeyBinding([.backspace], .erase, "Backspace", shown: false)

    /// Each character of `letters` as a key ("yY": y in both cases).
    private static func keys(_ letters: String) -> [Key] {
        letters.map { .character($0) }
    }
}
