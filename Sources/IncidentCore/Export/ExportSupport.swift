import Crypto
import Foundation

/// What the exports share: the record's indicators, ids that are the same for the same thing
/// everywhere, and times in the forms the tools want.
enum ExportSupport {
    /// The STIX namespace for cyber-observable ids (STIX 2.1, 2.9).
    static let stixNamespace = UUID(uuidString: "00abedb4-aa42-466c-9c01-fed23315a9b7")!

    /// RFC 4122 version 5: SHA-1 of the namespace and the name.
    static func uuid5(_ namespace: UUID, _ name: String) -> String {
        var bytes = withUnsafeBytes(of: namespace.uuid) { Array($0) }
        bytes += Array(name.utf8)
        var digest = Array(Insecure.SHA1.hash(data: bytes).prefix(16))
        digest[6] = (digest[6] & 0x0F) | 0x50
        digest[8] = (digest[8] & 0x3F) | 0x80
        return format(digest)
    }

    /// A version 4-shaped UUID derived from `seed`: stable across runs of the same record (so an
    /// export made twice is the same file), random-looking as STIX asks of SDO ids.
    static func stableUUID(_ seed: String) -> String {
        var digest = Array(SHA256.hash(data: Data(seed.utf8)).prefix(16))
        digest[6] = (digest[6] & 0x0F) | 0x40
        digest[8] = (digest[8] & 0x3F) | 0x80
        return format(digest)
    }

    static func format(_ bytes: [UInt8]) -> String {
        let hex = bytes.map { String(format: "%02x", $0) }.joined()
        let c = Array(hex)
        return String(c[0..<8]) + "-" + String(c[8..<12]) + "-" + String(c[12..<16]) + "-" + String(c[16..<20]) + "-" + String(c[20..<32])
    }

    /// A cyber-observable's deterministic id: UUIDv5 over its id-contributing properties as
    /// canonical JSON (keys sorted, no spaces).
    static func observableID(_ type: String, _ properties: [JSONValue.Member]) -> String {
        let canonical = JSONValue.object(properties.sorted { $0.key < $1.key }).compact()
        return "\(type)--" + uuid5(stixNamespace, canonical)
    }

    /// The journal's local RFC 3339 time in UTC with a `Z`, as STIX requires.
    static func utc(_ rfc3339: String) -> String? {
        guard let milliseconds = StepTimes.milliseconds(rfc3339) else { return nil }
        var seconds = time_t(milliseconds / 1000 - (milliseconds % 1000 < 0 ? 1 : 0))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int = 2) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        let millis = ((milliseconds % 1000) + 1000) % 1000
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1))-\(pad(parts.tm_mday))T\(pad(parts.tm_hour)):\(pad(parts.tm_min)):\(pad(parts.tm_sec))."
            + String(repeating: "0", count: millis < 10 ? 2 : millis < 100 ? 1 : 0) + "\(millis)Z"
    }

    /// The playbook's deadlines as Markdown lines (due, title, whether it applies, link), with
    /// where the clock starts; empty when the playbook has none.
    static func deadlineSummary(_ report: Report) -> String? {
        guard let noticed = report.noticed, !report.deadlines.isEmpty else { return nil }
        let context = PlaceholderContext(language: report.language, sessionStarted: report.started)
        var lines = [ConsultantWords.text(.summaryHead(DeadlineClock.readable(noticed.time)), report.language), ""]
        for line in report.deadlines {
            let title = context.render(line.deadline.title, playbook: report.playbook, answers: report.answers)
            let applies = line.applies ? "" : ConsultantWords.text(.doesNotApply, report.language)
            lines.append("- \(DeadlineClock.readable(line.due)): \(title)\(applies)" + (line.deadline.url.map { " — \($0)" } ?? ""))
        }
        return lines.joined(separator: "\n")
    }

    /// The mails attached in the record.
    static func mails(_ report: Report) -> [(line: Report.EvidenceLine, mail: MailSummary)] {
        report.evidence.compactMap { line in line.email.map { (line, $0) } }
    }

    /// The mails the indicators come from, each with a key for stable ids and whether the employee
    /// typed it: the attached `.eml` files, else what the employee typed in the mail form
    /// (`product.md`, "The sender": either way they are indicators).
    static func indicatorMails(_ report: Report) -> [(key: String, mail: MailSummary, typed: Bool)] {
        let attached = mails(report).map { (key: $0.line.file.sha256, mail: $0.mail, typed: false) }
        if !attached.isEmpty { return attached }
        return report.typedMail.map { [(key: "typed", mail: $0, typed: true)] } ?? []
    }

    /// The files the employee attached (not the wizard's own command outputs), by hash.
    static func attachedFiles(_ report: Report) -> [Report.EvidenceLine] {
        report.evidence.filter { $0.kind == "attached" }
    }

    /// The hashes of the attached mails' own attachments (the likely malware).
    static func mailAttachmentHashes(_ report: Report) -> Set<String> {
        Set(mails(report).flatMap { $0.mail.attachments.map(\.sha256) })
    }

    /// TLP:AMBER, as the MISP (`tlp:amber`) and TheHive (`tlp: 2`) exports mark the record: the
    /// STIX 2.1 specification's own marking-definition object and id.
    static let tlpAmberID = "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82"
    static let tlpAmber: JSONValue = .object([
        "type": .string("marking-definition"), "spec_version": .string("2.1"), "id": .string(tlpAmberID),
        "created": .string("2017-01-20T00:00:00.000Z"), "definition_type": .string("tlp"), "name": .string("TLP:AMBER"),
        "definition": .object(["tlp": .string("amber")]),
    ])
}
