import CSupport
import Foundation
import IncidentCore

/// Plain mode: the same engine as line-by-line prompts on stdout, answers read from stdin — for
/// screen readers, serial consoles and scripted drills. Typed commands: a number, `y`/`n`/`u`,
/// text; `?` help, `q` quit (asks first), `<` or Esc back (in text fields only Esc goes back).
public final class PlainSession {
    public enum Exit: Equatable {
        case finished(outcome: String)
        /// The employee quit, or the input ended: the session stays resumable.
        case quit
        case failed(String)
    }

    /// What a prompt produced.
    enum Reply: Equatable {
        case line(String)
        case back
        /// `quit` (the employee asked) or `end-of-input`.
        case quit(String)
    }

    private var engine: Engine
    private var context: PlaceholderContext
    private let store: SessionStore
    private let effects: StepEffects
    private let words: Vocabulary
    private let readLine: () -> String?
    private let write: (String) -> Void

    public init(engine: Engine, context: PlaceholderContext, store: SessionStore,
                readLine: @escaping () -> String? = { Swift.readLine(strippingNewline: true) },
                write: @escaping (String) -> Void = { try? FileHandle.standardOutput.write(contentsOf: Data(($0 + "\n").utf8)) }) {
        self.engine = engine
        self.context = context
        self.store = store
        self.effects = StepEffects(store: store)
        self.words = Vocabulary(language: context.language)
        self.readLine = readLine
        self.write = write
    }

    public func run() -> Exit {
        // A SIGTERM or SIGHUP (the window closed) ends a running command's process group with the
        // wizard; a command is never left behind as an orphan.
        iw_install_plain_exit_handlers()
        do {
            if engine.state.current == nil, !engine.state.isFinished { try store.record(try engine.send(.start)) }
            while let step = engine.currentStep {
                show(step)
                let reply = try interact(step)
                switch reply {
                case .quit(let reason):
                    try store.append(JournalEventName.sessionSuspended, [.init("reason", .string(reason)),
                                                                         .init("step", .string(step.id.value))])
                    try store.rewriteReports()
                    write(words(.quitSaved))
                    return .quit
                case .back:
                    try store.record(try engine.send(.back))
                case .line:
                    break
                }
            }
            return .finished(outcome: engine.state.outcome ?? "completed")
        } catch let error as EngineError {
            return .failed(error.description)
        } catch {
            return .failed("\(error)")
        }
    }

    // MARK: Showing

    private func text(_ localized: LocalizedText?) -> String {
        Sanitizer.neutralise(context.render(localized, playbook: engine.playbook, answers: engine.state.answers))
    }

    private func show(_ step: Step) {
        context.now = Timestamp.rfc3339()
        let (current, total) = engine.progress
        let title = text(engine.playbook.title)
        write("")
        let badge = effects.drill ? "[\(words(.drill))] " : ""
        write("== \(badge)\(title) — \(words(.stepOf)) \(current)/\(total) ==")
        write((step.critical ? "!! " : "") + text(step.title))
        let body = text(step.text)
        if !body.isEmpty { write(body) }
    }

    // MARK: Prompts

    /// Reads one reply. `textField`: letters are text, only Esc goes back.
    private func ask(_ prompt: String, help: LocalizedText?, textField: Bool = false) -> Reply {
        while true {
            write("> " + prompt)
            guard let raw = readLine() else {
                write(words(.endOfInput))
                return .quit("end-of-input")
            }
            let line = raw.hasSuffix("\r") ? String(raw.dropLast()) : raw
            if line == "\u{1b}" { return .back }
            if textField { return .line(line) }
            switch line.trimmingCharacters(in: .whitespaces) {
            case "<": return .back
            case "?":
                let helpText = text(help)
                write(helpText.isEmpty ? words(.noHelp) : helpText)
            case "q", "Q":
                write("> " + words(.quitAsk))
                guard let answer = readLine() else { return .quit("end-of-input") }
                if ["y", "Y", "yes", "はい"].contains(answer.trimmingCharacters(in: .whitespaces)) { return .quit("quit") }
            default:
                return .line(line.trimmingCharacters(in: .whitespaces))
            }
        }
    }

