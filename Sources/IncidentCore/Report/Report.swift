import Foundation

/// Everything a report shows, built from the journal alone (plus the playbook copy for titles),
/// so `report` and `verify` can rebuild it anywhere and get the same bytes.
public struct Report: Sendable {
    public struct StepLine: Sendable {
        public var id: String
        public var type: String
        public var title: String
        public var entered: String?
        public var answered: String?
        public var skipped: Bool
        public var answer: Answer?
        /// The answer as the employee saw it, in the session language.
        public var shown: String
        /// Earlier answers replaced after going back: when, and as shown.
        public var superseded: [(time: String, shown: String)] = []
    }

    /// One thing that happened, for people: what kind, and what it was about.
    public struct StoryLine: Sendable {
        public enum Kind: String, Sendable {
            case started, answered, back, attempt, attached, refused, scanned, collected, suspended, resumed, finished, abandoned
        }
        public var time: String
        public var kind: Kind
        public var detail: String
    }

    public struct TimelineLine: Sendable {
        public var time: String
        public var event: String
        public var detail: String
    }

    public struct Command: Sendable {
        public var step: String
        public var name: String
        public var argv: [String]
        public var exitCode: Int?
        public var verdict: String?
        public var durationMs: Int
        public var outputFile: String?
        public var outputSHA256: String?
        public var detections: [String]
        public var tail: [String]
        public var failure: String?
    }

    public struct EvidenceLine: Sendable {
        public var step: String
        public var file: EvidenceFile
        public var kind: String
        /// For an attached `.eml`: its headers and attachments, parsed when it was attached.
        public var email: MailSummary? = nil
        /// For attached EmoCheck output: its result, parsed when it was attached.
        public var emocheck: EmoCheckResult? = nil
    }

    public var incidentID: String
    public var drill: Bool
    public var finished: Bool
    /// Closed without finishing (the employee started afresh): `session.abandoned`.
    public var abandoned = false
    public var outcome: String?
    public var playbookID: String
    public var playbookRevision: String?
    public var playbookSHA256: String
    public var language: String
    public var host: HostFacts
    public var toolVersion: String
    /// The record was kept in the private fallback folder, and why (`session.started`).
    public var reportsFallback: ReportsFallback? = nil
    public var started: String
    public var finishedAt: String?
    public var steps: [StepLine]
    public var timeline: [TimelineLine]
    /// The timeline in human terms: answers, tries, evidence, results — not every journal line.
    public var story: [StoryLine] = []
    /// Remote addresses in the collected connection lists (`ss`, `netstat`), when the builder was
    /// given the folder's files to read.
    public var remoteAddresses: [String] = []
    public var commands: [Command]
    public var evidence: [EvidenceLine]
    public var refusedEvidence: [String]
    public var journalEntries: Int
    public var journalLastHash: String
    /// How long each step took (shown for drills).
    public var stepTimes: [StepTimes.Line] = []
    public var playbook: Playbook
    public var contacts: [String: Contact]
    /// When the incident was noticed (the session's start, or the `noticed` answer), and the
    /// playbook's deadlines counted from it; for the consultant only.
    public var noticed: DeadlineClock.Noticed? = nil
    public var deadlines: [DeadlineClock.Line] = []

    public var answers: [String: Answer] {
        var out: [String: Answer] = [:]
        for step in steps { if let answer = step.answer { out[step.id] = answer } }
        return out
    }

