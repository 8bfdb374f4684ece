/// Background scans (`wait: false`, `product.md` "Background work"): the scan starts and the
/// flow goes on at once; its progress and end reach the program as messages, whatever step is on
/// screen, and only the program journals them. Its `await` step shows the progress until the
/// verdict, then routes on it.
extension SessionProgram {
    /// A scan running in the background, as the program knows it.
    public struct BackgroundScan: Sendable, Equatable {
        public var step: String
        public var seconds = 0
        public var lines: [String] = []
        public var progress: ScanProgress?
        /// Whether the wizard follows its results (a ClamAV scan it can count), so that "nothing
        /// found so far" can be said.
        public var followed = false
        /// Stopped by the wizard's own end (`interrupted`), not by the employee (`cancelled`).
        var stopAs: ScanVerdict?

        init(step: String) { self.step = step }

        /// Results seen so far that found something (from the followed output).
        public var foundSoFar: Bool { (progress?.found ?? 0) > 0 }
    }

    /// Waiting for background scans to end before the session stops or the window closes.
    public var isWindingUp: Bool { (stopping != nil || closingAfterScan) && !backgrounds.isEmpty }

    /// A scan's verdict from how its command ended.
    static func verdict(of result: CommandResult, spec: ScanSpec) -> ScanVerdict {
        let end = result.end
        if !result.ran { return .unavailable }
        if end.failure != nil { return .error }
        return end.exitCode.map { spec.verdict(forExitCode: Int32(truncatingIfNeeded: $0)) } ?? (end.timedOut ? .error : .cancelled)
    }

    /// The scan a step runs or waits for: its own, or an `await` step's scan.
    func scanSpec(of step: Step) -> ScanSpec? {
        switch step.kind {
        case .scan(let spec): return spec
        case .await(let awaited):
            if case .scan(let spec)? = engine.playbook.step(awaited.step.value)?.kind { return spec }
            return nil
        default: return nil
        }
    }

    // MARK: What every screen shows

    /// The header's one-line status: a background scan running (「ウイルス検査中 61%」), or its
    /// verdict until its `await` step has been answered. `alert`: something was found.
    public var backgroundStatus: (text: String, alert: Bool)? {
        let answers = engine.state.answers
        // Verdicts not yet shown by their await.
        let news: [ScanVerdict] = engine.playbook.steps.compactMap { step in
            guard step.isBackgroundScan, case .scan(let outcome)? = answers[step.id.value] else { return nil }
            let awaited = engine.playbook.steps.contains { candidate in
                if case .await(let spec) = candidate.kind, spec.step.value == step.id.value { return answers[candidate.id.value] != nil }
                return false
            }
            return awaited ? nil : outcome.verdict
        }
        // Something found, by any scan, comes first: it is announced the moment it comes.
        if backgrounds.contains(where: \.foundSoFar) || news.contains(.detected) {
            return (words.backgroundStatus(percent: nil, found: true, verdict: nil), true)
        }
        if let scan = backgrounds.first {
            return (words.backgroundStatus(percent: scan.progress?.percent, found: false, verdict: nil), false)
        }
        return news.first.map { (words.backgroundStatus(percent: nil, found: false, verdict: $0), false) }
    }

    /// The context placeholders render with: `{{scan.STEP}}` says how far a running scan is.
    var renderingContext: PlaceholderContext {
        var context = self.context
        context.scanStates = Dictionary(backgrounds.map { scan in
            (scan.step, words.scanState(percent: scan.progress?.percent, found: scan.foundSoFar, followed: scan.followed))
        }, uniquingKeysWith: { first, _ in first })
        return context
    }

    /// The step's texts again, when they say how a scan is doing (the notify card's script).
    mutating func refreshTexts() {
        guard var current = model, current.mentionsScan else { return }
        let context = renderingContext, engine = self.engine
        current.refreshTexts { context.render($0, playbook: engine.playbook, answers: engine.state.answers) }
        model = current
    }

    // MARK: Starting, following, ending

