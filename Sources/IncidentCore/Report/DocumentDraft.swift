/// The playbook's documents (`documents:`) drafted from a record: every placeholder filled from
/// what the record knows, the `【要記入】` / `[TO FILL]` lines left for a person. Pure.
public enum DocumentDraft {
    public struct Entry: Sendable, Equatable {
        public var id: String
        public var title: String
        public var audience: DocumentAudience
        /// Its `when` holds on the record's answers (or it has none).
        public var applies: Bool
    }

    /// Every document of the record's playbook, in file order.
    public static func list(_ report: Report) -> [Entry] {
        report.playbook.documents.map { document in
            Entry(id: document.id.value, title: context(report).render(document.title, playbook: report.playbook, answers: report.answers),
                  audience: document.audience, applies: applies(document, report))
        }
    }

    public static func applies(_ document: DocumentTemplate, _ report: Report) -> Bool {
        document.when.map { Engine.holds($0, answers: report.answers) } ?? true
    }

    /// The mail's sender and subject: from the first attached `.eml` that has them, else what the
    /// employee typed in the mail form (`Report.typedMail`), marked as typed.
    public static func mail(_ report: Report) -> (from: String?, subject: String?) {
        let typed = report.typedMail
        let marked = { (value: String) -> String in String(value.trimmingWhitespace) + ConsultantWords.text(.asTyped, report.language) }
        return (report.evidence.lazy.compactMap { $0.email?.from }.first ?? typed?.from.map(marked),
                report.evidence.lazy.compactMap { $0.email?.subject }.first ?? typed?.subject.map(marked))
    }

    static func context(_ report: Report, now: String = "", reportDir: String = "") -> PlaceholderContext {
        var context = PlaceholderContext(language: report.language, hostName: report.host.name, userName: report.host.user,
                                         sessionID: report.incidentID, sessionStarted: report.started, now: now,
                                         reportDir: reportDir, contacts: report.contacts)
        (context.mailFrom, context.mailSubject) = mail(report)
        return context
    }

    /// The document as Markdown: its title, a drill banner for a drill, then its body with the
    /// placeholders filled in. `now` (RFC 3339) and `reportDir` fill `{{now}}` and `{{report.dir}}`.
    public static func render(_ document: DocumentTemplate, _ report: Report, now: String, reportDir: String) -> String {
        let context = context(report, now: now, reportDir: reportDir)
        var out = ["# " + context.render(document.title, playbook: report.playbook, answers: report.answers), ""]
        if report.drill {
            out += ["> **" + ConsultantWords.text(.drillDraft, report.language) + "**", ""]
        }
        out.append(context.render(document.body, playbook: report.playbook, answers: report.answers))
        let text = out.joined(separator: "\n")
        return Sanitizer.neutralise(text.hasSuffix("\n") ? text : text + "\n")
    }
}
