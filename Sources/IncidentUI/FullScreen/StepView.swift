import IncidentCore

/// What the header shows besides the step itself.
public struct Frame: Sendable, Equatable {
    public var playbookTitle: String
    public var stepNumber: Int
    public var stepTotal: Int
    public var clock: String
    public var drill: Bool

    public init(playbookTitle: String, stepNumber: Int, stepTotal: Int, clock: String, drill: Bool = false) {
        self.playbookTitle = playbookTitle
        self.stepNumber = stepNumber
        self.stepTotal = stepTotal
        self.clock = clock
        self.drill = drill
    }
}

/// The full-screen view of a step: draws a `StepModel` it does not own into a `ScreenBuffer`
/// (header, the step's texts, its widget, the footer's keys, an overlay). Decides nothing.
public struct StepView: Sendable {
    public let model: StepModel
    var words: Vocabulary { model.words }

    public init(_ model: StepModel) {
        self.model = model
    }

    public static let minimumWidth = 40
    public static let minimumHeight = 12

    /// The whole screen for a terminal of `width × height`.
    public func render(_ frame: Frame, width: Int, height: Int) -> ScreenBuffer {
        var buffer = ScreenBuffer(width: width, height: height)
        guard width >= Self.minimumWidth, height >= Self.minimumHeight else {
            return Self.enlargeScreen(width: width, height: height, words: words)
        }
        // Header: title on the left; step N of M, clock and DRILL on the right.
        buffer.fill(row: 0, column: 0, width: width, style: .bar)
        // A question outside a playbook (the scenario menu) has no step count.
        var right = frame.stepTotal > 0 ? "\(words(.stepOf)) \(frame.stepNumber)/\(frame.stepTotal)  \(frame.clock) " : "\(frame.clock) "
        if frame.drill { right = " \(words(.drill)) " + right }
        let rightWidth = DisplayWidth.of(right)
        buffer.put(" " + TextWrapper.clip(Sanitizer.neutralise(frame.playbookTitle, keepNewlines: false), width: width - rightWidth - 3),
                   row: 0, column: 0, maxWidth: width - rightWidth - 1, style: .bar)
        buffer.put(right, row: 0, column: width - rightWidth, style: .bar)
        if frame.drill {
            buffer.put(" \(words(.drill)) ", row: 0, column: width - rightWidth, style: .drill)
        }
        // Footer: the keys that work here, on two rows when one cannot name them all.
        let footerRows = footer(width: width - 1)
        for (index, text) in footerRows.enumerated() {
            let row = height - footerRows.count + index
            buffer.fill(row: row, column: 0, width: width, style: .bar)
            buffer.put(" " + text, row: row, column: 0, maxWidth: width, style: .bar)
        }

        let inner = width - 4
        let step = model.step, message = model.message.map(messageText)
        let messageRows = message.map { TextWrapper.wrap($0, width: inner).count } ?? 0
        var titleLines = TextWrapper.wrap((step.critical ? words(.importantMark) + (words.isJapanese ? "" : " ") : "") + title, width: inner)
        if titleLines.isEmpty { titleLines = [""] }
        var widget = widgetLines(width: inner)
        // A finished command's screen says how it ended: its "please wait" text is over (it stays
        // in the help).
        var bodyLines = model.body.isEmpty || commandFinished ? [] : TextWrapper.wrap(model.body, width: inner)
        let bottom = height - footerRows.count
        let available = bottom - 2
        // The body keeps its first lines (the instruction) even when the widget is long: optional
        // widget lines (details also in the help overlay) give way first, the last ones first.
        // Up to four lines of it (and the mark when there are more), and the blank line after it.
        // An info or end screen's text is the screen: all of it.
        let floorLines = model.widget == .proceed ? bodyLines.count : 4
        // On a screen too small for the blank lines between title, text and widget, they go first.
        let essential = isList ? min(widget.count, 3) : widget.filter { !$0.optional }.count
        let gap = titleLines.count + 1 + (bodyLines.isEmpty ? 0 : 3) + essential + messageRows <= available ? 1 : 0
        var bodyFloor = bodyLines.isEmpty ? 0 : min(bodyLines.count, floorLines) + (bodyLines.count > floorLines ? 1 : 0) + gap
        // On a small screen what the widget cannot do without (whom to call, the number) comes
        // before the rest of the text: the body keeps one line and its mark.
        if bodyLines.count > 1, titleLines.count + gap + bodyFloor + essential + messageRows > available { bodyFloor = 2 + gap }
        let widgetRoom = available - titleLines.count - gap - bodyFloor - messageRows
        let optional = widget.indices.filter { widget[$0].optional }
        if widget.count > widgetRoom, !optional.isEmpty {
            let remove = Array(optional.suffix(min(optional.count, widget.count - widgetRoom + 1)))
            let mark = remove[0]
            for index in remove.reversed() { widget.remove(at: index) }
            widget.insert(WidgetLine(text: words(model.isEditingText ? .allWithF1 : .allWithHelp), style: .dim), at: mark)
        }
        // A list longer than its room scrolls: the highlighted option stays on screen, with a mark
        // where more options are above or below (never an option that cannot be seen but picked).
        // A form longer than its room scrolls the same way, so the field being typed into (and the
        // cursor) stays on screen.
        if widget.count > widgetRoom, isList || isForm {
            widget = scrolled(widget, room: max(3, widgetRoom))
        }
        // The title, its gap, the widget, the gap between body and widget, a message.
        let fixed = titleLines.count + gap + widget.count + (widget.isEmpty || bodyLines.isEmpty ? 0 : gap) + messageRows
        if !bodyLines.isEmpty, fixed + bodyLines.count > available {
            let keep = max(0, available - fixed - 1)
            // In a text field `?` is text: the mark names F1 there.
            bodyLines = Array(bodyLines.prefix(keep)) + [words(model.isEditingText ? .moreWithF1 : .moreWithHelp)]
        }
        var row = 2
        // What does not fit is never cut silently: the last row above the message says there is
        // more behind ?. The message (the answer to the key just pressed) always keeps its rows.
        let messageLines = message.map { TextWrapper.wrap($0, width: inner) } ?? []
        let limit = max(2, bottom - messageLines.count)
        let total = titleLines.count + gap + bodyLines.count + (bodyLines.isEmpty ? 0 : gap) + widget.count
        let overflows = 2 + total > limit
        func line(_ text: String, _ style: Style, indent: Int = 2) {
            guard row < limit else { return }
            if overflows, row == limit - 1 {
                // In a text field `?` is text: the mark names F1 there.
                buffer.put(words(model.isEditingText ? .moreWithF1 : .moreWithHelp), row: row, column: indent, maxWidth: width - indent - 1,
                           style: .dim)
            } else {
                buffer.put(text, row: row, column: indent, maxWidth: width - indent - 1, style: style)
            }
            row += 1
        }
        for text in titleLines { line(text, step.critical ? .critical : .title) }
        row += gap
        for text in bodyLines { line(text, .normal) }
        if !bodyLines.isEmpty { row += gap }
        let widgetTop = row
        for item in widget { line(item.text, item.style) }
        for (index, text) in messageLines.enumerated() where limit + index < bottom {
            buffer.put(text, row: limit + index, column: 2, maxWidth: width - 3, style: .critical)
        }
        if let cursor = widgetCursor(widget), widgetTop + cursor.row < bottom {
            buffer.cursor = ScreenBuffer.CursorPosition(row: widgetTop + cursor.row, column: 2 + cursor.column)
        }
        if let overlay = model.overlay { drawOverlay(overlay, into: &buffer) }
        return buffer
    }

