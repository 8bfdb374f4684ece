import Foundation
import IncidentCore
import IncidentEdges
import IncidentUI

/// The full-screen session: the engine, the journal and the step screens wired to the curses
/// terminal. Every answer is journaled (and fsync'd) before the next screen is drawn.
public final class TerminalSession {
    public enum Exit: Equatable {
        case finished(outcome: String)
        case quit
        /// Stopped by SIGTERM, SIGHUP, SIGINT or SIGQUIT: suspended, resumable.
        case signal(Int32)
        case failed(String)
    }

    private var engine: Engine
    private var context: PlaceholderContext
    private let store: SessionStore
    private let effects: StepEffects
    private let terminal: CursesTerminal
    private var screen: StepScreen?
    private var drill: Bool { effects.drill }
    private var job: CommandJob?
    private var networkBefore = NetworkProbe.Status(connected: [], hasDefaultRoute: false)
    private var networkByCommand = false
    private var evidenceFiles: [EvidenceFile] = []

    public init(engine: Engine, context: PlaceholderContext, store: SessionStore, terminal: CursesTerminal) {
        self.engine = engine
        self.context = context
        self.store = store
        self.effects = StepEffects(store: store)
        self.terminal = terminal
    }

    public func run() -> Exit {
        // The next screen is drawn first, then the reports are rewritten (the journal, written
        // before, is what makes the answer durable).
        store.defersReports = true
        do {
            if engine.state.current == nil, !engine.state.isFinished { try store.record(try engine.send(.start)) }
            try enterCurrentStep()
            while true {
                if terminal.pendingSignal != 0 { return try suspend(signal: terminal.pendingSignal) }
                if terminal.isLost { return try suspend(signal: SIGHUP) }
                refreshJob()
                _ = terminal.sizeChanged()
                draw()
                // The disk work an answer leaves (the reports, a new session's opening lines and
                // fsyncs) waits until the terminal has had a moment to show the screen: it runs
                // once no key has come for a short while. A key that comes first is handled first;
                // its journal line writes and syncs whatever is still pending before it. Not while
                // a command's thread writes the journal (it alone writes then).
                let pending = job == nil && store.hasPendingWork
                guard let key = terminal.readKey(milliseconds: pending ? 30 : 250) else {
                    if pending { try store.flushReports() }
                    continue
                }
                if key == .resize { continue }
                guard var current = screen else { return .finished(outcome: engine.state.outcome ?? "completed") }
                let action = current.handle(key)
                screen = current
                if let exit = try perform(action) { return exit }
            }
        } catch {
            return .failed("\(error)")
        }
    }

    private func draw() {
        guard let screen else { return }
        let (number, total) = engine.progress
        let frame = Frame(playbookTitle: context.render(engine.playbook.title, playbook: engine.playbook, answers: engine.state.answers),
                          stepNumber: number, stepTotal: total, clock: Timestamp.clock(), drill: drill)
        terminal.present(screen.render(frame, width: terminal.width, height: terminal.height))
    }

    // MARK: Steps

    private func enterCurrentStep() throws {
        guard let step = engine.currentStep else {
            screen = nil
            return
        }
        context.now = Timestamp.rfc3339()
        let render = { [context, engine] (text: LocalizedText?) in
            context.render(text, playbook: engine.playbook, answers: engine.state.answers)
        }
        var cards: [StepScreen.ContactCard] = []
        if case .notify(let spec) = step.kind {
            let words = Vocabulary(language: context.language)
            cards = spec.chain.compactMap { context.contacts[$0] }.map {
                StepScreen.ContactCard(id: $0.id, lines: StepEffects.contactLines($0, words: words))
            }
        }
        screen = StepScreen(step: step, language: context.language, render: render, contacts: cards)
        screen?.drill = drill
        evidenceFiles = []
        let words = Vocabulary(language: context.language)
        switch step.kind {
        case .network(let spec):
            networkBefore = NetworkProbe().probe()
            try effects.recordNetwork(step, networkBefore)
            networkByCommand = try effects.disconnect(step, spec, context: context)
            if drill { screen?.notes = [words.drillNetwork(wouldRun: spec.action == .disconnect)] }
            try checkNetwork(step)
        case .scan, .collect:
            if drill, case .scan = step.kind { screen?.notes = [words.drillScan] }
            try startJob(step)
        case .evidence(let attach) where attach != .none:
            screen?.suggestions = EvidenceStore.recentFiles(home: SystemFacts.homeDirectory)
        case .end where drill:
            screen?.notes = effects.stepTimeLines(words: words)
        default:
            break
        }
    }

