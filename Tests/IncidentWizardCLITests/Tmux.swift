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

    deinit {
        _ = try? tmux(["kill-server"])
        unlink(statusFile)
    }

    /// Where the shell around the command writes its exit status.
    private var statusFile = ""

    /// Starts `command` under a small shell that records its exit status in a file: waiting for
    /// that file does not depend on tmux noticing the pane's end.
    func start(_ command: String, width: Int = 80, height: Int = 24, environment: [String: String] = [:]) throws {
        statusFile = FileManager.default.temporaryDirectory.appendingPathComponent("iw-status-\(UUID().uuidString)").path
        let exports = environment.map { "\($0.key)=\(Self.quote($0.value))" }.joined(separator: " ")
        let script = "env \(exports) \(command); echo $? > \(Self.quote(statusFile))"
        _ = try tmux(["-f", "/dev/null", "new-session", "-d", "-s", session, "-x", "\(width)", "-y", "\(height)",
                      "sh -c \(Self.quote(script))"])
        _ = try? tmux(["set-option", "-t", session, "remain-on-exit", "on"])
    }

    /// The process id of the command (the child of the pane's shell), once it runs.
    func pid() throws -> pid_t {
        let shell = try display("#{pane_pid}")
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline {
            let children = (try? String(contentsOfFile: "/proc/\(shell)/task/\(shell)/children", encoding: .utf8)) ?? ""
            if let child = children.split(separator: " ").first.flatMap({ pid_t($0) }) { return child }
            usleep(20_000)
        }
        throw Timeout(description: "the command of pane \(shell) did not start")
    }

    /// The command's exit status once it has ended (128 + N for signal N), else nil.
    func exitStatus() throws -> Int32? {
        guard let text = try? String(contentsOfFile: statusFile, encoding: .utf8), text.hasSuffix("\n") else { return nil }
        return Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Sends keys as a person presses them, one screen at a time: an Enter alone waits (at most
    /// 1.5 s) until the footer names Enter — a critical screen takes its Enter only after a
    /// second on screen (`product.md`, "Critical screens and keys typed ahead"), and names it then.
    func send(_ keys: String...) throws {
        if keys == ["Enter"] { _ = try? wait(timeout: 1.5, "Enter in the footer") { Self.footer($0).contains("Enter") } }
        _ = try tmux(["send-keys", "-t", session] + keys)
    }

    /// Sends keys at once, however fast, without waiting for any screen (keys typed ahead).
    func sendNow(_ keys: [String]) throws {
        _ = try tmux(["send-keys", "-t", session] + keys)
    }

    /// The last two rows of a screen: the full screen's footer (the body's own words, such as
    /// "then press Enter", are above it).
    static func footer(_ screen: String) -> String {
        var rows = screen.split(separator: "\n", omittingEmptySubsequences: false)
        if rows.last == "" { rows.removeLast() }
        return rows.suffix(2).joined(separator: "\n")
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

    /// Moves on to a new session name so the next `start` opens a fresh one. The old (dead) one is
    /// left in place: killing the server's last session makes it exit, and a `start` racing that
    /// exit would lose its session. `deinit` ends the whole server.
    func killSession() throws {
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
        // The test runner blocks some signals and may ignore SIGCHLD; tmux (which must reap its
        // panes to report their exit status) and the programs in it must inherit neither.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid = pid_t()
        let spawned = posix_spawn(&pid, argv[0], &actions, &attributes, cArguments, cEnvironment)
        guard spawned == 0 else { throw Timeout(description: "cannot start tmux: \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        return (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }

    static func quote(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'" }
}
