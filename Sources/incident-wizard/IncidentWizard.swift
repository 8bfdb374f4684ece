import ArgumentParser
import IncidentCore

/// The root command. With no subcommand it behaves as `run` with no playbook.
struct IncidentWizard: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "incident-wizard",
        abstract: "Walks an employee through the first minutes after opening a suspicious e-mail.",
        discussion: """
            Playbooks (YAML, format v1) are looked up in --playbooks DIR, $INCIDENT_WIZARD_PLAYBOOKS, \
            ./playbooks, <prefix>/share/incident-wizard/playbooks, then /etc/incident-wizard/playbooks.
            """,
        version: version,
        subcommands: [RunCommand.self, ValidateCommand.self, ListCommand.self, GraphCommand.self, ReportCommand.self,
                      VerifyCommand.self, CheckCommand.self],
        defaultSubcommand: RunCommand.self
    )
}

/// `--playbooks DIR`, shared by the commands that look playbooks up.
struct PlaybooksOption: ParsableArguments {
    @Option(name: .long, help: "The playbooks directory.")
    var playbooks: String?
}
