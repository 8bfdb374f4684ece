import IncidentCore

/// Plain mode's view of a step: the same `StepModel` as lines for a screen reader, a serial
/// console or a script. It prints what the step shows when it opens, the prompt before each typed
/// line, and what an input changed — and decides nothing.
public enum PlainView {
    /// The step's header, title, text and widget, as it opens.
    public static func opening(_ model: StepModel, frame: Frame) -> [String] {
        let words = model.words
        let badge = frame.drill ? "[\(words(.drill))] " : ""
        var lines = [""]
        // A question before the session (no step count) has no header: it is not a step.
        if frame.stepTotal > 0 {
            lines.append("== \(badge)\(Sanitizer.neutralise(frame.playbookTitle, keepNewlines: false)) — \(words(.stepOf)) \(frame.stepNumber)/\(frame.stepTotal) ==")
        }
        if let status = frame.status { lines.append("[\(Sanitizer.neutralise(status, keepNewlines: false))]") }
        // A warning reads as a word ("重要" / "Important"), not as "!!" read aloud.
        lines.append((model.step.critical ? words(.importantMark) + (words.isJapanese ? "" : " ") : "") + model.title)
        if !model.body.isEmpty { lines.append(model.body) }
        switch model.widget {
        case .choice:
            lines += model.labels.enumerated().map { "  \($0.offset + 1)) \($0.element)" }
        case .checklist:
            lines += model.labels.enumerated().map { "  \($0.offset + 1)) [ ] \($0.element)" }
        case .command(let command) where command.isFinished:
            // An await whose scan ended before it was shown: its verdict, at once.
            lines += command.summary.map { Sanitizer.neutralise($0, keepNewlines: false) }
        case .command(let command):
            lines.append(command.isScan ? words(.scanRunning) + " " + words(.scanCancelHint) : words(.collectRunning))
        case .notify(let notify):
            lines += card(notify.current, words: words)
            if let code = model.checkCode {
                lines.append("  " + words.checkCode(code))
                lines.append("  " + words.checkCodeWhy(byEmail: notify.current?.emailOnly == true))
            }
            if !model.script.isEmpty {
                lines.append(words(notify.current?.emailOnly == true ? .notifyWriteThis : .notifySayThis))
                lines.append(model.script)
            }
        default:
            break
        }
        if model.widget == .proceed, case .end = model.step.kind, let code = model.checkCode {
            lines.append(words.checkCode(code) + "  " + words.checkCodeWhy(onCall: false))
        }
        lines += model.notes.map { Sanitizer.neutralise($0, keepNewlines: false) }
        if case .network(let network) = model.widget { lines += status(network, words: words) }
        return lines
    }

    /// What to print before reading a line: its last line is the prompt itself ("> …"), in the
    /// words of the screen's key table.
    public static func prompt(_ model: StepModel) -> [String] {
        let words = model.words
        func ask(_ prompt: [Vocabulary.Key]) -> String { "> " + prompt.map { words($0) }.joined() }
        // An open question (quit? go back?) asks its own.
        let open = KeyTable.of(model).prompt
        if model.overlay != nil, !open.isEmpty { return [ask(open)] }
        let prompt = ask(KeyTable.step(model).prompt)
        switch model.widget {
        case .form(let form) where form.focus < form.values.count:
            let label = model.labels[form.focus]
            // A pre-filled value (from an attached e-mail, or typed before going back) is shown;
            // an empty line keeps it.
            let value = form.values[form.focus]
            guard form.focusIsMultiline else {
                return ["> " + label + (value.isEmpty ? "" : " [" + Sanitizer.neutralise(value, keepNewlines: false) + "]")]
            }
            // The field's text so far (kept from before going back, or the lines typed), so what is
            // added next is added knowingly.
            let lines = value.split(separator: "\n").map { Sanitizer.neutralise(String($0), keepNewlines: false) }
            return [label + (lines.isEmpty ? "" : " [" + lines.joined(separator: " / ") + "]"), prompt]
        case .evidence(let evidence) where evidence.photographed != nil && !evidence.suggestions.isEmpty:
            return [words(.recentFilesNumber)]
                + evidence.suggestions.enumerated().map { "  \($0.offset + 1)) " + Sanitizer.neutralise($0.element, keepNewlines: false) }
                + [prompt]
        default:
            return [prompt]
        }
    }