    /// The line under the widget: a key that does nothing here is answered with the keys that do.
    func messageText(_ message: StepModel.Message) -> String {
        guard message == .notHere else { return message.text(words) }
        return words(.keyNotHere) + footer(width: Int.max).joined(separator: " ")
    }

    /// The step's heading: its title, or, once the notify chain has moved on, whom to reach now.
    var title: String {
        if case .notify(let notify) = model.widget, notify.index > 0, let card = notify.current {
            return words.nextContact(card.name, emailOnly: card.emailOnly)
        }
        return model.title
    }

    /// Shown below 40×12 instead of a squeezed screen.
    public static func enlargeScreen(width: Int, height: Int, words: Vocabulary) -> ScreenBuffer {
        var buffer = ScreenBuffer(width: width, height: height)
        let text = words(.enlargeWindow)
        let lines = TextWrapper.wrap(text, width: max(1, width))
        let top = max(0, (height - lines.count) / 2)
        for (index, line) in lines.enumerated() where top + index < height {
            buffer.put(line, row: top + index, column: max(0, (width - DisplayWidth.of(line)) / 2), style: .title)
        }
        return buffer
    }

    struct WidgetLine {
        var text: String
        var style: Style
        /// The cursor goes at the end of this line (the focused text field's last line).
        var cursor = false
        /// May be left out when the screen is too small (it is also in the help overlay).
        var optional = false
    }

    private var commandFinished: Bool {
        if case .command(let command) = model.widget { return command.isFinished }
        return false
    }

    /// Whether a finished scan reached a verdict (clean or detected).
    private func reachedVerdict(_ command: CommandModel) -> Bool {
        guard case .scan(let outcome)? = command.answer else { return true }
        return outcome.verdict == .clean || outcome.verdict == .detected
    }

