import CZip
import Foundation

/// Debian's libzip, loaded when a zip is written (`export --format zip`), not at every start: with
/// what it brings (libcrypto, libbz2, libz) it cost ~1.5 ms of each start of the wizard, on the
/// way to the employee's first screen (bench/README.md). The `CZip` system-library target still
/// gives its types and constants; the functions come from `dlopen`/`dlsym`, typed as `zip.h`
/// declares them (the zip tests, which unzip with Python and verify the copy, check the calls).
struct LibZip: @unchecked Sendable {
    // Safe: C function pointers and a library handle, set once and never changed.
    typealias Open = @convention(c) (UnsafePointer<CChar>?, Int32, UnsafeMutablePointer<Int32>?) -> OpaquePointer?
    typealias SourceFile = @convention(c) (OpaquePointer?, UnsafePointer<CChar>?, zip_uint64_t, zip_int64_t) -> OpaquePointer?
    typealias SourceBuffer = @convention(c) (OpaquePointer?, UnsafeRawPointer?, zip_uint64_t, Int32) -> OpaquePointer?
    typealias FileAdd = @convention(c) (OpaquePointer?, UnsafePointer<CChar>?, OpaquePointer?, zip_flags_t) -> zip_int64_t
    typealias StrError = @convention(c) (OpaquePointer?) -> UnsafePointer<CChar>?
    typealias Archive = @convention(c) (OpaquePointer?) -> Void
    typealias Close = @convention(c) (OpaquePointer?) -> Int32
    typealias FileOpen = @convention(c) (OpaquePointer?, UnsafePointer<CChar>?, zip_flags_t) -> OpaquePointer?
    typealias FileRead = @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?, zip_uint64_t) -> zip_int64_t

    let open: Open
    let sourceFile: SourceFile
    let sourceBuffer: SourceBuffer
    let fileAdd: FileAdd
    let strerror: StrError
    let discard: Archive
    let close: Close
    let fopen: FileOpen
    let fread: FileRead
    let fclose: Close

    /// The library, or why it could not be loaded (said to whoever exports a zip).
    static let shared: Result<LibZip, ZipExport.Failure> = load()

    private static func load() -> Result<LibZip, ZipExport.Failure> {
        guard let handle = dlopen("libzip.so.4", RTLD_NOW | RTLD_LOCAL) ?? dlopen("libzip.so", RTLD_NOW | RTLD_LOCAL) else {
            let reason = dlerror().map { String(cString: $0) } ?? "not found"
            return .failure(ZipExport.Failure(description: "cannot load libzip (install the package libzip4): \(reason)"))
        }
        func symbol<T>(_ name: String, _: T.Type) throws -> T {
            guard let address = dlsym(handle, name) else {
                throw ZipExport.Failure(description: "libzip has no \(name) (an older libzip than 1.0?)")
            }
            return unsafeBitCast(address, to: T.self)
        }
        do {
            return .success(LibZip(open: try symbol("zip_open", Open.self), sourceFile: try symbol("zip_source_file", SourceFile.self),
                                   sourceBuffer: try symbol("zip_source_buffer", SourceBuffer.self),
                                   fileAdd: try symbol("zip_file_add", FileAdd.self), strerror: try symbol("zip_strerror", StrError.self),
                                   discard: try symbol("zip_discard", Archive.self), close: try symbol("zip_close", Close.self),
                                   fopen: try symbol("zip_fopen", FileOpen.self), fread: try symbol("zip_fread", FileRead.self),
                                   fclose: try symbol("zip_fclose", Close.self)))
        } catch let failure as ZipExport.Failure {
            return .failure(failure)
        } catch {
            return .failure(ZipExport.Failure(description: "\(error)"))
        }
    }
}
