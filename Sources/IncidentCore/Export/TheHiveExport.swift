/// The record as a TheHive 5 alert: `type` + `source` (the host) + `sourceRef` (the report
/// folder's name) make it unique; the description is the markdown report; the mail's addresses,
/// subject, attachment names and hashes and the Received-chain IPs are observables.
public enum TheHiveExport {
    public static func alert(_ report: Report, folderName: String, markdown: String) -> JSONValue {
        var observables: [JSONValue] = []
        var seen: Set<String> = []
        func observable(_ type: String, _ data: String, ioc: Bool = false, message: String? = nil) {
            guard !data.isEmpty, seen.insert(type + "|" + data).inserted else { return }
            observables.append(.object(["dataType": .string(type), "data": .string(data), "ioc": .bool(ioc),
                                        "tags": .array([.string("incident-wizard")]), "message": message.map(JSONValue.string)]))
        }
        for (_, mail, typed) in ExportSupport.indicatorMails(report) {
            if let from = mail.from { observable("mail", MailIndicators.address(from), ioc: true, message: typed ? "From (as typed by the employee)" : "From") }
            if let replyTo = mail.replyTo { observable("mail", MailIndicators.address(replyTo), ioc: true, message: "Reply-To") }
            if let subject = mail.subject { observable("mail_subject", subject, message: typed ? "Subject (as typed by the employee)" : nil) }
            for ip in MailIndicators.receivedIPs(mail) { observable("ip", ip, message: "Received") }
            for attachment in mail.attachments {
                observable("filename", attachment.name, message: "mail attachment")
                observable("hash", attachment.sha256, ioc: true, message: "SHA-256 of \(attachment.name)")
            }
        }
        for line in ExportSupport.attachedFiles(report) { observable("hash", line.file.sha256, message: "SHA-256 of \(line.file.name)") }
        let detected = report.steps.contains { if case .scan(let outcome)? = $0.answer { return outcome.verdict == .detected }; return false }
        var tags = ["incident-wizard", "playbook:" + report.playbookID]
        if let outcome = report.outcome { tags.append("outcome:" + outcome) }
        if report.drill { tags.append("drill") }
        let milliseconds = StepTimes.milliseconds(report.started) ?? 0
        return .object([
            "type": .string("incident-wizard"), "source": .string(report.host.name.isEmpty ? "unknown-host" : report.host.name),
            "sourceRef": .string(folderName),
            "title": .string((report.drill ? "DRILL: " : "") + report.playbook.title.resolved(report.language) + " — " + report.host.name),
            "description": .string(markdown), "severity": .int(detected ? 3 : 2), "tlp": .int(2), "pap": .int(2),
            "date": .int(milliseconds), "tags": .array(tags.map(JSONValue.string)), "observables": .array(observables),
        ])
    }

    /// The record as a TheHive 5 case (thehive4py's `InputCase`): the alert's title, severity,
    /// TLP/PAP, tags and report (its indicators first) as the description, one task per applying
    /// deadline with its `dueDate`, one page per document that applies, drafted from the record.
    public static func caseFile(_ report: Report, folderName: String, markdown: String) -> JSONValue {
        let alert = alert(report, folderName: folderName, markdown: markdown)
        let words = { (key: ConsultantWords.Key) in ConsultantWords.text(key, report.language) }
        let context = PlaceholderContext(language: report.language, sessionStarted: report.started)
        var tasks: [JSONValue] = []
        for line in report.deadlines where line.applies {
            var description = [words(.dueEstimate) + DeadlineClock.readable(line.due) + words(.afterNoticed("\(line.deadline.after.value)"))]
            if let note = line.deadline.note { description.append(context.render(note, playbook: report.playbook, answers: report.answers)) }
            if let url = line.deadline.url { description.append(url) }
            if let noticed = report.noticed {
                description.append(words(.countedFrom) + DeadlineClock.readable(noticed.time))
            }
            tasks.append(.object([
                "title": .string(context.render(line.deadline.title, playbook: report.playbook, answers: report.answers)),
                "group": .string(words(.deadlinesGroup)),
                "description": .string(description.joined(separator: "\n\n")),
                "dueDate": .int(line.dueMilliseconds),
                "order": .int(tasks.count),
            ]))
        }
        let now = report.timeline.last?.time ?? report.started
        var pages: [JSONValue] = []
        for document in report.playbook.documents where DocumentDraft.applies(document, report) {
            let entry = DocumentDraft.list(report).first { $0.id == document.id.value }
            pages.append(.object([
                "title": .string(entry?.title ?? document.id.value),
                "content": .string(DocumentDraft.render(document, report, now: now, reportDir: folderName)),
                "order": .int(pages.count),
                "category": .string(words(.draftsCategory)),
            ]))
        }
        return .object([
            "title": alert["title"] ?? .string(folderName), "description": .string(markdown),
            "severity": alert["severity"] ?? .int(2), "startDate": alert["date"] ?? .int(0),
            "tags": alert["tags"] ?? .array([]), "tlp": .int(2), "pap": .int(2),
            "tasks": .array(tasks), "pages": .array(pages),
        ])
    }
}
