import Foundation
import IncidentCore
import Testing
@testable import IncidentUI

/// The screens that decide the outcome, at 80×24, 50×15 and 40×12 in both languages, drawn from
/// the shipped Emotet playbook and contacts: every instruction and every key's meaning is on
/// screen, or reachable by scrolling with a visible mark — nothing is cut without one.
@Suite struct CriticalScreensTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("playbooks")
    static let emotet: Playbook = {
        let url = root.appendingPathComponent("emotet.yaml")
        return PlaybookLoader.load(try! Data(contentsOf: url), path: url.path).value!
    }()
    static let contacts: [String: Contact] = {
        let url = root.appendingPathComponent("contacts.yaml")
        return ContactsLoader.load(try! Data(contentsOf: url), path: url.path).value!
    }()
    static let sizes = [(80, 24), (50, 15), (40, 12)]
    static let frame = Frame(playbookTitle: "怪しいメールが届いた・開いてしまった（Emotet）", stepNumber: 12, stepTotal: 13, clock: "15:09:00")

    func model(_ id: String, _ language: String, drill: Bool = false) -> StepModel {
        let context = PlaceholderContext(language: language, hostName: "PC-01", userName: "山田 花子",
                                         now: "2026-12-02T15:09:36.619+09:00", reportDir: "/home/hanako/incident-reports/20261202-150900-PC-01-emotet",
                                         contacts: Self.contacts)
        let step = Self.emotet.step(id)!
        let words = Vocabulary(language: language)
        var cards: [NotifyModel.Card] = []
        if case .notify(let spec) = step.kind { cards = spec.chain.compactMap { Self.contacts[$0] }.map { NotifyModel.Card(contact: $0, words: words) } }
        return StepModel(step: step, language: language, render: { context.render($0, playbook: Self.emotet, answers: [:]) },
                         contacts: cards, drill: drill, clock: { "2026-12-02T15:10:00.000+09:00" })
    }

    /// The screen's text as one string: wrapped lines joined back (Japanese without a space).
    func flat(_ buffer: ScreenBuffer, _ language: String) -> String {
        buffer.lines.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.joined(separator: language == "ja" ? "" : " ")
    }

    func render(_ model: StepModel, _ width: Int, _ height: Int) -> ScreenBuffer {
        StepView(model).render(Self.frame, width: width, height: height)
    }

    /// Every key of the footer keeps its meaning, at every size.
    func expectKeys(_ buffer: ScreenBuffer, _ pairs: [(String, String)], _ context: String) {
        let footer = buffer.lines.suffix(2).joined(separator: " ")
        for (key, meaning) in pairs {
            #expect(footer.contains("\(key) \(meaning)") || footer.contains("\(key):\(meaning)"), "\(context): '\(key)' means '\(meaning)': \(footer)")
        }
    }

    /// A text is either on screen or behind a visible mark.
    func expectShownOrMarked(_ text: String, in buffer: ScreenBuffer, _ language: String, _ context: String) {
        let words = Vocabulary(language: language)
        let shown = flat(buffer, language)
        let marked = [words(.allWithHelp), words(.moreWithHelp), words(.moreBelow)].contains { mark in buffer.lines.contains { $0.contains(mark) } }
        #expect(shown.contains(text) || marked, "\(context): '\(text)' neither shown nor marked:\n\(buffer.lines.joined(separator: "\n"))")
    }

    @Test(arguments: ["ja", "en"])
    func theNotifyCardNamesWhomToCallAndHow(_ language: String) {
        let words = Vocabulary(language: language)
        let ja = language == "ja"
        for (width, height) in Self.sizes {
            let context = "\(language) \(width)x\(height)"
            var notify = model("notify-admin", language)
            var buffer = render(notify, width, height)
            let text = flat(buffer, language)
            let admin = Self.contacts["admin"]!.name.resolved(language)
            #expect(text.contains(words(.notifyCallNow).trimmingCharacters(in: .whitespaces)), "\(context): \(text)")
            #expect(text.contains(admin) && text.contains("000-0000-0000"), "\(context): who and the number: \(text)")
            #expect(!text.contains("管理者の方へ") && !text.contains("For the administrator"), "nothing for the administrator")
            expectKeys(buffer, [("1", words(.keyReached)), ("2", words(.keyNoAnswer)), ("3", words(.keyLater)), ("Esc", words(.back))], context)
            // The script reads aloud: a time a person says, the person's name, "not answered" for gaps.
            expectShownOrMarked(ja ? "山田 花子です。怪しいメールの件でお電話しました。" : "This is 山田 花子. I am calling about a suspicious e-mail.",
                                in: buffer, language, context)
            #expect(!text.contains("2026-12-02T"), "no machine time on screen: \(text)")
            if width == 80 {
                #expect(text.contains(ja ? "12月2日 15:09" : "15:09, 2 December"), "\(context): \(text)")
                #expect(text.contains(words(.notAnswered)), "\(context): \(text)")
            }
            // Two "no answer"s: the IT consultant, then IPA, reached by e-mail only.
            _ = notify.update(.noAnswer)
            buffer = render(notify, width, height)
            let consultant = Self.contacts["consultant"]!.name.resolved(language)
            #expect(flat(buffer, language).contains(words.nextContact(consultant, emailOnly: false)), "\(context): the heading follows the chain")
            _ = notify.update(.noAnswer)
            buffer = render(notify, width, height)
            let ipa = flat(buffer, language)
            #expect(ipa.contains(words.nextContact(Self.contacts["ipa-soudan"]!.name.resolved(language), emailOnly: true)), "\(context): \(ipa)")
            if height >= 15 { #expect(ipa.contains("cs-support@ipa.go.jp"), "\(context): the address: \(ipa)") }
            expectShownOrMarked("cs-support@ipa.go.jp", in: buffer, language, context)
            expectShownOrMarked(words(.notifyFromOtherDevice), in: buffer, language, context)
            expectKeys(buffer, [("1", words(.keySent)), ("2", words(.keyCannotSend)), ("3", words(.keyLater))], context)
            // IPA is written to: the step's e-mail words, never a phone call's script.
            #expect(!ipa.contains(ja ? "お電話しました" : "I am calling"), "\(context): \(ipa)")
            #expect(!ipa.contains(ja ? "読み上げれば" : "read out"), "\(context): \(ipa)")
            expectShownOrMarked(ja ? "この相談先には、電話ではなくメールで連絡します。" : "This contact is reached by e-mail, not by phone.",
                                in: buffer, language, context)
            if width == 80 { #expect(ipa.contains(words(.notifyWriteThis)), "\(context): \(ipa)") }
            let help = StepView(notify).helpLines(width: 80).joined(separator: "\n")
            #expect(help.contains(ja ? "山田 花子と申します。" : "My name is 山田 花子."), "\(context): the e-mail behind ?: \(help)")
            #expect(!help.contains(ja ? "お電話しました" : "I am calling"), "\(context): \(help)")
            for line in buffer.lines { #expect(DisplayWidth.of(line) <= width) }
        }
    }

    @Test(arguments: ["ja", "en"])
    func theEndShowsItsOwnTextFirstAndDrillTimesAfter(_ language: String) {
        let words = Vocabulary(language: language)
        for (width, height) in Self.sizes {
            let context = "\(language) \(width)x\(height)"
            var end = model("end-reported", language)
            let bodyLines = end.body.split(separator: "\n").map(String.init)
            var buffer = render(end, width, height)
            for line in bodyLines where width == 80 { #expect(flat(buffer, language).contains(line), "\(context): '\(line)'") }
            for line in bodyLines { expectShownOrMarked(line, in: buffer, language, context) }
            expectKeys(buffer, [("Enter", words(.keyContinue))], context)
            // A drill's times: after the text, giving way to it, all of them behind ?.
            end.notes = [words(.stepTimesTitle)] + (1...12).map { "     0:1\($0 % 10)  Step \($0)" } + [words(.stepTimesTotal) + "3:05"]
            buffer = render(end, width, height)
            let shown = flat(buffer, language)
            if width == 80 {
                for line in bodyLines { #expect(shown.contains(line), "\(context): the end's text stays whole with drill times: '\(line)'") }
            }
            #expect(buffer.lines.contains { $0.contains(words(.allWithHelp)) } || shown.contains("3:05"), "\(context): times cut without a mark")
            _ = end.update(.help)
            let viewport = StepView(end).helpViewport(width: width, height: height)
            _ = end.update(.helpViewport(lines: viewport.lines, rows: viewport.rows))
            var found = false
            for _ in 0..<300 where !found {
                found = render(end, width, height).lines.contains { $0.contains("3:05") }
                _ = end.update(.scroll(1))
            }
            #expect(found, "\(context): the total is reachable behind ?")
        }
    }

    @Test(arguments: ["ja", "en"])
    func aHelpLongerThanTheWindowScrollsWithMarks(_ language: String) {
        let words = Vocabulary(language: language)
        for (width, height) in Self.sizes {
            let context = "\(language) \(width)x\(height)"
            var notify = model("notify-admin", language)
            _ = notify.update(.help)
            let view = StepView(notify)
            let all = view.helpLines(width: StepView.overlayBox(width: width, height: height).width - 4)
            let viewport = view.helpViewport(width: width, height: height)
            _ = notify.update(.helpViewport(lines: viewport.lines, rows: viewport.rows))
            var buffer = render(notify, width, height)
            guard viewport.lines > viewport.rows else { continue }
            #expect(buffer.lines.contains { $0.contains(words(.moreBelow)) }, "\(context): more below is marked")
            #expect(buffer.lines.contains { $0.contains(words(.helpScroll).prefix(8)) }, "\(context): it says how to scroll")
            // Page down to the end: the last line is shown, and a mark says there is more above.
            for _ in 0..<60 { _ = notify.update(.page(1)) }
            buffer = render(notify, width, height)
            #expect(buffer.lines.contains { $0.contains(all.last!) }, "\(context): the last help line is reachable")
            #expect(buffer.lines.contains { $0.contains(words(.moreAbove)) }, "\(context): more above is marked")
            _ = notify.update(.scroll(-1))
            #expect(notify.overlay == .help, "scrolling keeps the help open")
            _ = notify.update(.submit)
            #expect(notify.overlay == nil, "another key closes it")
        }
    }

    @Test(arguments: ["ja", "en"])
    func nineLongOptionsKeepTheHighlightOnScreen(_ language: String) throws {
        let options = (1...9).map { "      - {value: o\($0), label: {ja: \"選択肢その\($0)。これはとても長い説明で、画面の幅では一行に収まりません\", en: \"Option \($0), with a label far too long to fit on one line of the screen\"}}" }
        let book = try #require(PlaybookLoader.load(yaml: """
            playbook: 1
            id: nine
            title: Nine
            languages: [ja, en]
            steps:
              - id: pick
                type: choice
                title: {ja: どれですか？, en: Which one?}
                text: {ja: いちばん近いものを選んでください。, en: Pick the closest one.}
                options:
            \(options.joined(separator: "\n"))
            """).value)
        let words = Vocabulary(language: language)
        for (width, height) in Self.sizes {
            var choice = StepModel(step: book.steps[0], language: language, render: { $0?.resolved(language) ?? "" }, clock: { "" })
            let fresh = render(choice, width, height)
            let allShown = fresh.lines.contains { $0.contains("9. ") }
            #expect(allShown || fresh.lines.contains { $0.contains(words(.moreBelow)) }, "\(width)x\(height): the list says there is more")
            #expect(choice.update(.submit) == .none, "Enter alone picks nothing")
            #expect(render(choice, width, height).lines.joined().contains(words(.chooseFirst).prefix(6)), "it says what to press")
            for number in 1...9 {
                _ = choice.update(.move(1))
                let buffer = render(choice, width, height)
                #expect(buffer.lines.contains { $0.contains("> \(number). ") }, "\(language) \(width)x\(height): option \(number) highlighted off screen")
                if number < 9, !buffer.lines.contains(where: { $0.contains("9. ") }) {
                    #expect(buffer.lines.contains { $0.contains(words(.moreBelow)) }, "\(width)x\(height): options below are marked")
                }
                expectKeys(buffer, [("1-9", words(.keyChoose))], "\(width)x\(height)")
            }
        }
    }
}


extension CriticalScreensTests {
    /// The field being typed into stays on screen, with its cursor, at every size — and long
    /// Japanese text shows its end within the line.
    @Test(arguments: ["ja", "en"])
    func theFieldBeingTypedIntoStaysOnScreen(_ language: String) {
        for (width, height) in Self.sizes {
            var form = model("mail-details", language)
            for _ in 0..<3 { _ = form.update(.focus(1)) }
            for character in "clicked" { _ = form.update(.type(character)) }
            let buffer = render(form, width, height)
            let cursor = buffer.cursor
            #expect(cursor != nil, "\(language) \(width)x\(height): the cursor is on screen")
            if let cursor {
                #expect(cursor.row < height - 1 && cursor.column < width)
                #expect(buffer.lines[cursor.row].contains("clicked"), "\(width)x\(height): \(buffer.lines.joined(separator: "\n"))")
            }
        }
        var long = model("mail-details", language)
        let kana = String(repeating: "あいうえおかきくけこ", count: 6)
        for character in kana.prefix(54) { _ = long.update(.type(character)) }
        let buffer = render(long, 80, 24)
        let cursor = buffer.cursor
        #expect(cursor.map { $0.column < 80 } == true, "the cursor stays inside the line")
        if let cursor { #expect(buffer.lines[cursor.row].hasSuffix(String(kana.prefix(54).suffix(3))), "the last typed characters are shown") }
    }
}
