import CQRencode
import Foundation

/// A QR code's modules from Debian's libqrencode (never a hand-written encoder): `true` is dark.
public struct QRCode: Sendable, Equatable {
    public let version: Int
    public let modules: [[Bool]]

    /// The smallest code that holds `text` (8-bit mode, error correction L: the most data for the
    /// size, and a phone photographs a screen well), or nil when no QR code can hold it or
    /// libqrencode cannot be loaded (`unavailable` says why).
    public init?(_ text: String) {
        guard case .success(let library) = LibQRencode.shared else { return nil }
        let bytes = Array(text.utf8)
        let made = bytes.withUnsafeBufferPointer { buffer in
            library.encodeData(Int32(buffer.count), buffer.baseAddress, 0, QR_ECLEVEL_L)
        }
        guard let code = made else { return nil }
        defer { library.free(code) }
        let width = Int(code.pointee.width)
        var rows: [[Bool]] = []
        for y in 0..<width {
            rows.append((0..<width).map { x in code.pointee.data[y * width + x] & 1 == 1 })
        }
        version = Int(code.pointee.version)
        modules = rows
    }

    /// Why no QR code can be made on this PC (libqrencode missing), or nil when it can.
    public static var unavailable: String? {
        if case .failure(let reason) = LibQRencode.shared { return reason.description }
        return nil
    }
}

/// Debian's libqrencode, loaded the first time a QR code is made (the last screen, `qr`), not at
/// every start: with the libpthread.so.0 it names, two shared libraries fewer to map and relocate
/// on the way to the employee's first screen (bench/README.md, the sixth round). The `CQRencode`
/// system-library target still gives the types and constants; the two functions come from
/// `dlsym`, typed as `qrencode.h` declares them (the QR tests decode what is drawn with zbarimg).
struct LibQRencode: @unchecked Sendable {
    // Safe: C function pointers, set once and never changed.
    typealias EncodeData = @convention(c) (Int32, UnsafePointer<UInt8>?, Int32, QRecLevel) -> UnsafeMutablePointer<QRcode>?
    typealias Free = @convention(c) (UnsafeMutablePointer<QRcode>?) -> Void

    struct Failure: Error, CustomStringConvertible { let description: String }

    let encodeData: EncodeData
    let free: Free

    static let shared: Result<LibQRencode, Failure> = load()

    private static func load() -> Result<LibQRencode, Failure> {
        // Only the ABI the function types below are written for (libqrencode4), never another
        // major version through the development symlink.
        guard let handle = dlopen("libqrencode.so.4", RTLD_NOW | RTLD_LOCAL) else {
            let reason = dlerror().map { String(cString: $0) } ?? "not found"
            return .failure(Failure(description: "cannot load libqrencode (install the package libqrencode4): \(reason)"))
        }
        guard let encode = dlsym(handle, "QRcode_encodeData"), let free = dlsym(handle, "QRcode_free") else {
            return .failure(Failure(description: "libqrencode has no QRcode_encodeData or QRcode_free"))
        }
        return .success(LibQRencode(encodeData: unsafeBitCast(encode, to: EncodeData.self), free: unsafeBitCast(free, to: Free.self)))
    }
}
