import IncidentCore

/// What covers the step for a moment: the help, the QR code, the questions (quit? go back?
/// cancel the scan?).
extension StepView {
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

    func drawOverlay(_ overlay: StepModel.Overlay, into buffer: inout ScreenBuffer) {
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
        case .stopScan: lines = TextWrapper.wrap(words(.endScanStopAsk), width: width - 4)
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
