import Crypto
import Foundation
import IncidentCore

/// Copies files the employee names into the report's `evidence/` folder: regular files only, size
/// capped, copied byte for byte with their SHA-256 — never opened by an application or executed.
public struct EvidenceStore: Sendable {
    public static let defaultMaximumBytes = 50 * 1024 * 1024

    public enum Refusal: Error, Equatable, CustomStringConvertible {
        case missing(String)
        case notRegular(String, kind: FileKind)
        case tooLarge(String, bytes: Int, limit: Int)
        case unreadable(String, String)
        /// The copy could not be written (a full disk): nothing is left of it.
        case cannotStore(String, String)

        /// What the journal and the report keep (English, as the other technical details).
        public var description: String { reason(Vocabulary(language: "en")) }

        /// The same for the employee, in the session's language. (The system's own reason for an
        /// unreadable file, from `strerror`, stays as the system gives it.)
        public func reason(_ words: Vocabulary) -> String {
            switch self {
            case .missing(let path): return words.fileRefusal(path, .missing)
            case let .notRegular(path, kind): return words.fileRefusal(path, .notRegular(kind: kind.rawValue))
            case let .tooLarge(path, bytes, limit):
                return words.fileRefusal(path, .tooLarge(size: EvidenceStore.mebibytes(bytes), limit: EvidenceStore.mebibytes(limit)))
            case let .cannotStore(path, reason): return words.fileRefusal(path, .cannotStore(reason))
            case let .unreadable(path, reason): return words.fileRefusal(path, .unreadable(reason))
            }
        }
    }

    /// A size in MiB as a person compares it with a limit: tenths, rounded up, so a file over a
    /// 50 MiB limit by one byte is "50.1", never "50".
    static func mebibytes(_ bytes: Int) -> String {
        let tenths = (bytes * 10 + 1_048_575) / 1_048_576
        return tenths % 10 == 0 ? "\(tenths / 10)" : "\(tenths / 10).\(tenths % 10)"
    }

    /// What a path that is not an ordinary file is (the raw value is also `Vocabulary`'s key).
    public enum FileKind: String, Sendable {
        case directory, fifo = "FIFO (named pipe)", device, socket, special = "special file"
    }

    public let directory: String
    public let maximumBytes: Int

    public init(directory: String, maximumBytes: Int = EvidenceStore.defaultMaximumBytes) {
        self.directory = directory
        self.maximumBytes = maximumBytes
    }

    /// A copied file, and for a saved mail (`.eml`, or a mail's header by content), what its
    /// headers and attachments say.
    public struct Attached: Sendable {
        public var file: EvidenceFile
        public var email: MailSummary?
        /// For JPCERT/CC EmoCheck output (`…_emocheck.json` / `.txt`): its result, parsed.
        public var emocheck: EmoCheckResult? = nil
    }

    /// Copies `source` into the evidence folder; a mail's copy (`.eml` in any case, whatever the
    /// rest of its name, or a file that starts with a mail's header) is then parsed (as data,
    /// never opened by a mail program) for the report.
    public func attach(_ source: String) throws -> Attached {
        let file = try copy(source)
        if EmoCheckResult.isEmoCheckFile(file.name), let data = FileManager.default.contents(atPath: "\(directory)/\(file.name)") {
            return Attached(file: file, email: nil, emocheck: EmoCheckResult.parse(data, name: file.name))
        }
        let path = "\(directory)/\(file.name)"
        guard EvidenceName.isMail(file.name) || Self.startsLikeMail(path),
              let data = FileManager.default.contents(atPath: path) else { return Attached(file: file, email: nil) }
        return Attached(file: file, email: MailMessage.parse(data))
    }

    /// Whether the stored copy's first bytes are a mail's header (`MailMessage.looksLikeMail`):
    /// a mail saved under any name is read as one.
    static func startsLikeMail(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        guard let head = try? handle.read(upToCount: MailMessage.recognitionBytes) else { return false }
        return MailMessage.looksLikeMail(head)
    }