    private var isEnd: Bool {
        if case .end = model.step.kind { return true }
        return false
    }

    private var isForm: Bool {
        if case .form = model.widget { return true }
        return false
    }

    /// Whether the widget is a list of options or items (the parts that scroll with the highlight).
    private var isList: Bool {
        switch model.widget {
        case .choice, .checklist, .confirm: return true
        default: return false
        }
    }

    /// `room` lines of a list, the highlighted item's lines among them, with "more above / below"
    /// marks taking a line each where lines are left out.
    private func scrolled(_ lines: [WidgetLine], room: Int) -> [WidgetLine] {
        let count = lines.count
        guard count > room else { return lines }
        let selected = lines.indices.filter { lines[$0].style == .selected }
        let first = selected.first ?? 0, last = selected.last ?? 0
        let range: Range<Int>
        if last < room - 1 || (first == 0 && last - first + 1 > room - 1) {
            range = 0..<(room - 1)  // from the top: one mark below
        } else if first >= count - (room - 1) {
            range = (count - (room - 1))..<count  // to the end: one mark above
        } else {
            let content = room - 2  // in the middle: a mark each side
            // The whole highlighted option when it fits, else its first lines (its number).
            let start = last - first + 1 <= content ? max(1, min(first, last - content + 1)) : max(1, first)
            range = start..<min(count, start + content)
        }
        var out: [WidgetLine] = []
        if range.lowerBound > 0 { out.append(WidgetLine(text: words(.moreAbove), style: .dim)) }
        out += lines[range]
        if range.upperBound < count { out.append(WidgetLine(text: words(.moreBelow), style: .dim)) }
        return out
    }

