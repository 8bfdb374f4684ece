import Crypto
import Foundation
import IncidentCore

/// The run cache: a playbook that was checked and found valid, kept so that the next `run` of
/// the same bytes starts without parsing and checking it again (bench/README.md).
///
/// Trusted only for exactly what was checked: the key is the SHA-256 of the archive format, the
/// binary (its version, and the size, change time and inode of the executable file), the
/// playbook's path and bytes, and the shared contacts file's path and bytes (or its absence). Any
/// byte of any of them different, and the entry is not used: the playbook is checked from its
/// file and the entry rewritten. Only valid playbooks are stored, so a broken one is always
/// checked and refused. `validate`, `list` and `check` never use the cache.
///
/// One file per playbook path (named by the path's SHA-256) under `$XDG_CACHE_HOME/incident-wizard/
/// playbooks` (or `~/.cache/…`), a directory private to the user (0700, owned by them, not a
/// symlink: otherwise the cache is not used at all), each file 0600 and written atomically. A file
/// that is short, altered (its payload carries its own SHA-256) or unreadable is ignored and
/// replaced. What the cache cannot defend against, and need not: a program running as the same
/// user could as well change the user's PATH or desktop icon (docs/DECISIONS.md).
public struct PlaybookCache: Sendable {
    public let directory: String
    /// What identifies the binary that wrote an entry.
    public let binary: String

    static let magic = Array("IWPC".utf8)

    public init(directory: String, binary: String) {
        self.directory = directory
        self.binary = binary
    }

    /// The user's cache, for the running binary; nil without a home (the cache is then not used).
    public static func user(environment: [String: String] = SystemFacts.environment,
                            executable: String = SystemFacts.executablePath, version: String) -> PlaybookCache? {
        let base: String
        if let xdg = environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") {
            base = xdg
        } else if let home = environment["HOME"], home.hasPrefix("/") {
            base = PathName.join(home, ".cache")
        } else {
            return nil
        }
        return PlaybookCache(directory: PathName.join(PathName.join(base, "incident-wizard"), "playbooks"),
                             binary: binaryIdentity(executable: executable, version: version))
    }

    /// The version and the executable file's identity: a rebuilt binary with the same version
    /// string is a different binary.
    public static func binaryIdentity(executable: String, version: String) -> String {
        var info = stat()
        guard stat(executable, &info) == 0 else { return "\(version) \(executable)" }
        return "\(version) \(info.st_size) \(info.st_ctim.tv_sec).\(info.st_ctim.tv_nsec) \(info.st_ino)"
    }

    /// The key of a playbook as it is now on disk.
    public func key(path: String, data: Data, contactsPath: String?, contactsData: Data?) -> [UInt8] {
        var hasher = SHA256()
        func field(_ bytes: some DataProtocol) {
            var length = UInt64(bytes.count).littleEndian
            withUnsafeBytes(of: &length) { hasher.update(bufferPointer: $0) }
            hasher.update(data: bytes)
        }
        field(Array("incident-wizard playbook cache".utf8) + [PlaybookArchive.format])
        field(Array(binary.utf8))
        field(Array(path.utf8))
        field(data)
        field(Array((contactsPath ?? "").utf8))
        field(contactsData.map { [1] + Array($0) } ?? [0])
        return Array(hasher.finalize())
    }

    /// The entry file of a playbook path.
    public func file(for path: String) -> String {
        PathName.join(directory, Hex.encode(SHA256.hash(data: Array(path.utf8))) + ".bin")
    }

    /// An entry as stored: its archive, with the playbook's id read from the archive's head; the
    /// rest decoded only when it is wanted.
    public struct Stored: Sendable {
        public let id: String
        let archive: [UInt8]

        /// The checked playbook and its shared contacts, or nil if the archive does not decode.
        public func decode() -> (playbook: Playbook, shared: [String: Contact]?)? {
            try? PlaybookArchive.decode(archive)
        }
    }

    /// The checked playbook stored under `key`, or nil (no entry, another key, damaged, not ours).
    public func read(path: String, key: [UInt8]) -> (playbook: Playbook, shared: [String: Contact]?)? {
        lookUp(path: path, key: key)?.decode()
    }

    /// The entry stored under `key`, its digest checked but its archive not yet decoded, or nil.
    public func lookUp(path: String, key: [UInt8]) -> Stored? {
        guard isPrivateDirectory(directory) else { return nil }
        let descriptor = open(file(for: path), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_uid == geteuid(),
              info.st_mode & 0o077 == 0, info.st_size < 64 << 20 else { return nil }
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size))
        var done = 0
        while done < bytes.count {
            let count = bytes.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress! + done, $0.count - done) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { return nil }
            done += count
        }
        // magic, key (32), payload digest (32), payload (the archive)
        let header = Self.magic.count + 64
        guard bytes.count > header, Array(bytes[0..<Self.magic.count]) == Self.magic,
              Array(bytes[Self.magic.count..<(Self.magic.count + 32)]) == key else { return nil }
        let payload = Array(bytes[header...])
        guard Array(SHA256.hash(data: payload)) == Array(bytes[(Self.magic.count + 32)..<header]),
              let id = PlaybookArchive.id(of: payload) else { return nil }
        return Stored(id: id, archive: payload)
    }

    /// Stores a playbook that was just checked and found valid. Best effort: a cache that cannot
    /// be written (read-only home, full disk) changes nothing but the next start's speed.
    public func write(path: String, key: [UInt8], playbook: Playbook, shared: [String: Contact]?) {
        guard makePrivateDirectory() else { return }
        let payload = PlaybookArchive.encode(playbook, shared: shared)
        let bytes = Self.magic + key + Array(SHA256.hash(data: payload)) + payload
        let target = file(for: path)
        let temporary = target + ".\(getpid()).tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard descriptor >= 0 else { return }
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + written, $0.count - written) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            written += count
        }
        let complete = written == bytes.count && fsync(descriptor) == 0
        close(descriptor)
        if !complete || rename(temporary, target) != 0 { unlink(temporary) }
    }

    private func isPrivateDirectory(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR && info.st_uid == geteuid()
            && info.st_mode & 0o077 == 0
    }

    /// `…/incident-wizard/playbooks`, made 0700 where missing; false if it is not private.
    private func makePrivateDirectory() -> Bool {
        if isPrivateDirectory(directory) { return true }
        let parent = PathName.directory(directory)
        let grandparent = PathName.directory(parent)
        for path in [grandparent, parent] where !PosixFiles.exists(path) {
            mkdir(path, path == parent ? 0o700 : 0o755)
        }
        mkdir(directory, 0o700)
        return isPrivateDirectory(directory)
    }
}
