import Foundation
import IncidentCore
import IncidentEdges
import IncidentUI

/// The one loop both front ends run: it builds the current step's `StepModel`, does what entering
/// the step does (a network check, the step's commands), feeds the model the front end's inputs,
/// carries out the effects it asks for through `StepEffects` and the `SessionStore`, journals the
/// answers and enters the next step. The full screen and plain mode differ only in how they turn
/// keys or lines into inputs and how they show the model: the same inputs give the same journal.
final class StepDriver {
    enum Ending: Equatable {
        case finished(outcome: String)
        /// The employee quit, the input ended or a signal came: the session stays resumable.
        case suspended
    }

    private(set) var engine: Engine
    /// The current step's model; nil once the playbook is finished.
    private(set) var model: StepModel?
    /// Counts the steps entered, so a front end sees a new step (or the same one entered again
    /// after going back) and shows it from its start.
    private(set) var entered = 0
    private var context: PlaceholderContext
    let store: SessionStore
    private let effects: StepEffects
    let words: Vocabulary
    private var job: CommandJob?
    private var networkBefore = NetworkProbe.Status(connected: [], hasDefaultRoute: false)
    /// Every interface a check during the network step found connected.
    private var networkSeen: [NetworkProbe.Interface] = []
    private var networkByCommand = false
    /// The full screen holds a critical step's Enter for its first second on screen (plain mode
    /// reads its lines as they come).
    var holdsCriticalEnter = false
    /// What was typed into a form before going back from it, by step id: kept for the way back.
    private var drafts: [String: [String]] = [:]

    init(engine: Engine, context: PlaceholderContext, store: SessionStore) {
        self.engine = engine
        self.context = context
        self.store = store
        self.effects = StepEffects(store: store)
        self.words = Vocabulary(language: context.language)
    }

    var drill: Bool { effects.drill }

    var outcome: String { engine.state.outcome ?? "completed" }

    /// The header's facts: the playbook's title, step N of M, the clock.
    func frame() -> Frame {
        let (number, total) = engine.progress
        return Frame(playbookTitle: context.render(engine.playbook.title, playbook: engine.playbook, answers: engine.state.answers),
                     stepNumber: number, stepTotal: total, clock: Timestamp.clock(), drill: drill)
    }

    /// Starts the playbook (unless a resumed session is already in it) and enters its step.
    func start() throws {
        if engine.state.current == nil, !engine.state.isFinished { try store.record(try engine.send(.start)) }
        try enter()
    }

    /// Feeds one input to the current step and carries out what it asks; the ending, if the
    /// session ended.
    func send(_ input: StepInput) throws -> Ending? {
        guard var current = model else { return .finished(outcome: outcome) }
        let effect = current.update(input)
        model = current
        return try perform(effect)
    }

    /// The latest journal line's check code, for the notify card and the last screen only (where
    /// it is explained), taken as the screen is entered: it stays the same while the card is
    /// shown, so what the employee reads out is what they see (`product.md`, "Check codes").
    private func takeCheckCode(_ step: Step) {
        switch step.kind {
        case .notify, .end: model?.checkCode = store.entries.last.flatMap { CheckCode.of(hash: $0.hash) }
        default: model?.checkCode = nil
        }
    }

    /// Whether the step's commands are still running.
    var commandRunning: Bool { job.map { $0.answer == nil } ?? false }

    /// Brings a running command's progress (or its end) into the model; true when it changed.
    @discardableResult
    func poll() -> Bool {
        guard let job, var current = model, case .command(let command) = current.widget, !command.isFinished else { return false }
        let answer = job.answer
        if let answer {
            let report = job.report
            _ = current.update(.commandFinished(answer, summary: report.summary, details: report.details,
                                                progress: job.scanProgress(finished: answer)))
        } else {
            _ = current.update(.commandProgress(seconds: job.elapsedSeconds, lines: job.liveTail(), progress: job.scanProgress(finished: nil)))
        }
        let changed = current.widget != model?.widget
        model = current
        return changed
    }

    /// Whether the session has reached its end (the end screen may still be shown).
    var isFinished: Bool { engine.state.isFinished }