    /// The mail as the employee typed it in a mail form (the fields `sender` or `from`, `subject`,
    /// and `date`, `received` or `time`; the latest answer wins), when the form was filled in.
    public var typedMail: MailSummary? {
        var mail = MailSummary()
        for step in steps where !step.skipped {
            guard case .input(let values)? = step.answer else { continue }
            func value(_ ids: [String]) -> String? {
                ids.lazy.compactMap { values[$0] }.first { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
            }
            if let from = value(MailSummary.FormField.sender) { mail.from = from }
            if let subject = value(MailSummary.FormField.subject) { mail.subject = subject }
            if let date = value(MailSummary.FormField.date) { mail.date = date }
        }
        return mail.from == nil && mail.subject == nil ? nil : mail
    }

    public enum Failure: Error, Equatable, CustomStringConvertible {
        case noSession
        public var description: String { "the journal has no session.started entry" }
    }

    /// Builds the report of a journal. `contacts` are the merged contacts the session used.
    /// `language` overrides the session's (for `report --lang`).
    public static func build(entries: [JournalEntry], playbook: Playbook, contacts: [String: Contact],
                             language: String? = nil,
                             readFile: ((String) -> Data?)? = nil) throws -> Report {
        let events = entries.map { (entry: $0, event: $0.typed) }
        guard let opening = events.first(where: { $0.event?.sessionStart != nil }), let start = opening.event?.sessionStart else {
            throw Failure.noSession
        }
        // A journal without a language or an outcome decodes them as empty: none was recorded.
        let language = language ?? (start.language.isEmpty ? nil : start.language) ?? playbook.languageCodes.first ?? "en"
        let host = start.host ?? HostFacts(name: "", os: "", kernel: "", user: "", timezone: "", interfaces: [])
        let context = PlaceholderContext(language: language, hostName: host.name, userName: host.user,
                                         sessionID: start.incidentID, sessionStarted: opening.entry.time,
                                         contacts: contacts)
        let words = Vocabulary(language: language)
        var report = Report(
            incidentID: start.incidentID, drill: start.drill, finished: false,
            outcome: nil, playbookID: start.playbook.id ?? playbook.id.value,
            playbookRevision: start.playbook.revision, playbookSHA256: start.playbook.sha256 ?? "",
            language: language, host: host, toolVersion: start.toolVersion, started: opening.entry.time,
            finishedAt: nil, steps: [], timeline: [], commands: [], evidence: [], refusedEvidence: [],
            journalEntries: entries.count, journalLastHash: entries.last?.hash ?? Journal.genesis,
            playbook: playbook, contacts: contacts)
        report.reportsFallback = start.reportsFallback
        var index: [String: Int] = [:]
        func line(_ id: String) -> Int {
            if let existing = index[id] { return existing }
            let step = playbook.step(id)
            report.steps.append(StepLine(id: id, type: step?.kind.typeName ?? "?", title: "", entered: nil, answered: nil,
                                         skipped: false, answer: nil, shown: ""))
            index[id] = report.steps.count - 1
            return report.steps.count - 1
        }
        var answersSoFar: [String: Answer] = [:]
        for (entry, event) in events {
            func story(_ kind: StoryLine.Kind, _ detail: String) {
                // Line breaks kept: each table shows them the same way (`ReportMarkdown.cell`).
                report.story.append(StoryLine(time: entry.time, kind: kind, detail: Sanitizer.neutralise(detail)))
            }
            let stepID = event?.step ?? ""
            let title = playbook.step(stepID).map { Sanitizer.neutralise(context.render($0.title, playbook: playbook, answers: answersSoFar), keepNewlines: false) } ?? stepID
            var detail = ""
            switch event {
            case .stepEntered?:
                let i = line(stepID)
                report.steps[i].entered = entry.time
                report.steps[i].skipped = false
                report.steps[i].title = title
                detail = title
            case .stepSkipped?:
                let i = line(stepID)
                if report.steps[i].entered == nil { report.steps[i].skipped = true }
                report.steps[i].title = title
                detail = title
            case .stepAnswered(_, let json)?:
                let i = line(stepID)
                // A background scan passed by (`null`) has no answer yet: its verdict comes later.
                if let step = playbook.step(stepID), let answer = AnswerCoding.answer(json, for: step),
                   !(answer == .none && step.isBackgroundScan) {
                    if report.steps[i].answer != nil, let earlier = report.steps[i].answered {
                        report.steps[i].superseded.append((earlier, report.steps[i].shown))
                    }
                    report.steps[i].answer = answer
                    report.steps[i].answered = entry.time
                    answersSoFar[stepID] = answer
                    report.steps[i].shown = Sanitizer.neutralise(context.describe(answer, of: step))
                }
                detail = report.steps[i].shown.isEmpty ? title : "\(title): \(report.steps[i].shown)"
                // A background scan passed by: its start and its verdict are the story, not the pass.
                if !(playbook.step(stepID)?.isBackgroundScan == true && json.isNull) { story(.answered, detail) }
            case let .stepBack(from, to)?:
                detail = "\(from) → \(to)"
                story(.back, detail)
            case .sessionFinished(let outcome)?:
                report.finished = true
                report.finishedAt = entry.time
                report.outcome = outcome.isEmpty ? nil : outcome
                detail = outcome
                story(.finished, detail)
            case .commandFinished(let end)?:
                let command = Command(
                    step: end.step, name: end.name, argv: end.argv, exitCode: end.exitCode, verdict: end.verdict,
                    durationMs: end.durationMs, outputFile: end.outputFile, outputSHA256: end.outputSHA256,
                    detections: end.detections, tail: end.tail, failure: end.failure)
                report.commands.append(command)
                if let file = command.outputFile, let sha = command.outputSHA256 {
                    report.evidence.append(EvidenceLine(step: stepID, file: EvidenceFile(
                        name: file, sha256: sha, size: end.outputSize, source: command.argv.joined(separator: " ")),
                        kind: "output"))
                }
                detail = "\(command.name): " + (command.failure ?? "exit \(command.exitCode.map(String.init) ?? "-")")
                    + (command.verdict.map { " (\($0))" } ?? "")
                if let verdict = command.verdict.flatMap(ScanVerdict.init(rawValue:)) {
                    story(.scanned, words.verdict(verdict) + (command.detections.isEmpty ? "" : " — " + command.detections.joined(separator: "; ")))
                } else if playbook.step(stepID)?.kind.typeName == "collect" {
                    story(.collected, command.name + (command.failure.map { ": " + $0 } ?? ""))
                }
            case .commandStarted(let begun)?:
                detail = "\(begun.name): " + begun.argv.joined(separator: " ")
            case let .commandSkipped(_, name, argv, reason)?:
                detail = "\(name): not run (\(reason)): \(argv.joined(separator: " "))"
            case .evidenceAdded(let added)?:
                let file = added.file
                report.evidence.append(EvidenceLine(step: stepID, file: EvidenceFile(
                    name: SessionFiles.evidence + "/" + file.name, sha256: file.sha256, size: file.size, source: file.source),
                    kind: "attached", email: added.email, emocheck: added.emocheck))
                detail = file.name
                story(.attached, file.name)
            case let .evidenceRefused(_, reason, reasonLocal)?:
                // In the session's language when the journal has it (from this version on).
                report.refusedEvidence.append(reasonLocal)
                detail = reason
                story(.refused, reasonLocal)
            case .notifyAttempted(_, let attempt)?:
                let who = contacts[attempt.contact]?.name.resolved(language) ?? attempt.contact
                detail = "\(who): \(attempt.result.rawValue)"
                story(.attempt, detail)
            case .networkChecked(let check)?:
                let connected = check.interfaces.map(\.name)
                detail = connected.isEmpty ? words(.disconnected) : "\(words(.connected)) \(connected.joined(separator: ", "))"
            case .sessionSuspended(let reason, _)?:
                detail = reason
                story(.suspended, detail)
            case .sessionResumed(let torn)?:
                detail = torn.map { "torn line \($0) ignored" } ?? ""
                story(.resumed, detail)
            case .sessionAbandoned?:
                report.abandoned = true
                story(.abandoned, "")
            case .sessionStarted?:
                detail = "\(report.playbookID) \(report.playbookRevision ?? "")"
                story(.started, "\(report.host.name), \(report.host.user)")
            case .emergencyCard?, nil:
                break
            }
            report.timeline.append(TimelineLine(time: entry.time, event: entry.event, detail: Sanitizer.neutralise(detail)))
        }
        if report.drill { report.stepTimes = StepTimes.compute(entries) }
        if let clock = DeadlineClock.compute(playbook, answers: report.answers, started: report.started) {
            report.noticed = clock.noticed
            report.deadlines = clock.lines
        }
        if let readFile {
            for command in report.commands where ["ss", "netstat"].contains(command.argv.first.map { String($0.split(separator: "/").last ?? "") } ?? "") {
                // Only a file inside the folder (a journal could name any path).
                guard let file = command.outputFile, !file.hasPrefix("/"), !file.split(separator: "/").contains(".."),
                      let data = readFile(file) else { continue }
                report.remoteAddresses += ConnectionList.remoteAddresses(String(decoding: data.prefix(4 << 20), as: UTF8.self))
            }
            report.remoteAddresses = MailIndicators.unique(report.remoteAddresses)
        }
        return report
    }
}

extension Report.StepLine {
    /// An await step whose answer is its background scan's verdict, not a scan of its own (it ran
    /// none): the reports show the verdict once, at the scan.
    public func repeatsItsScan(in report: Report) -> Bool {
        type == "await" && !report.commands.contains { $0.step == id }
    }
}
