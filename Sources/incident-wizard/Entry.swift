import ArgumentParser
import Foundation
import IncidentEdges

/// The program's entry: ArgumentParser reads every command line (one parser; docs/DECISIONS.md
/// says why the hand-written one for `run` is gone).
@main
enum Entry {
    static func main() {
        // The hidden subcommand a scan through the ClamAV daemon runs as (ClamDaemon.route).
        if CommandLine.arguments.count > 1, CommandLine.arguments[1] == ClamDaemon.subcommand {
            Foundation.exit(ClamdScan.main(Array(CommandLine.arguments.dropFirst(2))))
        }
        ClamDaemon.enableRouting()
        do {
            var command = try IncidentWizard.parseAsRoot()
            try command.run()
        } catch {
            exit(for: error)
        }
    }

    /// ArgumentParser's message and status for an error, except that a usage error exits 2, as the
    /// contract says (ArgumentParser's own is 64, EX_USAGE).
    static func exit(for error: Error) -> Never {
        let code = IncidentWizard.exitCode(for: error)
        guard code.rawValue == ExitCode.validationFailure.rawValue else { IncidentWizard.exit(withError: error) }
        Output.err(IncidentWizard.fullMessage(for: error))
        Foundation.exit(2)
    }
}