    private func answer(_ answer: Answer) throws -> Reply {
        try store.record(try engine.send(.answer(answer)))
        return .line("")
    }

    private func interact(_ step: Step) throws -> Reply {
        switch step.kind {
        case .info, .end:
            if case .end = step.kind, effects.drill { effects.stepTimeLines(words: words).forEach(write) }
            let reply = ask(words(.pressEnter), help: step.help)
            guard case .line = reply else { return reply }
            return try answer(.none)
        case .confirm(let spec):
            return try confirm(step, spec)
        case .choice(let options):
            for (index, option) in options.enumerated() { write("  \(index + 1)) \(text(option.label))") }
            while true {
                let reply = ask(words(.chooseNumber), help: step.help)
                guard case .line(let line) = reply else { return reply }
                if let number = Int(line), options.indices.contains(number - 1) {
                    return try answer(.choice(options[number - 1].value.value))
                }
                write(words(.invalidAnswer))
            }
        case .checklist(let items, let require):
            for (index, item) in items.enumerated() { write("  \(index + 1)) [ ] \(text(item.label))") }
            while true {
                let reply = ask(words(.checklistHint), help: step.help)
                guard case .line(let line) = reply else { return reply }
                let numbers = line.split(whereSeparator: { $0 == " " || $0 == "," }).map { Int($0) }
                guard numbers.allSatisfy({ $0.map { items.indices.contains($0 - 1) } ?? false }) else {
                    write(words(.invalidAnswer))
                    continue
                }
                let ticked = Set(numbers.compactMap { $0 })
                let values = items.enumerated().filter { ticked.contains($0.offset + 1) }.map(\.element.value.value)
                if require == .all, values.count != items.count { write(words(.checklistRequireAll)); continue }
                if require == .any, values.isEmpty { write(words(.checklistRequireAny)); continue }
                return try answer(.checklist(values))
            }
        case .input(let fields):
            return try input(step, fields)
        case .network(let spec):
            return try network(step, spec)
        case .evidence(let attach):
            return try evidence(step, attach)
        case .scan(let spec):
            return try scan(step, spec)
        case .collect(let commands):
            return try collect(step, commands)
        case .notify(let spec):
            return try notify(step, spec)
        }
    }

    private func confirm(_ step: Step, _ spec: ConfirmSpec) throws -> Reply {
        while true {
            let reply = ask(words(spec.unsure ? .answerYesNoUnsure : .answerYesNo), help: step.help)
            guard case .line(let line) = reply else { return reply }
            switch line.lowercased() {
            case "y", "yes", "はい": return try answer(.confirm(.yes))
            case "n", "no", "いいえ": return try answer(.confirm(.no))
            case "u" where spec.unsure, "unsure" where spec.unsure, "わからない" where spec.unsure:
                return try answer(.confirm(.unsure))
            default: write(words(.invalidAnswer))
            }
        }
    }

    private func input(_ step: Step, _ fields: [InputField]) throws -> Reply {
        var values: [String: String] = [:]
        for field in fields {
            let label = text(field.label) + (field.required ? " *" : "")
            while true {
                var value: String
                if field.multiline {
                    write(label)
                    var lines: [String] = []
                    while true {
                        let reply = ask(words(.inputHint) + words(.emptyLineEnds),
                                        help: step.help, textField: true)
                        guard case .line(let line) = reply else { return reply }
                        if line.isEmpty { break }
                        lines.append(line)
                    }
                    value = lines.joined(separator: "\n")
                } else {
                    let reply = ask(label, help: step.help, textField: true)
                    guard case .line(let line) = reply else { return reply }
                    value = line
                }
                value = value.trimmingCharacters(in: .whitespaces)
                if field.required, value.isEmpty { write(words(.inputRequired)); continue }
                if value.count > field.maxLength { write(words(.inputTooLong) + "\(field.maxLength)"); continue }
                values[field.id.value] = value
                break
            }
        }
        return try answer(.input(values))
    }

