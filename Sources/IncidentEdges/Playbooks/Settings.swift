import Foundation
import IncidentCore

/// The administrator's system-wide defaults, in `/etc/incident-wizard/config` (or the file
/// `$INCIDENT_WIZARD_CONFIG` names): `key = value` lines, `#` comments. The environment and the
/// command-line options override them (docs/DECISIONS.md says in which order).
///
///     language = ja                      # ja or en: the wizard's language when --lang is not given
///     reports = /srv/incident-reports/%u # where report folders go; %u is the login name, ~ the home
public struct Settings: Sendable {
    public static let defaultPath = "/etc/incident-wizard/config"

    public var path: String
    /// Whether the file exists (and could be read).
    public var found = false
    public var language: String?
    public var reports: String?
    /// What is wrong in the file, `PATH:LINE: …` each (for `check`; the wizard ignores such lines).
    public var problems: [String] = []

    /// The settings in force: read once per process.
    public static let current = Settings.load()

    public static func load(environment: [String: String] = SystemFacts.environment) -> Settings {
        let path = environment["INCIDENT_WIZARD_CONFIG"].flatMap { $0.isEmpty ? nil : $0 } ?? defaultPath
        var settings = Settings(path: path)
        guard let data = PosixFiles.contents(path) else { return settings }
        settings.found = true
        for (index, raw) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = Substring(raw)
            if let hash = line.firstIndex(of: "#") { line = line[..<hash] }
            let text = String(line).trimmed
            guard !text.isEmpty else { continue }
            guard let equals = text.firstIndex(of: "=") else {
                settings.problems.append("\(path):\(index + 1): expected 'key = value', found '\(text)'")
                continue
            }
            let key = String(text[..<equals]).trimmed, value = String(text[text.index(after: equals)...]).trimmed
            switch key {
            case "language" where ["ja", "en"].contains(value): settings.language = value
            case "language": settings.problems.append("\(path):\(index + 1): language must be ja or en, not '\(value)'")
            case "reports" where !value.isEmpty: settings.reports = value
            default: settings.problems.append("\(path):\(index + 1): unknown setting '\(key)' (known: language, reports)")
            }
        }
        return settings
    }

    /// `reports` with `~` and `%u` filled in for the user running the wizard.
    public func reportsDirectory(home: String = SystemFacts.homeDirectory, user: String = SystemFacts.userName) -> String? {
        guard var value = reports else { return nil }
        if value == "~" || value.hasPrefix("~/") { value = home + value.dropFirst() }
        return value.replacingOccurrences(of: "%u", with: user)
    }
}
