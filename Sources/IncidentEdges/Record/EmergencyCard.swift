import Foundation
import IncidentCore

/// The edge of the built-in emergency card (product.md, "Never a dead end"): the administrator's
/// number when `contacts.yaml` can be trusted, and the record that the card was shown.
public enum EmergencyCard {
    /// The `admin` contact of the `contacts.yaml` in `directory` — only when that file reads and
    /// checks without an error and the contact has a phone number; else nil ("the printed list").
    public static func administrator(contactsDirectory directory: String?, language: String) -> (name: String, phone: String)? {
        guard let path = directory.flatMap(PlaybookCatalog.contactsFile), let data = PosixFiles.contents(path) else { return nil }
        let result = ContactsLoader.load(data, path: path)
        guard !result.diagnostics.hasErrors, let admin = result.value?["admin"], let phone = admin.phone else { return nil }
        let name = admin.name.resolved(language)
        return (Sanitizer.neutralise(name, keepNewlines: false), Sanitizer.neutralise(phone, keepNewlines: false))
    }

    /// What there was of a file, for the administrator: a regular file of at most 4 MiB.
    static func copyable(_ path: String?) -> Data? {
        guard let path, PosixFiles.size(path).map({ $0 <= 4 << 20 }) == true, let data = PosixFiles.contents(path) else { return nil }
        return data
    }

    /// Records the card as a session of its own, finished at once (so it is never offered for
    /// resuming): `session.started` (marked `emergency`, with the host facts and the hashes of
    /// whatever playbook and contacts files there were, copied beside the journal for the
    /// administrator), `emergency.card` (why, and what the card told the employee to call), and
    /// `session.finished` with the outcome `emergency-card`. Returns the folder.
    public static func record(reports: String, language: String, playbookID: String?, reasons: [String],
                              admin: (name: String, phone: String)?, playbookPath: String?, contactsDirectory: String?,
                              toolVersion: String, reportsFallback: ReportsFallback? = nil, now: Date = Date()) throws -> String {
        let playbookData = copyable(playbookPath), contactsData = copyable(contactsDirectory.flatMap(PlaybookCatalog.contactsFile))
        let folder = try ReportFolder.create(in: reports, playbookID: "emergency", host: SystemFacts.hostName, date: now)
        var copies: [JSONValue.Member] = []
        if let playbookData {
            try SessionStore.writeNew(folder.path + "/" + SessionFiles.playbookCopy, playbookData)
            copies.append(.init("playbook", .object(["id": playbookID.map(JSONValue.string) ?? .null,
                                                      "sha256": .string(Journal.sha256(playbookData)),
                                                      "file": .string(SessionFiles.playbookCopy)])))
        } else {
            copies.append(.init("playbook", .object(["id": playbookID.map(JSONValue.string) ?? .null])))
        }
        if let contactsData {
            try SessionStore.writeNew(folder.path + "/" + SessionFiles.contactsCopy, contactsData)
            copies.append(.init("contacts", .object(["sha256": .string(Journal.sha256(contactsData)),
                                                      "file": .string(SessionFiles.contactsCopy)])))
        }
        let started: [JSONValue.Member] = [.init("incident_id", .string(UUID().uuidString.lowercased())), .init("emergency", .bool(true))]
            + copies + [.init("language", .string(language)), .init("host", HostProbe.facts(now: now).json),
                        .init("tool_version", .string(toolVersion)), .init("drill", .bool(false))]
            + (reportsFallback.map { [JSONValue.Member(ReportsFallback.key, $0.json)] } ?? [])
        let card: [JSONValue.Member] = [
            .init("reasons", .array(reasons.map(JSONValue.string))),
            .init("shown", .string(admin == nil ? "printed-list" : "admin-number")),
            .init("contact", admin.map { .object(["id": .string("admin"), "name": .string($0.name), "phone": .string($0.phone)]) } ?? .null),
        ]
        var chain = JournalChain()
        let time = Timestamp.rfc3339(now)
        var bytes = Data()
        for (event, fields) in [(JournalEventName.sessionStarted, started), (JournalEventName.emergencyCard, card),
                                (JournalEventName.sessionFinished, [JSONValue.Member("outcome", .string("emergency-card"))])] {
            bytes += chain.append(event: event, time: time, fields: fields)
        }
        try SessionStore.writeNew(folder.path + "/" + SessionFiles.journal, bytes)
        SessionStore.syncDirectory(folder.path)
        SessionStore.syncDirectory(reports)
        return folder.path
    }
}
