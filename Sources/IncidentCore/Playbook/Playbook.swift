/// Who a playbook is for: only `employee` playbooks appear in the scenario menu.
public enum Audience: String, Sendable, Equatable, CaseIterable {
    case employee
    case admin
}

/// A parsed playbook, format version 1 (see docs/playbook-format.md).
public struct Playbook: Sendable, Equatable {
    public var path: String
    public var id: Located<String>
    public var revision: String?
    public var title: LocalizedText
    public var summary: LocalizedText?
    public var audience: Audience
    public var languages: [Located<String>]
    /// The playbook's own contacts (merged over the shared `contacts.yaml` by `mergedContacts`).
    public var contacts: [String: Contact]
    public var start: Located<String>?
    /// The steps in file order. Fixed once loaded, so the id index below stays true.
    public let steps: [Step]
    /// Position of each step id in `steps` (first occurrence wins), built once: every lookup of
    /// the validator, the engine and the flow graph goes through it.
    public let stepIndex: [String: Int]
    /// Duties with a clock (`deadlines:`), in file order; never shown to the employee.
    public var deadlines: [Deadline] = []
    /// Texts drafted from the record (`documents:`), in file order.
    public var documents: [DocumentTemplate] = []

    public init(path: String, id: Located<String>, revision: String?, title: LocalizedText,
                summary: LocalizedText?, audience: Audience, languages: [Located<String>],
                contacts: [String: Contact], start: Located<String>?, steps: [Step]) {
        self.path = path
        self.id = id
        self.revision = revision
        self.title = title
        self.summary = summary
        self.audience = audience
        self.languages = languages
        self.contacts = contacts
        self.start = start
        self.steps = steps
        var index: [String: Int] = [:]
        for (offset, step) in steps.enumerated() where index[step.id.value] == nil {
            index[step.id.value] = offset
        }
        self.stepIndex = index
    }

    public var languageCodes: [String] { languages.map(\.value) }

    /// The id of the first step.
    public var startStepID: String { start?.value ?? steps.first?.id.value ?? "" }

    /// The step with `id`, if any.
    public func step(_ id: String) -> Step? {
        guard let index = stepIndex[id] else { return nil }
        return steps[index]
    }

    /// The deadline with `id`, if any.
    public func deadline(_ id: String) -> Deadline? { deadlines.first { $0.id.value == id } }

    /// The document with `id`, if any.
    public func document(_ id: String) -> DocumentTemplate? { documents.first { $0.id.value == id } }

    /// The playbook's own contacts over the shared ones: the playbook's entry wins.
    public func mergedContacts(shared: [String: Contact]) -> [String: Contact] {
        shared.merging(contacts) { _, own in own }
    }
}