    private func network(_ step: Step, _ spec: NetworkSpec) throws -> Reply {
        let probe = NetworkProbe()
        let before = probe.probe()
        try effects.recordNetwork(step, before)
        let byCommand = try effects.disconnect(step, spec, context: context)
        if effects.drill { write(words.drillNetwork(wouldRun: spec.action == .disconnect)) }
        while true {
            let status = probe.probe()
            try effects.recordNetwork(step, status)
            if status.isDisconnected {
                write(words(.networkDisconnected))
                let reply = ask(words(.pressEnter), help: step.help)
                guard case .line = reply else { return reply }
                return try answer(.network(StepEffects.networkOutcome(disconnected: true, byCommand: byCommand,
                                                                      before: before, after: status)))
            }
            write(words(.networkConnected))
            for interface in status.connected { write("  " + StepEffects.describe(interface, words: words)) }
            let reply = ask(words(.networkHint) + (effects.drill ? words(.drillEnterContinues) : ""),
                            help: step.help)
            guard case .line(let line) = reply else { return reply }
            if line == "2" || (effects.drill && line.isEmpty) {
                return try answer(.network(StepEffects.networkOutcome(disconnected: false, byCommand: byCommand,
                                                                      before: before, after: status)))
            }
        }
    }

    private func evidence(_ step: Step, _ attach: AttachPolicy) throws -> Reply {
        var photographed = false
        while true {
            let reply = ask(words(.evidenceAsk), help: step.help)
            guard case .line(let line) = reply else { return reply }
            if ["y", "yes", "はい"].contains(line.lowercased()) { photographed = true; break }
            if ["n", "no", "いいえ"].contains(line.lowercased()) { break }
            write(words(.invalidAnswer))
        }
        var files: [EvidenceFile] = []
        if attach != .none {
            var recent = EvidenceStore.recentFiles(home: context.home)
            while true {
                if !recent.isEmpty {
                    write(words(.recentFilesNumber))
                    for (index, path) in recent.enumerated() { write("  \(index + 1)) " + Sanitizer.neutralise(path, keepNewlines: false)) }
                }
                let reply = ask(words(.evidenceFiles), help: step.help, textField: true)
                guard case .line(let line) = reply else { return reply }
                var path = line.trimmingCharacters(in: .whitespaces)
                // A number picks a recent file, unless a file of that name is really meant.
                if let number = Int(path), recent.indices.contains(number - 1), !FileManager.default.fileExists(atPath: path) {
                    path = recent.remove(at: number - 1)
                }
                if path.isEmpty {
                    if attach == .required, files.isEmpty { write(words(.inputRequired)); continue }
                    break
                }
                do {
                    let attached = try effects.attachEvidence(step, path: path)
                    files.append(attached.file)
                    write("  + \(Sanitizer.neutralise(attached.file.name)) sha256:\(attached.file.sha256)")
                    if let email = attached.email { write("    " + Sanitizer.neutralise(words.mailSummary(email), keepNewlines: false)) }
                } catch let refusal as EvidenceStore.Refusal {
                    write("  ! " + Sanitizer.neutralise(words.refusal(refusal.reason(words))))
                }
            }
        }
        return try answer(.evidence(EvidenceOutcome(photographed: photographed, files: files)))
    }

    private func scan(_ step: Step, _ spec: ScanSpec) throws -> Reply {
        write(words(.scanRunning) + " " + words(.scanCancelHint))
        if effects.drill { write(words.drillScan) }
        var outcome = ScanOutcome(verdict: .unavailable)
        if let argv = try effects.scanArgv(spec, context: context) {
            let run: StepEffects.CommandRun
            let interrupts = InterruptConfirmation(words: words, write: write)
            defer { interrupts.stop() }
            (run, outcome) = try effects.runScan(step, spec, argv: argv, isCancelled: interrupts.confirmed)
            if let program = run.result.missingProgram {
                write("  " + Sanitizer.neutralise(words.programMissing(program)))
            } else if let failure = run.result.failure {
                write("  " + Sanitizer.neutralise(failure))
            }
            for line in run.detections.isEmpty ? run.tail : run.detections { write("  | " + Sanitizer.neutralise(line)) }
        } else {
            write("  " + words(.noScannerForOS))
        }
        write(words(.scanFinished) + " " + words.verdict(outcome.verdict))
        let reply = ask(words(.pressEnter), help: step.help)
        guard case .line = reply else { return reply }
        return try answer(.scan(outcome))
    }

