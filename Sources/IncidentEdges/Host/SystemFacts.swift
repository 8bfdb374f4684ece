import Foundation

/// Small facts about this machine and moment, read from the OS (no shell commands).
public enum SystemFacts {
    /// The environment as the program started.
    public static let environment = ProcessInfo.processInfo.environment

    public static var hostName: String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "unknown-host" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    public static var userName: String {
        if let entry = getpwuid(getuid()), let name = entry.pointee.pw_name { return String(cString: name) }
        return environment["USER"] ?? "unknown"
    }

    /// The person as `{{user.name}}` names them: the account's full name (the first field of its
    /// GECOS entry) when the system has one, else the login name.
    public static func personName(login: String? = nil) -> String {
        let login = login ?? userName
        if let entry = getpwnam(login), let gecos = entry.pointee.pw_gecos {
            let full = String(cString: gecos).split(separator: ",", omittingEmptySubsequences: false).first.map(String.init) ?? ""
            let trimmed = full.trimmed  // not Foundation's trimmingCharacters: NSString, before the first screen
            if !trimmed.isEmpty { return trimmed }
        }
        return login
    }

    /// The running binary's own path (`/proc/self/exe`: argv[0] is only a name when it was found
    /// on PATH), for the installed share directory beside it and the run cache's key. Read once.
    public static let executablePath: String = {
        var buffer = [CChar](repeating: 0, count: 4096)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        if count > 0 { return String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self) }
        return CommandLine.arguments.first ?? ""
    }()

    public static var homeDirectory: String {
        environment["HOME"].flatMap { $0.isEmpty ? nil : $0 }
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
        let safe = String(mapped).trimming { $0 == "." || $0 == "-" }
        return safe.isEmpty ? "host" : String(safe.prefix(64))
    }
}

/// Time stamps as the report writes them: RFC 3339 with the local offset and milliseconds. Built
/// from `localtime_r` by hand: ASCII digits and the C library's time zone whatever the locale,
/// and no formatter to set up.
public enum Timestamp {
    public static func rfc3339(_ date: Date = Date()) -> String {
        let (local, milliseconds) = parts(date)
        var text = "\(pad(Int(local.tm_year) + 1900, 4))-\(pad(Int(local.tm_mon) + 1))-\(pad(Int(local.tm_mday)))"
        text += "T\(pad(Int(local.tm_hour))):\(pad(Int(local.tm_min))):\(pad(Int(local.tm_sec))).\(pad(milliseconds, 3))"
        let offset = Int(local.tm_gmtoff)
        if offset == 0 { return text + "Z" }
        let minutes = abs(offset) / 60
        return text + (offset < 0 ? "-" : "+") + "\(pad(minutes / 60)):\(pad(minutes % 60))"
    }

    /// `YYYYMMDD-HHMMSS` in local time, for report folder names.
    public static func folderStamp(_ date: Date = Date()) -> String {
        let (local, _) = parts(date)
        return "\(pad(Int(local.tm_year) + 1900, 4))\(pad(Int(local.tm_mon) + 1))\(pad(Int(local.tm_mday)))-"
            + "\(pad(Int(local.tm_hour)))\(pad(Int(local.tm_min)))\(pad(Int(local.tm_sec)))"
    }

    /// `HH:MM:SS`, local time (the header clock, drawn four times a second).
    public static func clock(_ date: Date = Date()) -> String {
        let (local, _) = parts(date)
        return "\(pad(Int(local.tm_hour))):\(pad(Int(local.tm_min))):\(pad(Int(local.tm_sec)))"
    }

    static func parts(_ date: Date) -> (tm, Int) {
        let total = Int((date.timeIntervalSince1970 * 1000).rounded(.down))
        let (seconds, milliseconds) = (total >= 0 ? total / 1000 : (total - 999) / 1000, ((total % 1000) + 1000) % 1000)
        var clock = time_t(seconds)
        var local = tm()
        localtime_r(&clock, &local)
        return (local, milliseconds)
    }

    static func pad(_ value: Int, _ width: Int = 2) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
