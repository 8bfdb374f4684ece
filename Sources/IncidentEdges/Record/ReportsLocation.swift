import Foundation
import IncidentCore

/// Where a session's record goes (product.md, "Never a dead end"): the reports directory the
/// settings ask for when it is safe to use, else the employee's own private fallback folder, else
/// nowhere (the emergency card). `run`, the emergency card's record and `check` all ask here, so
/// they always agree.
///
/// A folder is used only when every part of its path passes, read with `lstat` from `/` down:
/// - the folder itself is a real folder (never a symbolic link), owned by the user (the effective
///   uid) and writable by no group or other user, and the user can write in it (`faccessat`, so a
///   read-only mount counts);
/// - every folder above it belongs to root or to the user, and one that others can write has the
///   sticky bit (as `/tmp`): otherwise another user could swap the folder for one of his own;
/// - a symbolic link above it is followed only when root owns it (the system's own layout, as a
///   `/home` moved elsewhere); any other link in the path is never followed.
/// Missing folders are made one by one with mode 0700 (never through a link: `mkdir` does not
/// follow one, and each is checked again after it is made).
public struct ReportsLocation: Sendable, Equatable {
    /// Why a folder cannot be used.
    public enum Problem: Sendable, Equatable, CustomStringConvertible {
        case cannotCreate(path: String, reason: String)
        case notWritable(path: String, reason: String)
        case notAFolder(path: String)
        case symlink(path: String)
        case otherOwner(path: String, uid: UInt32)
        case othersCanWrite(path: String)
        case unsafeParent(path: String, why: String)

        /// The code recorded in the journal (`ReportsFallback.reason`).
        public var code: String {
            switch self {
            case .cannotCreate: return "cannot-create"
            case .notWritable: return "not-writable"
            case .notAFolder: return "not-a-folder"
            case .symlink: return "symlink"
            case .otherOwner: return "other-owner"
            case .othersCanWrite: return "others-can-write"
            case .unsafeParent: return "unsafe-parent"
            }
        }

        public var description: String {
            switch self {
            case let .cannotCreate(path, reason): return "\(path) cannot be created: \(reason)"
            case let .notWritable(path, reason): return "\(path) cannot be written: \(reason)"
            case .notAFolder(let path): return "\(path) is not a folder"
            case .symlink(let path): return "\(path) is a symbolic link, and a link is never followed"
            case let .otherOwner(path, uid): return "\(path) belongs to another user (uid \(uid))"
            case .othersCanWrite(let path): return "other users can write to \(path)"
            case let .unsafeParent(path, why): return "\(path), a folder above it, \(why)"
            }
        }
    }

    /// The reports directory the settings ask for (`ReportFolder.reportsDirectory`).
    public let wanted: String
    /// The private fallback: `$XDG_STATE_HOME/incident-wizard/reports` when that variable holds an
    /// absolute path, else `~/.local/state/incident-wizard/reports`.
    public let fallback: String
    /// Why `wanted` is not used; nil when it is.
    public let problem: Problem?
    /// Why the fallback cannot be used either (only when `wanted` cannot).
    public let fallbackProblem: Problem?

    /// Where the record goes; nil when nothing at all can be written (the emergency card).
    public var directory: String? {
        if problem == nil { return wanted }
        return fallbackProblem == nil ? fallback : nil
    }

    /// What `session.started` records when the record is kept in the fallback.
    public var record: ReportsFallback? {
        guard let problem, fallbackProblem == nil else { return nil }
        return ReportsFallback(wanted: wanted, directory: fallback, reason: problem.code, detail: problem.description)
    }

    /// Decides for `wanted`, making the missing folders of the one it chooses (`create`), or, for
    /// `check`, only saying what would happen (a dry run makes and changes nothing, except that it
    /// makes the wanted folder as `check` always has).
    public static func decide(wanted: String, environment: [String: String] = SystemFacts.environment,
                              home: String = SystemFacts.homeDirectory, create: Bool = true) -> ReportsLocation {
        let fallback = fallbackDirectory(environment: environment, home: home)
        let problem = inspect(wanted, create: true)
        let fallbackProblem = problem == nil ? nil : inspect(fallback, create: create)
        return ReportsLocation(wanted: wanted, fallback: fallback, problem: problem, fallbackProblem: fallbackProblem)
    }

