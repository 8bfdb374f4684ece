/// What the employee (or an edge acting for them) tells the engine.
public enum EngineEvent: Sendable, Equatable {
    /// Enter the first step.
    case start
    /// Answer the current step and move on.
    case answer(Answer)
    /// Return to the previous step actually shown.
    case back
    /// A background scan's verdict (`wait: false`), whatever step is on screen: the scan step's
    /// answer, without moving (also after the session has finished).
    case verdict(step: String, answer: Answer)
}

/// What happened, in order: the stream the journal records and the report is built from.
public enum EngineRecord: Sendable, Equatable {
    case stepEntered(step: String)
    case stepSkipped(step: String)
    case stepAnswered(step: String, answer: Answer)
    case stepBack(from: String, to: String)
    case finished(outcome: String)
}

public enum EngineError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The answer does not fit the current step (wrong type, unknown option, requirement not met).
    case invalidAnswer(String)
    /// An event that makes no sense now (answer before start, anything after the end).
    case notRunning
    /// `when:` conditions skipped every step in a cycle: the playbook can go nowhere.
    case skipLoop(String)

    public var description: String {
        switch self {
        case .invalidAnswer(let reason): return "invalid answer: \(reason)"
        case .notRunning: return "the playbook is not running"
        case .skipLoop(let step): return "every step from '\(step)' on is skipped in a loop"
        }
    }
}

/// The engine's whole state: everything needed to resume, rebuilt by replaying records.
public struct EngineState: Sendable, Equatable {
    /// The step on screen, nil before start and after running past the last step; an `end`
    /// step stays current (on screen) once it has finished the session.
    public var current: String?
    /// Steps shown, oldest first; Back pops it.
    public var history: [String] = []
    /// The latest answer of each step (a later answer wins).
    public var answers: [String: Answer] = [:]
    /// The outcome once finished.
    public var outcome: String?

    public init() {}

    public var isFinished: Bool { outcome != nil }
}

/// The playbook walker: a pure state machine, `state + event → state + records`. No terminal, no
/// processes, no clock: the edges run commands and probes and send their results in as answers.
public struct Engine: Sendable {
    public let playbook: Playbook
    public private(set) var state: EngineState
    private let graph: FlowGraph
    /// "Step N of M"'s remaining steps from each step (by index), computed once.
    private let longestPaths: [Int]

    public init(playbook: Playbook, state: EngineState = EngineState()) {
        self.playbook = playbook
        self.state = state
        self.graph = FlowGraph(playbook)
        self.longestPaths = graph.longestPaths()
    }

    /// The step on screen.
    public var currentStep: Step? { state.current.flatMap(playbook.step) }

    /// Applies one event; returns what happened, or throws without changing anything.
    @discardableResult
    public mutating func send(_ event: EngineEvent) throws -> [EngineRecord] {
        var next = state
        var records: [EngineRecord] = []
        switch event {
        case .start:
            guard next.current == nil, next.history.isEmpty, !next.isFinished else { throw EngineError.notRunning }
            try enter(.step(playbook.startStepID), into: &next, records: &records)
        case .answer(let answer):
            guard let step = currentStep, !next.isFinished else { throw EngineError.notRunning }
            try Self.check(answer, for: step)
            // Passing a background scan again keeps the verdict it already has.
            if !(answer == .none && step.isBackgroundScan && next.answers[step.id.value] != nil) {
                next.answers[step.id.value] = answer
            }
            records.append(.stepAnswered(step: step.id.value, answer: answer))
            try enter(target(after: step, answer: answer), into: &next, records: &records)
        case let .verdict(id, answer):
            guard let step = playbook.step(id), step.isBackgroundScan, case .scan = answer else {
                throw EngineError.invalidAnswer("'\(id)' is not a background scan")
            }
            next.answers[id] = answer
            records.append(.stepAnswered(step: id, answer: answer))
        case .back:
            guard let current = next.current, !next.isFinished else { throw EngineError.notRunning }
            // Back goes to the previous step the employee saw: a background scan was never shown.
            guard let target = next.history.dropLast().lastIndex(where: { playbook.step($0)?.isBackgroundScan != true }) else { return [] }
            next.history.removeSubrange((target + 1)...)
            let previous = next.history[target]
            next.current = previous
            records.append(.stepBack(from: current, to: previous))
        }
        state = next
        return records
    }

    /// Where the flow goes after `step` answered `answer` (the format's precedence order).
    public func target(after step: Step, answer: Answer) -> FlowTarget {
        switch (step.kind, answer) {
        case (.choice(let options), .choice(let value)):
            if let next = options.first(where: { $0.value.value == value })?.next { return next.value }
        case (.confirm(let spec), .confirm(let value)):
            let next: Located<FlowTarget>?
            switch value {
            case .yes: next = spec.yesNext
            case .no: next = spec.noNext
            case .unsure: next = spec.unsureNext
            }
            if let next { return next.value }
        case (.scan(let spec), .scan(let outcome)):
            if let next = spec.nextOn[outcome.verdict] { return next.value }
        case (.await(let spec), .scan(let outcome)):
            if let next = spec.nextOn[outcome.verdict] { return next.value }
        default:
            break
        }
        return graph.defaultTarget(of: step)
    }

