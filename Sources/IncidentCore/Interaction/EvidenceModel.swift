/// The evidence step: "did you take the photo?", then (when the step attaches files) a path to
/// type or a recent file to pick, as often as needed; an empty path continues.
public struct EvidenceModel: Sendable, Equatable {
    public struct Attachment: Sendable, Equatable {
        public var file: EvidenceFile
        /// One line about it when it was an e-mail.
        public var mail: String?
    }

    public let attach: AttachPolicy
    public var photographed: Bool?
    public var path = ""
    public var attached: [Attachment] = []
    /// Recent files to pick instead of typing a path.
    public var suggestions: [String]
    /// The highlighted recent file (on the full screen, ↑/↓ before typing).
    public var suggestion: Int?

    public init(attach: AttachPolicy, suggestions: [String]) {
        self.attach = attach
        self.suggestions = attach == .none ? [] : suggestions
    }

    /// The longest path accepted.
    static let pathLimit = 4096

    mutating func update(_ input: StepInput) -> Reaction {
        guard photographed != nil else {
            switch input {
            case .yes: photographed = true
            case .no: photographed = false
            case .invalid, .unsure, .submit, .pick: return .invalid
            default: return .nothing
            }
            return attach == .none ? finish() : .nothing
        }
        switch input {
        case .move(let delta) where path.isEmpty && !suggestions.isEmpty:
            let count = suggestions.count
            suggestion = moved(suggestion ?? (delta > 0 ? -1 : count), by: delta, count: count)
        case .pick(let number) where suggestions.indices.contains(number - 1):
            suggestion = nil
            return .effect(.attach(path: suggestions.remove(at: number - 1)))
        case .pick:
            return .invalid
        case .submit:
            if path.isEmpty, let picked = suggestion, suggestions.indices.contains(picked) {
                suggestion = nil
                return .effect(.attach(path: suggestions.remove(at: picked)))
            }
            let typed = path
            path = ""
            if typed.trimmingCharacters(in: .whitespaces).isEmpty {
                if attach == .required, attached.isEmpty { return .message(.word(.inputRequired)) }
                return finish()
            }
            return .effect(.attach(path: typed))
        default:
            switch TextEditing.apply(input, to: &path, limit: Self.pathLimit) {
            case .refused(let message): return .message(message)
            case .edited where !path.isEmpty: suggestion = nil
            default: break
            }
        }
        return .nothing
    }

    private func finish() -> Reaction {
        .effect(.answer(.evidence(EvidenceOutcome(photographed: photographed ?? false, files: attached.map(\.file)))))
    }
}
