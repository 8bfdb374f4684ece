import Crypto
import Foundation
import IncidentCore

/// What a command's output file holds, read without holding it in memory (it may be gigabytes).
public enum CommandOutput {
    /// A command output's SHA-256, size and scanner detection lines (`PATH: NAME FOUND`, as ClamAV
    /// prints them; at most 100), from one read in 1 MiB
    /// chunks, so a huge output neither sits in memory nor is read twice.
    public static func digest(of path: String) -> (sha256: String, size: Int, detections: [String])? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        var hasher = SHA256()
        var size = 0
        let suffix = Array(" FOUND".utf8)
        var found: [String] = []
        var carry: [UInt8] = []
        var carryTooLong = false
        func consider(_ line: ArraySlice<UInt8>) {
            // A line longer than 64 KiB is no scanner's detection line.
            guard line.count <= 1 << 16 else { return }
            var line = line
            if line.last == 0x0D { line = line.dropLast() }
            if line.count >= suffix.count, line.suffix(suffix.count).elementsEqual(suffix) {
                found.append(String(decoding: line, as: UTF8.self))
            }
        }
        while let chunk = try? handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            hasher.update(data: chunk)
            size += chunk.count
            guard found.count < 100 else { continue }
            let bytes = [UInt8](chunk)
            var lineStart = 0
            bytes.withUnsafeBufferPointer { buffer in
                guard let base = buffer.baseAddress else { return }
                while lineStart < buffer.count, found.count < 100,
                      let hit = memchr(base + lineStart, 0x0A, buffer.count - lineStart) {
                    let index = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                    if carryTooLong {
                        carryTooLong = false
                    } else if carry.isEmpty {
                        consider(bytes[lineStart..<index])
                    } else {
                        carry += bytes[lineStart..<index]
                        consider(carry[...])
                        carry.removeAll(keepingCapacity: true)
                    }
                    lineStart = index + 1
                }
            }
            if !carryTooLong { carry += bytes[lineStart...] }
            if carry.count > 1 << 16 {
                carry.removeAll(keepingCapacity: true)
                carryTooLong = true
            }
        }
        if !carry.isEmpty, !carryTooLong, found.count < 100 { consider(carry[...]) }
        return (Hex.encode(hasher.finalize()), size, found)
    }

    /// The last lines of a file, reading only its end (scanner output may be huge).
    public static func tail(of path: String, lines count: Int) -> [String] {
        guard let handle = FileHandle(forReadingAtPath: path) else { return [] }
        defer { try? handle.close() }
        let size = (try? handle.seekToEnd()) ?? 0
        let start = size > 8192 ? size - 8192 : 0
        try? handle.seek(toOffset: start)
        let data = (try? handle.readToEnd()) ?? Data()
        let text = String(decoding: data, as: UTF8.self)
        return Array(text.split(separator: "\n").suffix(count).map(String.init))
    }
}
