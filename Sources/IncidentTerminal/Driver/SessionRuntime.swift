import IncidentCore
import IncidentUI

/// What the session's effects reach: the journal and reports, the network, processes, files.
/// `LiveEdges` is the real machine; the tests give fakes.
public protocol SessionEdges: AnyObject {
    /// Appends the events durably and returns their lines as written.
    func append(_ events: [SessionEvent]) throws -> [JournalEntry]
    func rewriteReports() throws
    func prepare(_ needs: SessionProgram.StepNeeds, handoffText: (String) -> String?) -> SessionProgram.StepFacts
    func probeNetwork() -> NetworkReading
    /// Makes a command ready to run: its output file chosen (a drill's scan: its test folder made).
    func prepareCommand(_ request: SessionProgram.CommandRequest) throws -> PreparedCommand
    /// Starts a prepared command; it reports its progress and end through the returned handle.
    func start(_ command: PreparedCommand) -> RunningCommand
    func attach(step: String, path: String) -> SessionProgram.EvidenceResult
}

/// A command ready to run: what `command.started` records, and where and how it runs.
public struct PreparedCommand: Sendable {
    public var start: SessionEvent.CommandStart
    /// The output file's absolute path.
    public var outputPath: String
    /// The folder it runs in (a drill's test folder), else the wizard's.
    public var directory: String?
    public var timeout: Int
    public var isScan: Bool

    public init(start: SessionEvent.CommandStart, outputPath: String, directory: String? = nil, timeout: Int, isScan: Bool) {
        self.start = start
        self.outputPath = outputPath
        self.directory = directory
        self.timeout = timeout
        self.isScan = isScan
    }
}

/// A command running on a thread of its own: the loop looks at it, it never writes the journal.
public protocol RunningCommand: AnyObject {
    /// Its end, once it has ended.
    var result: SessionProgram.CommandResult? { get }
    /// The time so far, its output's last lines and, for a followed scan, how far it is.
    func progress() -> (seconds: Int, lines: [String], progress: ScanProgress?)
    func cancel()
}

/// The loop's runtime: it feeds messages to the `SessionProgram`, carries out the effects it
/// returns through the edges, and feeds their replies back, depth first, so that every effect
/// happens after the ones before it (a command starts only once `command.started` is on disk).
/// The front ends bring the keys or lines, the clock and the signals; they draw `model`.
public final class SessionRuntime {
    public private(set) var program: SessionProgram
    private let edges: SessionEdges
    private var command: RunningCommand?
    /// Background scans (`wait: false`) by step id: they outlive their step.
    private var background: [(step: String, job: RunningCommand)] = []

    public init(program: SessionProgram, edges: SessionEdges) {
        self.program = program
        self.edges = edges
    }

    public var model: StepModel? { program.model }
    public var ending: SessionProgram.Ending? { program.ending }
    public var words: Vocabulary { program.words }
    /// Whether the step's command is running (the step waits for it).
    public var commandRunning: Bool { command != nil || awaitsBackground }
    /// Whether a background scan is running.
    public var backgroundRunning: Bool { !background.isEmpty }

    /// The await step (or the last screen closing after a stop) waits for a background scan.
    private var awaitsBackground: Bool {
        guard !background.isEmpty else { return false }
        if program.isWindingUp { return true }
        guard let step = program.model?.step else { return false }
        if case .await(let spec) = step.kind { return background.contains { $0.step == spec.step.value } }
        return false
    }

    /// The header's facts: the playbook's title, step N of M, the clock, a background scan's status.
    public func frame(clock: String) -> Frame {
        let (number, total) = program.engine.progress
        let status = program.backgroundStatus
        return Frame(playbookTitle: program.playbookTitle, stepNumber: number, stepTotal: total, clock: clock,
                     drill: program.drill, status: status?.text, statusAlert: status?.alert ?? false)
    }

    public func send(_ message: SessionProgram.Message) throws {
        for effect in program.update(message) { try perform(effect) }
    }

    /// Brings a running command's end into the program, or (with `progress`) how far it is.
    public func poll(progress: Bool = true) throws {
        for (step, job) in background {
            if let result = job.result {
                background.removeAll { $0.step == step }
                try send(.backgroundEnded(step: step, result))
            } else if progress {
                let now = job.progress()
                try send(.backgroundProgress(step: step, seconds: now.seconds, lines: now.lines, progress: now.progress))
            }
        }
        guard let command else { return }
        if let result = command.result {
            self.command = nil
            try send(.commandEnded(result))
        } else if progress {
            let now = command.progress()
            try send(.commandProgress(seconds: now.seconds, lines: now.lines, progress: now.progress))
        }
    }

    private func perform(_ effect: SessionProgram.Effect) throws {
        switch effect {
        case .journal(let events):
            try send(.recorded(try edges.append(events)))
        case .rewriteReports:
            try edges.rewriteReports()
        case .prepare(let needs):
            let program = self.program
            try send(.prepared(edges.prepare(needs, handoffText: { program.handoffText(outcome: $0) })))
        case .probeNetwork:
            try send(.network(edges.probeNetwork()))
        case .runCommand(let request):
            let prepared: PreparedCommand
            do {
                prepared = try edges.prepareCommand(request)
            } catch {
                try send(request.background ? .backgroundNotStarted(step: request.step, reason: "\(error)") : .commandNotStarted("\(error)"))
                return
            }
            try send(.commandStarting(prepared.start))
            if request.background {
                background.append((request.step, edges.start(prepared)))
            } else {
                command = edges.start(prepared)
            }
        case .cancelCommand:
            command?.cancel()
        case .cancelBackground(let step):
            background.first { $0.step == step }?.job.cancel()
        case let .attach(step, path):
            try send(.evidence(edges.attach(step: step, path: path)))
        case .end:
            break
        }
    }
}
