import CSupport
import Foundation
import IncidentCore

/// A clamscan command run by the ClamAV daemon: the wizard's hidden subcommand
/// `clamd-scan --socket SOCKET -- clamscan ARGS…` (what `ClamDaemon.route` makes of a scan).
/// It visits exactly the files the progress bar counts (`FileCounter`), sends each to the daemon
/// over one connection (`zIDSESSION`, then `zFILDES` with the open descriptor, so a daemon running
/// as another user reads what the employee can read, then `zEND`), and writes clamscan's lines —
/// `PATH: OK`, `PATH: NAME FOUND`, `PATH: … ERROR`, `PATH: Empty file`, `PATH: Access denied`,
/// then the summary unless `--no-summary` — with clamscan's exit status: 0 clean, 1 found,
/// 2 an error (a virus found wins, as with clamscan).
public enum ClamdScan {
    /// The subcommand's entry: its arguments after `clamd-scan`. Returns the exit status.
    public static func main(_ arguments: [String]) -> Int32 {
        signal(SIGPIPE, SIG_IGN)
        guard arguments.count >= 3, arguments[0] == "--socket", arguments[2] == "--" else {
            let usage = "usage: incident-wizard \(ClamDaemon.subcommand) --socket SOCKET -- clamscan [OPTIONS] TARGET…\n"
            _ = usage.withCString { write(2, $0, strlen($0)) }
            return 2
        }
        return scan(socket: arguments[1], argv: Array(arguments[3...]), output: 1, errors: 2)
    }

    /// Files sent to the daemon before its first reply is read.
    static let window = 16