    private func enter(_ target: FlowTarget, into state: inout EngineState, records: inout [EngineRecord]) throws {
        var target = target
        var skipped = 0
        while case .step(let id) = target {
            guard let step = playbook.step(id) else { throw EngineError.invalidAnswer("unknown step '\(id)'") }
            if let condition = step.when, !Self.holds(condition, answers: state.answers) {
                records.append(.stepSkipped(step: id))
                skipped += 1
                if skipped > playbook.steps.count { throw EngineError.skipLoop(id) }
                target = graph.skipTarget(of: step)
                continue
            }
            state.current = id
            state.history.append(id)
            records.append(.stepEntered(step: id))
            // Reaching an `end` finishes the session (`product.md`, "The end of a walk"): its screen
            // is shown with the record already finished, and Enter there only closes the window.
            if case .end(let outcome) = step.kind {
                state.answers[id] = Answer.none
                state.outcome = outcome
                records.append(.stepAnswered(step: id, answer: .none))
                records.append(.finished(outcome: outcome))
            }
            return
        }
        state.current = nil
        state.outcome = "completed"
        records.append(.finished(outcome: "completed"))
    }

    /// Whether a `when:` condition holds against the answers so far.
    public static func holds(_ condition: Condition, answers: [String: Answer]) -> Bool {
        func values(_ step: Located<String>) -> [String] { answers[step.value]?.conditionValues ?? [] }
        switch condition {
        case .equals(let step, let value): return values(step).contains(value.value)
        case .notEquals(let step, let value): return !values(step).contains(value.value)
        case .oneOf(let step, let options): return options.contains { values(step).contains($0.value) }
        case .all(let parts): return parts.allSatisfy { holds($0, answers: answers) }
        case .any(let parts): return parts.contains { holds($0, answers: answers) }
        }
    }

    /// Rejects an answer that does not fit the step: the engine never records nonsense.
    static func check(_ answer: Answer, for step: Step) throws {
        func fail(_ reason: String) throws -> Never { throw EngineError.invalidAnswer(reason) }
        switch (step.kind, answer) {
        case (.info, .none), (.end, .none), (.network, .network), (.scan, .scan), (.await, .scan), (.collect, .collect),
             (.notify, .notify):
            return
        // A background scan is left at once; its verdict comes later (`.verdict`).
        case (.scan(let spec), .none) where !spec.wait:
            return
        case (.evidence(let attach), .evidence(let outcome)):
            if attach == .required, outcome.files.isEmpty { try fail("this step needs at least one attached file") }
        case (.confirm(let spec), .confirm(let value)):
            if value == .unsure, !spec.unsure { try fail("\"not sure\" is not offered here") }
        case (.choice(let options), .choice(let value)):
            if !options.contains(where: { $0.value.value == value }) { try fail("no option '\(value)'") }
        case (.checklist(let items, let require), .checklist(let values)):
            let known = Set(items.map(\.value.value))
            if let unknown = values.first(where: { !known.contains($0) }) { try fail("no item '\(unknown)'") }
            if require == .all, Set(values) != known { try fail("every item must be ticked") }
            if require == .any, values.isEmpty { try fail("at least one item must be ticked") }
        case (.input(let fields), .input(let values)):
            let known = Set(fields.map(\.id.value))
            if let unknown = values.keys.sorted().first(where: { !known.contains($0) }) { try fail("no field '\(unknown)'") }
            for field in fields {
                let value = values[field.id.value] ?? ""
                if field.required, value.trimmingWhitespace.isEmpty { try fail("'\(field.id.value)' is required") }
                if value.count > field.maxLength { try fail("'\(field.id.value)' is longer than \(field.maxLength)") }
                if !field.multiline, value.contains("\n") { try fail("'\(field.id.value)' is a single line") }
            }
        default:
            try fail("a \(step.kind.typeName) step cannot take this answer")
        }
    }

    /// Step N of M for the header: N = steps shown so far, M = N plus the longest remaining path
    /// (an estimate: loops count once, `when` is not evaluated ahead).
    public var progress: (current: Int, total: Int) {
        // A background scan is passed, not shown: it is no step of the employee's.
        let current = state.history.filter { playbook.step($0)?.isBackgroundScan != true }.count
        guard let step = currentStep else { return (current, current) }
        return (current, current - 1 + longestPath(from: step.id.value))
    }

    /// From the table made once per engine: the header asks at every step, so a long walk stays
    /// linear (FlowGraph.longestPaths).
    private func longestPath(from start: String) -> Int {
        playbook.stepIndex[start].map { longestPaths[$0] } ?? 0
    }
}
