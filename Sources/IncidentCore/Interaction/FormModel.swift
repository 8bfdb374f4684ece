/// An `input` step's fields and its Continue button. Enter finishes the focused field (a
/// required one must not be empty; none may be longer than its limit) and moves to the next;
/// on the last field or the button it gives the answer.
public struct FormModel: Sendable, Equatable {
    public let fields: [InputField]
    public var values: [String]
    /// The focused field; `values.count` is the Continue button.
    public var focus = 0

    public init(fields: [InputField]) {
        self.fields = fields
        values = Array(repeating: "", count: fields.count)
    }

    /// The fields an attached e-mail answers, by their ids: `sender` or `from`, `subject`, and
    /// `date`, `received` or `time`. Editable defaults: only empty fields are filled.
    public mutating func prefill(from mail: MailSummary) {
        for (index, field) in fields.enumerated() where values[index].isEmpty {
            let id = field.id.value
            let value = MailSummary.FormField.sender.contains(id) ? mail.from
                : MailSummary.FormField.subject.contains(id) ? mail.subject
                : MailSummary.FormField.date.contains(id) ? mail.date : nil
            if let value { values[index] = String(Sanitizer.neutralise(value, keepNewlines: false).prefix(field.maxLength)) }
        }
    }

    /// Whether the focused field takes several lines (Enter is a new line there).
    public var focusIsMultiline: Bool { focus < fields.count && fields[focus].multiline }

    mutating func update(_ input: StepInput) -> Reaction {
        let count = values.count
        switch input {
        case .focus(let delta):
            focus = moved(focus, by: delta, count: count + 1)
        case .move(1) where focus < count && !fields[focus].multiline:
            focus += 1
        case .move(-1) where focus > 0:
            focus -= 1
        case .newline where focusIsMultiline:
            // Enter on an empty line (a second Enter in a row, or on an empty field) ends the
            // field as in plain mode, instead of adding empty lines forever.
            if values[focus].isEmpty || values[focus].hasSuffix("\n") {
                while values[focus].hasSuffix("\n") { values[focus].removeLast() }
                return update(.submit)
            }
            guard values[focus].count < fields[focus].maxLength else { return .message(.tooLong(maximum: fields[focus].maxLength)) }
            values[focus].append("\n")
        case .submit where focus < count:
            if let problem = problem(focus) { return .message(problem) }
            if focus < count - 1 {
                focus += 1
                return .nothing
            }
            return finish()
        case .submit:
            return finish()
        default:
            if focus < count, case .refused(let message) = TextEditing.apply(input, to: &values[focus], limit: fields[focus].maxLength) {
                return .message(message)
            }
        }
        return .nothing
    }

    private func problem(_ index: Int) -> StepModel.Message? {
        let value = TextEditing.trimmed(values[index])
        if fields[index].required, value.isEmpty { return .word(.inputRequired) }
        if value.count > fields[index].maxLength { return .tooLong(maximum: fields[index].maxLength) }
        return nil
    }

    /// The answer, or the focus on the first field that cannot be accepted.
    private mutating func finish() -> Reaction {
        if let index = values.indices.first(where: { problem($0) != nil }), let problem = problem(index) {
            focus = index
            return .message(problem)
        }
        var answer: [String: String] = [:]
        for (index, field) in fields.enumerated() { answer[field.id.value] = TextEditing.trimmed(values[index]) }
        return .effect(.answer(.input(answer)))
    }
}
