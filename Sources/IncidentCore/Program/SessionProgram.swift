/// The whole session as one program (the Elm architecture): its state — the engine, the current
/// step's model, the command running, the journal so far — and `update`, which takes a message
/// (an input from the keys or lines, an edge's reply, a stop) and returns effects as data. The
/// runtime carries the effects out through its edges and feeds their replies back as messages;
/// nothing else writes the journal, and nothing else changes the model.
///
/// Pure: no terminal, no files, no processes, no clock but the one it is given.
public struct SessionProgram: Sendable {
    // MARK: Messages and effects

    public enum Message: Sendable, Equatable {
        /// Begins (or, for a resumed session, continues) the walk.
        case start
        /// What the employee did, in the step's terms (a key or a line), or the front end's report
        /// (the help's size, a critical step's second on screen).
        case input(StepInput)
        /// The journal's new lines, as written (the reply to `.journal`).
        case recorded([JournalEntry])
        /// What entering a step needed from the edges (the reply to `.prepare`).
        case prepared(StepFacts)
        /// A network reading (the reply to `.probeNetwork`).
        case network(NetworkReading)
        /// The command is about to run with this output file (from `.runCommand`): journaled before it starts.
        case commandStarting(SessionEvent.CommandStart)
        /// The command could not be made ready (a drill's test folder could not be made).
        case commandNotStarted(String)
        /// A running command's time so far, last lines and, for a followed scan, how far it is.
        case commandProgress(seconds: Int, lines: [String], progress: ScanProgress?)
        case commandEnded(CommandResult)
        /// A background scan's (`wait: false`) time so far, last lines and progress.
        case backgroundProgress(step: String, seconds: Int, lines: [String], progress: ScanProgress?)
        /// A background scan ended, whatever step is on screen.
        case backgroundEnded(step: String, CommandResult)
        /// A background scan could not be made ready.
        case backgroundNotStarted(step: String, reason: String)
        /// A file the employee named was copied into the record, or refused.
        case evidence(EvidenceResult)
        /// Stop now (a signal, the window closed, the input ended): a running command is cancelled
        /// and recorded first; an unfinished session is suspended with `reason`.
        case stop(reason: String)
    }

    public enum Effect: Sendable, Equatable {
        /// Append these events to the journal, durably, then reply `.recorded`.
        case journal([SessionEvent])
        /// Rewrite report.md and report.json from the journal.
        case rewriteReports
        /// Gather what entering the current step needs, then reply `.prepared`.
        case prepare(StepNeeds)
        /// Read the network, then reply `.network`.
        case probeNetwork
        /// Choose the command's output file and reply `.commandStarting`; once that is journaled,
        /// start it and report its progress and end.
        case runCommand(CommandRequest)
        case cancelCommand
        /// Stop a background scan (its end comes as `.backgroundEnded`).
        case cancelBackground(step: String)
        /// Copy a file into `evidence/`, then reply `.evidence`.
        case attach(step: String, path: String)
        /// The session's walk is over for this run: stop the loop.
        case end(Ending)
    }

    public enum Ending: Sendable, Equatable {
        case finished(outcome: String)
        /// The employee quit, the input ended or a signal came: the session stays resumable.
        case suspended
        /// The engine refused what it was told (a program error, never the employee's).
        case failed(String)
    }

    /// What entering a step needs from the edges.
    public struct StepNeeds: Sendable, Equatable {
        /// Recent files to offer (an evidence step that attaches).
        public var recentFiles = false
        /// The last screen's outcome: its QR code carries the record's summary (`handoffText`),
        /// taken once the session's last lines are in the journal.
        public var qrOutcome: String?
        /// Whether the real scan would work (a drill's scan step says so).
        public var scanReadiness: ScanSpec?

        public init(recentFiles: Bool = false, qrOutcome: String? = nil, scanReadiness: ScanSpec? = nil) {
            self.recentFiles = recentFiles
            self.qrOutcome = qrOutcome
            self.scanReadiness = scanReadiness
        }
    }

    /// The edges' answers to `StepNeeds`.
    public struct StepFacts: Sendable, Equatable {
        public var recentFiles: [String]
        public var qrModules: [[Bool]]?
        /// Why the real scan would fail, if it would.
        public var scanProblem: ScanProblem?

