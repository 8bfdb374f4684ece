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
        public var description: String { texts.en }

        /// The same for the employee, in the session's language. (The system's own reason for an
        /// unreadable file, from `strerror`, stays as the system gives it.)
        public func reason(_ words: Vocabulary) -> String {
            words.isJapanese ? texts.ja : texts.en
        }

        private var texts: (en: String, ja: String) {
            switch self {
            case .missing(let path):
                return ("\(path): no such file", "\(path)：ファイルが見つかりません")
            case let .notRegular(path, kind):
                return ("\(path): is a \(kind.rawValue), only ordinary files can be attached",
                        "\(path)：\(kind.japanese)です。添付できるのは普通のファイルだけです")
            case let .tooLarge(path, bytes, limit):
                let size = EvidenceStore.mebibytes(bytes), cap = EvidenceStore.mebibytes(limit)
                return ("\(path): is too large (\(size) MiB; the limit is \(cap) MiB)",
                        "\(path)：大きすぎます（\(size) MiB、上限は \(cap) MiB）")
            case let .cannotStore(path, reason):
                return ("\(path): the copy could not be written (\(reason))", "\(path)：コピーを保存できませんでした（\(reason)）")
            case let .unreadable(path, reason):
                return ("\(path): cannot be read (\(reason))", "\(path)：読み取れません（\(reason)）")
            }
        }
    }

    /// A size in MiB as a person compares it with a limit: tenths, rounded up, so a file over a
    /// 50 MiB limit by one byte is "50.1", never "50".
    static func mebibytes(_ bytes: Int) -> String {
        let tenths = (bytes * 10 + 1_048_575) / 1_048_576
        return tenths % 10 == 0 ? "\(tenths / 10)" : "\(tenths / 10).\(tenths % 10)"
    }

    /// What a path that is not an ordinary file is.
    public enum FileKind: String, Sendable {
        case directory, fifo = "FIFO (named pipe)", device, socket, special = "special file"

        var japanese: String {
            switch self {
            case .directory: return "フォルダー"
            case .fifo: return "名前付きパイプ（FIFO）"
            case .device: return "デバイス"
            case .socket: return "ソケット"
            case .special: return "特殊なファイル"
            }
        }
    }

    public let directory: String
    public let maximumBytes: Int

    public init(directory: String, maximumBytes: Int = EvidenceStore.defaultMaximumBytes) {
        self.directory = directory
        self.maximumBytes = maximumBytes
    }

    /// A copied file, and for a mail saved as `.eml`, what its headers and attachments say.
    public struct Attached: Sendable {
        public var file: EvidenceFile
        public var email: MailSummary?
    }

    /// Copies `source` into the evidence folder; an `.eml` copy is then parsed (as data, never
    /// opened by a mail program) for the report.
    public func attach(_ source: String) throws -> Attached {
        let file = try copy(source)
        guard file.name.lowercased().hasSuffix(".eml"),
              let data = FileManager.default.contents(atPath: "\(directory)/\(file.name)") else { return Attached(file: file, email: nil) }
        return Attached(file: file, email: MailMessage.parse(data))
    }

    func copy(_ source: String) throws -> EvidenceFile {
        var info = stat()
        guard stat(source, &info) == 0 else { throw Refusal.missing(source) }
        let type = info.st_mode & S_IFMT
        guard type == S_IFREG else { throw Refusal.notRegular(source, kind: Self.kind(type)) }
        guard Int(info.st_size) <= maximumBytes else {
            throw Refusal.tooLarge(source, bytes: Int(info.st_size), limit: maximumBytes)
        }
        // O_NONBLOCK: a file swapped for a FIFO after the check cannot hang us; fstat re-checks.
        let input = open(source, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard input >= 0 else { throw Refusal.unreadable(source, String(cString: strerror(errno))) }
        defer { close(input) }
        var opened = stat()
        guard fstat(input, &opened) == 0, opened.st_mode & S_IFMT == S_IFREG else {
            throw Refusal.notRegular(source, kind: .special)
        }
        let (name, output) = try createDestination(for: source)
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

    private func createDestination(for source: String) throws -> (String, Int32) {
        let base = SystemFacts.folderSafe(PathName.last(source))
        for attempt in 1...100 {
            let name = attempt == 1 ? base : "\(attempt)-\(base)"
            let descriptor = open("\(directory)/\(name)", O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
            if descriptor >= 0 { return (name, descriptor) }
            if errno != EEXIST { throw Refusal.unreadable(source, String(cString: strerror(errno))) }
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
    /// The newest ordinary files in the folders a saved attachment or mail usually lands in, for
    /// the employee to pick instead of typing a path. Only names and dates are read (`lstat`):
    /// nothing is opened; symlinks and hidden files are left out.
    public static func recentFiles(home: String, limit: Int = 5) -> [String] {
        let folders = ["Downloads", "Desktop", "ダウンロード", "デスクトップ"].map { home + "/" + $0 }
        var found: [(path: String, modified: Int)] = []
        for folder in folders {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { continue }
            for name in names where !name.hasPrefix(".") {
                let path = folder + "/" + name
                var info = stat()
                guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { continue }
                found.append((path, Int(info.st_mtim.tv_sec)))
            }
        }
        return found.sorted { $0.modified != $1.modified ? $0.modified > $1.modified : $0.path < $1.path }.prefix(limit).map(\.path)
    }
}
