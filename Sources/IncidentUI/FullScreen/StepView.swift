import IncidentCore

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
        // A background scan's status, on the row under the bar (every screen: `product.md`,
        // "Background work"); something found is an alert that takes no key.
        if let status = frame.status {
            buffer.put(" " + Sanitizer.neutralise(status, keepNewlines: false), row: 1, column: 0, maxWidth: width - 1,
                       style: frame.statusAlert ? .critical : .dim)
        }
        // Footer: the keys that work here, on two rows when one cannot name them all.
        let footerRows = footer(width: width - 1)
        for (index, text) in footerRows.enumerated() {
            let row = height - footerRows.count + index
            buffer.fill(row: row, column: 0, width: width, style: .bar)
            buffer.put(" " + text, row: row, column: 0, maxWidth: width, style: .bar)
        }

        let inner = width - 4
        // The marks that point to the help name the key that opens it here: F1 in a text field,
        // where `?` is text.
        let helpOnQuestionMark = KeyTable.step(model).input(for: .character("?")) == .help
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
            widget.insert(WidgetLine(text: words(helpOnQuestionMark ? .allWithHelp : .allWithF1), style: .dim), at: mark)
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
            bodyLines = Array(bodyLines.prefix(keep)) + [words(helpOnQuestionMark ? .moreWithHelp : .moreWithF1)]
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
                buffer.put(words(helpOnQuestionMark ? .moreWithHelp : .moreWithF1), row: row, column: indent, maxWidth: width - indent - 1,
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

    private var commandFinished: Bool {
        if case .command(let command) = model.widget { return command.isFinished }
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
}