        public init(recentFiles: [String] = [], qrModules: [[Bool]]? = nil, scanProblem: ScanProblem? = nil) {
            self.recentFiles = recentFiles
            self.qrModules = qrModules
            self.scanProblem = scanProblem
        }
    }

    /// One command to run.
    public struct CommandRequest: Sendable, Equatable {
        public var step: String
        /// Its output file's name: `TYPE-STEP-NAME.txt` in `evidence/`.
        public var outputBase: String
        public var name: String
        public var argv: [String]
        public var timeout: Int
        /// A scan's command as the playbook writes it: in a drill, the edge points it at a test
        /// folder it makes (`DrillTarget`); nil for any other command.
        public var scanTemplate: [String]?
        /// A scan with `wait: false`: it outlives its step (the runtime keeps it by step id).
        public var background: Bool

        public init(step: Step, name: String, argv: [String], timeout: Int, scanTemplate: [String]? = nil, background: Bool = false) {
            self.background = background
            self.step = step.id.value
            outputBase = "\(step.kind.typeName)-\(step.id.value)-\(name)"
            self.name = name
            self.argv = argv
            self.timeout = timeout
            self.scanTemplate = scanTemplate
        }

        public var isScan: Bool { scanTemplate != nil }
    }

    /// How a command ended, as the edge saw it.
    public struct CommandResult: Sendable, Equatable {
        /// What the journal records (`verdict` is the program's to set).
        public var end: SessionEvent.CommandEnd
        /// Whether its program was started at all.
        public var ran: Bool
        /// The program named by the command is not installed.
        public var missingProgram: String?
        /// A followed scan's progress at its end.
        public var progress: ScanProgress?

        public init(end: SessionEvent.CommandEnd, ran: Bool, missingProgram: String? = nil, progress: ScanProgress? = nil) {
            self.end = end
            self.ran = ran
            self.missingProgram = missingProgram
            self.progress = progress
        }
    }

    public enum EvidenceResult: Sendable, Equatable {
        case added(SessionEvent.EvidenceAdded)
        /// `reason` for the administrator (English), `local` as the employee reads it.
        case refused(reason: String, local: String)
    }

    // MARK: State

    public internal(set) var engine: Engine
    /// The current step's model; nil before the start and once the walk has ended without a last screen.
    public internal(set) var model: StepModel?
    /// Counts the steps entered, so a front end sees a new step (or the same one entered again
    /// after going back) and shows it from its start.
    public internal(set) var entered = 0
    /// The journal so far, as written.
    public internal(set) var entries: [JournalEntry]
    /// Set once the walk is over for this run.
    public internal(set) var ending: Ending?
    public let words: Vocabulary
    public let drill: Bool
    /// The full screen holds a critical step's Enter for its first second on screen.
    public let holdsCriticalEnter: Bool

    var context: PlaceholderContext
    let operatingSystem: String
    let clock: @Sendable () -> String
    /// What was typed into a form before going back from it, by step id: kept for the way back.
    var drafts: [String: [String]] = [:]
    /// The step being entered: its model is built once `.prepared` comes.
    var entering: Step?
    /// The network step: what was connected when it began, every interface seen connected since,
    /// whether the disconnect command ran, and what the next reading is for.
    var networkBefore: NetworkReading?
    var networkSeen: [SessionEvent.NetworkCheck.Interface] = []
    var networkByCommand = false
    /// The network step's disconnect command is running.
    var disconnecting: Bool { running.map(isDisconnect) ?? false }

    /// Whether `request` is the network step's own disconnect command (a collect command may
    /// have the same name).
    func isDisconnect(_ request: CommandRequest) -> Bool {
        if request.name == "disconnect", case .network? = model?.step.kind { return true }
        return false
    }
    enum Reading: Sendable, Equatable { case before, check, finish(gaveUp: Bool) }
    var pendingReading: Reading?
    /// The step's commands: those still to run, what the ended ones produced, whether all ran well.
    var queue: [CommandRequest] = []
    var running: CommandRequest?
    var outputs: [CollectOutput] = []
    var details: [String] = []
    var complete = true
    var cancelRequested = false
    /// A stop waiting for the running commands' ends (the step's and the background scans').
    var stopping: String?
    /// The scans running in the background (`wait: false`), oldest first.
    public internal(set) var backgrounds: [BackgroundScan] = []
    /// The end screen's "stop the scan?" was answered yes: the window closes once it has ended.
    var closingAfterScan = false