    /// Starts the scan and goes on at once (passing the step again while it runs, or once it has
    /// a verdict, starts nothing: the one scan goes on).
    mutating func startBackground(_ step: Step, _ spec: ScanSpec) -> [Effect] {
        let id = step.id.value
        if backgrounds.contains(where: { $0.step == id }) { return answerStep(.none) }
        if case .scan? = engine.state.answers[id] { return answerStep(.none) }
        guard let template = spec.command.argv(for: operatingSystem) else {
            var effects = answerStep(.none)
            let records: [EngineRecord]
            do { records = try engine.send(.verdict(step: id, answer: .scan(ScanOutcome(verdict: .unavailable)))) } catch { return end(.failed("\(error)")) }
            effects += journal(records.map(SessionEvent.init)) + [.rewriteReports]
            return effects
        }
        var scan = BackgroundScan(step: id)
        scan.followed = ClamScanFollowing.plan(context.argv(template)) != nil
        backgrounds.append(scan)
        let request = CommandRequest(step: step, name: "scan", argv: context.argv(template), timeout: spec.timeoutSeconds,
                                     scanTemplate: template, background: true)
        // The pass first: an end that comes at once (a scan that could not be made ready) is
        // journaled after it, as replay reads it.
        let effects = answerStep(.none)
        return effects + (ending == nil ? [.runCommand(request)] : [])
    }

    mutating func backgroundProgress(step: String, seconds: Int, lines: [String], progress: ScanProgress?) -> [Effect] {
        guard let index = backgrounds.firstIndex(where: { $0.step == step }) else { return [] }
        let before = backgrounds[index]
        backgrounds[index].seconds = seconds
        backgrounds[index].lines = lines
        backgrounds[index].progress = progress
        if case .await(let spec)? = model?.step.kind, spec.step.value == step {
            report(.commandProgress(seconds: seconds, lines: lines, progress: progress))
        }
        if before.progress?.percent != progress?.percent || before.foundSoFar != backgrounds[index].foundSoFar { refreshTexts() }
        return []
    }

    /// The scan's end: journaled at once with its verdict as the scan step's answer; shown on the
    /// await step if that is on screen.
    mutating func backgroundEnded(step id: String, _ result: CommandResult) -> [Effect] {
        guard let index = backgrounds.firstIndex(where: { $0.step == id }), let step = engine.playbook.step(id),
              case .scan(let spec) = step.kind else { return [] }
        let scan = backgrounds.remove(at: index)
        var verdict = Self.verdict(of: result, spec: spec)
        if verdict == .cancelled, scan.stopAs == .interrupted { verdict = .interrupted }
        var finish = result.end
        finish.verdict = verdict.rawValue
        if verdict == .interrupted, finish.failure == nil { finish.failure = "interrupted: the wizard stopped before the scan ended" }
        let outcome = ScanOutcome(verdict: verdict, exitCode: finish.exitCode.map { Int32(truncatingIfNeeded: $0) }, durationMs: finish.durationMs,
                                  outputFile: finish.outputFile, outputSHA256: finish.outputSHA256)
        let records: [EngineRecord]
        do { records = try engine.send(.verdict(step: id, answer: .scan(outcome))) } catch { return end(.failed("\(error)")) }
        var effects: [Effect] = [.journal([.commandFinished(finish)] + records.map(SessionEvent.init)), .rewriteReports]
        if case .await(let awaited)? = model?.step.kind, awaited.step.value == id {
            var shown = result
            shown.end = finish
            effects += scanFinished(shown, end: finish, verdict: verdict)
        }
        if backgrounds.isEmpty, var current = model {
            current.scanRunning = false
            current.notes.removeAll { $0 == words(.endScanRunning) }
            model = current
        }
        refreshTexts()
        if closingAfterScan, backgrounds.isEmpty { return effects + end(.finished(outcome: self.outcome)) }
        return effects + stopIfIdle()
    }

    /// Suspends once a stop has waited for every command to end.
    mutating func stopIfIdle() -> [Effect] {
        guard ending == nil, let reason = stopping, running == nil, backgrounds.isEmpty else { return [] }
        return suspend(reason: reason)
    }

