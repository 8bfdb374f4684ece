import CNcursesw
import Glibc

/// The locale the terminal edge runs in. Wide characters are drawn only under a UTF-8 codeset;
/// otherwise the wizard falls back to plain ASCII drawing with a warning.
public enum TerminalLocale {
    public enum Outcome: Sendable, Equatable {
        /// The user's own locale is UTF-8.
        case utf8
        /// The user's locale was not UTF-8; `C.UTF-8` was used instead.
        case fellBackToCUTF8(original: String)
        /// No UTF-8 locale could be set.
        case notUTF8(codeset: String)
    }

    /// Calls `setlocale(LC_ALL, "")` and checks the codeset, trying `C.UTF-8` before giving up.
    public static func activate() -> Outcome {
        let original = setlocale(LC_ALL, "").map { String(cString: $0) } ?? "C"
        if isUTF8 { return .utf8 }
        if setlocale(LC_ALL, "C.UTF-8") != nil, isUTF8 { return .fellBackToCUTF8(original: original) }
        return .notUTF8(codeset: codeset)
    }

    static var codeset: String { String(cString: nl_langinfo(nl_item(CODESET))) }

    static var isUTF8: Bool {
        let name = codeset.uppercased()
        return name == "UTF-8" || name == "UTF8"
    }
}