    /// `entries`: the journal so far (a new session's opening lines, or a resumed one's whole
    /// journal); `clock`: RFC 3339 now.
    public init(engine: Engine, context: PlaceholderContext, entries: [JournalEntry], operatingSystem: String,
                holdsCriticalEnter: Bool = false, clock: @escaping @Sendable () -> String) {
        self.engine = engine
        self.context = context
        self.entries = entries
        self.operatingSystem = operatingSystem
        self.holdsCriticalEnter = holdsCriticalEnter
        self.clock = clock
        words = Vocabulary(language: context.language)
        if case .sessionStarted(let start)? = entries.first?.typed { drill = start.drill } else { drill = false }
    }

    var start: SessionEvent.SessionStart? {
        if case .sessionStarted(let start)? = entries.first?.typed { return start }
        return nil
    }

    public var outcome: String { engine.state.outcome ?? "completed" }
    public var isFinished: Bool { engine.state.isFinished }

    /// The playbook's title, for the header.
    public var playbookTitle: String {
        context.render(engine.playbook.title, playbook: engine.playbook, answers: engine.state.answers)
    }

    // MARK: Update

    public mutating func update(_ message: Message) -> [Effect] {
        // The lines an ending update wrote come back after it: the program's journal stays whole.
        if case .recorded(let lines) = message {
            entries += lines
            return []
        }
        guard ending == nil else { return [] }
        switch message {
        case .start:
            if engine.state.current == nil, !engine.state.isFinished {
                do { return journal(try engine.send(.start).map(SessionEvent.init)) + enter() } catch { return end(.failed("\(error)")) }
            }
            return interruptedScans() + enter()
        case .input(let input):
            // Stopping (the commands' ends awaited) or closing after the scan: nothing more is answered.
            guard var current = model, entering == nil, stopping == nil, !closingAfterScan else { return [] }
            let effect = current.update(input)
            model = current
            // While the network step's disconnect command runs, the step waits for it (it ends
            // within its 30 s): only quitting (which waits for it too) goes on.
            if disconnecting, effect != .suspend { return [] }
            return perform(effect)
        case .recorded:
            return []
        case .prepared(let facts):
            return finishEntering(facts)
        case .network(let reading):
            return networkRead(reading)
        case .commandStarting(let start):
            return [.journal([.commandStarted(start)])]
        case .commandNotStarted(let reason):
            running = nil
            queue = []
            report(.notice(Sanitizer.neutralise(reason, keepNewlines: false)))
            return commandsDone()
        case let .commandProgress(seconds, lines, progress):
            if running != nil { report(.commandProgress(seconds: seconds, lines: lines, progress: progress)) }
            return []
        case .commandEnded(let result):
            return commandEnded(result)
        case let .backgroundProgress(step, seconds, lines, progress):
            return backgroundProgress(step: step, seconds: seconds, lines: lines, progress: progress)
        case let .backgroundEnded(step, result):
            return backgroundEnded(step: step, result)
        case let .backgroundNotStarted(step, reason):
            let end = SessionEvent.CommandEnd(step: step, name: "scan", argv: [], exitCode: nil, durationMs: 0, timedOut: false,
                                              failure: Sanitizer.neutralise(reason, keepNewlines: false))
            return backgroundEnded(step: step, CommandResult(end: end, ran: false))
        case .evidence(let result):
            guard let step = model?.step.id.value else { return [] }
            switch result {
            case .added(let added):
                report(.attached(added.file, mail: added.email.map { words.mailSummary($0) } ?? added.emocheck.map { words.emocheckSummary($0) }))
                return [.journal([.evidenceAdded(added)])]
            case let .refused(reason, local):
                report(.notice(Sanitizer.neutralise(words.refusal(local), keepNewlines: false)))
                return [.journal([.evidenceRefused(step: step, reason: reason, reasonLocal: local)])]
            }
        case .stop(let reason):
            guard running != nil || !backgrounds.isEmpty else { return suspend(reason: reason) }
            // The commands end first (recorded), then the session is suspended. A background
            // scan stopped by the wizard's own end is `interrupted`: the await offers it again.
            stopping = reason
            for index in backgrounds.indices { backgrounds[index].stopAs = .interrupted }
            return (running != nil ? [.cancelCommand] : []) + backgrounds.map { .cancelBackground(step: $0.step) }
        }
    }