    private func widgetCursor(_ lines: [WidgetLine]) -> (row: Int, column: Int)? {
        guard model.overlay == nil, let index = lines.firstIndex(where: \.cursor) else { return nil }
        return (index, DisplayWidth.of(lines[index].text))
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

    /// `items.joined(separator:)` without the standard library's generic entry, whose first call
    /// looks up the array's associated types by name: 0.27 ms of profile samples on the way to the
    /// first screen, which draws this footer (bench/README.md).
    static func join(_ items: [String], _ separator: String) -> String {
        var out = ""
        for index in items.indices {
            if index > 0 { out += separator }
            out += items[index]
        }
        return out
    }

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
        let full = Self.join(keys.map { $0.word.isEmpty ? $0.key : "\($0.key) \($0.word)" }, " · ")
        if DisplayWidth.of(full) <= width { return [full] }
        let items = keys.map { $0.word.isEmpty ? $0.key : "\($0.key):\($0.word)" }
        let compact = Self.join(items, " ")
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

    /// The help as the overlay shows it: the body, the call script, the help, a finished
    /// command's raw output and a drill's notes — every line of it reachable by scrolling.
    func helpLines(width: Int) -> [String] {
        var text = model.help.isEmpty ? words(.noHelp) : model.help
        if !model.script.isEmpty { text = model.script + "\n\n" + text }
        if case .notify(let notify) = model.widget, let card = notify.current {
            // Whom to reach and how, whole, whatever the screen's size.
            let code = model.checkCode.map { [words.checkCode($0), words.checkCodeWhy(byEmail: card.emailOnly)] } ?? []
            text = ([words(card.emailOnly ? .notifyWriteNow : .notifyCallNow) + card.name] + card.reach + code + card.details).joined(separator: "\n")
                + "\n\n" + text
        }
        if !model.body.isEmpty { text = model.body + "\n\n" + text }
        if case .command(let command) = model.widget, !command.details.isEmpty {
            text += "\n\n" + words(.detailsTitle) + "\n" + command.details.map { Sanitizer.neutralise($0, keepNewlines: false) }.joined(separator: "\n")
        }
        if !model.notes.isEmpty { text += "\n\n" + model.notes.map { Sanitizer.neutralise($0, keepNewlines: false) }.joined(separator: "\n") }
        return TextWrapper.wrap(text.trimmingCharacters(in: .whitespacesAndNewlines), width: width)
    }

    /// The overlay's box: its width, and how many text rows it has on a screen of this size.
    static func overlayBox(width: Int, height: Int) -> (width: Int, rows: Int) {
        (min(width - 4, 72), max(1, height - 6))
    }

    /// The help's lines and the rows it has (for the model's scrolling), at this size.
    public func helpViewport(width: Int, height: Int) -> (lines: Int, rows: Int) {
        let box = Self.overlayBox(width: width, height: height)
        // The last rows go to the "scroll / close" hint.
        return (helpLines(width: box.width - 4).count, box.rows - TextWrapper.wrap(words(.helpScroll), width: box.width - 4).count)
    }

    /// The QR code on a cleared screen, dark on light, with what to do under it (one line at 80
    /// columns); or, when the window cannot hold it whole, how large it must be (never a broken
    /// code). The quiet zone is the standard's 4 modules where there is room, down to 2: the
    /// largest summary (a version 6 code) then fits an 80×24 window.
    private func drawCode(into buffer: inout ScreenBuffer) -> Bool {
        guard let modules = model.qrModules else { return false }
        let hint = TextWrapper.wrap(words(.qrTakePhoto), width: max(1, buffer.width - 2))
        let fitting = stride(from: QRDrawing.quietZone, through: QRDrawing.minimumQuietZone, by: -1).lazy
            .map { QRDrawing.lines(modules, quietZone: $0) }
            .first { lines in (lines.first.map { DisplayWidth.of($0) } ?? 0) <= buffer.width && lines.count + hint.count <= buffer.height }
        guard let lines = fitting else { return false }
        let codeWidth = lines.first.map { DisplayWidth.of($0) } ?? 0
        buffer = ScreenBuffer(width: buffer.width, height: buffer.height)
        let left = (buffer.width - codeWidth) / 2
        for (index, line) in lines.enumerated() { buffer.put(line, row: index, column: left, style: .qr) }
        for (index, line) in hint.enumerated() { buffer.put(line, row: lines.count + index, column: 1, style: .title) }
        buffer.cursor = nil
        return true
    }

    private func drawOverlay(_ overlay: StepModel.Overlay, into buffer: inout ScreenBuffer) {
        if overlay == .code, drawCode(into: &buffer) { return }
        let box = Self.overlayBox(width: buffer.width, height: buffer.height)
        let width = box.width
        var lines: [String]
        switch overlay {
        case .help:
            let all = helpLines(width: width - 4)
            let hint = TextWrapper.wrap(words(.helpScroll), width: width - 4)
            let rows = box.rows - hint.count
            if all.count + 1 <= box.rows {
                lines = all + TextWrapper.wrap(words(.helpClose), width: width - 4)
            } else {
                // A window on the help with a mark where more is above or below; the marks take
                // a row each, so every line is still reached by scrolling.
                let offset = min(model.helpOffset, max(0, all.count - rows))
                var window = Array(all[offset..<min(all.count, offset + rows)])
                if offset > 0 { window.insert(words(.moreAbove), at: 0) }
                if offset + rows < all.count { window.append(words(.moreBelow)) }
                while window.count > rows {
                    // Drop content (not marks) next to the marks to make room.
                    let index = offset > 0 ? 1 : window.count - 2
                    if offset + rows < all.count { window.remove(at: window.count - 2) } else { window.remove(at: index) }
                }
                lines = window + hint
            }
        case .quit: lines = TextWrapper.wrap(words(.quitAsk), width: width - 4)
        case .leave: lines = TextWrapper.wrap(words(.leaveAsk), width: width - 4)
        case .code:
            let size = (model.qrModules?.count ?? 0) + 2 * QRDrawing.minimumQuietZone
            let needed = (size + 1) / 2 + TextWrapper.wrap(words(.qrTakePhoto), width: max(1, buffer.width - 2)).count
            lines = TextWrapper.wrap(words.qrTooSmall(width: size, height: needed), width: width - 4)
        case .cancel:
            let scan: Bool
            if case .command(let command) = model.widget { scan = command.isScan } else { scan = true }
            lines = TextWrapper.wrap(words(scan ? .cancelScanAsk : .cancelCollectAsk), width: width - 4)
        }
        if lines.count > box.rows { lines = Array(lines.prefix(box.rows - 1)) + ["…"] }
        let top = max(1, (buffer.height - lines.count - 2) / 2)
        let left = (buffer.width - width) / 2
        let style: Style = overlay == .help ? .selected : .critical
        for row in top..<(top + lines.count + 2) { buffer.fill(row: row, column: left, width: width, style: style) }
        buffer.put("+" + String(repeating: "-", count: width - 2) + "+", row: top, column: left, style: style)
        buffer.put("+" + String(repeating: "-", count: width - 2) + "+", row: top + lines.count + 1, column: left, style: style)
        for (index, line) in lines.enumerated() {
            buffer.put("|", row: top + 1 + index, column: left, style: style)
            buffer.put(line, row: top + 1 + index, column: left + 2, maxWidth: width - 4, style: style)
            buffer.put("|", row: top + 1 + index, column: left + width - 1, style: style)
        }
        buffer.cursor = nil
    }
}
