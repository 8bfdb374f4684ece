/// File path names taken apart as `NSString`'s path methods do, in pure Swift (bridging to
/// NSString costs the first call a noticeable share of the time to the first screen).
public enum PathName {
    /// `"/a/b.yaml"` → `"b.yaml"`; trailing slashes are ignored.
    public static func last(_ path: String) -> String {
        let trimmed = stripTrailingSlashes(path)
        if trimmed == "/" { return "/" }
        guard let slash = trimmed.lastIndex(of: "/") else { return trimmed }
        return String(trimmed[trimmed.index(after: slash)...])
    }

    /// `"/a/b.yaml"` → `"/a"`, `"b.yaml"` → `""`, `"/b"` → `"/"`.
    public static func directory(_ path: String) -> String {
        let trimmed = stripTrailingSlashes(path)
        guard let slash = trimmed.lastIndex(of: "/") else { return "" }
        if slash == trimmed.startIndex { return "/" }
        return stripTrailingSlashes(String(trimmed[..<slash]))
    }

    /// `("/a", "b")` → `"/a/b"`; an empty directory gives the name alone.
    public static func join(_ directory: String, _ name: String) -> String {
        if directory.isEmpty { return name }
        return directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    /// `"b.yaml"` → `"b"`; a leading dot is not an extension.
    public static func withoutExtension(_ name: String) -> String {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex, !name[dot...].contains("/") else { return name }
        return String(name[..<dot])
    }

    static func stripTrailingSlashes(_ path: String) -> String {
        var path = Substring(path)
        while path.count > 1, path.hasSuffix("/") { path.removeLast() }
        return String(path)
    }
}
