import Foundation

/// A real terminal for end-to-end tests: a private tmux server (`-L`), a session of a given size,
/// keys sent with `send-keys`, the screen read with `capture-pane`. Waiting polls the screen for a
/// condition until a deadline — never a fixed sleep.
final class Tmux {
    let socket = "iw-test-\(UUID().uuidString.prefix(8))"
    private(set) var session = "main"

    static var available: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") }

    struct Timeout: Error, CustomStringConvertible {
        var description: String
    }

    deinit { _ = try? tmux(["kill-server"]) }

    /// Starts `command` (run with `exec`, so the pane's process is the command itself).
    func start(_ command: String, width: Int = 80, height: Int = 24, environment: [String: String] = [:]) throws {
        let exports = environment.map { "\($0.key)=\(Self.quote($0.value))" }.joined(separator: " ")
        let line = "exec env \(exports) \(command)"
        _ = try tmux(["-f", "/dev/null", "new-session", "-d", "-s", session, "-x", "\(width)", "-y", "\(height)", line])
        _ = try? tmux(["set-option", "-t", session, "remain-on-exit", "on"])
    }

    /// The pane's process id (the command, thanks to `exec`).
    func pid() throws -> pid_t {
        pid_t(try tmux(["display-message", "-p", "-t", session, "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
    }

    /// Whether the command has exited, and its status.
    func exitStatus() throws -> Int32? {
        let fields = try tmux(["display-message", "-p", "-t", session, "#{pane_dead}:#{pane_dead_status}:#{pane_dead_signal}"])
            .trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ":", omittingEmptySubsequences: false)
        guard fields.count == 3, fields[0] == "1" else { return nil }
        // tmux 3.3 leaves the status empty for a clean exit 0; a signal shows as 128 + its number.
        if let signal = Int32(fields[2]) { return 128 + signal }
        return Int32(fields[1]) ?? 0
    }

    func send(_ keys: String...) throws {
        _ = try tmux(["send-keys", "-t", session] + keys)
    }

    /// Types text literally, then Enter.
    func type(_ text: String, enter: Bool = true) throws {
        if !text.isEmpty { _ = try tmux(["send-keys", "-t", session, "-l", text]) }
        if enter { try send("Enter") }
    }

    /// The visible screen (`history: true` adds the scrollback).
    func screen(history: Bool = false) throws -> String {
        try tmux(["capture-pane", "-p", "-t", session] + (history ? ["-S", "-2000"] : []))
    }

    func capture(_ options: [String]) throws -> String {
        try tmux(["capture-pane", "-p", "-t", session] + options)
    }

    func display(_ format: String) throws -> String {
        try tmux(["display-message", "-p", "-t", session, format]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func resize(width: Int, height: Int) throws {
        _ = try tmux(["resize-window", "-t", session, "-x", "\(width)", "-y", "\(height)"])
    }

    /// Polls until `condition` holds for the screen, or throws after `timeout` seconds.
    @discardableResult
    func wait(timeout: TimeInterval = 10, history: Bool = false, _ what: String = "condition",
              until condition: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        while Date() < deadline {
            last = (try? screen(history: history)) ?? ""
            if condition(last) { return last }
            usleep(20_000)
        }
        let size = (try? display("#{window_width}x#{window_height}")) ?? "?"
        throw Timeout(description: "timed out waiting for \(what); window \(size); screen:\n\(last)")
    }

    func wait(for text: String, timeout: TimeInterval = 10, history: Bool = false) throws {
        try wait(timeout: timeout, history: history, "'\(text)'") { $0.contains(text) }
    }

    /// Waits for the command to exit and returns its status.
    func waitForExit(timeout: TimeInterval = 10) throws -> Int32 {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let status = try exitStatus() { return status }
            usleep(20_000)
        }
        throw Timeout(description: "timed out waiting for exit; screen:\n\((try? screen()) ?? "")")
    }

    /// Ends the current session so a new one can start in this server.
    func killSession() throws {
        _ = try? tmux(["kill-session", "-t", session])
        session = "s\(UUID().uuidString.prefix(6))"
    }

    @discardableResult
    private func tmux(_ arguments: [String]) throws -> String {
        // posix_spawn and waitpid, not Foundation's Process: tmux's client forks the server, and
        // Process on Linux was seen never to notice that client's exit. Output goes to a file,
        // not a pipe, because the daemonised server inherits the descriptor and keeps it open.
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tmux-\(UUID().uuidString)").path
        defer { unlink(path) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = ["/usr/bin/tmux", "-L", socket] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["TERM"] = "xterm-256color"
        environment.removeValue(forKey: "TMUX")
        let cArguments = argv.map { strdup($0) } + [nil]
        let cEnvironment = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (cArguments + cEnvironment).forEach { free($0) } }
        // The test runner blocks some signals in its threads; a terminal's programs must not inherit that.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))
        var pid = pid_t()
        let spawned = posix_spawn(&pid, argv[0], &actions, &attributes, cArguments, cEnvironment)
        guard spawned == 0 else { throw Timeout(description: "cannot start tmux: \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        return (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }

    static func quote(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'" }
}
