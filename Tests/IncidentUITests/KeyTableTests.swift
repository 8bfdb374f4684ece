import Foundation
import IncidentCore
import Testing
@testable import IncidentUI

/// The key table: one list per screen that the keys, the footer, the "keys you can use" line and
/// plain mode's lines and prompts are all read from, so none of them can say something the keys
/// do not do.
@Suite struct KeyTableTests {
    static let book = StepViewTests.book

    func model(_ id: String, _ language: String = "en", held: Bool = false, drill: Bool = false, contacts: [NotifyModel.Card] = [],
               suggestions: [String] = [], after inputs: [StepInput] = []) -> StepModel {
        let context = PlaceholderContext(language: language, hostName: "PC-01", contacts: Self.book.contacts)
        var model = StepModel(step: Self.book.step(id)!, language: language, render: { context.render($0, playbook: Self.book, answers: [:]) },
                              contacts: contacts, suggestions: suggestions, drill: drill, holdsEnter: held, clock: { "2026-12-01T10:00:00Z" })
        for input in inputs { _ = model.update(input) }
        return model
    }

    static let phone = NotifyModel.Card(id: "it", name: "IT", reach: ["03-1234-5678"])
    static let mail = NotifyModel.Card(id: "m", name: "Mail", reach: ["it@example.org"], emailOnly: true)

    /// Every widget in each of its states, a critical step's held Enter, the overlays.
    var states: [(String, StepModel)] {
        var end = model("finish")
        end.qrModules = [[true]]
        return StepViewTests.ids.map { ($0, model($0, contacts: [Self.phone])) } + [
            ("info held", model("info", held: true)),
            ("finish with a QR code", end),
            ("confirm highlighted", model("confirm", after: [.move(1)])),
            ("checklist ticked", model("checklist", after: [.tick(2)])),
            ("multi-line field", model("input", after: [.type("a"), .submit])),
            ("Continue button", model("input", after: [.focus(-1)])),
            ("connected", model("network", after: [.networkChecked(connected: ["eth0"])])),
            ("disconnected", model("network", after: [.networkChecked(connected: [])])),
            ("drill", model("network", drill: true, after: [.networkChecked(connected: ["eth0"])])),
            ("photographed", model("evidence", suggestions: ["/home/u/a.txt"], after: [.yes])),
            ("photographed, no recent files", model("evidence", after: [.yes])),
            ("running", model("scan", after: [.commandProgress(seconds: 1, lines: [])])),
            ("finished", model("collect", after: [.commandFinished(.none, summary: ["done"], details: [])])),
            ("asking the name", model("notify", contacts: [Self.phone], after: [.reached])),
            ("e-mail only", model("notify", contacts: [Self.mail])),
            ("help", model("choice", after: [.help])),
            ("quit?", model("choice", after: [.quit])),
            ("go back?", model("input", after: [.type("a"), .back])),
            ("stop the scan?", model("scan", after: [.commandProgress(seconds: 1, lines: []), .quit])),
            ("QR code", { var code = end; _ = code.update(.showCode); return code }()),
        ]
    }

    /// Each binding is what its keys do: no key is bound twice, so none is hidden behind another.
    @Test func everyBindingIsWhatItsKeysDo() {
        for (name, model) in states {
            let table = KeyTable.of(model)
            let keys = table.bindings.flatMap(\.keys)
            #expect(Set(keys.map { "\($0)" }).count == keys.count, "\(name): a key bound twice: \(keys)")
            for binding in table.bindings {
                for key in binding.keys {
                    #expect(KeyMap.input(for: key, in: model) == binding.input, "\(name): \(key)")
                }
            }
        }
    }

    /// The footer names no key that does nothing: some key of each item it names is taken, not
    /// answered with "that key does nothing here" ("1-9" on a list of two: 1 and 2).
    @Test func theFooterNamesOnlyKeysThatWork() {
        for (name, model) in states where model.overlay == nil {
            let table = KeyTable.step(model)
            for item in table.named {
                let taken = table.bindings.filter { $0.shown && $0.label == item.label && $0.word == item.word }.contains { binding in
                    var copy = model
                    _ = copy.update(binding.input)
                    return copy.message != .notHere
                }
                #expect(taken, "\(name): the footer names \(item.label), which does nothing")
            }
        }
    }

    /// A key the table does not have is answered with the footer's own list of keys.
    @Test(arguments: ["ja", "en"])
    func aKeyThatDoesNothingIsAnsweredWithTheFooter(_ language: String) {
        for (id, key) in [("choice", Key.character("x")), ("finish", .escape), ("evidence", .enter), ("network", .character("3"))] {
            var screen = Screen(model: model(id, language, contacts: [Self.phone]))
            _ = screen.handle(key)
            #expect(screen.model.message == .notHere, "\(id) \(key)")
            let view = StepView(screen.model)
            #expect(view.messageText(.notHere) == Vocabulary(language: language)(.keyNotHere) + view.footer(width: Int.max)[0])
        }
    }

