import IncidentCore

/// Plain mode's view of a step: the same `StepModel` as lines for a screen reader, a serial
/// console or a script. It prints what the step shows when it opens, the prompt before each typed
/// line, and what an input changed — and decides nothing.
public enum PlainView {
    /// The step's header, title, text and widget, as it opens.
    public static func opening(_ model: StepModel, frame: Frame) -> [String] {
        let words = model.words
        let badge = frame.drill ? "[\(words(.drill))] " : ""
        var lines = ["", "== \(badge)\(Sanitizer.neutralise(frame.playbookTitle, keepNewlines: false)) — \(words(.stepOf)) \(frame.stepNumber)/\(frame.stepTotal) =="]
        lines.append((model.step.critical ? "!! " : "") + model.title)
        if !model.body.isEmpty { lines.append(model.body) }
        switch model.widget {
        case .choice:
            lines += model.labels.enumerated().map { "  \($0.offset + 1)) \($0.element)" }
        case .checklist:
            lines += model.labels.enumerated().map { "  \($0.offset + 1)) [ ] \($0.element)" }
        case .command(let command):
            lines.append(command.isScan ? words(.scanRunning) + " " + words(.scanCancelHint) : words(.collectRunning))
        case .notify(let notify):
            if !model.script.isEmpty { lines.append(model.script) }
            lines += card(notify.current)
        default:
            break
        }
        lines += model.notes.map { Sanitizer.neutralise($0, keepNewlines: false) }
        if case .network(let network) = model.widget { lines += status(network, words: words) }
        return lines
    }

    /// What to print before reading a line: its last line is the prompt itself ("> …").
    public static func prompt(_ model: StepModel) -> [String] {
        let words = model.words
        if model.overlay == .quit { return ["> " + words(.quitAsk)] }
        switch model.widget {
        case .proceed, .command:
            return ["> " + words(.pressEnter)]
        case .confirm(let confirm):
            return ["> " + words(confirm.answers.count == 3 ? .answerYesNoUnsure : .answerYesNo)]
        case .choice:
            return ["> " + words(.chooseNumber)]
        case .checklist:
            return ["> " + words(.checklistHint)]
        case .form(let form):
            guard form.focus < form.values.count else { return ["> " + words(.pressEnter)] }
            let label = model.labels[form.focus]
            guard form.focusIsMultiline else { return ["> " + label] }
            let hint = "> " + words(.inputHint) + words(.emptyLineEnds)
            return form.values[form.focus].isEmpty ? [label, hint] : [hint]
        case .network(let network):
            if network.isDisconnected { return ["> " + words(.pressEnter)] }
            return ["> " + words(.networkHint) + (network.drill ? words(.drillEnterContinues) : "")]
        case .evidence(let evidence):
            guard evidence.photographed != nil else { return ["> " + words(.evidenceAsk)] }
            var lines: [String] = []
            if !evidence.suggestions.isEmpty {
                lines.append(words(.recentFilesNumber))
                lines += evidence.suggestions.enumerated().map { "  \($0.offset + 1)) " + Sanitizer.neutralise($0.element, keepNewlines: false) }
            }
            return lines + ["> " + words(.evidenceFiles)]
        case .notify(let notify):
            return ["> " + words(notify.askingName ? .notifySpokeWith : .notifyHint)]
        }
    }

    /// What `input` changed, as lines: a message, the help, the next contact, a copied file, a
    /// new network check, a command's result, the question whether to cancel it.
    public static func changes(from old: StepModel, to new: StepModel, after input: StepInput) -> [String] {
        let words = new.words
        var lines: [String] = []
        if input == .help, new.overlay == .help {
            lines.append(new.help.isEmpty ? words(.noHelp) : new.help)
        }
        if new.overlay == .cancel, old.overlay != .cancel { lines.append(words(.cancelScanAgain)) }
        if old.overlay == .cancel, input == .yes { lines.append(words(.cancellingScan)) }
        switch (old.widget, new.widget) {
        case (.notify(let before), .notify(let after)) where after.index != before.index:
            lines.append(words(.notifyNoAnswerNext))
            lines += card(after.current)
        case (.evidence(let before), .evidence(let after)) where after.attached.count > before.attached.count:
            for attachment in after.attached.dropFirst(before.attached.count) {
                lines.append("  + \(Sanitizer.neutralise(attachment.file.name, keepNewlines: false)) sha256:\(attachment.file.sha256)")
                if let mail = attachment.mail { lines.append("    " + Sanitizer.neutralise(mail, keepNewlines: false)) }
            }
        case (.network, .network(let after)) where input == .checkAgain || input == .submit:
            lines += status(after, words: words)
        case (.command(let before), .command(let after)) where after.isFinished && !before.isFinished:
            lines += after.lines.map { "  | " + Sanitizer.neutralise($0, keepNewlines: false) }
            lines.append(StepView.status(after, words: words))
        default:
            break
        }
        // Every input of the employee's clears the message: one that is there now is new.
        if let message = new.message {
            lines.append((isRefusal(message) ? "  ! " : "") + Sanitizer.neutralise(message.text(words), keepNewlines: false))
        }
        return lines
    }

    private static func isRefusal(_ message: StepModel.Message) -> Bool {
        if case .text = message { return true }
        return false
    }

    private static func status(_ network: NetworkModel, words: Vocabulary) -> [String] {
        guard let connected = network.connected else { return [] }
        if connected.isEmpty { return [words(.networkDisconnected)] }
        return [words(.networkConnected)] + connected.map { "  " + Sanitizer.neutralise($0, keepNewlines: false) }
    }

    private static func card(_ card: NotifyModel.Card?) -> [String] {
        guard let card else { return [] }
        return card.lines.enumerated().map { ($0.offset == 0 ? "  " : "    ") + $0.element }
    }
}

/// Plain mode's typed lines as the step model's inputs: a number, `y`/`n`/`u` (はい/いいえ too),
/// text; `?` help, `q` quit, `<` back; Esc alone on a line goes back even in a text field.
public enum LineMap {
    /// The inputs one line stands for, in order. `fileExists` tells a recent file's number from a
    /// file that really has that name.
    public static func inputs(for raw: String, in model: StepModel, fileExists: (String) -> Bool) -> [StepInput] {
        let line = raw.hasSuffix("\r") ? String(raw.dropLast()) : raw
        if line == "\u{1b}" { return [.back] }
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        if model.overlay == .quit { return [Vocabulary.typedAnswer(line) == .yes ? .yes : .no] }
        if model.isEditingText {
            switch model.widget {
            case .form(let form) where form.focusIsMultiline:
                return line.isEmpty ? [.submit] : [.appendLine(line)]
            case .evidence(let evidence):
                if let number = Int(trimmed), evidence.suggestions.indices.contains(number - 1), !fileExists(trimmed) {
                    return [.pick(number)]
                }
                return [.text(trimmed), .submit]
            default:
                return [.text(trimmed), .submit]
            }
        }
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
            case nil: return [.invalid]
            }
        case .evidence:
            switch Vocabulary.typedAnswer(trimmed) {
            case .yes: return [.yes]
            case .no: return [.no]
            default: return [.invalid]
            }
        case .choice:
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
