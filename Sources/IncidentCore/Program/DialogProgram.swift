/// One question outside a session — the scenario menu, "continue where you left off?", "may the
/// earlier record be closed?", a notice such as the emergency card — as a program on the same
/// loop as the session, in both front ends: a `StepModel` of a step made for it (so `?`, `q` and
/// Esc work as on every screen), and the answer once given.
public struct DialogProgram: Sendable {
    public enum Ending: Sendable, Equatable {
        case answered(Answer)
        /// The employee quit (or a signal came).
        case quit
    }

    public private(set) var model: StepModel
    public private(set) var ending: Ending?
    /// The header's title (the program's name: no playbook is chosen yet).
    public let title: String
    /// Whether every line but a clear yes means no (plain mode's "close the earlier record?":
    /// closing takes a clear yes, and a script's next line is never taken for this question).
    private let unclearIsNo: Bool

    public init(step: Step, title: String, language: String, unclearIsNo: Bool = false) {
        model = StepModel(step: step, language: language, render: { $0?.resolved(language) ?? "" }, clock: { "" })
        self.title = title
        self.unclearIsNo = unclearIsNo
    }

    /// A choice among `options` (value, label); `help`: what each one means, behind `?`.
    public static func menu(title: String, question: String, options: [(value: String, label: String)], help: String? = nil,
                            language: String) -> DialogProgram {
        let step = Step(id: Located("menu", at: .start), title: LocalizedText(question), help: help.map { LocalizedText($0) },
                        kind: .choice(options.map { ChoiceOption(value: Located($0.value, at: .start), label: LocalizedText($0.label)) }))
        return DialogProgram(step: step, title: title, language: language)
    }

    /// A yes/no question.
    public static func confirm(title: String, question: String, text: String, language: String, unclearIsNo: Bool = false) -> DialogProgram {
        let step = Step(id: Located("confirm", at: .start), title: LocalizedText(question), text: LocalizedText(text),
                        kind: .confirm(ConfirmSpec()))
        return DialogProgram(step: step, title: title, language: language, unclearIsNo: unclearIsNo)
    }

    /// A message to read; Enter (or quitting) closes it.
    public static func notice(title: String, heading: String, text: String, language: String) -> DialogProgram {
        let step = Step(id: Located("notice", at: .start), title: LocalizedText(heading), text: LocalizedText(text), kind: .info)
        return DialogProgram(step: step, title: title, language: language)
    }

    public mutating func update(_ input: StepInput) {
        guard ending == nil else { return }
        if unclearIsNo {
            switch input {
            case .yes: ending = .answered(.confirm(.yes))
            case .helpViewport, .enterReady: break
            default: ending = .answered(.confirm(.no))
            }
            return
        }
        switch model.update(input) {
        case .answer(let answer): ending = .answered(answer)
        case .suspend: ending = .quit
        default: break
        }
    }

    /// A signal, the window closed, the input ended.
    public mutating func stop() {
        if ending == nil { ending = .quit }
    }
}