    /// Suspends the session: a running command is cancelled and waited for first (it alone writes
    /// the journal while it runs), then `session.suspended` is journaled with `reason`. A session
    /// already finished (its end screen is shown) is left as it is: closing the window there
    /// loses nothing.
    func suspend(reason: String) throws {
        if let job, job.answer == nil {
            job.cancel()
            job.waitUntilDone()
        }
        if engine.state.isFinished {
            try store.rewriteReports()
            return
        }
        try store.append([.sessionSuspended(reason: reason, step: engine.state.current ?? "")])
        try store.rewriteReports()
    }

    // MARK: Effects

    private func perform(_ effect: StepEffect) throws -> Ending? {
        guard let step = engine.currentStep else { return nil }
        // On the end screen the session is finished: Enter (or q) only closes.
        if engine.state.isFinished {
            switch effect {
            case .answer, .suspend: return .finished(outcome: outcome)
            default: return nil
            }
        }
        switch effect {
        case .none:
            return nil
        case .answer(let answer):
            return try answerStep(answer)
        case .back:
            if case .form(let form)? = model?.widget, form.values.contains(where: { !$0.isEmpty }) { drafts[step.id.value] = form.values }
            try store.record(try engine.send(.back))
            try enter()
        case .suspend:
            try suspend(reason: "quit")
            return .suspended
        case .checkNetwork:
            try checkNetwork(step)
        case .finishNetwork(let gaveUp):
            let after = NetworkProbe().probe()
            // Connected again since the screen said otherwise (Wi-Fi came back): the screen shows it
            // and the employee decides again; nothing is answered from a check they did not see.
            if !gaveUp, !drill, !after.isDisconnected, case .network(let shown)? = model?.widget, shown.isDisconnected {
                try effects.recordNetwork(step, after)
                report(.networkChecked(connected: after.connected.map { StepEffects.describe($0, words: words) }))
                return nil
            }
            var outcome = StepEffects.networkOutcome(disconnected: !gaveUp && after.isDisconnected, byCommand: networkByCommand,
                                                     before: networkBefore, after: after, seen: networkSeen)
            // A drill on a connected PC rehearses the disconnected path: the employee found the
            // cable and the switch, nothing was changed, and the record says so.
            if drill, !gaveUp, !after.isDisconnected {
                outcome.disconnected = true
                outcome.method = .drill
            }
            return try answerStep(.network(outcome))
        case .attach(let path):
            do {
                let attached = try effects.attachEvidence(step, path: path)
                report(.attached(attached.file, mail: attached.email.map { words.mailSummary($0) }
                                 ?? attached.emocheck.map { words.emocheckSummary($0) }))
            } catch let refusal as EvidenceStore.Refusal {
                report(.notice(Sanitizer.neutralise(words.refusal(refusal.reason(words)), keepNewlines: false)))
            }
        case .cancelCommand:
            job?.cancel()
        case .recordAttempt(let attempt):
            try store.append([.notifyAttempted(step: step.id.value, attempt)])
        }
        return nil
    }

    private func report(_ input: StepInput) {
        guard var current = model else { return }
        _ = current.update(input)
        model = current
    }

    private func answerStep(_ answer: Answer) throws -> Ending? {
        job = nil
        if let id = engine.state.current { drafts[id] = nil }
        try store.record(try engine.send(.answer(answer)))
        // Running past the last step (or `next: end`) finishes with no screen of its own; an `end`
        // step finished the session as it was entered and is shown.
        if engine.state.isFinished, engine.currentStep == nil {
            try store.rewriteReports()
            model = nil
            return .finished(outcome: outcome)
        }
        try enter()
        return nil
    }

    // MARK: Entering a step

