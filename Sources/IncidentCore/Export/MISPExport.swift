/// The record as a MISP event: the mail as an `email` object, each attachment and evidence file as
/// a `file` object the mail `includes`, the verdicts as tags in the description. Only what the
/// journal holds.
public enum MISPExport {
    public static func event(_ report: Report) -> JSONValue {
        let seed = report.incidentID
        let date = String(report.started.prefix(10))
        var objects: [JSONValue] = []
        func attribute(_ relation: String, _ type: String, _ value: String) -> JSONValue {
            .object(["object_relation": .string(relation), "type": .string(type), "value": .string(value),
                     "uuid": .string(ExportSupport.stableUUID(seed + "|attr|" + relation + "|" + value))])
        }
        func fileObject(_ name: String, _ sha256: String, _ size: Int) -> (uuid: String, object: JSONValue) {
            let uuid = ExportSupport.stableUUID(seed + "|file|" + sha256 + "|" + name)
            return (uuid, .object([
                "name": .string("file"), "meta-category": .string("file"), "uuid": .string(uuid),
                "Attribute": .array([attribute("filename", "filename", name), attribute("sha256", "sha256", sha256),
                                     attribute("size-in-bytes", "size-in-bytes", String(size))]),
            ]))
        }
        for (line, mail) in ExportSupport.mails(report) {
            var attributes: [JSONValue] = []
            if let from = mail.from { attributes.append(attribute("from", "email-src", MailIndicators.address(from))) }
            if let replyTo = mail.replyTo { attributes.append(attribute("reply-to", "email-reply-to", MailIndicators.address(replyTo))) }
            if let subject = mail.subject { attributes.append(attribute("subject", "email-subject", subject)) }
            if let id = mail.messageID { attributes.append(attribute("message-id", "email-message-id", id)) }
            for ip in MailIndicators.receivedIPs(mail) { attributes.append(attribute("received-header-ip", "ip-src", ip)) }
            var references: [JSONValue] = []
            for item in mail.attachments {
                attributes.append(attribute("attachment", "email-attachment", item.name))
                let file = fileObject(item.name, item.sha256, item.size)
                objects.append(file.object)
                references.append(.object(["referenced_uuid": .string(file.uuid), "relationship_type": .string("includes")]))
            }
            guard !attributes.isEmpty else { continue }
            objects.append(.object([
                "name": .string("email"), "meta-category": .string("network"),
                "uuid": .string(ExportSupport.stableUUID(seed + "|email|" + line.file.sha256)),
                "Attribute": .array(attributes), "ObjectReference": .array(references),
            ]))
        }
        for line in report.evidence {
            objects.append(fileObject(String(line.file.name.split(separator: "/").last ?? ""), line.file.sha256, line.file.size).object)
        }
        var info = "\(report.playbook.title.resolved(report.language)) — \(report.host.name)"
        if report.drill { info = "DRILL: " + info }
        var tags: [JSONValue] = [.object(["name": .string("incident-wizard")]), .object(["name": .string("tlp:amber")])]
        if report.drill { tags.append(.object(["name": .string("drill")])) }
        var event: [JSONValue.Member] = [
            .init("info", .string(info)), .init("date", .string(date)), .init("uuid", .string(ExportSupport.stableUUID(seed + "|event"))),
            .init("threat_level_id", .string("2")), .init("analysis", .string(report.finished ? "1" : "0")),
            .init("distribution", .string("0")), .init("Tag", .array(tags)), .init("Object", .array(objects)),
        ]
        // The playbook's deadlines as an event report (MISP's Markdown page of an event).
        if let summary = ExportSupport.deadlineSummary(report) {
            event.append(.init("EventReport", .array([.object([
                "name": .string(ConsultantWords.text(.deadlinesTitle, report.language)), "content": .string(summary),
                "distribution": .string("5"), "uuid": .string(ExportSupport.stableUUID(seed + "|report|deadlines")),
            ])])))
        }
        return .object(["Event": .object(event)])
    }
}
