import CQRencode
import Foundation

/// A QR code's modules from Debian's libqrencode (never a hand-written encoder): `true` is dark.
public struct QRCode: Sendable, Equatable {
    public let version: Int
    public let modules: [[Bool]]

    /// The smallest code that holds `text` (8-bit mode, error correction L: the most data for the
    /// size, and a phone photographs a screen well), or nil when no QR code can hold it.
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        let made = bytes.withUnsafeBufferPointer { buffer in
            QRcode_encodeData(Int32(buffer.count), buffer.baseAddress, 0, QR_ECLEVEL_L)
        }
        guard let code = made else { return nil }
        defer { QRcode_free(code) }
        let width = Int(code.pointee.width)
        var rows: [[Bool]] = []
        for y in 0..<width {
            rows.append((0..<width).map { x in code.pointee.data[y * width + x] & 1 == 1 })
        }
        version = Int(code.pointee.version)
        modules = rows
    }
}