    mutating func report(_ input: StepInput) {
        guard var current = model else { return }
        _ = current.update(input)
        model = current
    }

    mutating func perform(_ effect: StepEffect) -> [Effect] {
        guard let step = engine.currentStep else { return [] }
        // On the end screen the session is finished: Enter (or q) only closes.
        if engine.state.isFinished {
            switch effect {
            case .answer, .suspend: return end(.finished(outcome: outcome))
            // "The check is still running: stop it?" — yes: it is cancelled, then the window closes.
            case .cancelCommand where !backgrounds.isEmpty:
                closingAfterScan = true
                return backgrounds.map { .cancelBackground(step: $0.step) }
            default: return []
            }
        }
        if case .await(let spec) = step.kind {
            switch effect {
            case .cancelCommand where running == nil && backgrounds.contains(where: { $0.step == spec.step.value }):
                return [.cancelBackground(step: spec.step.value)]
            case .answer(.confirm(let value)):
                return value == .yes ? rerun(step, spec) : answerStep(.scan(ScanOutcome(verdict: .cancelled)))
            default:
                break
            }
        }
        switch effect {
        case .none:
            return []
        case .answer(let answer):
            return answerStep(answer)
        case .back:
            if case .form(let form)? = model?.widget, form.values.contains(where: { !$0.isEmpty }) { drafts[step.id.value] = form.values }
            let records: [EngineRecord]
            do { records = try engine.send(.back) } catch { return end(.failed("\(error)")) }
            return journal(records.map(SessionEvent.init)) + [.rewriteReports] + enter()
        case .suspend:
            return update(.stop(reason: "quit"))
        case .checkNetwork:
            pendingReading = .check
            return [.probeNetwork]
        case .finishNetwork(let gaveUp):
            pendingReading = .finish(gaveUp: gaveUp)
            return [.probeNetwork]
        case .attach(let path):
            return [.attach(step: step.id.value, path: path)]
        case .cancelCommand:
            guard running != nil else { return [] }
            cancelRequested = true
            return [.cancelCommand]
        case .recordAttempt(let attempt):
            return [.journal([.notifyAttempted(step: step.id.value, attempt)])]
        }
    }

    mutating func end(_ ending: Ending) -> [Effect] {
        self.ending = ending
        return [.end(ending)]
    }

    /// Suspends the session (a finished one, whose last screen is shown, is left as it is:
    /// closing the window there loses nothing).
    mutating func suspend(reason: String) -> [Effect] {
        if engine.state.isFinished { return end(.finished(outcome: outcome)) }
        return journal([.sessionSuspended(reason: reason, step: engine.state.current ?? "")]) + [.rewriteReports] + end(.suspended)
    }

    func journal(_ events: [SessionEvent]) -> [Effect] { events.isEmpty ? [] : [.journal(events)] }

    mutating func answerStep(_ answer: Answer) -> [Effect] {
        if let id = engine.state.current { drafts[id] = nil }
        let records: [EngineRecord]
        do { records = try engine.send(.answer(answer)) } catch { return end(.failed("\(error)")) }
        var effects = journal(records.map(SessionEvent.init)) + [.rewriteReports]
        // Running past the last step (or `next: end`) finishes with no screen of its own; an `end`
        // step finished the session as it was entered and is shown.
        if engine.state.isFinished, engine.currentStep == nil {
            model = nil
            effects += end(.finished(outcome: outcome))
            return effects
        }
        return effects + enter()
    }

    // MARK: Entering a step

