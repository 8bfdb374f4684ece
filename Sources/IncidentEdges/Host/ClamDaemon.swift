import Foundation

/// The ClamAV daemon (clamd): where its socket is, and whether it answers there.
public enum ClamDaemon {
    /// `LocalSocket` of /etc/clamav/clamd.conf, else Debian's /run/clamav/clamd.ctl.
    public static func socketPath(config: String = "/etc/clamav/clamd.conf") -> String {
        if let text = try? String(contentsOfFile: config, encoding: .utf8) {
            for line in text.split(separator: "\n") {
                let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
                if words.count >= 2, words[0] == "LocalSocket" { return String(words[1]) }
            }
        }
        return "/run/clamav/clamd.ctl"
    }

    /// Whether a daemon answers PING with PONG on the socket (a short wait at most).
    public static func answers(at path: String) -> Bool {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in bytes.enumerated() { raw[index] = byte }
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard connected == 0 else { return false }
        let ping = Array("zPING\0".utf8)
        guard write(fd, ping, ping.count) == ping.count else { return false }
        var reply = [UInt8](repeating: 0, count: 16)
        let count = read(fd, &reply, reply.count)
        return count >= 4 && String(decoding: reply.prefix(4), as: UTF8.self) == "PONG"
    }
}
