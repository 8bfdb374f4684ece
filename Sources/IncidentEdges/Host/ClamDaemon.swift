import Foundation
import IncidentCore

/// The ClamAV daemon (clamd): where its socket is, whether it answers there, and which scans it
/// runs instead of clamscan (docs/DECISIONS.md "The ClamAV daemon").
public enum ClamDaemon {
    /// The socket's path, before the configuration file: a private daemon (the tests', the bench's).
    public static let socketVariable = "INCIDENT_WIZARD_CLAMD_SOCKET"
    /// The wizard's hidden subcommand that scans through the daemon (`ClamdScan`).
    public static let subcommand = "clamd-scan"

    /// `$INCIDENT_WIZARD_CLAMD_SOCKET`, else `LocalSocket` of /etc/clamav/clamd.conf, else
    /// Debian's /run/clamav/clamd.ctl.
    public static func socketPath(config: String = "/etc/clamav/clamd.conf",
                                  environment: [String: String] = SystemFacts.environment) -> String {
        if let path = environment[socketVariable], !path.isEmpty { return path }
        if let text = try? String(contentsOfFile: config, encoding: .utf8) {
            for line in text.split(separator: "\n") {
                let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
                if words.count >= 2, words[0] == "LocalSocket" { return String(words[1]) }
            }
        }
        return "/run/clamav/clamd.ctl"
    }

    /// Whether a daemon answers PING with PONG on the socket (a second's wait at most: this runs
    /// when a scan starts).
    public static func answers(at path: String) -> Bool {
        guard let fd = connect(path, timeoutSeconds: 1) else { return false }
        defer { close(fd) }
        let ping = Array("zPING\0".utf8)
        guard send(fd, ping, ping.count, noSignal) == ping.count else { return false }
        var reply = [UInt8](repeating: 0, count: 16)
        let count = recv(fd, &reply, reply.count, 0)
        return count >= 4 && String(decoding: reply.prefix(4), as: UTF8.self) == "PONG"
    }

    /// A write to a closed connection is an error returned, not SIGPIPE.
    #if os(Linux)
    static let noSignal = Int32(MSG_NOSIGNAL)
    #else
    static let noSignal: Int32 = 0
    #endif

    /// A connected stream socket to `path`, with send and receive timeouts when given.
    static func connect(_ path: String, timeoutSeconds: Int?) -> Int32? {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        if let timeoutSeconds {
            var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard !bytes.isEmpty, bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { close(fd); return nil }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in bytes.enumerated() { raw[index] = byte }
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Foundation.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard connected == 0 else { close(fd); return nil }
        return fd
    }

    // MARK: Which scans the daemon runs

    /// A clamscan command line the daemon can run exactly: which files, and whether the summary is
    /// printed.
    public struct Reproduction: Sendable, Equatable {
        public var plan: ClamScanFollowing.Plan
        public var summary: Bool
    }

    /// clamscan's options that only choose files (what `FileCounter` copies).
    static let fileChoosing: Set<String> = [
        "--exclude", "--exclude-dir", "--include", "--include-dir", "--max-dir-recursion",
        "--follow-dir-symlinks", "--follow-file-symlinks",
    ]

    /// What `argv` asks of clamscan, when every option is one the wizard reproduces with the
    /// daemon: those that choose files, `--recursive` / `-r`, `--no-summary`. Anything else
    /// (`--database`, `--infected`, `--remove`, `--move`, a limit, an unknown option) is nil:
    /// clamscan runs as written.
    public static func reproduction(of argv: [String]) -> Reproduction? {
        // The follower's reading of the command line (one parser of clamscan's options): its
        // targets, and which options were given.
        guard let plan = ClamScanFollowing.plan(argv) else { return nil }
        var summary = true
        for option in plan.options {
            switch option.name {
            case "--recursive", "-r": break
            case "--no-summary" where option.value == nil: summary = false
            case _ where fileChoosing.contains(option.name): break
            default: return nil
            }
        }
        return Reproduction(plan: plan, summary: summary)
    }

    /// The wizard's own executable, once the program's entry has said that it has the
    /// `clamd-scan` subcommand (a test process that links this code has not: nothing is routed).
    private static let own = OwnExecutable()

    /// Called by the wizard's entry: scans may be routed to the daemon through this executable
    /// (`/proc/self/exe` resolved; nothing when it cannot be, or was replaced since it started).
    public static func enableRouting() {
        own.set(OwnExecutable.resolve())
    }

    /// A scan's argv as it is run: a clamscan command the daemon can reproduce, when the daemon
    /// answers on its socket, becomes `[wizard, clamd-scan, --socket, SOCKET, --, clamscan argv…]`
    /// (so the recorded argv says what ran); anything else is run as written.
    public static func route(argv: [String], socket: String = socketPath()) -> [String] {
        guard let executable = own.get(), reproduction(of: argv) != nil, answers(at: socket) else { return argv }
        return [executable, subcommand, "--socket", socket, "--"] + argv
    }

    /// The socket and clamscan argv of a routed scan's argv (nil for any other argv).
    public static func routedScan(_ argv: [String]) -> (socket: String, argv: [String])? {
        guard argv.count >= 6, argv[1] == subcommand, argv[2] == "--socket", argv[4] == "--" else { return nil }
        return (argv[3], Array(argv[5...]))
    }
}

/// The wizard's executable, set once at start (a lock, for strict concurrency).
private final class OwnExecutable: @unchecked Sendable {
    // Safe: `path` is only touched under `lock`.
    private let lock = NSLock()
    private var path: String?

    func set(_ value: String?) { lock.withLock { path = value } }
    func get() -> String? {
        // Replaced or removed since it started (an upgrade): no routing, clamscan runs as written.
        lock.withLock { path }.flatMap { FileManager.default.isExecutableFile(atPath: $0) ? $0 : nil }
    }

    static func resolve() -> String? {
        #if os(Linux)
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        let path = String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        // The kernel marks an executable removed since it started.
        guard !path.hasSuffix(" (deleted)") else { return nil }
        return path
        #else
        return Bundle.main.executableURL?.resolvingSymlinksInPath().path
        #endif
    }
}
