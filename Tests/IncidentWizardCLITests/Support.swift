import Foundation

/// Runs the built `incident-wizard` binary, as the administrator or a script would.
enum Wizard {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let playbooks = packageRoot.appendingPathComponent("playbooks")
    static let malformed = packageRoot.appendingPathComponent("Tests/IncidentCoreTests/Fixtures/malformed")

    /// Whether the binary under test is one that ships (the release build or the installed
    /// package, given by `$INCIDENT_WIZARD_BIN`), not the debug build beside the tests.
    static let isShipped = ProcessInfo.processInfo.environment["INCIDENT_WIZARD_BIN"] != nil

    /// The binary: `$INCIDENT_WIZARD_BIN`, else next to the test bundle in the build folder.
    static let binary: String = {
        if let path = ProcessInfo.processInfo.environment["INCIDENT_WIZARD_BIN"] { return path }
        var directory = Bundle.main.bundleURL
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("incident-wizard").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            directory.deleteLastPathComponent()
        }
        return packageRoot.appendingPathComponent(".build/debug/incident-wizard").path
    }()

    static let ignoreSIGPIPE: Void = { signal(SIGPIPE, SIG_IGN) }()

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs the wizard with `arguments`, `input` on stdin, in `directory`, with extra environment;
    /// `through` runs it inside another program (`ip netns exec NS`, `/usr/bin/time`…).
    static func run(_ arguments: [String], input: String = "", directory: URL? = nil,
                    environment: [String: String] = [:], through: [String] = []) throws -> Result {
        let process = Process()
        let argv = through + [binary] + arguments
        process.executableURL = URL(fileURLWithPath: argv[0])
        process.arguments = Array(argv.dropFirst())
        process.currentDirectoryURL = directory ?? packageRoot
        var env = ProcessInfo.processInfo.environment
        env["LANG"] = "C.UTF-8"
        env.removeValue(forKey: "LC_ALL")
        env.removeValue(forKey: "LC_MESSAGES")
        // The current directory is never searched for playbooks: the repository's are named here
        // (a test that wants the lookup itself passes its own, or an empty value).
        env["INCIDENT_WIZARD_PLAYBOOKS"] = playbooks.path
        env.removeValue(forKey: "INCIDENT_WIZARD_REPORTS")
        env.removeValue(forKey: "INCIDENT_WIZARD_LANG")
        // No administrator's settings of this machine: a test that wants some names its own file.
        env["INCIDENT_WIZARD_CONFIG"] = "/nonexistent/incident-wizard/config"
        // Nor this machine's ClamAV daemon: a test that wants one starts its own (ClamDaemonTests).
        env["INCIDENT_WIZARD_CLAMD_SOCKET"] = "/nonexistent/incident-wizard/clamd.ctl"
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        // Read both pipes concurrently so a large output never blocks the child. `errorData` is
        // written only by the reader task and read only after `group.wait()`, so no race exists.
        nonisolated(unsafe) var errorData = Data()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errorData = stderr.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        // The wizard may have exited before reading its input (a refused start): the write then
        // fails with EPIPE, which must not be a SIGPIPE that kills the test process.
        _ = Self.ignoreSIGPIPE
        try? stdin.fileHandleForWriting.write(contentsOf: Data(input.utf8))
        try? stdin.fileHandleForWriting.close()
        let outputData = stdout.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: outputData, as: UTF8.self),
                      stderr: String(decoding: errorData, as: UTF8.self))
    }

    /// Runs a helper program (not the wizard) and returns its output; throws when it fails.
    @discardableResult
    static func shell(_ argv: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: argv[0])
        process.arguments = Array(argv.dropFirst())
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard process.terminationStatus == 0 else {
            throw CommandFailed(description: "\(argv.joined(separator: " ")) exited \(process.terminationStatus): \(text)")
        }
        return text
    }

    struct CommandFailed: Error, CustomStringConvertible {
        var description: String
    }

    /// Finds a program on PATH (and the sbin directories, where `ip` lives).
    static func which(_ program: String) -> String? {
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "") + ":/usr/local/sbin:/usr/sbin:/sbin:/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(program)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// The one report folder under `reports`, and its report.json.
    static func reportFolder(_ reports: URL) throws -> URL {
        let names = try FileManager.default.contentsOfDirectory(atPath: reports.path).filter { !$0.hasPrefix(".") }
        guard names.count == 1 else { throw CommandFailed(description: "expected one report folder, found \(names)") }
        return reports.appendingPathComponent(names[0])
    }

    /// A fresh temporary directory.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("iw-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

extension Wizard {
    /// Runs `python3` with `arguments`: its exit status and what it wrote on stderr.
    static func python(_ arguments: [String]) throws -> (status: Int32, errors: String) {
        let (status, errors) = try program("/usr/bin/env", ["python3"] + arguments, keeping: .standardError)
        return (status, errors)
    }

    enum Stream { case standardOutput, standardError }

    /// Runs `executable` with `arguments`, stdin empty: its exit status and the one stream kept
    /// (the other is thrown away).
    static func program(_ executable: String, _ arguments: [String], keeping stream: Stream) throws -> (status: Int32, text: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        let kept = Pipe()
        process.standardOutput = stream == .standardOutput ? kept : FileHandle.nullDevice
        process.standardError = stream == .standardError ? kept : FileHandle.nullDevice
        try process.run()
        let text = String(decoding: kept.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, text)
    }

    /// `incident-wizard verify FOLDER`'s exit status.
    static func verifyStatus(_ folder: URL) -> Int32 {
        (try? run(["verify", folder.path]).status) ?? -1
    }
}

extension String {
    /// Writes a script the tests run as a program: created 0755 with close-on-exec, so that no
    /// process started by another test at that moment inherits a writable descriptor to it (which
    /// would make every later exec of the script fail with "Text file busy").
    func writeExecutable(to url: URL) throws {
        let fd = open(url.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o755)
        guard fd >= 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path]) }
        defer { close(fd) }
        let bytes = Array(utf8)
        var written = 0
        while written < bytes.count {
            let count = bytes[written...].withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path]) }
            written += count
        }
        fchmod(fd, 0o755)
    }
}
