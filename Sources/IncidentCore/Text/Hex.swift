/// Lower-case hexadecimal of bytes (digests), without a formatter per byte.
public enum Hex {
    /// Inlinable, so that each caller gets it specialised for its bytes (a digest, an array): the
    /// generic form looks up the sequence's iterator type at run time, by name, the first time —
    /// 0.36 ms of profile samples before the first screen (bench/README.md).
    @inlinable
    public static func encode<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var out: [UInt8] = []
        out.reserveCapacity(Swift.max(64, bytes.underestimatedCount * 2))
        for byte in bytes {
            out.append(digit(byte >> 4))
            out.append(digit(byte & 0x0F))
        }
        return String(decoding: out, as: UTF8.self)
    }

    @inlinable
    static func digit(_ value: UInt8) -> UInt8 { value < 10 ? 0x30 + value : 0x57 + value }
}
