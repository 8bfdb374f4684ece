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
    /// Results so far that found something (`PATH: NAME FOUND`).
    public var found: Int

    public init(done: Int, total: Int?, secondsLeft: Int? = nil, complete: Bool = false, found: Int = 0) {
        self.done = done
        self.total = total
        self.secondsLeft = secondsLeft
        self.complete = complete
        self.found = found
    }

    /// 0…99 while the scan runs: 100 % is said by the verdict, never by the count (a scanner may
    /// report a file twice or skip one). Nil while the files are still being counted, so the
    /// figure shown only ever rises.
    public var percent: Int? {
        if complete { return 100 }
        // Nothing counted (a target that is not there): no figure rather than a wrong one.
        guard let total, total > 0 else { return nil }
        return min(99, done * 100 / total)
    }

    /// The estimate: the rate since the first file's result (the scanner's start-up, loading its
    /// signatures, is not scanning) applied to the files left. Nil before a second of results, and
    /// once the percentage stops at 99 (the count is then no guide: files reported twice, or
    /// only the last one left).
    public static func estimate(done: Int, total: Int?, secondsSinceFirstResult: Double) -> Int? {
        guard let total, done > 0, secondsSinceFirstResult >= 1, done * 100 < total * 99 else { return nil }
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

/// What the wizard knows of ClamAV's `clamscan` to follow a scan: which files it will scan (from
/// its arguments) and which of its output lines is one file's result. Any other scanner — also
/// `clamdscan`, whose daemon reports a clean folder as one line — or clamscan told to print less
/// (`--infected`, `--suppress-ok-results`, `--quiet`), to read its list from a file, or to follow
/// links in ways the wizard does not copy, is not followed: the spinner and the clock as before.
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
        /// clamscan's `--max-dir-recursion` (a target is level 1; default 15).
        public var maxDirectoryLevel = 15
        /// Every option given, in order (a short one as `-r`, combined ones one by one), with the
        /// value written after `=` or in the next argument.
        public var options: [Option] = []
    }

    public struct Option: Sendable, Equatable {
        public var name: String
        public var value: String?
    }

    /// clamscan 1.x's long options that take a value, written `--name=value` or `--name value`.
    /// (Its yes/no switches, `--scan-pdf=no`, take theirs only after `=`: alone they mean yes.)
    static let valued: Set<String> = [
        "--database", "--log", "--tempdir", "--exclude", "--exclude-dir", "--include", "--include-dir",
        "--move", "--copy", "--max-filesize", "--max-scansize", "--max-files", "--max-recursion", "--max-dir-recursion",
        "--max-embeddedpe", "--max-htmlnormalize", "--max-htmlnotags", "--max-scriptnormalize", "--max-ziptypercg",
        "--max-partitions", "--max-iconspe", "--max-rechwp3", "--max-scantime", "--pcre-match-limit",
        "--pcre-recmatch-limit", "--pcre-max-filesize", "--follow-dir-symlinks", "--follow-file-symlinks",
        "--bytecode-timeout", "--bytecode-mode", "--statistics", "--structured-ssn-format", "--structured-ssn-count",
        "--structured-cc-count", "--exclude-pua", "--include-pua", "--cvdcertsdir", "--hash-alg", "--file-list",
    ]

    /// The plan for `argv` (placeholders already substituted), or nil when it cannot be followed.
    public static func plan(_ argv: [String]) -> Plan? {
        guard let program = argv.first.map(PathName.last), program == "clamscan" else { return nil }
        var plan = Plan(targets: [], recursive: false)
        var index = 1
        var optionsEnded = false
        func next() -> String? {
            guard index < argv.count else { return nil }
            defer { index += 1 }
            return argv[index]
        }
        while let argument = next() {
            if optionsEnded || !argument.hasPrefix("-") || argument == "-" {
                guard argument != "-" else { return nil }  // stdin: nothing to count
                plan.targets.append(argument)
                continue
            }
            if argument == "--" { optionsEnded = true; continue }
            if argument.hasPrefix("--") {
                let name: String
                var value: String?
                if let equals = argument.firstIndex(of: "=") {
                    name = String(argument[..<equals])
                    value = String(argument[argument.index(after: equals)...])
                } else {
                    name = argument
                    if valued.contains(name) { value = next() }
                }
                plan.options.append(Option(name: name, value: value))
                guard apply(long: name, value: value, to: &plan) else { return nil }
            } else {
                // Short options, possibly combined (-ri, -rd DB, -dDB): a value-taking letter takes
                // the rest of the word, or the next argument.
                var letters = Array(argument.dropFirst())
                while !letters.isEmpty {
                    let letter = letters.removeFirst()
                    plan.options.append(Option(name: "-\(letter)", value: nil))
                    switch letter {
                    case "r": plan.recursive = true
                    case "i", "o", "f": return nil  // only infected, no OK lines, a file list
                    case "d", "l":
                        if letters.isEmpty { _ = next() } else { letters.removeAll() }
                    case "a", "v", "h", "V", "z": break  // archive name, verbose, help, version, allmatch
                    default: return nil  // a short option the wizard does not know: do not guess
                    }
                }
            }
        }
        if plan.targets.isEmpty { return nil }  // the current directory: not a place the wizard counts
        return plan
    }

    /// One long option into the plan; false when the scan cannot be followed with it.
    private static func apply(long name: String, value: String?, to plan: inout Plan) -> Bool {
        let yes = value.map { ["yes", "1", "true"].contains($0.lowercased()) } ?? true
        switch name {
        case "--infected", "--quiet", "--suppress-ok-results", "--file-list": return false
        case "--recursive": plan.recursive = yes
        case "--exclude": plan.exclude += value.map { [$0] } ?? []
        case "--exclude-dir": plan.excludeDirectories += value.map { [$0] } ?? []
        case "--include": plan.include += value.map { [$0] } ?? []
        case "--include-dir": plan.includeDirectories += value.map { [$0] } ?? []
        case "--max-dir-recursion":
            guard let value, let level = Int(value), level > 0 else { return false }
            plan.maxDirectoryLevel = level
        case "--follow-dir-symlinks", "--follow-file-symlinks":
            // 1 (the default: only links named on the command line) is what the counter does.
            return value == "1"
        default: break
        }
        return true
    }

    /// Whether an output line is the result for one file (`PATH: OK`, `PATH: Empty file`,
    /// `PATH: NAME FOUND`, `PATH: … ERROR`, `PATH: Access denied` — a file it may not read is
    /// counted too); "Excluded" lines and the summary are not.
    public static func isFileResult<S: StringProtocol>(_ line: S) -> Bool {
        guard line.contains(": ") else { return false }
        return line.hasSuffix(": OK") || line.hasSuffix(" FOUND") || line.hasSuffix(": Empty file") || line.hasSuffix(" ERROR")
            || line.hasSuffix(": Access denied")
    }
}
