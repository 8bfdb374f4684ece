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
            /etc/incident-wizard/playbooks (the administrator's own), then \
            <prefix>/share/incident-wizard/playbooks (the packaged defaults); the current directory is \
            never searched.

            Settings: /etc/incident-wizard/config (or the file $INCIDENT_WIZARD_CONFIG names) holds the \
            administrator's defaults as `key = value` lines: `language = ja|en` and `reports = DIR` (%u \
            is the login name, ~ the home). The environment ($INCIDENT_WIZARD_LANG, \
            $INCIDENT_WIZARD_REPORTS) and the options (--lang, --reports) override them; `check` shows \
            what is in force.

            Language: --lang, $INCIDENT_WIZARD_LANG, the `language` setting, LC_ALL / LC_MESSAGES / LANG \
            (ja* is Japanese), else the playbook's first language. Reports: --reports, \
            $INCIDENT_WIZARD_REPORTS, the `reports` setting, else ~/incident-reports.

            Exit status of run: 0 reached an end; 3 the employee quit (the session stays resumable); \
            2 invalid playbook or usage (the employee first sees the emergency card); 1 any other failure.
            """,
        version: version,
        subcommands: [RunCommand.self, ValidateCommand.self, ListCommand.self, GraphCommand.self, ReportCommand.self,
                      VerifyCommand.self, QRCommand.self, ExportCommand.self, CheckCommand.self],
        defaultSubcommand: RunCommand.self
    )
}

/// `--playbooks DIR`, shared by the commands that look playbooks up.
struct PlaybooksOption: ParsableArguments {
    @Option(name: .long, help: "The playbooks directory.")
    var playbooks: String?
}
