import Foundation

/// Two file-system reads that must not go wrong on what an attacker or a broken disk leaves:
/// a file's contents without ever blocking on a FIFO or reading a device for ever, and a
/// folder's names, whatever bytes they are made of.
enum PosixFiles {
    /// The whole file, or nil if it cannot be opened or read, or is not a regular file: a
    /// directory, a FIFO (which would block the reader for ever: it is opened without waiting), a
    /// device such as /dev/zero (which never ends).
    static func contents(_ path: String) -> Data? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        // Read straight into the result, sized for the file (one byte more, to see the end without
        // growing), grown if the file grows meanwhile: no second buffer and no copy.
        var data = Data(count: max(4096, min(Int(info.st_size) + 1, 1 << 20)))
        var filled = 0
        while true {
            if filled == data.count { data.count += min(data.count, 1 << 20) }
            let count = data.withUnsafeMutableBytes { read(descriptor, $0.baseAddress! + filled, $0.count - filled) }
            if count < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if count == 0 {
                data.count = filled
                return data
            }
            filled += count
        }
    }

    /// The names in a directory (not `.` and `..`), in no particular order; nil if it cannot be read.
    static func names(in directory: String) -> [String]? {
        guard let stream = opendir(directory) else { return nil }
        defer { closedir(stream) }
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != ".", name != ".." { names.append(name) }
        }
        return names
    }
}
