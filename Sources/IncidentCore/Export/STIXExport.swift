/// The record as a STIX 2.1 bundle: the PC as an identity, the incident (with the Incident Core
/// extension), the mail, its addresses, attachments and Received-chain IPs as cyber-observables
/// (deterministic ids: the same attachment on two PCs is one object) in an observed-data, and a
/// note per answer for the timeline. Only what the journal holds.
public enum STIXExport {
    public static let incidentCore = "extension-definition--ef765651-680c-498d-9894-99799f2fa126"

    public static func bundle(_ report: Report) -> JSONValue {
        let created = ExportSupport.utc(report.started) ?? "1970-01-01T00:00:00.000Z"
        let last = report.finishedAt.flatMap(ExportSupport.utc) ?? report.steps.compactMap(\.answered).last.flatMap(ExportSupport.utc) ?? created
        let seed = report.incidentID
        let identity = "identity--" + ExportSupport.stableUUID(seed + "|identity")
        let incident = "incident--" + (report.incidentID.count == 36 ? report.incidentID.lowercased() : ExportSupport.stableUUID(seed))
        var objects: [JSONValue] = []
        objects.append(.object([
            "type": .string("identity"), "spec_version": .string("2.1"), "id": .string(identity),
            "created": .string(created), "modified": .string(created),
            "name": .string(report.host.name.isEmpty ? "unknown host" : report.host.name), "identity_class": .string("system"),
        ]))
        var observables: [String] = []
        var scos: [JSONValue] = []
        func add(_ id: String, _ members: [JSONValue.Member]) {
            guard !observables.contains(id) else { return }
            observables.append(id)
            scos.append(.object([.init("type", .string(id.components(separatedBy: "--")[0])), .init("spec_version", .string("2.1")),
                                 .init("id", .string(id))] + members))
        }
        for (key, mail, _) in ExportSupport.indicatorMails(report) {
            var messageMembers: [JSONValue.Member] = []
            var contributing: [JSONValue.Member] = []
            if let from = mail.from {
                let value = MailIndicators.address(from)
                let id = ExportSupport.observableID("email-addr", [.init("value", .string(value))])
                add(id, [.init("value", .string(value))] + (MailIndicators.displayName(from).map { [.init("display_name", .string($0))] } ?? []))
                messageMembers.append(.init("from_ref", .string(id)))
                contributing.append(.init("from_ref", .string(id)))
            }
            var parts: [JSONValue] = []
            for attachment in mail.attachments {
                let hashes = JSONValue.object(["SHA-256": .string(attachment.sha256)])
                let id = ExportSupport.observableID("file", [.init("hashes", hashes), .init("name", .string(attachment.name))])
                add(id, [.init("hashes", hashes), .init("size", .int(attachment.size)), .init("name", .string(attachment.name))])
                parts.append(.object(["body_raw_ref": .string(id), "content_type": .string(attachment.contentType),
                                      "content_disposition": .string("attachment")]))
            }
            if let subject = mail.subject {
                messageMembers.append(.init("subject", .string(subject)))
                contributing.append(.init("subject", .string(subject)))
            }
            if let id = mail.messageID { messageMembers.append(.init("message_id", .string(id))) }
            if !mail.received.isEmpty { messageMembers.append(.init("received_lines", .array(mail.received.map(JSONValue.string)))) }
            messageMembers.insert(.init("is_multipart", .bool(!parts.isEmpty)), at: 0)
            if !parts.isEmpty { messageMembers.append(.init("body_multipart", .array(parts))) }
            let messageID = ExportSupport.observableID("email-message", contributing.isEmpty ? [.init("subject", .string(key))] : contributing)
            add(messageID, messageMembers)
            for ip in MailIndicators.receivedIPs(mail) {
                let type = ip.contains(":") ? "ipv6-addr" : "ipv4-addr"
                add(ExportSupport.observableID(type, [.init("value", .string(ip))]), [.init("value", .string(ip))])
            }
        }
        // The files the employee attached (the .eml, a saved attachment, a photo, EmoCheck's
        // report), by hash; the wizard's own command outputs are not observables.
        for line in ExportSupport.attachedFiles(report) {
            let name = String(line.file.name.split(separator: "/").last ?? "")
            let hashes = JSONValue.object(["SHA-256": .string(line.file.sha256)])
            add(ExportSupport.observableID("file", [.init("hashes", hashes), .init("name", .string(name))]),
                [.init("hashes", hashes), .init("size", .int(line.file.size)), .init("name", .string(name))])
        }
        let answers = report.steps.filter { $0.answer != nil && !$0.skipped }
        var description = (report.drill ? "DRILL (a training record, not a real incident): " : "")
            + "incident-wizard record \(report.incidentID) from \(report.host.name) (playbook \(report.playbookID))"
        description += report.finished ? ", finished: \(report.outcome ?? "completed")." : ", not finished."
        if report.evidence.allSatisfy({ $0.email == nil }), report.typedMail != nil {
            description += " The mail's sender and subject are as the employee typed them (no .eml was attached)."
        }
        var extensionBody: [JSONValue.Member] = [
            .init("extension_type", .string("property-extension")), .init("determination", .string("suspected")),
            .init("investigation_status", .string("new")),
        ]
        if !observables.isEmpty { extensionBody.append(.init("observable_refs", .array(observables.map(JSONValue.string)))) }
        objects.append(.object([
            "type": .string("incident"), "spec_version": .string("2.1"), "id": .string(incident),
            "created": .string(created), "modified": .string(last), "created_by_ref": .string(identity),
            "name": .string((report.drill ? "DRILL: " : "") + report.playbook.title.resolved(report.language) + " — " + report.host.name),
            "description": .string(description),
            "labels": report.drill ? .array([.string("drill")]) : nil,
            "extensions": .object([.init(incidentCore, .object(extensionBody))]),
        ]))
        if !scos.isEmpty {
            objects.append(.object([
                "type": .string("observed-data"), "spec_version": .string("2.1"),
                "id": .string("observed-data--" + ExportSupport.stableUUID(seed + "|observed")),
                "created": .string(created), "modified": .string(created), "created_by_ref": .string(identity),
                "first_observed": .string(created), "last_observed": .string(last), "number_observed": .int(1),
                "object_refs": .array(observables.map(JSONValue.string)),
            ]))
        }
        for step in answers {
            let time = step.answered.flatMap(ExportSupport.utc) ?? created
            objects.append(.object([
                "type": .string("note"), "spec_version": .string("2.1"),
                "id": .string("note--" + ExportSupport.stableUUID(seed + "|note|" + step.id + "|" + (step.answered ?? ""))),
                "created": .string(time), "modified": .string(time), "created_by_ref": .string(identity),
                "abstract": .string(step.title), "content": .string("\(step.title): \(step.shown.isEmpty ? "✓" : step.shown) (\(step.answered ?? ""))"),
                "object_refs": .array([.string(incident)]),
            ]))
        }
        // The playbook's deadlines, for the consultant: one note on the incident.
        if let summary = ExportSupport.deadlineSummary(report) {
            objects.append(.object([
                "type": .string("note"), "spec_version": .string("2.1"),
                "id": .string("note--" + ExportSupport.stableUUID(seed + "|note|deadlines")),
                "created": .string(last), "modified": .string(last), "created_by_ref": .string(identity),
                "abstract": .string(ConsultantWords.text(.deadlinesTitle, report.language)), "content": .string(summary),
                "object_refs": .array([.string(incident)]),
            ]))
        }
        objects += scos
        // The report that gathers them (a drill says so here too).
        let gathered = objects.compactMap { $0["id"]?.string }
        objects.append(.object([
            "type": .string("report"), "spec_version": .string("2.1"),
            "id": .string("report--" + ExportSupport.stableUUID(seed + "|report")),
            "created": .string(created), "modified": .string(last), "created_by_ref": .string(identity),
            "name": .string((report.drill ? "DRILL: " : "") + "incident-wizard record " + report.incidentID),
            "description": .string(description), "published": .string(last), "report_types": .array([.string("incident")]),
            "labels": report.drill ? .array([.string("drill")]) : nil,
            "object_refs": .array(gathered.map(JSONValue.string)),
        ]))
        // Every object carries the TLP marking the MISP and TheHive exports use (TLP:AMBER).
        objects = objects.map { object in
            guard case .object(var members) = object else { return object }
            members.removeAll { $0.value == .null }
            members.append(.init("object_marking_refs", .array([.string(ExportSupport.tlpAmberID)])))
            return .object(members)
        }
        objects.insert(ExportSupport.tlpAmber, at: 0)
        return .object([
            "type": .string("bundle"), "id": .string("bundle--" + ExportSupport.stableUUID(seed + "|bundle")),
            "objects": .array(objects),
        ])
    }
}
