import ArgumentParser
import Foundation
import IncidentCore
import IncidentEdges

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check playbook files; print PATH:LINE:COLUMN diagnostics. Exit 1 if any file has an error.")

    @Argument(help: "Playbook files (and contacts.yaml) to check.")
    var files: [String]

    func run() throws {
        let entries = PlaybookCatalog().check(files)
        // A shared contact used by several playbooks is warned about once, not once per playbook.
        var printed = Set<Diagnostic>()
        var errors = 0
        var warnings = 0
        for entry in entries {
            let renderer = DiagnosticRenderer(source: entry.source)
            for diagnostic in entry.diagnostics.normalised() where printed.insert(diagnostic).inserted {
                Output.out(renderer.render(diagnostic))
                if diagnostic.isError { errors += 1 } else { warnings += 1 }
            }
        }
        let summary = "\(entries.count) file\(entries.count == 1 ? "" : "s") checked: "
            + "\(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")"
        Output.err(summary)
        if errors > 0 { throw ExitCode(1) }
    }
}
