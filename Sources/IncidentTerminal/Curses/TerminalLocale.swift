import CNcursesw
import Foundation
import IncidentEdges
import Glibc

/// The locale the terminal edge runs in. Wide characters are drawn only under a UTF-8 codeset;
/// otherwise the wizard falls back to plain ASCII drawing with a warning.
public enum TerminalLocale {
    public enum Outcome: Sendable, Equatable {
        /// The user's own locale is UTF-8.
        case utf8
        /// The user's locale named no character set (`C`, `POSIX`, unset): `C.UTF-8` is used.
        case fellBackToCUTF8(original: String)
        /// The user's locale names another character set (`ja_JP.eucJP`, `en_US.ISO-8859-1`): the
        /// terminal speaks it, so the wizard uses plain mode, converted to that character set.
        case legacy(charset: String)
        /// No UTF-8 locale could be set.
        case notUTF8(codeset: String)
    }

    /// Calls `setlocale(LC_CTYPE, "")` (the character set is all curses needs; loading every
    /// category costs two dozen file opens at start) and checks the codeset. `requested` is the locale name from
    /// the environment (`LC_ALL`, else `LC_CTYPE`, else `LANG`).
    public static func activate(requested: String = requestedName()) -> Outcome {
        let original = setlocale(LC_CTYPE, "").map { String(cString: $0) }
        if original != nil, isUTF8 { return .utf8 }
        if let dot = requested.firstIndex(of: ".") {
            let charset = String(requested[requested.index(after: dot)...].split(separator: "@").first ?? "")
            let normalised = charset.uppercased().replacingOccurrences(of: "-", with: "")
            if !charset.isEmpty, normalised != "UTF8" {
                return .legacy(charset: original != nil ? codeset : charset)
            }
        }
        if setlocale(LC_CTYPE, "C.UTF-8") != nil, isUTF8 { return .fellBackToCUTF8(original: original ?? requested) }
        return .notUTF8(codeset: codeset)
    }

    /// The locale name the environment asks for.
    public static func requestedName(_ environment: [String: String] = SystemFacts.environment) -> String {
        ["LC_ALL", "LC_CTYPE", "LANG"].lazy.compactMap { environment[$0] }.first { !$0.isEmpty } ?? ""
    }

    static var codeset: String { String(cString: nl_langinfo(nl_item(CODESET))) }

    static var isUTF8: Bool {
        let name = codeset.uppercased()
        return name == "UTF-8" || name == "UTF8"
    }
}