    /// A followed scan's progress as one line, when it has moved on far enough to say again:
    /// once the files are counted, then at every tenth.
    public static func progress(from old: CommandModel, to new: CommandModel, words: Vocabulary) -> String? {
        guard let after = new.progress, let percent = after.percent, !new.isFinished else { return nil }
        if let before = old.progress?.percent, before / 10 == percent / 10 { return nil }
        var line = words.scanCount(done: after.done, total: after.total, percent: percent)
        if let left = after.secondsLeft { line += words.isJapanese ? "　" + words.scanTimeLeft(seconds: left) : ". " + words.scanTimeLeft(seconds: left) }
        return line
    }

    /// What `input` changed, as lines: a message, the help, the next contact, a copied file, a
    /// new network check, a command's result, the question whether to cancel it.
    public static func changes(from old: StepModel, to new: StepModel, after input: StepInput) -> [String] {
        let words = new.words
        var lines: [String] = []
        if input == .help, new.overlay == .help {
            lines.append(new.help.isEmpty ? words(.noHelp) : new.help)
            if case .command(let command) = new.widget, !command.details.isEmpty {
                lines.append(words(.detailsTitle))
                lines += command.details.map { "  | " + Sanitizer.neutralise($0, keepNewlines: false) }
            }
        }
        var scan = true
        if case .command(let command) = new.widget { scan = command.isScan }
        if new.overlay == .cancel, old.overlay != .cancel { lines.append(words(scan ? .cancelScanAgain : .cancelCollectAgain)) }
        if old.overlay == .cancel, input == .yes { lines.append(words(scan ? .cancellingScan : .cancellingCollect)) }
        switch (old.widget, new.widget) {
        case (.notify(let before), .notify(let after)) where after.index != before.index:
            if let current = after.current { lines.append(words.nextContact(current.name, emailOnly: current.emailOnly)) }
            lines += card(after.current, words: words)
            // A step with `email_text` / `email_script` says something else to this contact.
            if new.body != old.body, !new.body.isEmpty { lines.append(new.body) }
            if new.script != old.script, !new.script.isEmpty {
                lines.append(words(after.current?.emailOnly == true ? .notifyWriteThis : .notifySayThis))
                lines.append(new.script)
            }
        case (.evidence(let before), .evidence(let after)) where after.attached.count > before.attached.count:
            for attachment in after.attached.dropFirst(before.attached.count) {
                lines.append("  + \(Sanitizer.neutralise(attachment.file.name, keepNewlines: false)) sha256:\(attachment.file.sha256)")
                if let mail = attachment.mail { lines.append("    " + Sanitizer.neutralise(mail, keepNewlines: false)) }
            }
        case (.network, .network(let after)) where input == .checkAgain || input == .submit:
            lines += status(after, words: words)
        case (.command(let before), .command(let after)) where after.isFinished && !before.isFinished:
            lines += after.summary.map { Sanitizer.neutralise($0, keepNewlines: false) }
            if let progress = after.progress, progress.percent != nil {
                lines.append(words.scanChecked(done: progress.done, total: progress.total ?? progress.done, complete: progress.complete))
            }
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

    private static func card(_ card: NotifyModel.Card?, words: Vocabulary) -> [String] {
        guard let card else { return [] }
        return ["  " + words(card.emailOnly ? .notifyWriteNow : .notifyCallNow) + card.name]
            + (card.reach + card.details).map { "    " + $0 }
    }
}
