import ArgumentParser
import Foundation
import IncidentCore
import IncidentEdges

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the playbooks of the playbooks directory. Exit 1 if any of them is invalid.")

    @OptionGroup var options: PlaybooksOption

    func run() throws {
        guard let directory = PlaybookCatalog.playbooksDirectory(option: options.playbooks) else {
            throw ValidationError("no playbooks directory found (use --playbooks DIR)")
        }
        let entries = PlaybookCatalog().check(PlaybookCatalog.files(in: directory)).filter { !$0.isContactsFile }
        var rows = [["ID", "TITLE", "AUDIENCE", "STEPS", "LANGUAGES", "FILE", "VALID"]]
        for entry in entries {
            let fallbackID = ((entry.path as NSString).lastPathComponent as NSString).deletingPathExtension
            // An invalid playbook still shows what can be read of it (its id, title and steps).
            let playbook = entry.readable
            let errors = entry.diagnostics.filter(\.isError).count
            rows.append([
                playbook?.id.value ?? fallbackID,
                playbook.map { Sanitizer.neutralise($0.title.resolved($0.languageCodes.first ?? "en"), keepNewlines: false) } ?? "-",
                playbook?.audience.rawValue ?? "-",
                playbook.map { String($0.steps.count) } ?? "-",
                playbook.map { $0.languageCodes.joined(separator: ",") } ?? "-",
                entry.path,
                errors == 0 ? "valid" : "invalid (\(errors) error\(errors == 1 ? "" : "s"))",
            ])
        }
        Output.out(Self.table(rows.map { $0.map { Sanitizer.neutralise($0, keepNewlines: false) } }))
        // The whole table first; then a script (or the administrator's `&&`) learns that a
        // playbook the employee might run is broken.
        if entries.contains(where: { !$0.isValid }) { throw ExitCode(1) }
    }

    /// Columns padded by display width, so Japanese titles line up.
    static func table(_ rows: [[String]]) -> String {
        let widths = (0..<(rows.first?.count ?? 0)).map { column in rows.map { DisplayWidth.of($0[column]) }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[column] - DisplayWidth.of(cell))
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