    private func checkNetwork(_ step: Step) throws {
        let status = NetworkProbe().probe()
        try effects.recordNetwork(step, status)
        let words = Vocabulary(language: context.language)
        screen?.connected = status.connected.map { StepEffects.describe($0, words: words) }
    }

    /// The answer from a fresh check: disconnected only when nothing is connected any more.
    private func networkAnswer(gaveUp: Bool) -> Answer {
        let after = NetworkProbe().probe()
        return .network(StepEffects.networkOutcome(disconnected: !gaveUp && after.isDisconnected, byCommand: networkByCommand,
                                                   before: networkBefore, after: after))
    }

    private func perform(_ action: ScreenAction) throws -> Exit? {
        guard let step = engine.currentStep else { return nil }
        switch action {
        case .none:
            return nil
        case .answer(let answer):
            return try answerStep(answer)
        case .back:
            try store.record(try engine.send(.back))
            try enterCurrentStep()
        case .quit:
            return try suspend(reason: "quit")
        case .checkNetwork:
            try checkNetwork(step)
        case .cannotDisconnect:
            return try answerStep(networkAnswer(gaveUp: true))
        case .networkContinue:
            return try answerStep(networkAnswer(gaveUp: false))
        case .attach(let path):
            let words = Vocabulary(language: context.language)
            do {
                let attached = try effects.attachEvidence(step, path: path)
                evidenceFiles.append(attached.file)
                screen?.attached.append("\(attached.file.name)  sha256:\(attached.file.sha256.prefix(16))…")
                if let email = attached.email { screen?.attached.append("  " + words.mailSummary(email)) }
            } catch let refusal as EvidenceStore.Refusal {
                screen?.message = Sanitizer.neutralise(words.refusal(refusal.reason(words)), keepNewlines: false)
            }
        case .evidenceDone:
            return try answerStep(.evidence(EvidenceOutcome(photographed: screen?.photographed ?? false, files: evidenceFiles)))
        case .cancelCommand:
            job?.cancel()
        case .commandContinue:
            guard let answer = job?.answer else { return nil }
            job = nil
            return try answerStep(answer)
        case .notifyReached(let contact, let spokeWith):
            return try answerStep(.notify(NotifyOutcome(reached: contact, spokeWith: spokeWith, at: Timestamp.rfc3339())))
        case .notifyLater:
            return try answerStep(.notify(NotifyOutcome(reached: nil, spokeWith: "", at: Timestamp.rfc3339())))
        }
        return nil
    }

    private func answerStep(_ answer: Answer) throws -> Exit? {
        try store.record(try engine.send(.answer(answer)))
        if engine.state.isFinished {
            try store.flushReports()
            return .finished(outcome: engine.state.outcome ?? "completed")
        }
        try enterCurrentStep()
        return nil
    }

    private func suspend(reason: String) throws -> Exit {
        try store.append(JournalEventName.sessionSuspended, [.init("reason", .string(reason)),
                                                            .init("step", .string(engine.state.current ?? ""))])
        try store.rewriteReports()
        return .quit
    }

    private func suspend(signal: Int32) throws -> Exit {
        if let job {
            job.cancel()
            job.waitUntilDone()
        }
        try store.append(JournalEventName.sessionSuspended, [.init("reason", .string("signal \(signal)")),
                                                            .init("step", .string(engine.state.current ?? ""))])
        try store.rewriteReports()
        return .signal(signal)
    }

    // MARK: Commands in the background

    private func startJob(_ step: Step) throws {
        // The reports are brought up to date before the command's thread starts writing the journal.
        try store.flushReports()
        let words = Vocabulary(language: context.language)
        let commands: [(name: String, argv: [String], timeout: Int)]
        switch step.kind {
        case .scan(let spec):
            do {
                commands = try effects.scanArgv(spec, context: context).map { [("scan", $0, spec.timeoutSeconds)] } ?? []
            } catch {
                commands = []
                screen?.message = Sanitizer.neutralise("\(error)", keepNewlines: false)
            }
        case .collect(let list):
            commands = list.compactMap { command in
                command.command.argv(for: SystemFacts.operatingSystem).map { (command.name.value, context.argv($0), command.timeoutSeconds) }
            }
        default:
            return
        }
        let job = CommandJob(step: step, commands: commands, effects: effects, words: words)
        self.job = job
        screen?.commandRunning = true
        screen?.commandStatus = words(step.kind.typeName == "scan" ? .scanRunning : .collectRunning)
        job.start()
    }

