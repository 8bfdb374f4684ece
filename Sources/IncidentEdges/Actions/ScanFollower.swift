import Foundation
import IncidentCore

/// Follows a ClamAV scan for its progress bar: counts the files it will scan on a thread of its
/// own (as clamscan chooses them: its targets, `--recursive`, its include and exclude patterns,
/// symbolic links followed only when named on the command line), and counts the per-file result
/// lines the scanner has written to its output file so far. Nothing here changes what the scanner
/// does or what is recorded; it only reads.
public final class ScanFollower: @unchecked Sendable {
    // Safe: the mutable state is touched only under `lock`.
    private let lock = NSLock()
    private let plan: ClamScanFollowing.Plan
    private var counted = 0
    private var countingDone = false
    private var stopped = false
    private var done = 0
    /// Results that found something (`PATH: NAME FOUND`).
    private var found = 0
    private var offset: off_t = 0
    private var partial: [UInt8] = []
    private var firstResultAt: Double?
    /// At most this much of the output is read per look, so a flood never stalls the screen.
    private let readLimit = 4 << 20

    public init(plan: ClamScanFollowing.Plan) {
        self.plan = plan
    }

    /// A follower for `argv`, or nil when the scan cannot be followed (another scanner, clamscan
    /// printing only what it finds, or no clamscan installed).
    /// A scan routed to the ClamAV daemon (`ClamDaemon.route`) is followed by the clamscan
    /// command line it stands for: it walks the same files and writes the same lines.
    public static func forScan(_ argv: [String]) -> ScanFollower? {
        if let inner = ClamDaemon.routedScan(argv) {
            return ClamScanFollowing.plan(inner.argv).map(ScanFollower.init)
        }
        guard let plan = ClamScanFollowing.plan(argv), let program = argv.first, ProcessRunner.resolve(program) != nil else { return nil }
        return ScanFollower(plan: plan)
    }

    /// Starts counting the files to scan.
    public func start() {
        Thread { [self] in
            let counter = FileCounter(plan: plan, isStopped: { [self] in lock.withLock { stopped } },
                                      progress: { [self] count in lock.withLock { counted = count } })
            let total = counter.count()
            lock.withLock {
                // Stopped half-way (the scan ended first): a partial count is no total.
                guard !stopped else { return }
                counted = total
                countingDone = true
            }
        }.start()
    }

    public func stop() { lock.withLock { stopped = true } }

    /// Reads what the scanner has written since the last look and gives the progress now.
    /// `now`: a monotonic clock in seconds. One caller at a time (the front end's thread): the
    /// offset is read, the file followed, and the offset moved without holding the lock.
    public func progress(outputPath: String?, now: Double) -> ScanProgress {
        if let outputPath { follow(outputPath, now: now) }
        return lock.withLock {
            let total = countingDone ? counted : nil
            let seconds = firstResultAt.map { now - $0 } ?? 0
            return ScanProgress(done: done, total: total,
                                secondsLeft: ScanProgress.estimate(done: done, total: total, secondsSinceFirstResult: seconds), found: found)
        }
    }

    private func follow(_ path: String, now: Double) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        let start = lock.withLock { offset }
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var position = start
        var results = 0
        var finds = 0
        var carried = lock.withLock { partial }
        func tally(_ line: ArraySlice<UInt8>) {
            let text = String(decoding: line, as: UTF8.self)
            guard ClamScanFollowing.isFileResult(text) else { return }
            results += 1
            if text.hasSuffix(" FOUND") { finds += 1 }
        }
        while position - start < readLimit {
            let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, position) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            position += off_t(count)
            var lineStart = 0
            for index in 0..<count where buffer[index] == 0x0a {
                if carried.isEmpty {
                    tally(buffer[lineStart..<index])
                } else {
                    carried += buffer[lineStart..<index]
                    tally(carried[...])
                    carried.removeAll(keepingCapacity: true)
                }
                lineStart = index + 1
            }
            // A line still being written waits for its end (a very long one is not a result).
            if carried.count < 1 << 16 { carried += buffer[lineStart..<count] }
        }
        lock.withLock {
            offset = position
            partial = carried
            if results > 0, firstResultAt == nil { firstResultAt = now }
            done += results
            found += finds
        }
    }
}

