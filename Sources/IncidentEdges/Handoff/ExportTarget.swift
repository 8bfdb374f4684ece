import CSupport
import Foundation

/// Where `export` writes (`product.md`, "Exports and the zip"): a file created 0600 under a
/// temporary name in the target's own folder and renamed into place once whole, so a full disk
/// never leaves a cut export where a good one was; never through a symlink; never into the report
/// folder itself (an export must not be able to overwrite the record it exports).
public struct ExportTarget: Sendable {
    public struct Refusal: Error, CustomStringConvertible {
        public var description: String
    }

    /// The path asked for.
    public let path: String
    /// The temporary file in the same folder, renamed to `path` by `commit`.
    public let temporary: String

    /// Checks `path` against the record in `folder`; the temporary name is chosen, not created.
    public init(_ path: String, record folder: String) throws {
        guard !path.isEmpty, !path.hasSuffix("/") else { throw Refusal(description: "\(path): not a file name") }
        let directory = (path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        guard name != ".", name != ".." else { throw Refusal(description: "\(path): not a file name") }
        var info = stat()
        if lstat(path, &info) == 0 {
            if info.st_mode & S_IFMT == S_IFLNK {
                throw Refusal(description: "\(path) is a symbolic link: an export is never written through one (remove it or choose another name)")
            }
            guard info.st_mode & S_IFMT == S_IFREG else { throw Refusal(description: "\(path) exists and is not an ordinary file") }
        }
        guard let realDirectory = Self.realPath(directory) else {
            throw Refusal(description: "cannot write \(path): the folder \(directory) does not exist")
        }
        if let record = Self.realPath(folder) {
            let target = realDirectory == "/" ? "/" + name : realDirectory + "/" + name
            if realDirectory == record || realDirectory.hasPrefix(record + "/") || target == record {
                throw Refusal(description: "\(path) is inside the report folder \(folder): an export is never written into the record it exports")
            }
        }
        self.path = path
        temporary = directory + "/." + name + ".incident-wizard-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    }

    /// Writes `data` whole to a new 0600 file, syncs it and renames it into place.
    public func write(_ data: Data) throws {
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw Refusal(description: "cannot create \(temporary): \(String(cString: strerror(errno)))") }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        do {
            try handle.write(contentsOf: data)
            try handle.synchronize()
        } catch {
            unlink(temporary)
            throw Refusal(description: "cannot write \(path): \(error.localizedDescription) (nothing was replaced)")
        }
        try commit()
    }

    /// Makes the finished temporary file 0600 and renames it to `path` (an existing file there is
    /// replaced whole, in one step), then syncs the folder.
    public func commit() throws {
        guard Self.makePrivate(temporary), rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw Refusal(description: "cannot write \(path): \(reason) (nothing was replaced)")
        }
        let directory = (path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent
        let folder = open(directory, O_RDONLY | O_CLOEXEC)
        if folder >= 0 {
            _ = fsync(folder)
            close(folder)
        }
    }

    /// Removes the temporary file after a failure.
    public func discard() {
        unlink(temporary)
    }

    /// 0600; true also where the file system keeps no permissions of its own (a FAT or exFAT USB
    /// stick, whose mount options decide who reads it).
    public static func makePrivate(_ path: String) -> Bool {
        if chmod(path, 0o600) == 0 { return true }
        let failure = errno
        var info = stat()
        if stat(path, &info) == 0, info.st_mode & 0o077 == 0 { return true }
        guard failure == EPERM || failure == ENOTSUP || failure == EOPNOTSUPP else { errno = failure; return false }
        // MSDOS_SUPER_MAGIC (vfat), exFAT, and FUSE (exfat-fuse, ntfs-3g) sticks.
        let kind = UInt64(iw_filesystem_type(path))
        if [0x4D44, 0x2011_BAB0, 0x6573_5546, 0x5346_544E].contains(kind) { return true }
        errno = failure
        return false
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
