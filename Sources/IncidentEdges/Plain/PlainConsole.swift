import Foundation

/// Plain mode's console: lines out on stdout and in from stdin, converted to and from the
/// locale's character set when it is not UTF-8 (an EUC-JP or Latin-1 terminal gets its own
/// encoding; what it cannot show becomes `?`), so no terminal ever receives bytes it would show
/// as garbage.
public final class PlainConsole: @unchecked Sendable {
    /// The terminal's character set, or nil for UTF-8.
    public let charset: String?
    private let lock = NSLock()

    public init(charset: String?) {
        let upper = charset?.uppercased().replacingOccurrences(of: "_", with: "-")
        self.charset = upper == nil || upper == "UTF-8" || upper == "UTF8" ? nil : charset
    }

    public func write(_ line: String) {
        let data = encode(line + "\n")
        lock.withLock { try? FileHandle.standardOutput.write(contentsOf: data) }
    }

    public func warn(_ line: String) {
        let data = encode(line + "\n")
        lock.withLock { try? FileHandle.standardError.write(contentsOf: data) }
    }

    /// The longest line kept: the rest of a longer line is read and dropped, so memory stays
    /// bounded however long a line is (no answer is anywhere near as long; an input field's limit
    /// then says it is too long).
    public static let maximumLineBytes = 64 * 1024

    /// Standard input, read in chunks: what is past the current line waits here.
    private var pending: [UInt8] = []
    private var atEnd = false

    /// Whether a line (or the end of input) can be read now, after waiting up to `milliseconds`
    /// for standard input.
    public func lineReady(milliseconds: Int32) -> Bool {
        if atEnd || pending.contains(0x0A) { return true }
        var descriptor = pollfd(fd: 0, events: Int16(POLLIN), revents: 0)
        return poll(&descriptor, 1, milliseconds) != 0
    }

    /// One line from stdin without its newline (converted from the terminal's character set), or
    /// nil at the end of input.
    public func readLine() -> String? {
        guard var bytes = readLineBytes() else { return nil }
        if bytes.last == 0x0D { bytes.removeLast() }
        guard let charset else { return String(decoding: bytes, as: UTF8.self) }
        let decoded = Self.convert(Data(bytes), from: charset, to: "UTF-8") ?? Data(bytes)
        return String(decoding: decoded, as: UTF8.self)
    }

    private func readLineBytes() -> [UInt8]? {
        var line: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            if let newline = pending.firstIndex(of: 0x0A) {
                let room = Self.maximumLineBytes - line.count
                if room > 0 { line += pending[..<min(newline, room)] }
                pending.removeSubrange(...newline)
                return line
            }
            let room = Self.maximumLineBytes - line.count
            if room > 0 { line += pending.prefix(room) }
            pending.removeAll(keepingCapacity: true)
            if atEnd { return line.isEmpty ? nil : line }
            let count = chunk.withUnsafeMutableBytes { Foundation.read(0, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            if count < 0, errno == EAGAIN {
                // A stdin left non-blocking by an earlier program: wait for input, never "the end".
                var descriptor = pollfd(fd: 0, events: Int16(POLLIN), revents: 0)
                _ = poll(&descriptor, 1, -1)
                continue
            }
            if count <= 0 {
                atEnd = true
                continue
            }
            pending += chunk[..<count]
        }
    }

    /// Text for the terminal: UTF-8, or the locale's character set with `?` for what it lacks.
    public func encode(_ text: String) -> Data {
        guard let charset else { return Data(text.utf8) }
        return Self.convert(Data(text.utf8), from: "UTF-8", to: charset, substitute: true) ?? Data(text.utf8.map { $0 < 0x80 ? $0 : 0x3F })
    }

    /// iconv, chunk by chunk; with `substitute`, a character the target lacks becomes `?`.
    static func convert(_ data: Data, from source: String, to target: String, substitute: Bool = false) -> Data? {
        let descriptor = iconv_open(target, source)
        guard descriptor != iconv_t(bitPattern: -1) else { return nil }
        defer { iconv_close(descriptor) }
        var input = [UInt8](data)
        // Skip one invalid byte of input (or one UTF-8 character) as `?`, when asked to.
        var output = Data()
        var buffer = [UInt8](repeating: 0, count: 4096)
        var offset = 0
        while offset < input.count {
            var inLeft = input.count - offset
            var outLeft = buffer.count
            let result = input.withUnsafeMutableBufferPointer { inBase -> Int in
                buffer.withUnsafeMutableBufferPointer { outBase -> Int in
                    var inPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inBase.baseAddress! + offset).assumingMemoryBound(to: CChar.self)
                    var outPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBase.baseAddress!).assumingMemoryBound(to: CChar.self)
                    return iconv(descriptor, &inPointer, &inLeft, &outPointer, &outLeft)
                }
            }
            output.append(contentsOf: buffer[0..<(buffer.count - outLeft)])
            let consumed = (input.count - offset) - inLeft
            offset += consumed
            if result == -1 {
                let error = errno
                if error == E2BIG { continue }
                guard substitute, error == EILSEQ || error == EINVAL else { return nil }
                // Skip one UTF-8 character and put `?` in its place.
                output.append(0x3F)
                offset += 1
                while offset < input.count, input[offset] & 0xC0 == 0x80 { offset += 1 }
            }
        }
        return output
    }
}
