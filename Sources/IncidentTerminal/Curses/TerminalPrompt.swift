import Foundation
import IncidentCore
import IncidentEdges
import IncidentUI

/// One question on the full-screen terminal outside a session: the scenario menu and "resume the
/// unfinished session?". Built from a step, so it looks and behaves like every other screen.
public struct TerminalPrompt {
    public enum Outcome: Equatable {
        case answered(Answer)
        case quit
    }

    let terminal: CursesTerminal

    public init(terminal: CursesTerminal) {
        self.terminal = terminal
    }

    /// The employee scenario menu: `options` are (value, title, summary); returns the chosen value.
    public func menu(title: String, question: String, options: [(value: String, label: String)], language: String) -> Outcome {
        let step = Step(id: Located("menu", at: .start), title: LocalizedText(question),
                        kind: .choice(options.map { ChoiceOption(value: Located($0.value, at: .start), label: LocalizedText($0.label)) }))
        return ask(step, title: title, language: language)
    }

    /// A yes/no question.
    public func confirm(title: String, question: String, text: String, language: String) -> Outcome {
        let step = Step(id: Located("confirm", at: .start), title: LocalizedText(question), text: LocalizedText(text),
                        kind: .confirm(ConfirmSpec()))
        return ask(step, title: title, language: language)
    }

    /// A message to read; Enter (or quit) closes it.
    public func notice(title: String, heading: String, text: String, language: String, critical: Bool = false) {
        let step = Step(id: Located("notice", at: .start), title: LocalizedText(heading), text: LocalizedText(text),
                        critical: critical, kind: .info)
        _ = ask(step, title: title, language: language)
    }

    private func ask(_ step: Step, title: String, language: String) -> Outcome {
        var model = StepModel(step: step, language: language, render: { $0?.resolved(language) ?? "" },
                              clock: { Timestamp.rfc3339() })
        while true {
            if terminal.pendingSignal != 0 || terminal.isLost { return .quit }
            _ = terminal.sizeChanged()
            if model.overlay == .help {
                let viewport = StepView(model).helpViewport(width: terminal.width, height: terminal.height)
                _ = model.update(.helpViewport(lines: viewport.lines, rows: viewport.rows))
            }
            terminal.present(StepView(model).render(Frame(playbookTitle: title, stepNumber: 0, stepTotal: 0,
                                                          clock: Timestamp.clock()), width: terminal.width, height: terminal.height))
            guard let key = terminal.readKey(milliseconds: 250), let input = KeyMap.input(for: key, in: model) else { continue }
            switch model.update(input) {
            case .answer(let answer): return .answered(answer)
            case .suspend: return .quit
            default: continue
            }
        }
    }
}
