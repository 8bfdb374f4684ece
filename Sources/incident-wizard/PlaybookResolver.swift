import ArgumentParser
import Foundation
import IncidentCore
import IncidentEdges

/// Turns a playbook argument (an id or a file path) into a valid playbook with its contacts,
/// printing the diagnostics and exiting 2 when it is invalid.
struct PlaybookResolver {
    var option: String?

    struct Resolved: Sendable {
        var playbook: Playbook
        var contacts: [String: Contact]
        /// The exact bytes validated, copied into the report folder.
        var playbookData: Data
        var contactsData: Data?
    }

    /// Whether an argument names a file rather than an id.
    static func isPath(_ argument: String) -> Bool {
        argument.contains("/") || argument.hasSuffix(".yaml") || argument.hasSuffix(".yml")
    }

    func resolve(_ argument: String) throws -> Resolved {
        let catalog = PlaybookCatalog()
        let entry: PlaybookCatalog.Entry
        if Self.isPath(argument) {
            entry = catalog.check([argument])[0]
        } else {
            guard let directory = PlaybookCatalog.playbooksDirectory(option: option) else {
                throw Failure.unusable("no playbooks directory found (use --playbooks DIR)")
            }
            let files = PlaybookCatalog.files(in: directory).filter { !ContactsLoader.isContactsFile($0) }
            func named(path: String, id: String?) -> Bool {
                id == argument || PathName.withoutExtension(PathName.last(path)) == argument
            }
            // Every playbook checked (a duplicate id is an error), the one named run.
            let entries = catalog.check(files)
            guard let match = entries.first(where: { named(path: $0.path, id: $0.id) }) else {
                let known = entries.filter(\.isValid).compactMap(\.id).joined(separator: ", ")  // the ones that would run
                throw Failure.unusable("no playbook '\(argument)' in \(directory) (available: \(known.isEmpty ? "none" : known))")
            }
            entry = match
        }
        return try Self.resolved(entry)
    }

    /// A checked entry as a playbook to run, or its failure (the errors rendered).
    static func resolved(_ entry: PlaybookCatalog.Entry) throws -> Resolved {
        // `isValid` too: a playbook whose id another file of the folder had first keeps its model
        // but is an error (the one `validate` reports), and is refused like any other.
        guard entry.isValid, let playbook = entry.playbook, let data = entry.data else { throw Self.invalid(entry) }
        // The shared contacts as checked with the playbook, not read a second time.
        return Resolved(playbook: playbook, contacts: playbook.mergedContacts(shared: entry.shared?.contacts ?? [:]),
                        playbookData: data, contactsData: entry.shared?.data)
    }

    /// An invalid entry's failure, its errors rendered now (printed by whoever catches it, after
    /// the terminal is restored).
    static func invalid(_ entry: PlaybookCatalog.Entry) -> Failure {
        let renderer = DiagnosticRenderer(sources: entry.diagnosticSources)
        return Failure.invalidPlaybook(entry.path, diagnostics: entry.diagnostics.normalised().filter(\.isError).map(renderer.render))
    }

    /// Failures that end a command with the product's exit statuses.
    enum Failure: Error, CustomStringConvertible {
        case usage(String)
        /// The playbook the employee would run does not exist (or there is none): the emergency card.
        case unusable(String)
        case invalidPlaybook(String, diagnostics: [String])

        var description: String {
            switch self {
            case .usage(let message), .unusable(let message): return message
            case .invalidPlaybook(let path, _): return "\(path) is not a valid playbook (see the errors above)"
            }
        }

        /// Whether the employee gets the emergency card: the playbook is missing or broken (not a
        /// mistyped option).
        var needsEmergencyCard: Bool {
            if case .usage = self { return false }
            return true
        }

        /// Prints the playbook's diagnostics (`PATH:LINE:COLUMN: error: …`, source line, caret).
        func printDiagnostics() {
            guard case .invalidPlaybook(_, let diagnostics) = self else { return }
            for text in diagnostics { Output.err(text) }
        }
    }
}
