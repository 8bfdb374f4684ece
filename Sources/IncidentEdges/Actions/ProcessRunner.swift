import CSupport
import Crypto
import Foundation
import IncidentCore

/// Runs a command directly (argv, never a shell), with its output streamed to a file so memory
/// stays bounded whatever it prints, in a process group of its own that the runner owns: nothing of
/// the wizard's is inherited but the output file, and on timeout, cancel, the command's own end or
/// the wizard's exit the whole group is ended — and any descendant that daemonised out of it
/// (the wizard is their reaper: `iw_become_subreaper`).
public struct ProcessRunner: Sendable {
    public struct Result: Sendable, Equatable {
        /// The command's own exit status; nil when it could not be started or was stopped before it ended.
        public var exitCode: Int32?
        public var timedOut: Bool
        public var durationMs: Int
        /// Why it could not start (program not installed…), in plain words.
        public var failure: String?
        /// The program that is not installed, when that is why it could not start.
        public var missingProgram: String? = nil
        /// Whether it was started at all (a failure then is about how it ended, not that it is missing).
        public var ran: Bool = false
    }

    /// How long a stopped group has after SIGTERM before SIGKILL.
    static let grace: TimeInterval = 1.0

    public init() {}

    /// Finds a program on `PATH` (or takes an explicit path) without asking a shell.
    public static func resolve(_ program: String, path: String? = SystemFacts.environment["PATH"]) -> String? {
        if program.contains("/") { return FileManager.default.isExecutableFile(atPath: program) ? program : nil }
        let directories = (path ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":").map(String.init)
        return directories.map { "\($0)/\(program)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs `argv`, writing stdout and stderr to `outputPath` (created 0600), in `directory` when given.
    public func run(_ argv: [String], outputPath: String, timeoutSeconds: Int, directory: String? = nil,
                    isCancelled: @Sendable () -> Bool = { false }) -> Result {
        guard let program = argv.first, let executable = Self.resolve(program) else {
            let name = argv.first ?? "(none)"
            return Result(exitCode: nil, timedOut: false, durationMs: 0,
                          failure: "the program '\(name)' is not installed (not found on PATH)", missingProgram: name)
        }
        let output = open(outputPath, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard output >= 0 else {
            return Result(exitCode: nil, timedOut: false, durationMs: 0,
                          failure: "cannot create \(outputPath): \(String(cString: strerror(errno)))")
        }
        iw_become_subreaper()
        // Children the wizard already has are not this command's (the wizard itself starts no
        // other process; a test process that links this code may).
        let others = Set(Self.ownChildren())
        let started = Date()
        let pid = Self.spawn(executable, argv: [executable] + argv.dropFirst(), output: output, directory: directory)
        close(output)
        guard pid > 0 else {
            return Result(exitCode: nil, timedOut: false, durationMs: 0,
                          failure: "could not start '\(program)': \(String(cString: strerror(-pid)))")
        }
        let deadline = started.addingTimeInterval(TimeInterval(timeoutSeconds))
        var timedOut = false
        var stopSignal: Int32?
        var stoppedAt: Date?
        var status: Int32 = 0
        var lost: String?
        while true {
            let reaped = waitpid(pid, &status, WNOHANG)
            if reaped == pid { break }
            if reaped < 0, errno != EINTR {
                lost = "its exit status was lost (\(String(cString: strerror(errno))))"
                break
            }
            let now = Date()
            if let stoppedAt {
                if stopSignal == SIGTERM, now >= stoppedAt.addingTimeInterval(Self.grace) {
                    kill(-pid, SIGKILL)
                    stopSignal = SIGKILL
                } else if stopSignal == SIGKILL, now >= stoppedAt.addingTimeInterval(3 * Self.grace) {
                    // Not even SIGKILL ended it: stuck in the kernel (a hung network mount). The
                    // wizard does not wait on it for ever; the group stays registered.
                    return Result(exitCode: nil, timedOut: timedOut, durationMs: Int(now.timeIntervalSince(started) * 1000),
                                  failure: "'\(program)' did not end after SIGKILL (stuck in the system)", ran: true)
                }
            } else if now >= deadline || isCancelled() {
                timedOut = now >= deadline
                kill(-pid, SIGTERM)
                stopSignal = SIGTERM
                stoppedAt = now
            }
            usleep(20_000)
        }
        // Whatever the command left behind, in its group or daemonised out of it, ends with it:
        // it would hold the output file (and write into evidence/ after its hash was taken).
        Self.endGroup(pid, sparing: others)
        iw_unregister_group(pid)
        let duration = Int(Date().timeIntervalSince(started) * 1000)
        if let lost {
            return Result(exitCode: nil, timedOut: timedOut, durationMs: duration, failure: "'\(program)' ran, but \(lost)", ran: true)
        }
        // WIFEXITED / WEXITSTATUS (macros Swift cannot import); a command that was stopped has no code.
        let exited = status & 0x7f == 0
        let code: Int32? = exited && stoppedAt == nil ? (status >> 8) & 0xff : nil
        return Result(exitCode: code, timedOut: timedOut, durationMs: duration, failure: nil, ran: true)
    }

    private static func spawn(_ path: String, argv: [String], output: Int32, directory: String?) -> pid_t {
        var pointers = argv.map { strdup($0) } + [nil]
        defer { for pointer in pointers { free(pointer) } }
        return pointers.withUnsafeMutableBufferPointer { buffer in
            if let directory {
                return directory.withCString { iw_spawn(path, buffer.baseAddress, output, $0) }
            }
            return iw_spawn(path, buffer.baseAddress, output, nil)
        }
    }

    /// Ends what is left of a finished command: its process group (SIGTERM, then SIGKILL after
    /// the grace period), and the wizard's own orphaned children (descendants that left the group
    /// and were reparented to the wizard), reaped so none stays a zombie.
    static func endGroup(_ group: pid_t, sparing others: Set<pid_t>) {
        let end = Date().addingTimeInterval(grace)
        var signal = SIGTERM
        while true {
            let groupAlive = kill(-group, signal) == 0
            let orphans = ownChildren().filter { !others.contains($0) }
            for child in orphans { kill(child, signal) }
            reap(orphans)
            if !groupAlive && orphans.isEmpty { return }
            if signal == SIGKILL, Date() >= end.addingTimeInterval(grace) { return }
            if Date() >= end { signal = SIGKILL }
            usleep(10_000)
        }
    }

    private static func reap(_ children: [pid_t]) {
        var status: Int32 = 0
        for child in children { _ = waitpid(child, &status, WNOHANG) }
    }

    /// The wizard's own child processes, from /proc: after a command has been reaped, its orphans.
    static func ownChildren() -> [pid_t] {
        let me = getpid()
        var found: Set<pid_t> = []
        // Children of every thread of the wizard's (a subreaper's orphans are its own).
        for task in PosixFiles.names(in: "/proc/\(me)/task") ?? [] {
            guard let data = PosixFiles.contents("/proc/\(me)/task/\(task)/children") else { continue }
            for word in String(decoding: data, as: UTF8.self).split(separator: " ") {
                if let child = pid_t(word.trimmingCharacters(in: .whitespacesAndNewlines)) { found.insert(child) }
            }
        }
        return found.sorted()
    }
}

/// SHA-256 of files, streamed in chunks.
public enum FileHash {
    public static func sha256(path: String) -> String? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        var hasher = SHA256()
        while true {
            guard let chunk = try? handle.read(upToCount: 1 << 20), !chunk.isEmpty else { break }
            hasher.update(data: chunk)
        }
        return Hex.encode(hasher.finalize())
    }

    public static func sha256(_ data: Data) -> String {
        Hex.encode(SHA256.hash(data: data))
    }
}