    /// The bytes of the file a typed or picked path names. A name that is not UTF-8 (a Shift_JIS
    /// `請求書.doc` from a ZIP made on Japanese Windows) cannot be typed as it is: it is found as the
    /// path re-encoded in CP932, or as a `file://` address with %-escapes (how the list of recent
    /// files names one it cannot decode).
    /// A path as people paste it is taken too: in quotes (a dragged-in file with a space), as a
    /// `file://` address, or starting with `~/`.
    static func candidates(_ typed: String, home: String = SystemFacts.homeDirectory) -> [[UInt8]] {
        var path = typed.trimmed
        if path.count >= 2, let first = path.first, first == "'" || first == "\"", path.last == first {
            path = String(path.dropFirst().dropLast())
        }
        if path.hasPrefix("~/") { path = home + path.dropFirst() }
        var out: [[UInt8]] = [Array(path.utf8)]
        if path.hasPrefix("file://"), let decoded = percentDecoded(String(path.dropFirst("file://".count))) { out.append(decoded) }
        if let legacy = PlainConsole.convert(Data(path.utf8), from: "UTF-8", to: "CP932"), Array(legacy) != out[0] { out.append(Array(legacy)) }
        if typed != path { out.insert(Array(typed.utf8), at: 0) }
        return out
    }

    static func percentDecoded(_ text: String) -> [UInt8]? {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            guard byte == 0x25 else { bytes.append(byte); continue }
            guard let high = iterator.next(), let low = iterator.next(),
                  let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16) else { return nil }
            bytes.append(value)
        }
        return bytes
    }

    func copy(_ source: String) throws -> EvidenceFile {
        var info = stat()
        let path = Self.candidates(source).first { bytes in
            (bytes + [0]).withUnsafeBufferPointer { pointer in
                pointer.withMemoryRebound(to: CChar.self) { stat($0.baseAddress!, &info) == 0 }
            }
        }
        guard let path else { throw Refusal.missing(source) }
        let type = info.st_mode & S_IFMT
        guard type == S_IFREG else { throw Refusal.notRegular(source, kind: Self.kind(type)) }
        guard Int(info.st_size) <= maximumBytes else {
            throw Refusal.tooLarge(source, bytes: Int(info.st_size), limit: maximumBytes)
        }
        // O_NONBLOCK: a file swapped for a FIFO after the check cannot hang us; fstat re-checks.
        let input = (path + [0]).withUnsafeBufferPointer { pointer in
            pointer.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_RDONLY | O_NONBLOCK | O_CLOEXEC) }
        }
        guard input >= 0 else { throw Refusal.unreadable(source, String(cString: strerror(errno))) }
        defer { close(input) }
        var opened = stat()
        guard fstat(input, &opened) == 0, opened.st_mode & S_IFMT == S_IFREG else {
            throw Refusal.notRegular(source, kind: .special)
        }
        // The copy is named after the file found (a file:// address's name decoded), not the text typed.
        let foundName = Self.displayName(Array(path.split(separator: 0x2F, omittingEmptySubsequences: false).last ?? [])).text
        let (name, output) = try createDestination(for: foundName)
        defer { close(output) }
        // A refused or failed copy leaves nothing in evidence/ (a file there that no journal line
        // accounts for is a finding of `verify`).
        var kept = false
        defer { if !kept { unlink("\(directory)/\(name)") } }
        var hasher = SHA256()
        var size = 0
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = read(input, &buffer, buffer.count)
            if count < 0 { throw Refusal.unreadable(source, String(cString: strerror(errno))) }
            if count == 0 { break }
            size += count
            if size > maximumBytes { throw Refusal.tooLarge(source, bytes: size, limit: maximumBytes) }
            hasher.update(data: buffer[0..<count])
            var written = 0
            while written < count {
                let result = buffer[written..<count].withUnsafeBytes { write(output, $0.baseAddress, $0.count) }
                if result <= 0 { throw Refusal.cannotStore(source, String(cString: strerror(errno))) }
                written += result
            }
        }
        guard fsync(output) == 0 else { throw Refusal.cannotStore(source, String(cString: strerror(errno))) }
        kept = true
        let digest = Hex.encode(hasher.finalize())
        return EvidenceFile(name: name, sha256: digest, size: size, source: source)
    }

    /// The copy's file, created new: the file's own name (`EvidenceName`), `2-name` and so on
    /// when that is taken. A file system with shorter names than 255 bytes (eCryptfs: 143) gets
    /// the name shortened further.
    private func createDestination(for source: String) throws -> (String, Int32) {
        var limit = EvidenceName.maximumBytes
        var attempt = 1
        while attempt <= 100 {
            let name = EvidenceName.stored(source, attempt: attempt, maximumBytes: limit)
            let descriptor = open("\(directory)/\(name)", O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
            if descriptor >= 0 { return (name, descriptor) }
            if errno == ENAMETOOLONG, limit > 64 {
                limit = limit > 143 ? 143 : 64
                continue
            }
            if errno != EEXIST { throw Refusal.unreadable(source, String(cString: strerror(errno))) }
            attempt += 1
        }
        throw Refusal.unreadable(source, "too many files with this name")
    }

    static func kind(_ type: mode_t) -> FileKind {
        switch type {
        case S_IFDIR: return .directory
        case S_IFIFO: return .fifo
        case S_IFCHR, S_IFBLK: return .device
        case S_IFSOCK: return .socket
        default: return .special
        }
    }
}

