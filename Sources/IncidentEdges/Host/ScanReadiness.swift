import Foundation
import IncidentCore

/// What a drill can tell at once about the real scan a step would run: its program is not
/// installed, or it is clamdscan and the daemon does not answer. (Whether the database loads
/// takes a minute: `check` says that.)
public enum ScanReadiness {
    public static func problem(_ spec: ScanSpec) -> ScanProblem? {
        guard let program = spec.command.argv(for: SystemFacts.operatingSystem)?.first else { return nil }
        guard ProcessRunner.resolve(program) != nil else { return .notInstalled(program) }
        if (program as NSString).lastPathComponent == "clamdscan", !ClamDaemon.answers(at: ClamDaemon.socketPath()) {
            return .daemonNotAnswering(program)
        }
        return nil
    }
}