    private func enter() throws {
        entered += 1
        guard let step = engine.currentStep else {
            model = nil
            return
        }
        context.now = Timestamp.rfc3339()
        let render = { [context, engine] (text: LocalizedText?) in
            context.render(text, playbook: engine.playbook, answers: engine.state.answers)
        }
        var cards: [NotifyModel.Card] = []
        if case .notify(let spec) = step.kind {
            cards = spec.chain.compactMap { context.contacts[$0] }.map { NotifyModel.Card(contact: $0, words: words) }
        }
        var suggestions: [String] = []
        if case .evidence(let attach) = step.kind, attach != .none { suggestions = EvidenceStore.recentFiles(home: context.home) }
        model = StepModel(step: step, language: context.language, render: render, contacts: cards, suggestions: suggestions,
                          drill: drill, holdsEnter: holdsCriticalEnter, clock: { Timestamp.rfc3339() })
        if case .notify(var notify)? = model?.widget {
            let earlier = visitAttempts(step.id.value)
            if !earlier.isEmpty {
                notify.resume(earlier)
                model?.widget = .notify(notify)
            }
        }
        if case .form(var form)? = model?.widget {
            if let draft = drafts[step.id.value] {
                form.values = draft
            } else if let mail = lastMail() {
                form.prefill(from: mail)
            }
            model?.widget = .form(form)
        }
        switch step.kind {
        case .network(let spec):
            networkBefore = NetworkProbe().probe()
            networkSeen = networkBefore.connected
            try effects.recordNetwork(step, networkBefore)
            networkByCommand = try effects.disconnect(step, spec, context: context)
            if drill { model?.notes = [words.drillNetwork(wouldRun: spec.action == .disconnect)] }
            try checkNetwork(step)
        case .scan, .collect:
            if drill, case .scan(let spec) = step.kind {
                model?.notes = [words.drillScan] + (ScanReadiness.problem(spec).map { [words.drillScanRealFails($0)] } ?? [])
            }
            try startJob(step)
        case .end(let outcome):
            // The session finished as this screen was entered: its reports say so at once (a
            // window closed or a power cut now leaves a finished, verifiable record).
            try store.rewriteReports()
            if drill { model?.notes = effects.stepTimeLines(words: words, walked: engine.state.history) }
            // The record's summary for the phone's camera, as `qr DIR` prints it once finished.
            if let report = try? Report.build(entries: store.entries, playbook: engine.playbook, contacts: context.contacts),
               let code = QRCode(HandoffSummary.text(report, outcome: outcome)) {
                model?.qrModules = code.modules
            }
        default:
            break
        }
        // The record kept in the private fallback: said on the first screen and on the last.
        if let fallback = store.reportsFallback, entered == 1 || step.kind.typeName == "end" {
            model?.notes += words.reportsFallbackNote(wanted: fallback.wanted, folder: store.folder)
        }
        takeCheckCode(step)
    }

    /// The tries journaled for this notify step since it was last entered (a resumed session goes on
    /// with them; going back and coming again starts a new visit).
    private func visitAttempts(_ step: String) -> [NotifyAttempt] {
        let entries = store.entries
        guard let visit = entries.lastIndex(where: { $0.event == JournalEventName.stepEntered && $0["step"]?.string == step }) else { return [] }
        return entries[visit...].compactMap { entry in
            guard entry.event == JournalEventName.notifyAttempted, entry["step"]?.string == step,
                  let contact = entry["contact"]?.string, let result = entry["result"]?.string.flatMap(NotifyAttempt.Result.init(rawValue:)),
                  let at = entry["at"]?.string else { return nil }
            return NotifyAttempt(contact: contact, result: result, at: at)
        }
    }

    /// The headers of the last e-mail attached in this session (in the journal, so a resumed
    /// session has it too).
    private func lastMail() -> MailSummary? {
        store.entries.last { $0.event == JournalEventName.evidenceAdded && $0["email"] != nil }?["email"].flatMap(MailSummary.init(json:))
    }

    private func checkNetwork(_ step: Step) throws {
        let status = NetworkProbe().probe()
        networkSeen += status.connected  // each once: `networkOutcome` takes them by name
        try effects.recordNetwork(step, status)
        report(.networkChecked(connected: status.connected.map { StepEffects.describe($0, words: words) }))
    }

    /// Starts the step's commands on their own thread; their end comes in through `poll`.
    private func startJob(_ step: Step) throws {
        // The reports are brought up to date before the command's thread starts writing the journal.
        try store.rewriteReports()
        let commands: [(name: String, argv: [String], timeout: Int)]
        var note: String?
        switch step.kind {
        case .scan(let spec):
            do {
                commands = try effects.scanArgv(spec, context: context).map { [("scan", $0, spec.timeoutSeconds)] } ?? []
                if commands.isEmpty { note = words(.noScannerForOS) }
            } catch {
                commands = []
                report(.notice(Sanitizer.neutralise("\(error)", keepNewlines: false)))
            }
        case .collect(let list):
            commands = list.compactMap { command in
                command.command.argv(for: SystemFacts.operatingSystem).map { (command.name.value, context.argv($0), command.timeoutSeconds) }
            }
        default:
            return
        }
        let job = CommandJob(step: step, commands: commands, effects: effects, words: words, note: note)
        self.job = job
        job.start()
    }
}