    /// Asks the edges for what the step needs; its model is built when they reply.
    mutating func enter() -> [Effect] {
        guard let step = engine.currentStep else {
            model = nil
            return []
        }
        if case .scan(let spec) = step.kind, !spec.wait { return startBackground(step, spec) }
        entering = step
        var needs = StepNeeds()
        switch step.kind {
        case .evidence(let attach) where attach != .none: needs.recentFiles = true
        case .scan(let spec) where drill: needs.scanReadiness = spec
        case .await where drill: needs.scanReadiness = scanSpec(of: step)
        case .end(let outcome): needs.qrOutcome = outcome
        default: break
        }
        return [.prepare(needs)]
    }

    /// The record's summary as it stands, for the phone's camera (as `qr DIR` prints it).
    public func handoffText(outcome: String) -> String? {
        guard let report = try? Report.build(entries: entries, playbook: engine.playbook, contacts: context.contacts) else { return nil }
        return HandoffSummary.text(report, outcome: outcome)
    }

    mutating func finishEntering(_ facts: StepFacts) -> [Effect] {
        guard let step = entering else { return [] }
        entering = nil
        entered += 1
        context.now = clock()
        let context = renderingContext
        let render = { [context, engine] (text: LocalizedText?) in
            context.render(text, playbook: engine.playbook, answers: engine.state.answers)
        }
        var cards: [NotifyModel.Card] = []
        var setup = StepModel.Setup(qrModules: facts.qrModules)
        switch step.kind {
        case .notify(let spec):
            cards = spec.chain.compactMap { context.contacts[$0] }.map { NotifyModel.Card(contact: $0, words: words) }
            setup.attempts = visitAttempts(step.id.value)
        case .input:
            setup.draft = drafts[step.id.value]
            setup.mail = lastMail()
        case .network(let spec):
            if drill { setup.notes = [words.drillNetwork(wouldRun: spec.action == .disconnect)] }
        case .evidence:
            setup.attached = visit(step.id.value).compactMap { event in
                if case .evidenceAdded(let added) = event {
                    return (added.file, added.email.map { words.mailSummary($0) } ?? added.emocheck.map { words.emocheckSummary($0) })
                }
                return nil
            }
        case .scan, .await:
            if drill { setup.notes = [words.drillScan] + (facts.scanProblem.map { [words.drillScanRealFails($0)] } ?? []) }
        case .end:
            if drill { setup.notes = stepTimeLines() }
        default:
            break
        }
        // The record kept in the private fallback: said on the first screen and on the last.
        if let fallback = start?.reportsFallback, entered == 1 || step.kind.typeName == "end" {
            setup.notes += words.reportsFallbackNote(wanted: fallback.wanted, folder: context.reportDir)
        }
        // The latest line's check code, for the notify card and the last screen only (where it is
        // explained), taken as the screen is entered: it stays the same while the card is shown,
        // so what the employee reads out is what they see (`product.md`, "Check codes").
        switch step.kind {
        case .notify, .end: setup.checkCode = entries.last.flatMap { CheckCode.of(hash: $0.hash) }
        default: break
        }
        if case .end = step.kind, !backgrounds.isEmpty { setup.notes.append(words(.endScanRunning)) }
        model = StepModel(step: step, language: context.language, render: render, contacts: cards, suggestions: facts.recentFiles,
                          drill: drill, holdsEnter: holdsCriticalEnter, setup: setup, clock: clock)
        model?.scanRunning = !backgrounds.isEmpty
        if case .await(let spec) = step.kind { return awaitEntered(step, spec) }
        switch step.kind {
        case .network:
            networkByCommand = false
            // A visit resumed after a kill goes on from what it had read (and run) already.
            let visit = visit(step.id.value)
            let checks = visit.compactMap { event -> SessionEvent.NetworkCheck? in
                if case .networkChecked(let check) = event { return check } else { return nil }
            }
            if let first = checks.first {
                networkBefore = NetworkReading(connected: first.interfaces, defaultRoute: first.defaultRoute)
                networkSeen = checks.flatMap(\.interfaces)
                let disconnect = visit.contains { event in
                    switch event {
                    case .commandFinished(let end): return end.name == "disconnect"
                    case .commandSkipped(_, let name, _, _): return name == "disconnect"
                    default: return false
                    }
                }
                networkByCommand = visit.contains { event in
                    if case .commandFinished(let end) = event, end.name == "disconnect" { return true } else { return false }
                }
                // Killed before its disconnect command ended (or began): it runs now.
                return disconnect ? checkNetwork() : disconnectThenCheck(step)
            }
            pendingReading = .before
            return [.probeNetwork]
        case .scan(let spec):
            guard let template = spec.command.argv(for: operatingSystem) else {
                report(.commandFinished(.scan(ScanOutcome(verdict: .unavailable)),
                                        summary: [words(.scanSaidUnavailable), words(.noScannerForOS)], details: []))
                return []
            }
            return startCommands([CommandRequest(step: step, name: "scan",
                                                 argv: context.argv(template), timeout: spec.timeoutSeconds, scanTemplate: template)])
        case .collect(let list):
            let requests = list.compactMap { command in
                command.command.argv(for: operatingSystem).map {
                    CommandRequest(step: step, name: command.name.value,
                                   argv: context.argv($0), timeout: command.timeoutSeconds)
                }
            }
            return startCommands(requests)
        default:
            return []
        }
    }

