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
        /// Names the zip had to change (original → stored, relative to the folder): mapped in
        /// MANIFEST.sha256.
        public var renamed: [(String, String)]
        /// The files the employee attached, stored encrypted with `password`.
        public var encrypted: [String]
        /// The output's file system is on a removable device (a USB stick).
        public var removable: Bool
    }

    /// Writes the zip under the target's temporary name (0600), syncs it, reads it back and
    /// checks it, and only then renames it into place.
    public static func write(folder: String, to target: ExportTarget) throws -> Written {
        do {
            let written = try write(folder: folder, temporary: target.temporary)
            try target.commit()
            return Written(files: written.files, renamed: written.renamed, encrypted: written.encrypted, removable: isRemovable(target.path))
        } catch {
            target.discard()
            throw error
        }
    }

    /// The password of the members the employee attached (possibly the malware itself): the
    /// convention for sharing malware samples, so the consultant's antivirus does not quarantine
    /// the whole record. AES-256 (WinZip AE-2), which 7-Zip and pyzipper read (docs/DECISIONS.md).
    public static let password = "infected"

    /// One file of the folder as the zip stores it.
    struct Member {
        /// The file's path, as raw bytes (a name need not be UTF-8).
        var path: [UInt8]
        /// Relative to the folder, as `verify` names it there.
        var original: String
        /// The entry's name in the zip (under the folder's own name).
        var stored: String
        var sha256: String
        var encrypted: Bool
    }

    static func write(folder: String, temporary output: String) throws -> Written {
        // libzip writes its own temporary file beside the output: private from the first byte.
        let mask = umask(0o077)
        defer { umask(mask) }
        let base = fatSafe(URL(fileURLWithPath: folder).standardizedFileURL.lastPathComponent)
        let attached = attachedEvidence(folder)
        var members: [Member] = []
        var renamed: [(String, String)] = []
        var taken: Set<String> = []
        for raw in rawFiles(in: Array(folder.utf8)).sorted(by: { $0.lexicographicallyPrecedes($1) }) {
            // A name that is not UTF-8 is kept, under a name with its bytes written as %XX; verify
            // sees it in the copy as it sees it in the folder (the mapping below).
            let original = String(decoding: raw, as: UTF8.self)
            let readable = String(validating: raw, as: UTF8.self) != nil ? original : percentEncoded(raw)
            let safe = readable.split(separator: "/").map { fatSafe(String($0)) }.joined(separator: "/")
            var relative = safe
            var counter = 2
            // FAT compares names without case: `Invoice.doc` and `invoice.doc` cannot both be there.
            while taken.contains(relative.lowercased()) {
                relative = numbered(safe, counter)
                counter += 1
            }
            taken.insert(relative.lowercased())
            if relative != original { renamed.append((original, relative)) }
            let path = Array(folder.utf8) + [UInt8(ascii: "/")] + raw
            guard let sha = sha256(rawPath: path) else { throw Failure(description: "cannot read \(readable)") }
            members.append(Member(path: path, original: original, stored: base + "/" + relative, sha256: sha,
                                  encrypted: attached.contains(original)))
        }
        // MANIFEST.sha256: `sha256sum -c` lines, then one comment line per name the zip changed.
        var manifest = members.map { "\($0.sha256)  \($0.stored)" }.joined(separator: "\n") + "\n"
        for (original, stored) in renamed {
            let mapping = JSONValue.object([.init("original", .string(original)), .init("stored", .string(stored))])
            manifest += "\(renamedMark)\(mapping.compact())\n"
        }
        var error: Int32 = 0
        guard let archive = zip_open(output, ZIP_CREATE | ZIP_EXCL, &error) else {
            throw Failure(description: "cannot create \(output) (libzip error \(error))")
        }
        for member in members {
            let added = member.path.withUnsafeBufferPointer { bytes -> zip_int64_t in
                let cPath = bytes.map { CChar(bitPattern: $0) } + [0]
                guard let source = zip_source_file(archive, cPath, 0, -1) else { return -1 }
                return zip_file_add(archive, member.stored, source, zip_flags_t(ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE))
            }
            guard added >= 0, !member.encrypted || zip_file_set_encryption(archive, zip_uint64_t(added), zip_uint16_t(ZIP_EM_AES_256), password) == 0 else {
                let message = zip_strerror(archive).map { String(cString: $0) } ?? "unknown libzip error"
                zip_discard(archive)
                throw Failure(description: "cannot add \(member.stored): \(message)")
            }
        }
        let bytes = Array(manifest.utf8)
        let buffer = malloc(bytes.count)!
        bytes.withUnsafeBytes { buffer.copyMemory(from: $0.baseAddress!, byteCount: bytes.count) }
        guard let source = zip_source_buffer(archive, buffer, zip_uint64_t(bytes.count), 1),
              zip_file_add(archive, base + "/" + manifestName, source, zip_flags_t(ZIP_FL_ENC_UTF_8)) >= 0 else {
            zip_discard(archive)
            throw Failure(description: "cannot add the manifest")
        }
        guard zip_close(archive) == 0 else {
            let message = zip_strerror(archive).map { String(cString: $0) } ?? "unknown libzip error"
            zip_discard(archive)
            throw Failure(description: "cannot write \(output): \(message)")
        }
        guard ExportTarget.makePrivate(output) else { throw Failure(description: "cannot make \(output) private: \(String(cString: strerror(errno)))") }
        try sync(output)
        try check(output, against: members.map { ($0.stored, $0.sha256, $0.encrypted) })
        return Written(files: members.count, renamed: renamed, encrypted: members.filter(\.encrypted).map(\.original), removable: false)
    }

    public static let manifestName = "MANIFEST.sha256"
    /// The comment that maps a name the zip changed, in `MANIFEST.sha256`.
    static let renamedMark = "# renamed "

    /// The names the zip changed, original → stored (both relative to the record folder), read
    /// from the `MANIFEST.sha256` of an unzipped copy; empty for a folder that has none.
    public static func renamedNames(inCopy folder: String) -> [String: String] {
        guard let data = FileManager.default.contents(atPath: folder + "/" + manifestName) else { return [:] }
        var out: [String: String] = [:]
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") where line.hasPrefix(renamedMark) {
            guard let value = JSONValue.parse(Data(line.dropFirst(renamedMark.count).utf8)),
                  let original = value["original"]?.string, let stored = value["stored"]?.string else { continue }
            let base = URL(fileURLWithPath: folder).lastPathComponent + "/"
            out[original] = stored.hasPrefix(base) ? String(stored.dropFirst(base.count)) : stored
        }
        return out
    }

    /// `name.ext` → `name-N.ext` (the number before the extension, so the file still opens).
    static func numbered(_ relative: String, _ counter: Int) -> String {
        var parts = relative.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        let last = parts.removeLast()
        let stem: String, ext: String
        if let dot = last.lastIndex(of: "."), dot != last.startIndex {
            stem = String(last[..<dot]); ext = String(last[dot...])
        } else {
            stem = last; ext = ""
        }
        return (parts + [stem + "-\(counter)" + ext]).joined(separator: "/")
    }

    /// Bytes that are not UTF-8 written as `%XX` (and `%` itself), the rest as it is.
    static func percentEncoded(_ raw: [UInt8]) -> String {
        var out = ""
        var index = 0
        while index < raw.count {
            // The longest valid UTF-8 sequence starting here, if any.
            var length = 0
            for candidate in stride(from: min(4, raw.count - index), through: 1, by: -1) {
                if let text = String(validating: raw[index..<(index + candidate)], as: UTF8.self),
                   text.unicodeScalars.count == 1 {
                    length = candidate
                    break
                }
            }
            if length > 0, raw[index] != UInt8(ascii: "%") {
                out += String(decoding: raw[index..<(index + length)], as: UTF8.self)
                index += length
            } else {
                out += String(format: "%%%02X", Int(raw[index]))
                index += 1
            }
        }
        return out
    }

    /// The evidence files the employee attached (relative paths), from the journal.
    static func attachedEvidence(_ folder: String) -> Set<String> {
        guard let reader = try? SessionFolderReader(folder: folder) else { return [] }
        return Set(reader.contents.entries.compactMap { entry in
            guard case .evidenceAdded(let added)? = entry.typed else { return nil }
            return SessionFiles.evidence + "/" + added.file.name
        })
    }

    static func sha256(rawPath: [UInt8]) -> String? {
        let descriptor = open(rawPath.map { CChar(bitPattern: $0) } + [0], O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard descriptor >= 0 else { return nil }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        var hasher = SHA256()
        while true {
            guard let chunk = try? handle.read(upToCount: 1 << 20), !chunk.isEmpty else { break }
            hasher.update(data: chunk)
        }
        return Hex.encode(hasher.finalize())
    }

    /// Reads the zip back and compares each entry's SHA-256 with what was written.
    static func check(_ output: String, against expected: [(name: String, sha256: String, encrypted: Bool)]) throws {
        var error: Int32 = 0
        guard let archive = zip_open(output, ZIP_RDONLY | ZIP_CHECKCONS, &error) else {
            throw Failure(description: "\(output) cannot be read back (libzip error \(error))")
        }
        defer { zip_discard(archive) }
        for entry in expected {
            let opened = entry.encrypted ? zip_fopen_encrypted(archive, entry.name, 0, password) : zip_fopen(archive, entry.name, 0)
            guard let file = opened else { throw Failure(description: "\(entry.name) is missing from \(output)") }
            var hasher = SHA256()
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                let count = chunk.withUnsafeMutableBytes { zip_fread(file, $0.baseAddress, zip_uint64_t($0.count)) }
                if count < 0 { _ = zip_fclose(file); throw Failure(description: "\(entry.name) cannot be read back from \(output)") }
                if count == 0 { break }
                hasher.update(data: chunk[0..<Int(count)])
            }
            _ = zip_fclose(file)
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

    /// Every regular file under `folder` (raw path bytes), relative, symlinks not followed; names
    /// that are not UTF-8 included.
    static func rawFiles(in folder: [UInt8], _ prefix: [UInt8] = []) -> [[UInt8]] {
        var out: [[UInt8]] = []
        let directory = prefix.isEmpty ? folder : folder + [UInt8(ascii: "/")] + prefix
        guard let stream = opendir(directory.map { CChar(bitPattern: $0) } + [0]) else { return [] }
        defer { closedir(stream) }
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { Array($0.prefix { $0 != 0 }) }
            if name == [0x2E] || name == [0x2E, 0x2E] { continue }
            let relative = prefix.isEmpty ? name : prefix + [UInt8(ascii: "/")] + name
            var info = stat()
            guard lstat((folder + [UInt8(ascii: "/")] + relative).map { CChar(bitPattern: $0) } + [0], &info) == 0 else { continue }
            switch info.st_mode & S_IFMT {
            case S_IFREG: out.append(relative)
            case S_IFDIR: out += rawFiles(in: folder, relative)
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
