import Foundation

/// The session's folder under the reports directory: `<reports>/<YYYYMMDD-HHMMSS>-<host>-<id>/`,
/// created exclusively with mode 0700 (a numeric suffix when the name is taken), with `evidence/`.
public struct ReportFolder: Sendable {
    public let path: String

    public var evidencePath: String { path + "/evidence" }

    public enum Failure: Error, CustomStringConvertible {
        case cannotCreate(String, String)

        public var description: String {
            switch self {
            case let .cannotCreate(path, reason): return "cannot create the report folder \(path): \(reason)"
            }
        }
    }

    /// The reports directory: `--reports`, `$INCIDENT_WIZARD_REPORTS`, the administrator's
    /// `reports` setting (`/etc/incident-wizard/config`), else `~/incident-reports`.
    public static func reportsDirectory(option: String?, environment: [String: String] = SystemFacts.environment,
                                        settings: Settings = .current) -> String {
        if let option { return option }
        if let value = environment["INCIDENT_WIZARD_REPORTS"], !value.isEmpty { return value }
        if let configured = settings.reportsDirectory() { return configured }
        return SystemFacts.homeDirectory + "/incident-reports"
    }

    /// `mkdir -p` with the system's own reason when it fails ("Not a directory" when a part of the
    /// path is a file), not Foundation's error codes.
    static func makeParents(_ path: String) throws {
        var prefix = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            prefix += "/" + component
            if mkdir(prefix, 0o700) != 0, errno != EEXIST {
                throw Failure.cannotCreate(path, String(cString: strerror(errno)))
            }
            var info = stat()
            guard stat(prefix, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
                throw Failure.cannotCreate(path, "\(prefix) is a file, not a folder")
            }
        }
    }

    /// Creates a new folder. `mkdir` never follows a symlink in the last component, and fails on
    /// any existing name, so a planted symlink or folder only moves us to the next suffix.
    public static func create(in reports: String, playbookID: String, host: String, date: Date = Date()) throws -> ReportFolder {
        // Usually the reports directory exists (or only it is missing): one mkdir. Otherwise
        // FileManager creates the missing parents too.
        if mkdir(reports, 0o700) != 0 {
            if errno == EEXIST {
                guard PlaybookCatalog.isDirectory(reports) else { throw Failure.cannotCreate(reports, "it exists and is not a folder") }
            } else {
                try makeParents(reports)
            }
        }
        let base = "\(reports)/\(Timestamp.folderStamp(date))-\(SystemFacts.folderSafe(host))-\(playbookID)"
        for attempt in 1...100 {
            let candidate = attempt == 1 ? base : "\(base)-\(attempt)"
            if mkdir(candidate, 0o700) == 0 {
                guard mkdir(candidate + "/evidence", 0o700) == 0 else {
                    throw Failure.cannotCreate(candidate + "/evidence", String(cString: strerror(errno)))
                }
                return ReportFolder(path: candidate)
            }
            if errno != EEXIST { throw Failure.cannotCreate(candidate, String(cString: strerror(errno))) }
        }
        throw Failure.cannotCreate(base, "too many folders with this name")
    }
}