    /// What was journaled for this step since it was last entered, or gone back to: empty for a
    /// step entered now, a resumed visit's lines after a kill.
    func visit(_ step: String) -> [SessionEvent] {
        let events = entries.compactMap(\.typed)
        guard let entered = events.lastIndex(where: { event in
            switch event {
            case .stepEntered(let entered): return entered == step
            case .stepBack(_, let to): return to == step
            default: return false
            }
        }) else { return [] }
        return events[(entered + 1)...].filter { $0.step == step }
    }

    /// The tries journaled in this visit of a notify step (a resumed session goes on with them).
    func visitAttempts(_ step: String) -> [NotifyAttempt] {
        visit(step).compactMap { event in
            if case let .notifyAttempted(_, attempt) = event { return attempt }
            return nil
        }
    }

    /// The headers of the last e-mail attached in this session (a resumed session has it too).
    func lastMail() -> MailSummary? {
        for entry in entries.reversed() {
            if case .evidenceAdded(let added)? = entry.typed, let mail = added.email { return mail }
        }
        return nil
    }

    /// For the end of a drill: how long each step on the path walked took (a branch gone back
    /// from left out), and the whole session, one line each.
    func stepTimeLines() -> [String] {
        let titles = Dictionary(engine.playbook.steps.map { ($0.id.value, $0.title.resolved(words.language)) }, uniquingKeysWith: { a, _ in a })
        var lines = [words(.stepTimesTitle)]
        let path = Set(engine.state.history)
        for line in StepTimes.compute(entries) where path.contains(line.step) {
            let title = Sanitizer.neutralise(titles[line.step] ?? line.step, keepNewlines: false)
            let time = StepTimes.format(milliseconds: line.milliseconds)
            lines.append("  " + String(repeating: " ", count: max(0, 7 - time.count)) + time + "  \(title)")
        }
        lines.append(words(.stepTimesTotal) + StepTimes.format(milliseconds: StepTimes.elapsedMilliseconds(entries)))
        return lines
    }

    // MARK: The network step

    mutating func networkRead(_ reading: NetworkReading) -> [Effect] {
        guard let purpose = pendingReading, let step = model?.step, case .network = step.kind else { return [] }
        pendingReading = nil
        let record: [Effect] = [.journal([.networkChecked(SessionEvent.NetworkCheck(step: step.id.value, interfaces: reading.connected,
                                                                                   defaultRoute: reading.defaultRoute))])]
        let words = self.words
        let shown = { (reading: NetworkReading) in reading.connected.map { words.stillConnected($0) } }
        switch purpose {
        case .before:
            networkBefore = reading
            networkSeen = reading.connected
            return record + disconnectThenCheck(step)
        case .check:
            networkSeen += reading.connected
            report(.networkChecked(connected: shown(reading)))
            return record
        case .finish(let gaveUp):
            // Connected again since the screen said otherwise (Wi-Fi came back): the screen shows it
            // and the employee decides again; nothing is answered from a check they did not see.
            if !gaveUp, !drill, !reading.isDisconnected, case .network(let shownModel)? = model?.widget, shownModel.isDisconnected {
                networkSeen += reading.connected
                report(.networkChecked(connected: shown(reading)))
                return record
            }
            var outcome = NetworkReading.outcome(disconnected: !gaveUp && reading.isDisconnected, byCommand: networkByCommand,
                                                 before: networkBefore ?? reading, after: reading, seen: networkSeen, checkedAt: clock())
            // A drill on a connected PC rehearses the disconnected path: the employee found the
            // cable and the switch, nothing was changed, and the record says so.
            if drill, !gaveUp, !reading.isDisconnected {
                outcome.disconnected = true
                outcome.method = .drill
            }
            return answerStep(.network(outcome))
        }
    }