    private func refreshJob() {
        guard let job, var current = screen, current.commandRunning || !current.commandFinished else { return }
        let words = Vocabulary(language: context.language)
        let spinner = ["|", "/", "-", "\\"][Int(Date().timeIntervalSince1970 * 4) % 4]
        if let answer = job.answer {
            current.commandRunning = false
            current.commandFinished = true
            if case .scan(let outcome) = answer {
                current.commandStatus = words(.scanFinished) + " " + words.verdict(outcome.verdict)
                current.commandLines = job.detections.isEmpty ? job.messages + job.tail : job.detections
            } else {
                current.commandStatus = words(.recorded)
                current.commandLines = job.messages
            }
            if current.overlay == .cancel { current.overlay = nil }
        } else {
            let elapsed = Int(Date().timeIntervalSince(job.startedAt))
            let base = words(current.step.kind.typeName == "scan" ? .scanRunning : .collectRunning)
            current.commandStatus = "\(spinner) \(base)  \(elapsed / 60):\(String(format: "%02d", elapsed % 60))"
            current.commandLines = job.liveTail()
        }
        screen = current
    }
}

/// A step's commands running on their own thread while the UI keeps drawing. The UI thread reads
/// only the lock-protected results; the journal is written by this thread alone while it runs (the
/// UI loop waits for it before writing anything else: see `TerminalSession.suspend(signal:)`).
final class CommandJob: @unchecked Sendable {
    private let lock = NSLock()
    private let step: Step
    private let commands: [(name: String, argv: [String], timeout: Int)]
    private let effects: StepEffects
    private let words: Vocabulary
    private let done = DispatchSemaphore(value: 0)
    let startedAt = Date()
    private var cancelled = false
    private var result: Answer?
    private var outputPath: String?
    private(set) var detections: [String] = []
    private(set) var tail: [String] = []
    private(set) var messages: [String] = []

    init(step: Step, commands: [(name: String, argv: [String], timeout: Int)], effects: StepEffects, words: Vocabulary) {
        self.words = words
        self.step = step
        self.commands = commands
        self.effects = effects
    }

    var answer: Answer? { lock.withLock { result } }

    func cancel() { lock.withLock { cancelled = true } }

    func waitUntilDone() { done.wait(); done.signal() }

    func liveTail() -> [String] {
        guard let path = lock.withLock({ outputPath }) else { return [] }
        return StepEffects.tail(of: path, lines: 6)
    }

    func start() {
        Thread { [self] in
            let answer = run()
            lock.withLock { result = answer }
            done.signal()
        }.start()
    }

    private func run() -> Answer {
        let isCancelled: @Sendable () -> Bool = { [self] in lock.withLock { cancelled } }
        if case .scan(let spec) = step.kind {
            guard let command = commands.first else { return .scan(ScanOutcome(verdict: .unavailable)) }
            do {
                let (run, outcome) = try effects.runScan(step, spec, argv: command.argv, isCancelled: isCancelled,
                                                         started: { path in self.lock.withLock { self.outputPath = path } })
                lock.withLock {
                    detections = run.detections
                    tail = run.tail
                    messages = run.result.missingProgram.map { [words.programMissing($0)] } ?? run.result.failure.map { [$0] } ?? []
                }
                return .scan(outcome)
            } catch {
                lock.withLock { messages = ["\(error)"] }
                return .scan(ScanOutcome(verdict: .error))
            }
        }
        var outputs: [CollectOutput] = []
        for command in commands {
            // Cancelled: the commands not yet started are not started.
            if isCancelled() { break }
            guard let run = try? effects.runCommand(step, name: command.name, argv: command.argv, timeout: command.timeout,
                                                    isCancelled: isCancelled,
                                                    started: { path in self.lock.withLock { self.outputPath = path } }) else { continue }
            outputs.append(CollectOutput(name: command.name, exitCode: run.result.exitCode, outputFile: run.outputFile,
                                         outputSHA256: run.outputSHA256))
            lock.withLock { messages.append("\(command.name): " + (run.result.failure ?? "exit \(run.result.exitCode.map(String.init) ?? "-")")) }
        }
        return .collect(CollectOutcome(outputs: outputs))
    }
}
