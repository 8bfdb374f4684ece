import CZip
import Crypto
import Foundation
import IncidentCore

/// The whole report folder in one zip for a USB stick (Debian's libzip): every regular file under
/// `<folder name>/`, names safe on FAT (which refuses `* ? < > | " : \` and compares without case),
/// and `MANIFEST.sha256` with each file's SHA-256. After writing, the zip is synced to the disk,
/// read back and every entry checked against the manifest.
public enum ZipExport {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public struct Written: Sendable {
        public var files: Int
        /// Names that had to change for FAT (original → stored).
        public var renamed: [(String, String)]
        /// The output's file system is on a removable device (a USB stick).
        public var removable: Bool
    }

    /// Writes the zip under the target's temporary name (0600), syncs it, reads it back and
    /// checks it, and only then renames it into place.
    public static func write(folder: String, to target: ExportTarget) throws -> Written {
        do {
            let written = try write(folder: folder, temporary: target.temporary)
            try target.commit()
            return Written(files: written.files, renamed: written.renamed, removable: isRemovable(target.path))
        } catch {
            target.discard()
            throw error
        }
    }

    static func write(folder: String, temporary output: String) throws -> Written {
        let zip = try LibZip.shared.get()
        // libzip writes its own temporary file beside the output: private from the first byte.
        let mask = umask(0o077)
        defer { umask(mask) }
        let base = fatSafe(URL(fileURLWithPath: folder).standardizedFileURL.lastPathComponent)
        var entries: [(path: String, name: String, sha256: String)] = []
        var renamed: [(String, String)] = []
        var taken: Set<String> = []
        for relative in files(in: folder).sorted() {
            let safe = relative.split(separator: "/").map { fatSafe(String($0)) }.joined(separator: "/")
            var name = base + "/" + safe
            var counter = 2
            while taken.contains(name.lowercased()) {
                name = base + "/" + safe + "-\(counter)"
                counter += 1
            }
            taken.insert(name.lowercased())
            if safe != relative { renamed.append((relative, name)) }
            guard let sha = FileHash.sha256(path: folder + "/" + relative) else { throw Failure(description: "cannot read \(relative)") }
            entries.append((folder + "/" + relative, name, sha))
        }
        let manifest = entries.map { "\($0.sha256)  \($0.name)" }.joined(separator: "\n") + "\n"
        var error: Int32 = 0
        guard let archive = zip.open(output, ZIP_CREATE | ZIP_EXCL, &error) else {
            throw Failure(description: "cannot create \(output) (libzip error \(error))")
        }
        for entry in entries {
            guard let source = zip.sourceFile(archive, entry.path, 0, -1),
                  zip.fileAdd(archive, entry.name, source, zip_flags_t(ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE)) >= 0 else {
                let message = zip.strerror(archive).map { String(cString: $0) } ?? "unknown libzip error"
                zip.discard(archive)
                throw Failure(description: "cannot add \(entry.name): \(message)")
            }
        }
        let bytes = Array(manifest.utf8)
        let buffer = malloc(bytes.count)!
        bytes.withUnsafeBytes { buffer.copyMemory(from: $0.baseAddress!, byteCount: bytes.count) }
        guard let source = zip.sourceBuffer(archive, buffer, zip_uint64_t(bytes.count), 1),
              zip.fileAdd(archive, base + "/MANIFEST.sha256", source, zip_flags_t(ZIP_FL_ENC_UTF_8)) >= 0 else {
            zip.discard(archive)
            throw Failure(description: "cannot add the manifest")
        }
        guard zip.close(archive) == 0 else {
            let message = zip.strerror(archive).map { String(cString: $0) } ?? "unknown libzip error"
            zip.discard(archive)
            throw Failure(description: "cannot write \(output): \(message)")
        }
        guard chmod(output, 0o600) == 0 else { throw Failure(description: "cannot make \(output) private: \(String(cString: strerror(errno)))") }
        try sync(output)
        try check(output, against: entries.map { ($0.name, $0.sha256) })
        return Written(files: entries.count, renamed: renamed, removable: false)
    }

    /// Reads the zip back and compares each entry's SHA-256 with what was written.
    static func check(_ output: String, against expected: [(name: String, sha256: String)]) throws {
        let zip = try LibZip.shared.get()
        var error: Int32 = 0
        guard let archive = zip.open(output, ZIP_RDONLY | ZIP_CHECKCONS, &error) else {
            throw Failure(description: "\(output) cannot be read back (libzip error \(error))")
        }
        defer { zip.discard(archive) }
        for entry in expected {
            guard let file = zip.fopen(archive, entry.name, 0) else { throw Failure(description: "\(entry.name) is missing from \(output)") }
            var hasher = SHA256()
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                let count = chunk.withUnsafeMutableBytes { zip.fread(file, $0.baseAddress, zip_uint64_t($0.count)) }
                if count < 0 { _ = zip.fclose(file); throw Failure(description: "\(entry.name) cannot be read back from \(output)") }
                if count == 0 { break }
                hasher.update(data: chunk[0..<Int(count)])
            }
            _ = zip.fclose(file)
            guard Hex.encode(hasher.finalize()) == entry.sha256 else {
                throw Failure(description: "\(entry.name) in \(output) does not match the folder's file (SHA-256)")
            }
        }
    }

    /// The file and its directory on the disk (not only in the cache): safe to unplug after this.
    static func sync(_ path: String) throws {
        for target in [path, (path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent] {
            let descriptor = open(target, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else { throw Failure(description: "cannot open \(target) to sync it") }
            defer { close(descriptor) }
            guard fsync(descriptor) == 0 else { throw Failure(description: "cannot sync \(target): \(String(cString: strerror(errno)))") }
        }
    }

    /// Whether `path` is on a removable block device (`/sys/dev/block/MAJ:MIN`, or its disk's).
    static func isRemovable(_ path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0 else { return false }
        let major = (info.st_dev >> 8) & 0xFFF, minor = (info.st_dev & 0xFF) | ((info.st_dev >> 12) & 0xFFF00)
        let device = "/sys/dev/block/\(major):\(minor)"
        for candidate in [device + "/removable", device + "/../removable"] {
            if let text = try? String(contentsOfFile: candidate, encoding: .utf8), text.hasPrefix("1") { return true }
        }
        return false
    }

    /// Every regular file under `folder`, relative, symlinks not followed.
    static func files(in folder: String, _ prefix: String = "") -> [String] {
        var out: [String] = []
        for name in PosixFiles.names(in: folder + (prefix.isEmpty ? "" : "/" + prefix)) ?? [] {
            let relative = prefix.isEmpty ? name : prefix + "/" + name
            var info = stat()
            guard lstat(folder + "/" + relative, &info) == 0 else { continue }
            switch info.st_mode & S_IFMT {
            case S_IFREG: out.append(relative)
            case S_IFDIR: out += files(in: folder, relative)
            default: break
            }
        }
        return out
    }

    /// A name FAT keeps as it is: no `* ? < > | " : \`, no control characters, no trailing dot or
    /// space (FAT drops them), never empty.
    public static func fatSafe(_ name: String) -> String {
        var out = String(String.UnicodeScalarView(name.unicodeScalars.map { scalar in
            "*?<>|\":\\".unicodeScalars.contains(scalar) || scalar.value < 0x20 || scalar.value == 0x7F ? "_" : scalar
        }))
        while out.hasSuffix(".") || out.hasSuffix(" ") { out.removeLast() }
        return out.isEmpty ? "_" : out
    }
}