    /// The private fallback folder (see `fallback`).
    public static func fallbackDirectory(environment: [String: String] = SystemFacts.environment,
                                         home: String = SystemFacts.homeDirectory) -> String {
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") { return normalised(state) + "/incident-wizard/reports" }
        return normalised(home) + "/.local/state/incident-wizard/reports"
    }

    /// The folders where an unfinished session may be: the one in use and, when the wanted one is
    /// in use, the fallback too if it exists and is safe (a session kept there while the share was
    /// down is offered when it is back).
    public var searchDirectories: [String] {
        guard let directory else { return [] }
        if directory == wanted, fallback != wanted, Self.inspect(fallback, create: false) == nil { return [directory, fallback] }
        return [directory]
    }

    /// An absolute path with `.`, `..` and repeated slashes resolved by name (a relative one is
    /// taken from the current directory).
    static func normalised(_ path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        var parts: [Substring] = []
        for part in absolute.split(separator: "/") {
            if part == "." { continue }
            if part == ".." { _ = parts.popLast(); continue }
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
    }

    /// Why `path` cannot be used, or nil (see the type's comment). `create`: make what is missing;
    /// else a missing folder passes when the nearest existing one above it is safe and writable.
    public static func inspect(_ path: String, create: Bool) -> Problem? {
        let target = normalised(path)
        let user = geteuid()
        let parts = target.split(separator: "/")
        var current = ""
        if parts.isEmpty { return .unsafeParent(path: "/", why: "is the root folder") }
        for (index, part) in parts.enumerated() {
            let isLast = index == parts.count - 1
            let parent = current.isEmpty ? "/" : current
            current += "/" + part
            var info = stat()
            if lstat(current, &info) != 0 {
                guard errno == ENOENT else { return .cannotCreate(path: target, reason: String(cString: strerror(errno))) }
                guard create else {
                    // The folder above is safe (checked on the way down): can the rest be made?
                    guard faccessat(AT_FDCWD, parent, W_OK | X_OK, AT_EACCESS) == 0 else {
                        return .cannotCreate(path: target, reason: String(cString: strerror(errno)))
                    }
                    return nil
                }
                if mkdir(current, 0o700) != 0, errno != EEXIST {
                    return .cannotCreate(path: target, reason: String(cString: strerror(errno)))
                }
                guard lstat(current, &info) == 0 else { return .cannotCreate(path: target, reason: String(cString: strerror(errno))) }
            }
            if info.st_mode & S_IFMT == S_IFLNK {
                guard !isLast, info.st_uid == 0 else { return .symlink(path: current) }
                guard stat(current, &info) == 0 else { return .cannotCreate(path: target, reason: String(cString: strerror(errno))) }
            }
            guard info.st_mode & S_IFMT == S_IFDIR else { return .notAFolder(path: current) }
            let othersWrite = info.st_mode & (S_IWGRP | S_IWOTH) != 0
            if isLast {
                if info.st_uid != user { return .otherOwner(path: current, uid: info.st_uid) }
                if othersWrite { return .othersCanWrite(path: current) }
            } else {
                if info.st_uid != 0, info.st_uid != user { return .unsafeParent(path: current, why: "belongs to another user (uid \(info.st_uid))") }
                if othersWrite, info.st_mode & S_ISVTX == 0 {
                    return .unsafeParent(path: current, why: "can be changed by other users (no sticky bit)")
                }
            }
        }
        guard faccessat(AT_FDCWD, target, W_OK | X_OK, AT_EACCESS) == 0 else {
            return .notWritable(path: target, reason: String(cString: strerror(errno)))
        }
        return nil
    }
}
