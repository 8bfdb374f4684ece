import IncidentCore

/// The step's widget as lines: its options, fields, contact card or command, each line with its
/// style and whether it may give way on a small screen.
extension StepView {
    struct WidgetLine {
        var text: String
        var style: Style
        /// The cursor goes at the end of this line (the focused text field's last line).
        var cursor = false
        /// May be left out when the screen is too small (it is also in the help overlay).
        var optional = false
    }

    func widgetLines(width: Int) -> [WidgetLine] {
        // The end's step times come after its own text and give way to it (they are in the help too).
        let giveWay = model.widget == .proceed
        let extra = model.notes.isEmpty ? [] : [WidgetLine(text: "", style: .normal, optional: giveWay)]
            + model.notes.flatMap { note in
                // Wrapped, never cut (a long address or a Japanese sentence stays whole).
                TextWrapper.wrap(Sanitizer.neutralise(note, keepNewlines: false), width: width).map {
                    WidgetLine(text: $0, style: .dim, optional: giveWay)
                }
            }
        return kindLines(width: width) + extra
    }

    func kindLines(width: Int) -> [WidgetLine] {
        switch model.widget {
        case .proceed:
            var out = [WidgetLine(text: "[ \(words(.continueButton)) ]", style: .selected)]
            if let code = model.checkCode {
                let why = TextWrapper.wrap(words.checkCodeWhy(onCall: false), width: width).map { WidgetLine(text: $0, style: .dim, optional: true) }
                out = [WidgetLine(text: words.checkCode(code), style: .title)] + why + [WidgetLine(text: "", style: .normal)] + out
            }
            return out
        case .confirm(let confirm):
            let choices = confirm.answers.map { answer in
                "\(words.confirm(answer)) (\(answer == .yes ? "y" : answer == .no ? "n" : "u"))"
            }
            return list(choices, highlighted: confirm.highlighted, width: width) { $0 == confirm.highlighted ? "> " : "  " }
        case .choice(let choice):
            return list(model.labels, highlighted: choice.highlighted, width: width) {
                ($0 == choice.highlighted ? "> " : "  ") + "\($0 + 1). "
            }
        case .checklist(let checklist):
            return list(model.labels, highlighted: checklist.highlighted, width: width) {
                ($0 == checklist.highlighted ? "> " : "  ") + (checklist.ticked.contains($0) ? "[x] " : "[ ] ") + "\($0 + 1). "
            }
        case .form(let form):
            var out: [WidgetLine] = []
            for index in form.values.indices {
                out += field(form.values[index], label: model.labels[index], focused: form.focus == index, width: width)
            }
            out.append(WidgetLine(text: "[ \(words(.continueFields)) ]", style: form.focus == form.values.count ? .selected : .normal))
            return out
        case .network(let network):
            guard let connected = network.connected else {
                return [WidgetLine(text: words(.checking), style: .dim)]
            }
            if connected.isEmpty { return [WidgetLine(text: words(.networkDisconnected), style: .good)] }
            return [WidgetLine(text: words(.networkConnected), style: .critical)]
                + connected.flatMap { connection in
                    TextWrapper.wrap(Sanitizer.neutralise(connection, keepNewlines: false), width: width - 2).map {
                        WidgetLine(text: "  " + $0, style: .critical)
                    }
                }
        case .evidence(let evidence):
            guard let photographed = evidence.photographed else { return [WidgetLine(text: words(.evidenceAsk), style: .selected)] }
            var out = [WidgetLine(text: words(.evidenceAsk) + " " + words.confirm(photographed ? .yes : .no), style: .dim)]
            guard evidence.attach != .none else { return out }
            for attachment in evidence.attached {
                let file = "\(attachment.file.name)  sha256:\(attachment.file.sha256.prefix(16))…"
                out.append(WidgetLine(text: "  + " + Sanitizer.neutralise(file, keepNewlines: false), style: .good))
                if let mail = attachment.mail {
                    out += TextWrapper.wrap(Sanitizer.neutralise(mail, keepNewlines: false), width: width - 4)
                        .map { WidgetLine(text: "    " + $0, style: .good) }
                }
            }
            out += field(evidence.path, label: words(.attachField), focused: evidence.suggestion == nil, width: width)
            if !evidence.suggestions.isEmpty {
                out.append(WidgetLine(text: words(.recentFilesPick), style: .dim, optional: true))
                for (index, path) in evidence.suggestions.enumerated() {
                    let selected = index == evidence.suggestion
                    let text = (selected ? "> " : "  ") + Sanitizer.neutralise(path, keepNewlines: false)
                    out.append(WidgetLine(text: TextWrapper.clip(text, width: width), style: selected ? .selected : .normal,
                                          optional: !selected))
                }
            }
            return out
        case .command(let command):
            guard command.isFinished else {
                // Wrapped, not cut: at 40 columns the clock would fall off the end.
                var out = TextWrapper.wrap(Self.status(command, words: words), width: width).map { WidgetLine(text: $0, style: .dim) }
                if let progress = command.progress {
                    out += Self.progressLines(progress, width: width, words: words)
                }
                out += command.lines.suffix(command.progress == nil ? 6 : 3).map {
                    WidgetLine(text: "  " + TextWrapper.clip(Sanitizer.neutralise($0, keepNewlines: false), width: width - 2), style: .dim)
                }
                return out
            }
            let said = command.summary.enumerated().flatMap { index, sentence in
                TextWrapper.wrap(Sanitizer.neutralise(sentence, keepNewlines: false), width: width)
                    .map { WidgetLine(text: $0, style: index == 0 ? .title : .normal) }
            }
            // A followed scan's bar stays where it ended (100 % when it reached its verdict); a
            // scan that could not finish shows no bar (a bar at 0 % under "it could not be
            // completed" says two things at once).
            guard let progress = command.progress, let percent = progress.percent, reachedVerdict(command) else { return said }
            let checked = words.scanChecked(done: progress.done, total: progress.total ?? progress.done, complete: progress.complete)
            return said + [WidgetLine(text: "", style: .normal, optional: true),
                           WidgetLine(text: Self.bar(percent, width: width), style: .dim, optional: true)]
                + TextWrapper.wrap(checked, width: width).map { WidgetLine(text: $0, style: .dim, optional: true) }
        case .notify(let notify):
            var out: [WidgetLine] = []
            if let card = notify.current {
                // Once the chain has moved on, the heading names the contact already.
                if notify.index == 0 {
                    let label = words(card.emailOnly ? .notifyWriteNow : .notifyCallNow)
                    out += TextWrapper.wrap(label + card.name, width: width).map { WidgetLine(text: $0, style: .title) }
                }
                for line in card.reach {
                    out += TextWrapper.wrap(line, width: width - 2).map { WidgetLine(text: "  " + $0, style: .selected) }
                }
                // The anchor against rewriting: written down at the other end of the line.
                if let code = model.checkCode {
                    // On a small screen the code gives way to the step's instruction (it is in the help).
                    out.append(WidgetLine(text: "  " + words.checkCode(code), style: .title, optional: true))
                    out += TextWrapper.wrap(words.checkCodeWhy(byEmail: card.emailOnly), width: width - 2)
                        .map { WidgetLine(text: "  " + $0, style: .dim, optional: true) }
                }
                for line in card.details {
                    out += TextWrapper.wrap(line, width: width - 2).map { WidgetLine(text: "  " + $0, style: .dim, optional: true) }
                }
            }
            if notify.askingName {
                out.append(WidgetLine(text: "", style: .normal))
                out += field(notify.name, label: words(.notifySpokeWith), focused: true, width: width)
            }
            if !model.script.isEmpty {
                out.append(WidgetLine(text: "", style: .normal))
                out.append(WidgetLine(text: words(notify.current?.emailOnly == true ? .notifyWriteThis : .notifySayThis), style: .dim,
                                      optional: true))
                let script = TextWrapper.wrap(model.script, width: width - 2)
                // The script's first lines stay (who is calling, about what); the rest may give way.
                // The script gives way first, from its end (all of it is behind ? too).
                for line in script { out.append(WidgetLine(text: "  " + line, style: .normal, optional: true)) }
            }
            return out
        }
    }

