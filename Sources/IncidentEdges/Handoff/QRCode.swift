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
/// every start (`SharedLibrary`): with the libpthread.so.0 it names, two shared libraries fewer
/// to map and relocate (bench/README.md, the sixth round). The functions are typed as
/// `qrencode.h` declares them (the QR tests decode what is drawn with zbarimg). Only the ABI they
/// are written for (libqrencode4) is opened, never another major version through the
/// development symlink.
struct LibQRencode: @unchecked Sendable {
    // Safe: C function pointers, set once and never changed.
    typealias EncodeData = @convention(c) (Int32, UnsafePointer<UInt8>?, Int32, QRecLevel) -> UnsafeMutablePointer<QRcode>?
    typealias Free = @convention(c) (UnsafeMutablePointer<QRcode>?) -> Void

    let encodeData: EncodeData
    let free: Free

    static let shared = Result { () throws(SharedLibrary.Failure) -> LibQRencode in
        let library = try SharedLibrary(["libqrencode.so.4"], name: "libqrencode", package: "libqrencode4")
        return LibQRencode(encodeData: try library.function("QRcode_encodeData", EncodeData.self),
                           free: try library.function("QRcode_free", Free.self))
    }
}
