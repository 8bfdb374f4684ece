/// The language `validate` and `check` speak to the administrator: Japanese when the locale
/// (`LC_ALL`, else `LC_MESSAGES`, else `LANG`) starts with `ja`, else English.
public enum AdminLanguage: String, Sendable, Hashable {
    case english = "en", japanese = "ja"

    public static func from(environment: [String: String]) -> AdminLanguage {
        let locale = ["LC_ALL", "LC_MESSAGES", "LANG"].lazy.compactMap { environment[$0] }.first { !$0.isEmpty } ?? ""
        return locale.lowercased().hasPrefix("ja") ? .japanese : .english
    }
}