    // MARK: The await step

    /// The await step as it opens: the scan's progress while it runs, its verdict once it has
    /// one, the offer to run it again when the wizard's end interrupted it.
    mutating func awaitEntered(_ step: Step, _ spec: AwaitSpec) -> [Effect] {
        let id = spec.step.value
        if let scan = backgrounds.first(where: { $0.step == id }) {
            report(.commandProgress(seconds: scan.seconds, lines: scan.lines, progress: scan.progress))
            return []
        }
        guard case .scan(let outcome)? = engine.state.answers[id] else {
            // Its scan never started (a `when:` skipped it): there is no verdict to wait for.
            report(.commandFinished(.scan(ScanOutcome(verdict: .unavailable)), summary: [words(.scanSaidUnavailable)], details: []))
            return []
        }
        // Run again on this await already (then Back here): that run's verdict.
        if let rerun = lastScanEnd(of: step.id.value), let verdict = rerun.verdict.flatMap(ScanVerdict.init(rawValue:)) {
            return scanFinished(CommandResult(end: rerun, ran: verdict != .unavailable), end: rerun, verdict: verdict)
        }
        if outcome.verdict == .interrupted {
            if var current = model {
                current.widget = .confirm(ConfirmModel(unsure: false))
                current.notes.append(words(.awaitRerunAsk))
                model = current
            }
            return []
        }
        let ended = lastScanEnd(of: id) ?? SessionEvent.CommandEnd(step: id, name: "scan", argv: [], exitCode: outcome.exitCode.map(Int.init),
                                          durationMs: outcome.durationMs, timedOut: false)
        return scanFinished(CommandResult(end: ended, ran: outcome.verdict != .unavailable), end: ended, verdict: outcome.verdict)
    }

    /// The last scan a step ran, as journaled.
    func lastScanEnd(of step: String) -> SessionEvent.CommandEnd? {
        entries.reversed().lazy.compactMap { entry -> SessionEvent.CommandEnd? in
            if case .commandFinished(let end)? = entry.typed, end.step == step, end.name == "scan" { return end }
            return nil
        }.first
    }

    /// The employee chose to run an interrupted scan again: it runs on the await step, waited.
    mutating func rerun(_ step: Step, _ spec: AwaitSpec) -> [Effect] {
        guard let scanSpec = scanSpec(of: step), let template = scanSpec.command.argv(for: operatingSystem) else {
            return answerStep(.scan(ScanOutcome(verdict: .unavailable)))
        }
        if var current = model {
            current.widget = .command(CommandModel(isScan: true))
            current.notes.removeAll { $0 == words(.awaitRerunAsk) }
            model = current
        }
        return startCommands([CommandRequest(step: step, name: "scan", argv: context.argv(template), timeout: scanSpec.timeoutSeconds,
                                             scanTemplate: template)])
    }

    /// A resumed session: every background scan the journal shows started and never ended (the
    /// wizard was killed, the power lost) is recorded as `interrupted`.
    mutating func interruptedScans() -> [Effect] {
        let open = Journal.unfinishedScans(entries)
        var effects: [Effect] = []
        for step in engine.playbook.steps where step.isBackgroundScan {
            guard let start = open[step.id.value] else { continue }
            let stopped = SessionEvent.CommandEnd(step: start.step, name: "scan", argv: start.argv, exitCode: nil, durationMs: 0, timedOut: false,
                                              verdict: ScanVerdict.interrupted.rawValue,
                                              failure: "interrupted: the wizard stopped before the scan ended (killed, or the power was lost)")
            var events: [SessionEvent] = [.commandFinished(stopped)]
            // Left already: the scan step's answer is the interruption (on its own step, it starts again).
            if engine.state.current != start.step {
                do {
                    events += try engine.send(.verdict(step: start.step, answer: .scan(ScanOutcome(verdict: .interrupted)))).map(SessionEvent.init)
                } catch { return end(.failed("\(error)")) }
            }
            effects += journal(events)
        }
        return effects.isEmpty ? [] : effects + [.rewriteReports]
    }
}
