import Foundation

/// Plain mode's console: lines out on stdout and in from stdin, converted to and from the
/// locale's character set when it is not UTF-8 (an EUC-JP or Latin-1 terminal gets its own
/// encoding; what it cannot show becomes `?`), so no terminal ever receives bytes it would show
/// as garbage.
public final class PlainConsole: @unchecked Sendable {
    /// The terminal's character set, or nil for UTF-8.
    public let charset: String?
    private let lock = NSLock()
    /// Standard input as a C stream of its own (legacy character sets only; UTF-8 uses Swift's).
    private var legacyInput: UnsafeMutablePointer<FILE>?

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

    public func readLine() -> String? {
        guard let charset else { return Swift.readLine(strippingNewline: true) }
        // The bytes as typed, converted from the terminal's character set.
        var pointer: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(pointer) }
        let stream = lock.withLock {
            if legacyInput == nil { legacyInput = fdopen(0, "r") }
            return legacyInput
        }
        guard let stream else { return nil }
        let count = getline(&pointer, &capacity, stream)
        guard count >= 0, let pointer else { return nil }
        var bytes = Data(bytes: pointer, count: count)
        if bytes.last == 0x0A { bytes.removeLast() }
        let decoded = Self.convert(bytes, from: charset, to: "UTF-8") ?? bytes
        return String(decoding: decoded, as: UTF8.self)
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
