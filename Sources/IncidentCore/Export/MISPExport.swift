/// The record as a MISP event: the mail as an `email` object, each attachment and evidence file as
/// a `file` object the mail `includes`, the verdicts as tags in the description. Only what the
/// journal holds.
public enum MISPExport {
    public static func event(_ report: Report) -> JSONValue {
        let seed = report.incidentID
        let date = String(report.started.prefix(10))
        var objects: [JSONValue] = []
        // Every uuid is unique in the event: an attribute's comes from its object's, an object's
        // from where it came (the mail's part, or the evidence line), never from its value alone.
        // `to_ids` is set on every attribute: only what came from the mail and points at the
        // attacker (the sender, Reply-To, the attachments' hashes) is an IDS indicator; the
        // Received chain (the company's own relays, private addresses) is context.
        func attribute(_ owner: String, _ relation: String, _ type: String, _ value: String, ids: Bool = false,
                       comment: String? = nil) -> JSONValue {
            var members: [JSONValue.Member] = [
                .init("object_relation", .string(relation)), .init("type", .string(type)), .init("value", .string(value)),
                .init("to_ids", .bool(ids)), .init("uuid", .string(ExportSupport.stableUUID(owner + "|attr|" + relation + "|" + value))),
            ]
            if let comment { members.append(.init("comment", .string(comment))) }
            return .object(members)
        }
        let malware = ExportSupport.mailAttachmentHashes(report)
        func fileObject(_ key: String, _ name: String, _ sha256: String, _ size: Int, ids: Bool) -> (uuid: String, object: JSONValue) {
            let uuid = ExportSupport.stableUUID(seed + "|file|" + key + "|" + sha256 + "|" + name)
            return (uuid, .object([
                "name": .string("file"), "meta-category": .string("file"), "uuid": .string(uuid),
                "Attribute": .array([attribute(uuid, "filename", "filename", name), attribute(uuid, "sha256", "sha256", sha256, ids: ids),
                                     attribute(uuid, "size-in-bytes", "size-in-bytes", String(size))]),
            ]))
        }
        for (key, mail, typed) in ExportSupport.indicatorMails(report) {
            let owner = ExportSupport.stableUUID(seed + "|email|" + key)
            let comment = typed ? "as typed by the employee (no .eml attached)" : nil
            var attributes: [JSONValue] = []
            if let from = mail.from {
                attributes.append(attribute(owner, "from", "email-src", MailIndicators.address(from), ids: true, comment: comment))
                if let name = MailIndicators.displayName(from) {
                    attributes.append(attribute(owner, "from-display-name", "email-src-display-name", name, comment: comment))
                }
            }
            if let replyTo = mail.replyTo { attributes.append(attribute(owner, "reply-to", "email-reply-to", MailIndicators.address(replyTo), ids: true)) }
            if let subject = mail.subject { attributes.append(attribute(owner, "subject", "email-subject", subject, comment: comment)) }
            if let id = mail.messageID { attributes.append(attribute(owner, "message-id", "email-message-id", id)) }
            for ip in MailIndicators.receivedIPs(mail) { attributes.append(attribute(owner, "received-header-ip", "ip-src", ip)) }
            var references: [JSONValue] = []
            for (index, item) in mail.attachments.enumerated() {
                attributes.append(attribute(owner, "attachment", "email-attachment", item.name))
                let file = fileObject(key + "|part\(index)", item.name, item.sha256, item.size, ids: true)
                objects.append(file.object)
                references.append(.object(["referenced_uuid": .string(file.uuid), "relationship_type": .string("includes")]))
            }
            guard !attributes.isEmpty else { continue }
            objects.append(.object([
                "name": .string("email"), "meta-category": .string("network"), "uuid": .string(owner),
                "Attribute": .array(attributes), "ObjectReference": .array(references),
            ]))
        }
        // The files the employee attached (the wizard's own command outputs are not indicators);
        // a saved copy of the mail's attachment is an IDS indicator like the attachment itself.
        for (index, line) in ExportSupport.attachedFiles(report).enumerated() {
            objects.append(fileObject("evidence\(index)", String(line.file.name.split(separator: "/").last ?? ""), line.file.sha256,
                                      line.file.size, ids: malware.contains(line.file.sha256)).object)
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
