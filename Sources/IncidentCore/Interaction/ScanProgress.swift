/// How far a scan is: files checked, files to check (once counted), and the time left. Pure; the
/// edges count the files and follow the scanner's output (`ScanFollower`).
public struct ScanProgress: Sendable, Equatable {
    /// Files the scanner has reported on so far.
    public var done: Int
    /// Files to scan, once they have all been counted (nil while counting).
    public var total: Int?
    /// Estimated seconds left (nil until there is a rate to go by).
    public var secondsLeft: Int?
    /// The scanner went through to its verdict (clean or found): 100 %.
    public var complete: Bool

    public init(done: Int, total: Int?, secondsLeft: Int? = nil, complete: Bool = false) {
        self.done = done
        self.total = total
        self.secondsLeft = secondsLeft
        self.complete = complete
    }

    /// 0…99 while the scan runs: 100 % is said by the verdict, never by the count (a scanner may
    /// report a file twice or skip one). Nil while the files are still being counted, so the
    /// figure shown only ever rises.
    public var percent: Int? {
        if complete { return 100 }
        guard let total else { return nil }
        guard total > 0 else { return 99 }
        return min(99, done * 100 / total)
    }

    /// The estimate: the rate since the first file's result (the scanner's start-up, loading its
    /// signatures, is not scanning) applied to the files left. Nil before a second of results.
    public static func estimate(done: Int, total: Int?, secondsSinceFirstResult: Double) -> Int? {
        guard let total, done > 0, secondsSinceFirstResult >= 1 else { return nil }
        let left = Double(max(0, total - done)) * secondsSinceFirstResult / Double(done)
        return Int(left.rounded())
    }

    /// A bar of `width` cells for `percent`.
    public static func bar(_ percent: Int, width: Int) -> String {
        let cells = max(1, width)
        let full = min(cells, percent * cells / 100)
        return String(repeating: "█", count: full) + String(repeating: "░", count: cells - full)
    }
}

/// What the wizard knows of ClamAV's `clamscan` (and `clamdscan`) to follow a scan: which
/// files it will scan (from its arguments) and which of its output lines is one file's result.
/// Any other scanner, or clamscan told to print only what it finds (`--infected`, `--quiet`) or
/// to read its list from a file, is not followed: the spinner and the clock as before.
public enum ClamScanFollowing {
    /// The files a scan will visit, as clamscan decides them.
    public struct Plan: Sendable, Equatable {
        public var targets: [String]
        public var recursive: Bool
        /// Extended regular expressions matched against whole paths (clamscan's options).
        public var exclude: [String] = []
        public var excludeDirectories: [String] = []
        public var include: [String] = []
        public var includeDirectories: [String] = []
    }

    /// clamscan's options that take a value as the next argument when written without `=`.
    static let valued: Set<String> = [
        "-d", "--database", "-l", "--log", "--tempdir", "--exclude", "--exclude-dir", "--include", "--include-dir",
        "--move", "--copy", "--max-filesize", "--max-scansize", "--max-files", "--max-recursion", "--max-dir-recursion",
        "--max-embeddedpe", "--max-htmlnormalize", "--max-htmlnotags", "--max-scriptnormalize", "--max-ziptypercg",
        "--max-partitions", "--max-iconspe", "--max-rechwp3", "--pcre-match-limit", "--pcre-recmatch-limit",
        "--pcre-max-filesize", "--follow-dir-symlinks", "--follow-file-symlinks", "--bytecode-timeout",
        "--statistics", "--structured-ssn-format", "--structured-ssn-count", "--structured-cc-count",
        "--structured-cc-mode", "--cache-size", "--config-file", "--fdpass", "--stream",
    ]

    /// The plan for `argv` (placeholders already substituted), or nil when it cannot be followed.
    public static func plan(_ argv: [String]) -> Plan? {
        guard let program = argv.first.map(PathName.last), program == "clamscan" || program == "clamdscan" else { return nil }
        var plan = Plan(targets: [], recursive: program == "clamdscan")
        var index = 1
        var optionsEnded = false
        while index < argv.count {
            let argument = argv[index]
            index += 1
            if optionsEnded || !argument.hasPrefix("-") || argument == "-" {
                guard argument != "-" else { return nil }  // stdin: nothing to count
                plan.targets.append(argument)
                continue
            }
            if argument == "--" { optionsEnded = true; continue }
            let name: String
            var value: String?
            if let equals = argument.firstIndex(of: "="), argument.hasPrefix("--") {
                name = String(argument[..<equals])
                value = String(argument[argument.index(after: equals)...])
            } else if !argument.hasPrefix("--"), argument.count > 2, let short = Optional(String(argument.prefix(2))),
                      ["-d", "-l", "-f"].contains(short) {
                name = short
                value = String(argument.dropFirst(2))
            } else {
                name = argument
                if valued.contains(name), index < argv.count {
                    value = argv[index]
                    index += 1
                }
            }
            switch name {
            case "-i", "--infected", "--quiet", "-f", "--file-list": return nil
            case "-r", "--recursive": plan.recursive = value.map { $0 == "yes" || $0 == "1" } ?? true
            case "--exclude": plan.exclude += value.map { [$0] } ?? []
            case "--exclude-dir": plan.excludeDirectories += value.map { [$0] } ?? []
            case "--include": plan.include += value.map { [$0] } ?? []
            case "--include-dir": plan.includeDirectories += value.map { [$0] } ?? []
            default:
                // A combined short flag such as -ri: recursive, but only the infected printed.
                if !name.hasPrefix("--"), name.count > 2 {
                    if name.contains("i") { return nil }
                    if name.contains("r") { plan.recursive = true }
                }
            }
        }
        if plan.targets.isEmpty { return nil }  // the current directory: not a place the wizard counts
        return plan
    }

    /// Whether an output line is the result for one file (`PATH: OK`, `PATH: Empty file`,
    /// `PATH: NAME FOUND`, `PATH: … ERROR`); "Excluded" lines and the summary are not.
    public static func isFileResult<S: StringProtocol>(_ line: S) -> Bool {
        guard line.contains(": ") else { return false }
        return line.hasSuffix(": OK") || line.hasSuffix(" FOUND") || line.hasSuffix(": Empty file") || line.hasSuffix(" ERROR")
    }
}
