import ArgumentParser
import Foundation
import IncidentCore
import IncidentEdges
import IncidentTerminal

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check this PC is ready: locale, terminal, playbooks, scanners, reports directory, contacts.",
        discussion: """
            One line per check: OK, WARN or FAIL. Exit status 1 when any check FAILs, else 0. A ClamAV \
            scanner is checked by loading its database and scanning the EICAR test file (this can take \
            a minute); a scan that would run through the ClamAV daemon (it answers on its socket) is \
            checked by scanning the EICAR test file through the daemon.
            """)

    @OptionGroup var options: PlaybooksOption

    @Option(help: "The reports directory to check (default: $INCIDENT_WIZARD_REPORTS, else ~/incident-reports).")
    var reports: String?

    func run() throws {
        let check = AdminCheck()
        var failed = false
        func show(_ lines: [AdminCheck.Line]) {
            for line in lines {
                Output.out(line.text)
                if line.status == .fail { failed = true }
            }
        }
        show([Self.locale()])
        show([check.terminal()])
        show(Self.settings())
        let lookup = PlaybookCatalog.playbooksLookup(option: options.playbooks)
        show([lookup.directory.map { AdminCheck.Line(.ok, "lookup", "playbooks from \($0) (\(lookup.source)); the current directory is never searched") }
              ?? AdminCheck.Line(.fail, "lookup", "no playbooks directory found (searched \(lookup.searched.joined(separator: ", "))); the current directory is never searched")])
        let (playbookLines, valid) = check.playbooks(in: lookup.directory)
        show(playbookLines)
        show(check.ownContacts(of: valid))
        show(check.commands(of: valid))
        show(check.reports(ReportFolder.reportsDirectory(option: reports)))
        if failed { throw ExitCode(1) }
    }

    /// The administrator's settings file and what is in force from it.
    static func settings(_ settings: Settings = .current) -> [AdminCheck.Line] {
        guard settings.found else {
            return [AdminCheck.Line(.ok, "settings", "\(settings.path) is not present: the defaults are in force "
                                    + "(the language from the locale, reports in ~/incident-reports)")]
        }
        let inForce = [settings.language.map { "language = \($0)" }, settings.reports.map { "reports = \($0)" }].compactMap { $0 }
        var lines = [AdminCheck.Line(.ok, "settings", "\(settings.path): " + (inForce.isEmpty ? "nothing set" : inForce.joined(separator: ", "))
                                     + " (the environment and the options override them)")]
        lines += settings.problems.map { AdminCheck.Line(.warn, "settings", $0 + "; the line is ignored") }
        return lines
    }

    static func locale() -> AdminCheck.Line {
        let name = TerminalLocale.requestedName()
        switch TerminalLocale.activate(requested: name) {
        case .utf8:
            return AdminCheck.Line(.ok, "locale", "\(name) (UTF-8)")
        case .fellBackToCUTF8(let original):
            return AdminCheck.Line(.warn, "locale", "\(original.isEmpty ? "(unset)" : original) names no UTF-8 character set: the wizard uses C.UTF-8; set LANG=ja_JP.UTF-8 (or en_US.UTF-8)")
        case .legacy(let charset):
            return AdminCheck.Line(.warn, "locale", "\(name) uses \(charset), not UTF-8: the wizard will use plain mode in \(charset); set LANG=ja_JP.UTF-8 (or en_US.UTF-8)")
        case .notUTF8(let codeset):
            return AdminCheck.Line(.warn, "locale", "\(name) uses \(codeset), not UTF-8, and no UTF-8 locale is installed: the wizard will use plain mode")
        }
    }
}
