extension SessionEvent {
    /// The event of an engine record.
    public init(_ record: EngineRecord) {
        switch record {
        case .stepEntered(let step): self = .stepEntered(step: step)
        case .stepSkipped(let step): self = .stepSkipped(step: step)
        case let .stepAnswered(step, answer): self = .stepAnswered(step: step, answer: AnswerCoding.json(answer))
        case let .stepBack(from, to): self = .stepBack(from: from, to: to)
        case .finished(let outcome): self = .sessionFinished(outcome: outcome)
        }
    }

    /// The engine record of an event (nil for events the engine did not produce; .some(nil) for
    /// an answer this playbook's step cannot have).
    public func engineRecord(in playbook: Playbook) -> EngineRecord?? {
        switch self {
        case .stepEntered(let step): return .some(.stepEntered(step: step))
        case .stepSkipped(let step): return .some(.stepSkipped(step: step))
        case .stepAnswered(let step, _):
            return .some(answer(in: playbook).map { .stepAnswered(step: step, answer: $0) })
        case let .stepBack(from, to): return .some(.stepBack(from: from, to: to))
        case .sessionFinished(let outcome): return .some(.finished(outcome: outcome))
        default: return nil
        }
    }
}

extension Journal {
    /// The scans these lines show started and not yet ended, by step (the last start of each):
    /// a background scan still running, or one a kill or power loss interrupted.
    public static func unfinishedScans(_ entries: some Sequence<JournalEntry>) -> [String: SessionEvent.CommandStart] {
        var open: [String: SessionEvent.CommandStart] = [:]
        for entry in entries {
            switch entry.typed {
            case .commandStarted(let start)? where start.name == "scan": open[start.step] = start
            case .commandFinished(let end)? where end.name == "scan": open[end.step] = nil
            default: break
            }
        }
        return open
    }
}

/// Names of the files in a report folder.
public enum SessionFiles {
    public static let journal = "journal.jsonl"
    public static let reportMarkdown = "report.md"
    public static let reportJSON = "report.json"
    public static let evidence = "evidence"
    /// The playbook as it was run, so the report can be re-rendered and checked anywhere.
    public static let playbookCopy = "playbook.yaml"
    public static let contactsCopy = "contacts.yaml"
}

/// Rebuilds the engine from a journal by feeding it the answers and Back presses it recorded,
/// checking that it produces exactly the recorded steps.
public enum SessionReplay {
    public enum Failure: Error, Equatable, CustomStringConvertible {
        case mismatch(line: Int)
        case unreadableAnswer(line: Int)

        public var description: String {
            switch self {
            case .mismatch(let line):
                return "journal.jsonl line \(line) does not follow from the playbook (was the playbook changed?)"
            case .unreadableAnswer(let line):
                return "journal.jsonl line \(line) holds an answer this playbook's step cannot have"
            }
        }
    }

    /// The engine after the journal, and the records it produced that the journal does not hold
    /// yet (the process stopped between two writes): the caller appends them.
    public static func replay(_ entries: [JournalEntry], playbook: Playbook) throws -> (Engine, missing: [EngineRecord]) {
        var engine = Engine(playbook: playbook)
        var pending: [EngineRecord] = []
        for entry in entries {
            guard let optionalRecord = entry.typed?.engineRecord(in: playbook) else { continue }
            guard let record = optionalRecord else { throw Failure.unreadableAnswer(line: entry.line) }
            if pending.isEmpty {
                do {
                    switch record {
                    case .stepEntered where engine.state.history.isEmpty && !engine.state.isFinished:
                        pending = try engine.send(.start)
                    case .stepAnswered(let step, let answer) where step == engine.state.current && !engine.state.isFinished:
                        pending = try engine.send(.answer(answer))
                    case .stepAnswered(let step, let answer) where playbook.step(step)?.isBackgroundScan == true:
                        pending = try engine.send(.verdict(step: step, answer: answer))
                    case .stepBack:
                        pending = try engine.send(.back)
                    default:
                        throw Failure.mismatch(line: entry.line)
                    }
                } catch is EngineError {
                    throw Failure.mismatch(line: entry.line)
                }
            }
            guard pending.first == record else { throw Failure.mismatch(line: entry.line) }
            pending.removeFirst()
        }
        return (engine, pending)
    }
}

/// Why a session's record is not where the reports setting says but in the employee's private
/// fallback folder (product.md, "Never a dead end"): `session.started` carries it, the reports
/// say it, and the first and last screens tell the employee.
public struct ReportsFallback: Sendable, Equatable {
    /// The field of `session.started`.
    public static let key = "reports_fallback"

    /// The reports directory the settings asked for.
    public var wanted: String
    /// The fallback reports directory the record went to instead.
    public var directory: String
    /// Why the wanted one was not used, as a code: `cannot-create`, `not-writable`,
    /// `not-a-folder`, `symlink`, `other-owner`, `others-can-write`, `unsafe-parent`.
    public var reason: String
    /// The same for the administrator, in English, with the path and the system's own words.
    public var detail: String

    public init(wanted: String, directory: String, reason: String, detail: String) {
        self.wanted = wanted
        self.directory = directory
        self.reason = reason
        self.detail = detail
    }

    public init?(json: JSONValue?) {
        guard let json, let wanted = json["wanted"]?.string, let directory = json["directory"]?.string else { return nil }
        self.init(wanted: wanted, directory: directory, reason: json["reason"]?.string ?? "", detail: json["detail"]?.string ?? "")
    }

    public var json: JSONValue {
        .object(["wanted": .string(wanted), "directory": .string(directory), "reason": .string(reason), "detail": .string(detail)])
    }
}