    /// The network step's disconnect command (in a drill, recorded as not run), then a check.
    mutating func disconnectThenCheck(_ step: Step) -> [Effect] {
        if case .network(let spec) = step.kind, spec.action == .disconnect,
           let template = spec.disconnectCommand?.argv(for: operatingSystem) {
            let argv = context.argv(template)
            if !drill {
                return startCommands([CommandRequest(step: step,
                                                     name: "disconnect", argv: argv, timeout: 30)])
            }
            return [.journal([.commandSkipped(step: step.id.value, name: "disconnect", argv: argv, reason: "drill")])] + checkNetwork()
        }
        return checkNetwork()
    }

    mutating func checkNetwork() -> [Effect] {
        pendingReading = .check
        return [.probeNetwork]
    }

    // MARK: Commands

    mutating func startCommands(_ requests: [CommandRequest]) -> [Effect] {
        queue = requests
        outputs = []
        details = []
        complete = true
        cancelRequested = false
        return runNext()
    }

    mutating func runNext() -> [Effect] {
        guard !queue.isEmpty else { return commandsDone() }
        let next = queue.removeFirst()
        running = next
        return [.runCommand(next)]
    }

    mutating func commandEnded(_ result: CommandResult) -> [Effect] {
        guard let request = running else { return [] }
        running = nil
        guard let step = model?.step, step.id.value == request.step else {
            // The step was left meanwhile: the command's end is recorded all the same.
            return [.journal([.commandFinished(result.end)])] + stopIfIdle()
        }
        var end = result.end
        var verdict: ScanVerdict?
        if request.isScan, let spec = scanSpec(of: step) {
            let found = Self.verdict(of: result, spec: spec)
            verdict = found
            end.verdict = found.rawValue
        }
        var effects: [Effect] = [.journal([.commandFinished(end)])]
        if isDisconnect(request) {
            networkByCommand = true
            queue = []
            if stopping != nil { return effects + stopIfIdle() }
            if pendingReading == nil { pendingReading = .check }
            return effects + [.probeNetwork]
        }
        if let verdict {
            queue = []
            effects += scanFinished(result, end: end, verdict: verdict)
        } else {
            outputs.append(CollectOutput(name: end.name, exitCode: end.exitCode.map { Int32(truncatingIfNeeded: $0) },
                                         outputFile: end.outputFile, outputSHA256: end.outputSHA256))
            if end.failure != nil || end.exitCode != 0 { complete = false }
            details.append("\(end.name): " + (end.failure ?? "exit \(end.exitCode.map(String.init) ?? "-")"))
            // Cancelled (or stopping): the commands not yet started are not started.
            if stopping != nil || cancelRequested {
                if !queue.isEmpty { complete = false }
                queue = []
            }
            effects += runNext()
        }
        if stopping != nil { return effects + stopIfIdle() }
        return effects
    }

    /// All the step's commands have ended (or none could run): the model shows what they made.
    mutating func commandsDone() -> [Effect] {
        guard let step = model?.step else { return [] }
        switch step.kind {
        case .collect:
            report(.commandFinished(.collect(CollectOutcome(outputs: outputs)),
                                    summary: [words(.collectFinished)] + (complete ? [] : [words(.collectPartly)]), details: details))
        case .scan, .await:
            report(.commandFinished(.scan(ScanOutcome(verdict: .unavailable)), summary: [words(.scanSaidUnavailable)], details: []))
        default:
            break
        }
        return []
    }

