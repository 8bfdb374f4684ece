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
        let reader = YAMLReader(path: path, parsed: parsed)
        reader.textLanguages = Set(languages(in: root))
        var contacts: [String: Contact]?
        let contactHint = YAMLReader.KeyHint.misindented(
            contactKeys, belongs: "to a contact (under 'contacts' and its id), not to the top level",
            ja: .contact, like: nil)
        if let top = reader.fields(root, of: "contacts.yaml", allowed: ["contacts"], required: ["contacts"],
                                   hints: [contactHint]),
           let node = top["contacts"] {
            contacts = readContacts(node, reader: reader, topLevel: ["contacts"])
        }
        // The contacts read are kept even when some entry has an error (a bad date): they exist,
        // and a playbook's references to them are no follow-on errors.
        return LoadResult(value: reader.diagnostics.hasErrors ? nil : contacts,
                          diagnostics: reader.diagnostics, source: parsed.text, readable: contacts)
    }

    /// The language codes the file's texts use (contacts.yaml names none of its own): the keys
    /// of every contact text written as a map.
    private static func languages(in root: Node) -> [String] {
        guard case .mapping(let top) = root, case .mapping(let contacts)? = top["contacts"] else { return [] }
        var codes: [String] = []
        for case .mapping(let contact) in contacts.values {
            for field in ["name", "role", "hours", "note"] {
                guard case .mapping(let text)? = contact[field] else { continue }
                for case .scalar(let code) in text.keys where PlaybookLoader.isLanguageCode(code.string)
                    && !codes.contains(code.string) {
                    codes.append(code.string)
                }
            }
        }
        return codes
    }

    /// `topLevel`: the keys of the file's top level, for a key of it written inside a contact.
    static func readContacts(_ node: Node, reader: YAMLReader,
                             topLevel: [String] = PlaybookLoader.topLevelKeys) -> [String: Contact] {
        guard case .mapping(let mapping) = node else {
            reader.error(.contactsNotAMap(found: YAMLReader.found(node)), at: reader.location(of: node))
            return [:]
        }
        var contacts: [String: Contact] = [:]
        var previous: String?
        for (keyNode, value) in mapping {
            // `verified:` (or another field) indented like the contact ids: it belongs to the
            // contact above it, not a contact of its own.
            if let key = keyNode.scalar?.string, contactKeys.contains(key), value.scalar != nil {
                reader.error(.contactFieldMisindented(key: key, owner: previous), at: reader.location(of: keyNode))
                continue
            }
            guard let id = reader.slug(keyNode, "contact id") else { continue }
            previous = id.value
            let what = "contact '\(id.value)'"
            guard let fields = reader.fields(value, of: what, allowed: contactKeys, required: ["name"],
                                             hints: [.misindented(topLevel.filter { !contactKeys.contains($0) },
                                                                  belongs: "at the top level, not to \(what)",
                                                                  ja: .contactsTopLevel(contact: id.value),
                                                                  like: "contacts")]) else { continue }
            func readText(_ key: String) -> LocalizedText? {
                fields[key].flatMap { reader.text($0, key, parentKeys: contactKeys, parent: what) }
            }
            let name = readText("name")
            let phone = fields["phone"].flatMap { reader.string($0, "phone")?.value }
            let email = fields["email"].flatMap { reader.string($0, "email")?.value }
            let url = fields["url"].flatMap { reader.string($0, "url")?.value }
            // A misspelt `phnoe:` is one error (its "did you mean"), not also "no phone".
            let ways = ["phone", "email", "url"]
            if ways.allSatisfy({ fields[$0] == nil }), fields.suggested.isDisjoint(with: ways) {
                reader.error(.contactNeedsWay(id: id.value), at: fields.location)
            }
            var verified: Located<CalendarDay>?
            if let node = fields["verified"], let text = reader.string(node, "verified") {
                if let day = CalendarDay(parsing: text.value) {
                    verified = Located(day, at: text.location)
                } else {
                    reader.error(.badVerifiedDate(value: text.value), at: text.location)
                }
            }
            // Without a readable name (a misspelt `nmae:`, reported above) the contact still
            // exists for the references to it: only the file's own error is reported. The file
            // does not load, so the stand-in name is never shown.
            let shownName = name ?? LocalizedText(variants: [LocalizedText.anyLanguage: id.value], location: fields.location)
            var contact = Contact(
                id: id.value, name: shownName, role: readText("role"),
                phone: phone, email: email, url: url,
                hours: readText("hours"),
                note: readText("note"),
                verified: verified, path: reader.path, location: reader.location(of: keyNode))
            // A bad date, or a misspelt `verifed:` (its own error): no "has no 'verified' date" besides.
            contact.nameUnreadable = name == nil
            contact.verifiedUnreadable = (fields["verified"] != nil && verified == nil) || fields.suggested.contains("verified")
            contacts[id.value] = contact
        }
        return contacts
    }
}