    private func collect(_ step: Step, _ commands: [CollectCommand]) throws -> Reply {
        write(words(.collectRunning))
        var outputs: [CollectOutput] = []
        for command in commands {
            guard let template = command.command.argv(for: SystemFacts.operatingSystem) else { continue }
            let run = try effects.runCommand(step, name: command.name.value, argv: context.argv(template), timeout: command.timeoutSeconds)
            outputs.append(CollectOutput(name: command.name.value, exitCode: run.result.exitCode,
                                         outputFile: run.outputFile, outputSHA256: run.outputSHA256))
            write("  \(command.name.value): " + (run.result.failure.map { Sanitizer.neutralise($0) }
                                                  ?? "exit \(run.result.exitCode.map(String.init) ?? "-")"))
        }
        let reply = ask(words(.pressEnter), help: step.help)
        guard case .line = reply else { return reply }
        return try answer(.collect(CollectOutcome(outputs: outputs)))
    }

    private func notify(_ step: Step, _ spec: NotifySpec) throws -> Reply {
        let chain = spec.chain.compactMap { context.contacts[$0] }
        var index = 0
        let script = text(spec.script)
        if !script.isEmpty { write(script) }
        while true {
            if chain.indices.contains(index) { showContact(chain[index]) }
            let reply = ask(words(.notifyHint), help: step.help)
            guard case .line(let line) = reply else { return reply }
            switch line {
            case "1" where chain.indices.contains(index):
                let name = ask(words(.notifySpokeWith), help: step.help, textField: true)
                guard case .line(let spokeWith) = name else { return name }
                return try answer(.notify(NotifyOutcome(reached: chain[index].id, spokeWith: spokeWith,
                                                        at: Timestamp.rfc3339())))
            case "2":
                if index + 1 < chain.count {
                    index += 1
                    write(words(.notifyNoAnswerNext))
                } else {
                    write(words(.noMoreContacts))
                }
            case "3":
                return try answer(.notify(NotifyOutcome(reached: nil, spokeWith: "", at: Timestamp.rfc3339())))
            default:
                write(words(.invalidAnswer))
            }
        }
    }

    private func showContact(_ contact: Contact) {
        for (index, line) in StepEffects.contactLines(contact, words: words).enumerated() {
            write((index == 0 ? "  " : "    ") + line)
        }
    }

}

/// Cancelling a scan in plain mode: stdin is not read while the scanner runs, so Ctrl-C asks and a
/// second Ctrl-C within ten seconds confirms. Installed only while a scan runs.
final class InterruptConfirmation: @unchecked Sendable {
    private let lock = NSLock()
    private var firstAt: Date?
    private var isConfirmed = false
    private let source: DispatchSourceSignal

    init(words: Vocabulary, write: @escaping (String) -> Void) {
        signal(SIGINT, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler { [self] in
            let now = Date()
            let confirm = lock.withLock {
                if let first = firstAt, now.timeIntervalSince(first) <= 10 {
                    isConfirmed = true
                    return true
                }
                firstAt = now
                return false
            }
            write(words(confirm ? .cancellingScan : .cancelScanAgain))
        }
        source.resume()
    }

    var confirmed: @Sendable () -> Bool { { [self] in lock.withLock { isConfirmed } } }

    /// Once, when the scan is over: Ctrl-C is again the wizard's ending (which ends any command's
    /// group first, as SIGTERM does).
    func stop() {
        guard !stopped else { return }
        stopped = true
        source.cancel()
        iw_install_plain_exit_handlers()
    }

    private var stopped = false
}
