/// The name a copied file gets in `evidence/` (product.md, "File names"): its own name, Japanese
/// included (「請求書_1207.doc」 stays so). Only what a file system or a terminal cannot take is
/// changed, each to `_`: `/`, control characters (C0, DEL, C1, and the bidirectional controls
/// that make `cod.exe` read as `exe.doc`), and names that are empty, `.` or `..`. A name longer
/// than a file system takes is shortened on a character boundary, its extension kept.
public enum EvidenceName {
    /// The longest name Linux file systems take, in bytes of UTF-8 (`NAME_MAX`).
    public static let maximumBytes = 255
    /// An extension longer than this (dot included) is not one a program opens files by: a long
    /// name is then shortened at its end like any other.
    static let maximumExtensionBytes = 32

    /// The name `name` is stored under; `attempt` 2, 3, … is the n-th file of that name (`2-name`);
    /// at most `maximumBytes` bytes of UTF-8.
    public static func stored(_ name: String, attempt: Int = 1, maximumBytes: Int = EvidenceName.maximumBytes) -> String {
        var safe = String(String.UnicodeScalarView(name.unicodeScalars.map { isChanged($0) ? "_" : $0 }))
        if safe.isEmpty || safe == "." || safe == ".." { safe = String(repeating: "_", count: max(1, safe.count)) }
        let prefix = attempt > 1 ? "\(attempt)-" : ""
        return prefix + shortened(safe, toBytes: maximumBytes - prefix.utf8.count)
    }

    /// Whether a file of this name is a saved mail by its name alone (`.eml`, any case).
    public static func isMail(_ name: String) -> Bool {
        name.lowercased().hasSuffix(".eml")
    }

    /// The scalars a stored name never has: the path separator, C0 controls, DEL, C1 controls,
    /// and the bidirectional and annotation controls `Sanitizer` blanks on screen.
    static func isChanged(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x2F, 0x00..<0x20, 0x7F..<0xA0: return true
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069, 0xFFF9...0xFFFB: return true
        default: return false
        }
    }

    /// `name` in at most `limit` bytes of UTF-8, cut between characters (a kana and its voicing
    /// mark stay together; a single character longer than the room is cut between scalars) and
    /// keeping its extension.
    static func shortened(_ name: String, toBytes limit: Int) -> String {
        guard name.utf8.count > limit else { return name }
        var stem = Substring(name), suffix = Substring("")
        if let dot = name.lastIndex(of: "."), dot != name.startIndex,
           name.utf8[dot...].count <= maximumExtensionBytes {
            stem = name[..<dot]
            suffix = name[dot...]
        }
        let room = limit - suffix.utf8.count
        var end = stem.startIndex, bytes = 0
        while end < stem.endIndex {
            let next = stem.index(after: end)
            bytes += stem.utf8[end..<next].count
            guard bytes <= room else { break }
            end = next
        }
        if end == stem.startIndex {
            // One character (a base with hundreds of combining marks) is longer than the room.
            var scalars = String.UnicodeScalarView()
            bytes = 0
            for scalar in stem.unicodeScalars {
                bytes += UTF8.width(scalar)
                guard bytes <= room else { break }
                scalars.append(scalar)
            }
            return String(scalars) + suffix
        }
        return String(stem[..<end]) + suffix
    }
}