    /// Scans what clamscan `argv` would, through the daemon on `socket`, writing clamscan's lines
    /// to `output` and its warnings to `errors`. `timeoutSeconds`: how long one reply may take
    /// (none for a scan the wizard runs: the step's timeout ends it).
    public static func scan(socket: String, argv: [String], output: Int32, errors: Int32, timeoutSeconds: Int? = nil) -> Int32 {
        let out = Writer(fd: output)
        let err = Writer(fd: errors)
        guard let reproduction = ClamDaemon.reproduction(of: argv) else {
            out.line("ERROR: the ClamAV daemon cannot run this clamscan command as written: \(argv.joined(separator: " "))")
            return 2
        }
        let started = Date()
        guard let connection = ClamDaemon.connect(socket, timeoutSeconds: timeoutSeconds) else {
            out.line("ERROR: cannot connect to the ClamAV daemon on \(socket): \(String(cString: strerror(errno)))")
            return 2
        }
        defer { close(connection) }
        var session = Session(fd: connection)
        var version: String?
        if session.send("zIDSESSION\0"), session.send("zVERSION\0"), let reply = session.reply(), reply.id == 1 {
            version = reply.text
        } else {
            out.line("ERROR: the ClamAV daemon on \(socket) does not answer: \(session.failure)")
            return 2
        }
        var scanned = 0
        var infected = 0
        var problems = 0
        var broken = false
        // Files sent and not yet answered, by the daemon's number for them: a few at a time, so the
        // daemon's threads scan while the next are sent (one at a time, most of the time was the
        // round trip). The replies may come in another order; each names its number.
        var pending: [Int: String] = [:]
        func answer() {
            guard let (id, reply) = session.reply() else {
                for path in pending.values.sorted() { out.line("\(path): the connection to the ClamAV daemon broke ERROR") }
                problems += pending.count
                pending.removeAll()
                broken = true
                return
            }
            guard let path = pending.removeValue(forKey: id) else { return }  // not a file's (cannot happen)
            // "fd[12]: Eicar-Test-Signature FOUND": the daemon names the descriptor, the line the path.
            var result = Substring(reply)
            if result.hasPrefix("fd["), let end = result.range(of: "]: ") { result = result[end.upperBound...] }
            out.line("\(path): \(result)")
            scanned += 1
            if result.hasSuffix(" FOUND") { infected += 1 } else if result != "OK" && !result.hasSuffix(" OK") { problems += 1 }
        }
        let files = FileCounter(plan: reproduction.plan, isStopped: { broken })
        files.forEachFile(missing: { path in
            // As clamscan: a line of its own (no file's result), and a warning.
            let reason = String(cString: strerror(errno))
            out.line("\(path): \(reason)")
            err.line("WARNING: \(path): Can't access file")
            problems += 1
        }) { path in
            guard !broken else { return }
            let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)
            guard descriptor >= 0 else {
                out.line(errno == EACCES || errno == EPERM ? "\(path): Access denied"
                                                          : "\(path): Can't open file: \(String(cString: strerror(errno))) ERROR")
                problems += 1
                return
            }
            defer { close(descriptor) }
            var info = stat()
            if fstat(descriptor, &info) == 0, info.st_size == 0 {
                out.line("\(path): Empty file")  // clamscan does not scan an empty file either
                return
            }
            guard session.send("zFILDES\0"), session.sendDescriptor(descriptor) else {
                pending[session.sent] = path
                answer()  // the replies already there, then the break said for the rest
                while !pending.isEmpty && !broken { answer() }
                broken = true
                return
            }
            pending[session.sent] = path
            while pending.count >= window && !broken { answer() }
        }
        while !pending.isEmpty && !broken { answer() }
        if broken {
            out.line("ERROR: the connection to the ClamAV daemon on \(socket) broke (\(session.failure)): the scan is incomplete, "
                     + "\(scanned) file(s) were checked")
        } else {
            _ = session.send("zEND\0")
        }
        if reproduction.summary {
            let seconds = Date().timeIntervalSince(started)
            let format = DateFormatter()
            format.locale = Locale(identifier: "en_US_POSIX")
            format.dateFormat = "yyyy:MM:dd HH:mm:ss"
            out.line("")
            out.line("----------- SCAN SUMMARY -----------")
            out.line("Scanned by: the ClamAV daemon on \(socket)\(version.map { " (\($0))" } ?? "")")
            out.line("Scanned files: \(scanned)")
            out.line("Infected files: \(infected)")
            if problems > 0 { out.line("Total errors: \(problems)") }
            out.line(String(format: "Time: %.3f sec (%d m %d s)", seconds, Int(seconds) / 60, Int(seconds) % 60))
            out.line("Start Date: \(format.string(from: started))")
            out.line("End Date:   \(format.string(from: Date()))")
        }
        if infected > 0 { return 1 }
        return broken || problems > 0 ? 2 : 0
    }

    /// Lines written at once (the progress bar reads the output file as it grows).
    struct Writer {
        let fd: Int32

        func line(_ text: String) {
            var bytes = Array(text.utf8)
            bytes.append(0x0a)
            var offset = 0
            while offset < bytes.count {
                let count = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
                if count < 0, errno == EINTR { continue }
                guard count > 0 else { return }
                offset += count
            }
        }
    }

    /// One `IDSESSION` connection: commands numbered from 1, replies `N: TEXT\0`.
    struct Session {
        let fd: Int32
        /// Commands sent so far (the daemon numbers its replies by them).
        private(set) var sent = 0
        private var buffer: [UInt8] = []
        private(set) var failure = ""

        init(fd: Int32) { self.fd = fd }

        /// Sends a command; `zIDSESSION` and `zEND` are not numbered.
        mutating func send(_ command: String) -> Bool {
            let bytes = Array(command.utf8)
            var offset = 0
            while offset < bytes.count {
                let count = bytes[offset...].withUnsafeBytes { Foundation.send(fd, $0.baseAddress, $0.count, ClamDaemon.noSignal) }
                if count < 0, errno == EINTR { continue }
                guard count > 0 else { failure = String(cString: strerror(errno)); return false }
                offset += count
            }
            if command != "zIDSESSION\0" && command != "zEND\0" { sent += 1 }
            return true
        }

        mutating func sendDescriptor(_ descriptor: Int32) -> Bool {
            guard iw_send_descriptor(fd, descriptor) == 1 else { failure = String(cString: strerror(errno)); return false }
            return true
        }

        /// The next reply: its number and text; nil when the connection broke or the reply is not
        /// one to a numbered command ("COMMAND READ TIMED OUT", a session ended by the daemon).
        mutating func reply() -> (id: Int, text: String)? {
            while true {
                if let end = buffer.firstIndex(of: 0) {
                    let text = String(decoding: buffer[..<end], as: UTF8.self)
                    buffer.removeSubrange(...end)
                    guard let colon = text.range(of: ": "), let id = Int(text[..<colon.lowerBound]) else {
                        failure = "the daemon replied \"\(text)\""
                        return nil
                    }
                    return (id, String(text[colon.upperBound...]))
                }
                var chunk = [UInt8](repeating: 0, count: 4096)
                let count = recv(fd, &chunk, chunk.count, 0)
                if count < 0, errno == EINTR { continue }
                guard count > 0 else {
                    failure = count == 0 ? "it ended the connection" : String(cString: strerror(errno))
                    return nil
                }
                buffer += chunk[..<count]
            }
        }
    }
}