    /// A command's line while it runs: a spinner, what it does, the time so far.
    static func status(_ command: CommandModel, words: Vocabulary) -> String {
        if command.isFinished { return command.summary.first ?? "" }
        let seconds = max(0, command.seconds)
        let spinner = ["|", "/", "-", "\\"][seconds % 4]
        let clock = "\(seconds / 60):" + (seconds % 60 < 10 ? "0" : "") + "\(seconds % 60)"
        return "\(spinner) \(words(command.isScan ? .scanRunning : .collectRunning))  \(clock)"
    }

    /// A followed scan: the bar with its percentage (once the files are counted), the count, and
    /// the time left (once there is a rate).
    static func progressLines(_ progress: ScanProgress, width: Int, words: Vocabulary) -> [WidgetLine] {
        var out: [WidgetLine] = []
        if let percent = progress.percent { out.append(WidgetLine(text: Self.bar(percent, width: width), style: .selected)) }
        let count = words.scanCount(done: progress.done, total: progress.total, percent: progress.percent)
        out += TextWrapper.wrap(count, width: width).map { WidgetLine(text: $0, style: .normal) }
        if let left = progress.secondsLeft {
            out.append(WidgetLine(text: TextWrapper.clip(words.scanTimeLeft(seconds: left), width: width), style: .normal))
        }
        return out
    }

