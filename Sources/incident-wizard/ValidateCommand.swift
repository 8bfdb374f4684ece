import ArgumentParser
import Foundation
import IncidentCore
import IncidentEdges

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check playbook files; print PATH:LINE:COLUMN diagnostics. Exit 1 if any file has an error.",
        discussion: """
            A directory stands for the playbooks in it (and its contacts.yaml). With no file, the \
            playbooks directory is checked: --playbooks DIR, else the one `run` would use. Messages \
            are in Japanese when LC_ALL / LC_MESSAGES / LANG is ja*, else in English (--lang ja|en \
            overrides).
            """)

    @Argument(help: "Playbook files (and contacts.yaml), or directories of them, to check.")
    var files: [String] = []

    @OptionGroup var options: PlaybooksOption

    @Option(help: "ja or en: the language of the messages (default: LC_ALL / LC_MESSAGES / LANG ja* → ja, else en).")
    var lang: String?

    func validate() throws {
        if let lang, !["ja", "en"].contains(lang) {
            throw ValidationError("--lang must be ja or en, not \(lang)")
        }
    }

    func run() throws {
        var arguments = files
        if let directory = options.playbooks { arguments.append(directory) }
        if arguments.isEmpty {
            guard let directory = PlaybookCatalog.playbooksDirectory(option: nil) else {
                throw ValidationError("no playbooks directory found (name the files, or use --playbooks DIR)")
            }
            arguments = [directory]
        }
        let language = lang.flatMap(AdminLanguage.init(rawValue:))
            ?? AdminLanguage.from(environment: ProcessInfo.processInfo.environment)
        let (paths, problems) = PlaybookCatalog.expand(arguments)
        let entries = PlaybookCatalog().check(paths)
        // A shared contact used by several playbooks is warned about once, not once per playbook.
        var printed = Set<Diagnostic>()
        var errors = 0
        var warnings = 0
        for problem in problems {
            Output.out(DiagnosticRenderer(source: nil, language: language).render(problem))
            errors += 1
        }
        // Each diagnostic is shown with a line of the file its path names: a playbook's entry
        // also carries diagnostics about its shared contacts.yaml (whose bytes it keeps).
        // A file's own text wins over the copy a playbook entry keeps of it.
        var sources: [String: String?] = [:]
        for entry in entries { sources.merge(entry.diagnosticSources) { first, _ in first } }
        let renderer = DiagnosticRenderer(sources: sources, language: language)
        for entry in entries {
            for diagnostic in entry.diagnostics.normalised() where printed.insert(diagnostic).inserted {
                Output.out(renderer.render(diagnostic))
                if diagnostic.isError { errors += 1 } else { warnings += 1 }
            }
        }
        let checked = entries.count + problems.count
        let summary = DiagnosticText.summary(files: checked, errors: errors, warnings: warnings, in: language)
        Output.err(summary)
        if errors > 0 { throw ExitCode(1) }
    }
}
