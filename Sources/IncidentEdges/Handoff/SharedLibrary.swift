import Foundation

/// A Debian library the wizard opens with `dlopen` when a command first needs it (libzip for the
/// zip, libqrencode for the QR code) instead of linking it, so it is not loaded at every start,
/// on the way to the employee's first screen (bench/README.md). Its system-library target keeps
/// the header (types and constants); the functions come from `dlsym`, typed by the caller as the
/// header declares them.
struct SharedLibrary: @unchecked Sendable {
    // Safe: a handle that is never closed, only read.
    private let handle: UnsafeMutableRawPointer
    private let name: String
    private let missingNote: String

    struct Failure: Error, CustomStringConvertible { let description: String }

    /// The first of `files` that loads (the soname first); else why the last did not, with the
    /// package to install. `missingNote` follows the message for a function it lacks.
    init(_ files: [String], name: String, package: String, missingNote: String = "") throws(Failure) {
        guard let handle = files.lazy.compactMap({ dlopen($0, RTLD_NOW | RTLD_LOCAL) }).first else {
            let reason = dlerror().map { String(cString: $0) } ?? "not found"
            throw Failure(description: "cannot load \(name) (install the package \(package)): \(reason)")
        }
        self.handle = handle
        self.name = name
        self.missingNote = missingNote
    }

    /// The function `symbol`, as the C type `T` (a `@convention(c)` function type).
    func function<T>(_ symbol: String, _: T.Type) throws(Failure) -> T {
        guard let address = dlsym(handle, symbol) else {
            throw Failure(description: "\(name) has no \(symbol)" + (missingNote.isEmpty ? "" : " (\(missingNote))"))
        }
        return unsafeBitCast(address, to: T.self)
    }
}
