import Foundation
import Yams

/// Reads the shared `contacts.yaml` (a top-level `contacts:` map only) and `contacts:` maps in playbooks.
public enum ContactsLoader {
    static let contactKeys = ["name", "role", "phone", "email", "url", "hours", "note", "verified"]

    /// Whether a file name is the shared contacts file of a playbooks directory.
    public static func isContactsFile(_ path: String) -> Bool {
        let name = PathName.last(path)
        return name == "contacts.yaml" || name == "contacts.yml"
    }

    public static func load(_ data: Data, path: String) -> LoadResult<[String: Contact]> {
        let parsed = SourceText.parse(data, path: path)
        guard let root = parsed.root else {
            return LoadResult(value: nil, diagnostics: parsed.diagnostics, source: parsed.text)
        }
        let reader = YAMLReader(path: path)
        var contacts: [String: Contact]?
        if let top = reader.fields(root, of: "contacts.yaml", allowed: ["contacts"], required: ["contacts"]),
           let node = top["contacts"] {
            contacts = readContacts(node, reader: reader)
        }
        return LoadResult(value: reader.diagnostics.hasErrors ? nil : contacts,
                          diagnostics: reader.diagnostics, source: parsed.text)
    }

    static func readContacts(_ node: Node, reader: YAMLReader) -> [String: Contact] {
        guard case .mapping(let mapping) = node else {
            reader.error("'contacts' must be a map of contact id → contact, not \(YAMLReader.describe(node))",
                         at: YAMLReader.location(of: node))
            return [:]
        }
        var contacts: [String: Contact] = [:]
        for (keyNode, value) in mapping {
            guard let id = reader.slug(keyNode, "contact id") else { continue }
            let what = "contact '\(id.value)'"
            guard let fields = reader.fields(value, of: what, allowed: contactKeys, required: ["name"]) else { continue }
            let name = fields["name"].flatMap { reader.text($0, "name") }
            let phone = fields["phone"].flatMap { reader.string($0, "phone")?.value }
            let email = fields["email"].flatMap { reader.string($0, "email")?.value }
            let url = fields["url"].flatMap { reader.string($0, "url")?.value }
            if fields["phone"] == nil, fields["email"] == nil, fields["url"] == nil {
                reader.error("\(what) needs at least one of 'phone', 'email' or 'url'", at: fields.location)
            }
            var verified: Located<CalendarDay>?
            if let node = fields["verified"], let text = reader.string(node, "verified") {
                if let day = CalendarDay(parsing: text.value) {
                    verified = Located(day, at: text.location)
                } else {
                    reader.error("'verified' must be a date written YYYY-MM-DD, not \"\(text.value)\"", at: text.location)
                }
            }
            guard let name else { continue }
            contacts[id.value] = Contact(
                id: id.value, name: name, role: fields["role"].flatMap { reader.text($0, "role") },
                phone: phone, email: email, url: url,
                hours: fields["hours"].flatMap { reader.text($0, "hours") },
                note: fields["note"].flatMap { reader.text($0, "note") },
                verified: verified, path: reader.path, location: YAMLReader.location(of: keyNode))
        }
        return contacts
    }
}
