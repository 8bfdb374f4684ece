import Crypto
import Foundation
import IncidentCore

/// Runs a command directly (argv, never a shell), with its output streamed to a file so memory
/// stays bounded whatever it prints, and a timeout after which it is terminated, then killed.
public struct ProcessRunner: Sendable {
    public struct Result: Sendable, Equatable {
        /// nil when the program could not be started or was stopped.
        public var exitCode: Int32?
        public var timedOut: Bool
        public var durationMs: Int
        /// Why it could not start (program not installed…), in plain words.
        public var failure: String?
        /// The program that is not installed, when that is why it could not start.
        public var missingProgram: String? = nil
    }

    public init() {}

    /// Finds a program on `PATH` (or takes an explicit path) without asking a shell.
    public static func resolve(_ program: String, path: String? = SystemFacts.environment["PATH"]) -> String? {
        if program.contains("/") { return FileManager.default.isExecutableFile(atPath: program) ? program : nil }
        let directories = (path ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":").map(String.init)
        return directories.map { "\($0)/\(program)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs `argv`, writing stdout and stderr to `outputPath` (created 0600).
    public func run(_ argv: [String], outputPath: String, timeoutSeconds: Int,
                    isCancelled: @Sendable () -> Bool = { false }) -> Result {
        guard let program = argv.first, let executable = Self.resolve(program) else {
            let name = argv.first ?? "(none)"
            return Result(exitCode: nil, timedOut: false, durationMs: 0,
                          failure: "the program '\(name)' is not installed (not found on PATH)", missingProgram: name)
        }
        let descriptor = open(outputPath, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            return Result(exitCode: nil, timedOut: false, durationMs: 0,
                          failure: "cannot create \(outputPath): \(String(cString: strerror(errno)))")
        }
        let output = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = Array(argv.dropFirst())
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        let started = Date()
        do {
            try process.run()
        } catch {
            return Result(exitCode: nil, timedOut: false, durationMs: 0,
                          failure: "could not start '\(program)': \(error.localizedDescription)")
        }
        let deadline = started.addingTimeInterval(TimeInterval(timeoutSeconds))
        var timedOut = false
        var stopped = false
        while process.isRunning {
            if !stopped, Date() >= deadline || isCancelled() {
                timedOut = Date() >= deadline
                stopped = true
                Self.stop(process)
            }
            usleep(20_000)
        }
        process.waitUntilExit()
        let duration = Int(Date().timeIntervalSince(started) * 1000)
        let code = stopped ? nil : process.terminationStatus
        return Result(exitCode: code, timedOut: timedOut, durationMs: duration, failure: nil)
    }

    /// SIGTERM, then SIGKILL if it is still running two seconds later.
    static func stop(_ process: Process) {
        let pid = process.processIdentifier
        kill(pid, SIGTERM)
        let grace = Date().addingTimeInterval(2)
        while process.isRunning, Date() < grace { usleep(20_000) }
        if process.isRunning { kill(pid, SIGKILL) }
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