extension EvidenceStore {
    /// A file name as the employee reads it and as `copy` finds it again: UTF-8 as it is; else
    /// Shift_JIS (CP932) decoded, which `copy` re-encodes; else %-escaped (the caller makes it a
    /// `file://` address).
    static func displayName(_ bytes: [UInt8]) -> (text: String, escaped: Bool) {
        if let text = String(validating: bytes, as: UTF8.self) { return (text, false) }
        if let decoded = PlainConsole.convert(Data(bytes), from: "CP932", to: "UTF-8"),
           let text = String(validating: Array(decoded), as: UTF8.self),
           PlainConsole.convert(Data(text.utf8), from: "UTF-8", to: "CP932").map(Array.init) == bytes { return (text, false) }
        return (escaped(bytes), true)
    }

    /// %-escapes for bytes outside ASCII and for `%` itself.
    static func escaped(_ text: String) -> String { escaped(Array(text.utf8)) }

    static func escaped(_ bytes: [UInt8]) -> String {
        bytes.map { byte in
            byte >= 0x80 || byte == 0x25 ? "%" + String(byte, radix: 16, uppercase: true) : String(UnicodeScalar(byte))
        }.joined()
    }

    /// The newest ordinary files in the folders a saved attachment or mail usually lands in, for
    /// the employee to pick instead of typing a path. Only names and dates are read (`lstat`):
    /// nothing is opened; symlinks and hidden files are left out.
    public static func recentFiles(home: String, limit: Int = 5) -> [String] {
        let folders = ["Downloads", "Desktop", "ダウンロード", "デスクトップ"].map { home + "/" + $0 }
        var found: [(path: String, modified: Int)] = []
        for folder in folders {
            guard let stream = opendir(folder) else { continue }
            defer { closedir(stream) }
            while let entry = readdir(stream) {
                // The name's bytes as they are: not every name is UTF-8.
                let bytes = withUnsafeBytes(of: entry.pointee.d_name) { Array($0.prefix { $0 != 0 }) }
                guard let first = bytes.first, first != 0x2E else { continue }
                var info = stat()
                let raw = Array(folder.utf8) + [0x2F] + bytes
                guard (raw + [0]).withUnsafeBufferPointer({ pointer in
                    pointer.withMemoryRebound(to: CChar.self) { lstat($0.baseAddress!, &info) == 0 }
                }), info.st_mode & S_IFMT == S_IFREG else { continue }
                let name = displayName(bytes)
                let shown = name.escaped ? "file://" + escaped(folder) + "/" + name.text : folder + "/" + name.text
                found.append((shown, Int(info.st_mtim.tv_sec)))
            }
        }
        return found.sorted { $0.modified != $1.modified ? $0.modified > $1.modified : $0.path < $1.path }.prefix(limit).map(\.path)
    }
}
