/// Items to tick, then continue; `require` says how many must be ticked first.
public struct ChecklistModel: Sendable, Equatable {
    public let values: [String]
    public let require: ChecklistRequirement
    public var ticked: Set<Int> = []
    public var highlighted = 0

    public init(values: [String], require: ChecklistRequirement) {
        self.values = values
        self.require = require
    }

    mutating func update(_ input: StepInput) -> Reaction {
        switch input {
        case .tick(let number) where values.indices.contains(number - 1):
            if ticked.contains(number - 1) { ticked.remove(number - 1) } else { ticked.insert(number - 1) }
            highlighted = number - 1
        case .ticks(let numbers) where numbers.allSatisfy({ values.indices.contains($0 - 1) }):
            ticked = Set(numbers.map { $0 - 1 })
        case .move(let delta):
            highlighted = moved(highlighted, by: delta, count: values.count)
        case .submit:
            if require == .all, ticked.count != values.count { return .message(.word(.checklistRequireAll)) }
            if require == .any, ticked.isEmpty { return .message(.word(.checklistRequireAny)) }
            return .effect(.answer(.checklist(values.indices.filter(ticked.contains).map { values[$0] })))
        case .tick, .ticks, .invalid, .pick:
            return .invalid
        default:
            break
        }
        return .nothing
    }
}
