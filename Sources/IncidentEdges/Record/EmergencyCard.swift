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
        guard let path, let data = PosixFiles.contents(path), data.count <= 4 << 20 else { return nil }
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
        if let playbookData { try SessionStore.writeNew(folder.path + "/" + SessionFiles.playbookCopy, playbookData) }
        if let contactsData { try SessionStore.writeNew(folder.path + "/" + SessionFiles.contactsCopy, contactsData) }
        let start = SessionEvent.SessionStart(
            incidentID: UUID().uuidString.lowercased(), emergency: true,
            playbook: .init(id: playbookID, sha256: playbookData.map(Journal.sha256), file: playbookData == nil ? nil : SessionFiles.playbookCopy),
            contacts: contactsData.map { .init(sha256: Journal.sha256($0), file: SessionFiles.contactsCopy) },
            language: language, host: HostProbe.facts(now: now), toolVersion: toolVersion, drill: false, reportsFallback: reportsFallback)
        let card = SessionEvent.EmergencyCardShown(reasons: reasons, admin: admin.map { .init(name: $0.name, phone: $0.phone) })
        var chain = JournalChain()
        let time = Timestamp.rfc3339(now)
        var bytes = Data()
        for event: SessionEvent in [.sessionStarted(start), .emergencyCard(card), .sessionFinished(outcome: "emergency-card")] {
            bytes += chain.append(event: event.name, time: time, fields: event.fields)
        }
        try SessionStore.writeNew(folder.path + "/" + SessionFiles.journal, bytes)
        SessionStore.syncDirectory(folder.path)
        SessionStore.syncDirectory(reports)
        return folder.path
    }
}