/// The files clamscan will scan for a plan, found (and counted) with plain directory reads.
struct FileCounter {
    let plan: ClamScanFollowing.Plan
    let isStopped: () -> Bool
    let progress: (Int) -> Void
    private let exclude: [Pattern]
    private let excludeDirectories: [Pattern]
    private let include: [Pattern]
    private let includeDirectories: [Pattern]

    init(plan: ClamScanFollowing.Plan, isStopped: @escaping () -> Bool = { false }, progress: @escaping (Int) -> Void = { _ in }) {
        self.plan = plan
        self.isStopped = isStopped
        self.progress = progress
        exclude = plan.exclude.compactMap(Pattern.init)
        excludeDirectories = plan.excludeDirectories.compactMap(Pattern.init)
        include = plan.include.compactMap(Pattern.init)
        includeDirectories = plan.includeDirectories.compactMap(Pattern.init)
    }

    func count() -> Int {
        var total = 0
        forEachFile { _ in
            total += 1
            if total % 1024 == 0 { progress(total) }
        }
        return total
    }

    /// Each file clamscan will scan, in the order of its targets (what is counted is what is
    /// visited: `clamd-scan` sends exactly these to the daemon). `missing`: a target that
    /// cannot be looked at (clamscan reports it, but it is no file scanned).
    func forEachFile(missing: (String) -> Void = { _ in }, _ visit: (String) -> Void) {
        for target in plan.targets {
            var path = target
            while path.count > 1, path.hasSuffix("/") { path.removeLast() }
            var info = stat()
            // Named on the command line: a symbolic link is followed (clamscan's default).
            guard stat(path, &info) == 0 else { missing(path); continue }
            switch info.st_mode & S_IFMT {
            case S_IFREG: if scans(file: path) { visit(path) }
            case S_IFDIR: if scans(directory: path) { walk(path, level: 1, visit) }
            default: break
            }
        }
    }

    /// A folder at `level` (a target is 1): its files, and its folders while clamscan's
    /// `--max-dir-recursion` allows.
    private func walk(_ directory: String, level: Int, _ visit: (String) -> Void) {
        guard !isStopped(), let stream = opendir(directory) else { return }
        defer { closedir(stream) }
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name == "." || name == ".." { continue }
            let path = directory == "/" ? "/" + name : directory + "/" + name
            var type = entry.pointee.d_type
            if type == UInt8(DT_UNKNOWN) {
                var info = stat()
                guard lstat(path, &info) == 0 else { continue }
                switch info.st_mode & S_IFMT {
                case S_IFREG: type = UInt8(DT_REG)
                case S_IFDIR: type = UInt8(DT_DIR)
                default: continue
                }
            }
            if type == UInt8(DT_REG) {
                if scans(file: path) { visit(path) }
            } else if type == UInt8(DT_DIR), plan.recursive, level < plan.maxDirectoryLevel, scans(directory: path) {
                walk(path, level: level + 1, visit)
            }
        }
    }

    private func scans(file path: String) -> Bool {
        if exclude.contains(where: { $0.matches(path) }) { return false }
        return include.isEmpty || include.contains { $0.matches(path) }
    }

    private func scans(directory path: String) -> Bool {
        if excludeDirectories.contains(where: { $0.matches(path) }) { return false }
        return includeDirectories.isEmpty || includeDirectories.contains { $0.matches(path) }
    }

    /// A POSIX extended regular expression, as clamscan's patterns are.
    final class Pattern: @unchecked Sendable {
        // Safe: compiled once, then only read by regexec (reentrant), on the counting thread.
        private var regex = regex_t()
        /// clamscan matches a pattern that ends in "/" against the path with a "/" added.
        private let slash: Bool

        init?(_ pattern: String) {
            slash = pattern.hasSuffix("/")
            guard regcomp(&regex, pattern, REG_EXTENDED | REG_NOSUB) == 0 else { return nil }
        }

        deinit { regfree(&regex) }

        func matches(_ path: String) -> Bool {
            regexec(&regex, slash ? path + "/" : path, 0, nil, 0) == 0
        }
    }
}