    mutating func scanFinished(_ result: CommandResult, end: SessionEvent.CommandEnd, verdict: ScanVerdict) -> [Effect] {
        var said = [said(verdict)]
        if let program = result.missingProgram {
            said.append(words.programMissing(program))
        } else if end.timedOut {
            said += [words(.scanTimedOut), words(.scanNoWorry)]
        } else if end.failure != nil {
            said += [words(.scanCouldNotStart), words(.scanNoWorry)]
        } else if verdict == .error {
            said.append(words(.scanNoWorry))
        }
        let raw = (end.failure.map { [$0] } ?? []) + (end.detections.isEmpty ? end.tail : end.detections)
        if !raw.isEmpty { said.append(words(.detailsBehindHelp)) }
        var progress = result.progress
        if var last = progress {
            // At the verdict: through to a verdict (clean or found) is 100 % of what the scanner
            // reported; a cancelled or failed scan stays where it stopped.
            last.secondsLeft = nil
            last.complete = (verdict == .clean || verdict == .detected) && last.done > 0
            if last.complete, last.total == nil { last.total = last.done }
            progress = last
        }
        let outcome = ScanOutcome(verdict: verdict, exitCode: end.exitCode.map { Int32(truncatingIfNeeded: $0) }, durationMs: end.durationMs,
                                  outputFile: end.outputFile, outputSHA256: end.outputSHA256)
        report(.commandFinished(.scan(outcome), summary: said, details: raw, progress: progress))
        return []
    }

    func said(_ verdict: ScanVerdict) -> String {
        switch verdict {
        case .clean: return words(.scanSaidClean)
        case .detected: return words(.scanSaidDetected)
        case .error: return words(.scanSaidError)
        case .unavailable: return words(.scanSaidUnavailable)
        case .cancelled: return words(.scanSaidCancelled)
        case .interrupted: return words(.scanSaidInterrupted)
        }
    }
}

/// What the network probe read, in the core's terms.
public struct NetworkReading: Sendable, Equatable {
    public typealias Interface = SessionEvent.NetworkCheck.Interface

    /// The interfaces still connected.
    public var connected: [Interface]
    public var defaultRoute: Bool
    /// Interfaces (of any state) whose link has lost its carrier: a cable pulled.
    public var carrierLost: Set<String>

    public init(connected: [Interface], defaultRoute: Bool, carrierLost: Set<String> = []) {
        self.connected = connected
        self.defaultRoute = defaultRoute
        self.carrierLost = carrierLost
    }

    public var isDisconnected: Bool { connected.isEmpty }

    /// The network step's answer. How it was disconnected (`product.md`, `network`): `command`
    /// when the wizard ran the disconnect command; else by what went away among every interface
    /// seen connected during the step (so a cable pulled between two checks counts): `cable` when
    /// a wired link (or one that is not wireless) lost its carrier or any wired one was seen,
    /// `wifi` when only wireless ones were, `unknown` only when it cannot tell (a PC already
    /// offline when the step began).
    public static func outcome(disconnected: Bool, byCommand: Bool, before: NetworkReading, after: NetworkReading,
                               seen: [Interface] = [], checkedAt: String) -> NetworkOutcome {
        var method = NetworkOutcome.Method.notDone
        if disconnected {
            if byCommand {
                method = .command
            } else {
                var saw: [Interface] = []
                for interface in before.connected + seen where !saw.contains(where: { $0.name == interface.name }) { saw.append(interface) }
                if saw.contains(where: { $0.kind != "wifi" && after.carrierLost.contains($0.name) }) || saw.contains(where: { $0.kind == "wired" }) {
                    method = .cable
                } else if saw.contains(where: { $0.kind == "wifi" }) {
                    method = .wifi
                } else {
                    method = .unknown
                }
            }
        }
        return NetworkOutcome(disconnected: disconnected, method: method, checkedAt: checkedAt,
                              interfacesBefore: before.connected.map(\.name), interfacesAfter: after.connected.map(\.name))
    }
}

extension Vocabulary {
    /// What is still connected, as the employee reads it: "Wi-Fi wlan0 is still on (192.168.1.5)".
    public func stillConnected(_ interface: NetworkReading.Interface) -> String {
        let kind = interface.kind == "wifi" || interface.kind == "wired" ? interface.kind : "other"
        return Sanitizer.neutralise(stillConnected(kind: kind, name: interface.name, addresses: interface.addresses.joined(separator: ", ")),
                                    keepNewlines: false)
    }
}