    /// The bar and its figure, at most 40 cells of bar, within `width`.
    static func bar(_ percent: Int, width: Int) -> String {
        let figure = " \(percent)%"
        return ScanProgress.bar(percent, width: max(1, min(40, width - DisplayWidth.of(figure)))) + figure
    }

    /// Whether a finished scan reached a verdict (clean or detected).
    private func reachedVerdict(_ command: CommandModel) -> Bool {
        guard case .scan(let outcome)? = command.answer else { return true }
        return outcome.verdict == .clean || outcome.verdict == .detected
    }

    private func list(_ items: [String], highlighted: Int?, width: Int, marker: (Int) -> String) -> [WidgetLine] {
        var out: [WidgetLine] = []
        for (index, item) in items.enumerated() {
            let prefix = marker(index)
            let indent = String(repeating: " ", count: DisplayWidth.of(prefix))
            let wrapped = TextWrapper.wrap(item, width: max(1, width - DisplayWidth.of(prefix)))
            for (lineIndex, text) in wrapped.enumerated() {
                out.append(WidgetLine(text: (lineIndex == 0 ? prefix : indent) + text, style: index == highlighted ? .selected : .normal))
            }
        }
        return out
    }

    private func field(_ value: String, label: String, focused: Bool, width: Int) -> [WidgetLine] {
        var out = TextWrapper.wrap(label, width: width).map { WidgetLine(text: $0, style: .dim) }
        let lines = value.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for (index, text) in lines.enumerated() {
            let shown = "> " + Sanitizer.neutralise(text, keepNewlines: false)
            // Long input shows its end, so what is being typed stays visible (counted in columns:
            // Japanese is two a character, and the cursor must stay inside the line).
            var clipped = shown
            if DisplayWidth.of(shown) > width - 1 {
                var tail = ""
                for character in shown.reversed() {
                    if DisplayWidth.of(String(character) + tail) > width - 4 { break }
                    tail = String(character) + tail
                }
                clipped = "> …" + tail
            }
            out.append(WidgetLine(text: clipped, style: focused ? .selected : .normal, cursor: focused && index == lines.count - 1))
        }
        return out
    }
}
