import Foundation
import IncidentCore
import IncidentEdges

/// Which language the employee is spoken to in.
extension Run {
    /// `--lang`, else `$INCIDENT_WIZARD_LANG`, else the administrator's `language` setting (when
    /// the playbook has it), else the locale, else the playbook's first language.
    static func language(option: String?, playbook: Playbook,
                         environment: [String: String] = SystemFacts.environment, settings: Settings = .current) throws -> String {
        let available = playbook.languageCodes
        if let option {
            guard available.contains(option) else {
                throw PlaybookResolver.Failure.usage("the playbook has no '\(option)' text (it has: \(available.joined(separator: ", ")))")
            }
            return option
        }
        if let wanted = preferredLanguage(environment: environment, settings: settings), available.contains(wanted) { return wanted }
        let locale = localeName(environment)
        if locale.hasPrefix("ja"), available.contains("ja") { return "ja" }
        if !locale.isEmpty, !locale.hasPrefix("ja"), available.contains("en"), !["C", "POSIX"].contains(locale),
           !locale.hasPrefix("C.") { return "en" }
        return available.first ?? "en"
    }

    static func localeName(_ environment: [String: String] = SystemFacts.environment) -> String {
        ["LC_ALL", "LC_MESSAGES", "LANG"].lazy.compactMap { environment[$0] }.first { !$0.isEmpty } ?? ""
    }

    /// The employee's language when no playbook can say: `--lang` when it is one the wizard speaks.
    var employeeLanguage: String { lang == "ja" || lang == "en" ? lang! : Self.menuLanguage }

    /// The wizard's own language before a playbook is chosen.
    static var menuLanguage: String {
        preferredLanguage() ?? (localeName().hasPrefix("ja") ? "ja" : "en")
    }

    /// The language asked for before the locale: `$INCIDENT_WIZARD_LANG`, else the setting.
    static func preferredLanguage(environment: [String: String] = SystemFacts.environment, settings: Settings = .current) -> String? {
        if let value = environment["INCIDENT_WIZARD_LANG"], ["ja", "en"].contains(value) { return value }
        return settings.language
    }
}
