import Foundation

/// Small facts about this machine and moment, read from the OS (no shell commands).
public enum SystemFacts {
    public static var hostName: String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "unknown-host" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    public static var userName: String {
        if let entry = getpwuid(getuid()), let name = entry.pointee.pw_name { return String(cString: name) }
        return ProcessInfo.processInfo.environment["USER"] ?? "unknown"
    }

    public static var homeDirectory: String {
        ProcessInfo.processInfo.environment["HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? FileManager.default.homeDirectoryForCurrentUser.path
    }

    /// `linux` or `macos`: the key of a Command's per-OS argv.
    public static var operatingSystem: String {
        #if os(macOS)
        return "macos"
        #else
        return "linux"
        #endif
    }

    /// A host name made safe for a folder name: `[A-Za-z0-9.-]`, others as `-`.
    public static func folderSafe(_ text: String) -> String {
        let mapped = text.unicodeScalars.map { scalar -> Character in
            let ok = ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
                || scalar == "-" || scalar == "."
            return ok ? Character(scalar) : "-"
        }
        let safe = String(mapped).trimmingCharacters(in: CharacterSet(charactersIn: ".-"))
        return safe.isEmpty ? "host" : String(safe.prefix(64))
    }
}

/// Time stamps as the report writes them: RFC 3339 with the local offset and milliseconds.
public enum Timestamp {
    public static func rfc3339(_ date: Date = Date(), timeZone: TimeZone = .current) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = timeZone
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss.SSSXXXXX"
        return formatter.string(from: date)
    }

    /// `YYYYMMDD-HHMMSS` in local time, for report folder names.
    public static func folderStamp(_ date: Date = Date(), timeZone: TimeZone = .current) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = timeZone
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        return formatter.string(from: date)
    }
}