    /// "Not sure" is a key only where the question offers it; elsewhere u does nothing and says so.
    @Test func unsureIsAKeyOnlyWhereItIsOffered() {
        let yaml = StepViewTests.yaml.replacingOccurrences(of: "unsure: true", with: "unsure: false")
        let book = PlaybookLoader.load(yaml: yaml).value!
        var twoAnswers = StepModel(step: book.step("confirm")!, language: "en", render: { $0?.resolved("en") ?? "" }, clock: { "" })
        #expect(KeyMap.input(for: .character("u"), in: twoAnswers) == .invalid)
        #expect(LineMap.inputs(for: "わからない", in: twoAnswers, fileExists: { _ in false }) == [.invalid])
        _ = twoAnswers.update(.invalid)
        #expect(StepView(twoAnswers).messageText(.notHere) == "That key does nothing here. Keys you can use: y yes · n no · Esc back · ? help · q quit")
        #expect(KeyMap.input(for: .character("U"), in: model("confirm")) == .unsure)
    }

    /// Plain mode's line commands that are keys typed mean what the keys mean.
    @Test func plainLinesAreTheKeysTyped() {
        for (name, model) in states where model.overlay == nil && !model.isEditingText {
            for binding in KeyTable.step(model).bindings {
                for line in binding.lines {
                    let expected: [StepInput] = binding.input == .help ? [.help, .dismiss] : [binding.input]
                    #expect(LineMap.inputs(for: line, in: model, fileExists: { _ in false }) == expected, "\(name): \(line.debugDescription)")
                }
            }
        }
    }

    /// The footers read as they did when each was written by hand.
    @Test func theFootersInFull() {
        let footers: [(String, String)] = [
            ("info", "Enter continue · Esc back · ? help · q quit"),
            ("info held", "Esc back · ? help · q quit"),
            ("confirm", "y yes · n no · u not sure · Esc back · ? help · q quit"),
            ("choice", "1-9 choose · ↑↓ Enter · Esc back · ? help · q quit"),
            ("checklist", "Space/1-9 tick · Enter continue · Esc back · ? help · q quit"),
            ("input", "Tab next field · Enter next · Esc back · F1 help · Ctrl-C quit"),
            ("multi-line field", "Enter new line (empty line: next) · Tab next field · Esc back · F1 help · Ctrl-C quit"),
            ("Continue button", "Tab next field · Enter next · Esc back · ? help · q quit"),
            ("connected", "1 check again · 2 I can't · Esc back · ? help · q quit"),
            ("disconnected", "1 check again · 2 I can't · Enter continue · Esc back · ? help · q quit"),
            ("drill", "1 check again · 2 I can't · Enter continue (drill) · Esc back · ? help · q quit"),
            ("evidence", "y yes · n no · Esc back · ? help · q quit"),
            ("photographed", "Enter continue · ↑↓ pick a file · Esc back · F1 help · Ctrl-C quit"),
            ("photographed, no recent files", "Enter continue · Esc back · F1 help · Ctrl-C quit"),
            ("running", "Esc stop · ? help · q quit"),
            ("finished", "Enter continue · Esc back · ? help · q quit"),
            ("notify", "1 reached · 2 no answer · 3 later · Esc back · ? help · q quit"),
            ("asking the name", "Enter done · Esc back · F1 help · Ctrl-C quit"),
            ("e-mail only", "1 sent · 2 can't send · 3 later · Esc back · ? help · q quit"),
            ("finish", "Enter continue · ? help · q quit"),
            ("finish with a QR code", "Enter continue · c QR code · ? help · q quit"),
        ]
        let all = Dictionary(states, uniquingKeysWith: { first, _ in first })
        for (name, footer) in footers {
            #expect(StepView(all[name]!).footer(width: 200) == [footer], "\(name)")
        }
        let japanese = StepView(model("notify", "ja", contacts: [Self.mail]))
        #expect(japanese.footer(width: 200) == ["1 送った · 2 送れない · 3 あとで · Esc 戻る · ? ヘルプ · q 中断"])
    }

    /// Plain mode's prompt is in the table's words: a drill's network step adds that Enter continues.
    @Test func thePromptIsTheTablesWords() {
        let drill = model("network", drill: true, after: [.networkChecked(connected: ["eth0"])])
        #expect(KeyTable.step(drill).prompt == [.networkHint, .drillEnterContinues])
        #expect(PlainView.prompt(drill) == ["> 1 = check again, 2 = I can't disconnect, Enter = continue (drill)"])
        #expect(PlainView.prompt(model("choice", after: [.quit])) == ["> Quit? Your answers so far are saved. (y/n)"])
    }

    /// In a text field `?` is text and F1 opens the help; elsewhere a full-width ？ is `?`.
    @Test func questionMarkIsTextInAField() {
        let field = model("input")
        #expect(KeyMap.input(for: .character("?"), in: field) == .type("?"))
        #expect(KeyMap.input(for: .help, in: field) == .help)
        #expect(KeyMap.input(for: .character("？"), in: model("choice")) == .help)
    }
}
