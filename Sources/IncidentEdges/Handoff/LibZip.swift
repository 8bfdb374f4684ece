import CZip
import Foundation

/// Debian's libzip, loaded when a zip is written (`export --format zip`), not at every start
/// (`SharedLibrary`): with what it brings (libcrypto, libbz2, libz) it cost ~1.5 ms of each start
/// of the wizard. The functions are typed as `zip.h` declares them (the zip tests, which unzip
/// with Python and verify the copy, check the calls).
struct LibZip: @unchecked Sendable {
    // Safe: C function pointers, set once and never changed.
    typealias Open = @convention(c) (UnsafePointer<CChar>?, Int32, UnsafeMutablePointer<Int32>?) -> OpaquePointer?
    typealias SourceFile = @convention(c) (OpaquePointer?, UnsafePointer<CChar>?, zip_uint64_t, zip_int64_t) -> OpaquePointer?
    typealias SourceBuffer = @convention(c) (OpaquePointer?, UnsafeRawPointer?, zip_uint64_t, Int32) -> OpaquePointer?
    typealias FileAdd = @convention(c) (OpaquePointer?, UnsafePointer<CChar>?, OpaquePointer?, zip_flags_t) -> zip_int64_t
    typealias StrError = @convention(c) (OpaquePointer?) -> UnsafePointer<CChar>?
    typealias Archive = @convention(c) (OpaquePointer?) -> Void
    typealias Close = @convention(c) (OpaquePointer?) -> Int32
    typealias FileOpen = @convention(c) (OpaquePointer?, UnsafePointer<CChar>?, zip_flags_t) -> OpaquePointer?
    typealias FileRead = @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?, zip_uint64_t) -> zip_int64_t
    typealias SetEncryption = @convention(c) (OpaquePointer?, zip_uint64_t, zip_uint16_t, UnsafePointer<CChar>?) -> Int32
    typealias FileOpenEncrypted = @convention(c) (OpaquePointer?, UnsafePointer<CChar>?, zip_flags_t, UnsafePointer<CChar>?) -> OpaquePointer?

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
    let setEncryption: SetEncryption
    let fopenEncrypted: FileOpenEncrypted

    /// The library, or why it could not be loaded (said to whoever exports a zip).
    static let shared: Result<LibZip, ZipExport.Failure> = load()

    private static func load() -> Result<LibZip, ZipExport.Failure> {
        do {
            let library = try SharedLibrary(["libzip.so.4", "libzip.so"], name: "libzip", package: "libzip4",
                                            missingNote: "an older libzip than 1.0?")
            return .success(LibZip(open: try library.function("zip_open", Open.self),
                                   sourceFile: try library.function("zip_source_file", SourceFile.self),
                                   sourceBuffer: try library.function("zip_source_buffer", SourceBuffer.self),
                                   fileAdd: try library.function("zip_file_add", FileAdd.self),
                                   strerror: try library.function("zip_strerror", StrError.self),
                                   discard: try library.function("zip_discard", Archive.self), close: try library.function("zip_close", Close.self),
                                   fopen: try library.function("zip_fopen", FileOpen.self), fread: try library.function("zip_fread", FileRead.self),
                                   fclose: try library.function("zip_fclose", Close.self),
                                   setEncryption: try library.function("zip_file_set_encryption", SetEncryption.self),
                                   fopenEncrypted: try library.function("zip_fopen_encrypted", FileOpenEncrypted.self)))
        } catch {
            return .failure(ZipExport.Failure(description: error.description))
        }
    }
}
