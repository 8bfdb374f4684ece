/// A journal line's check code: the first 40 bits of the line's SHA-256 in Crockford base32,
/// written `XXXX-XXXX` — short enough to read out on the phone and write down at the other end,
/// where malware on the PC cannot rewrite it.
public enum CheckCode {
    static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")

    /// The code of a line whose SHA-256 is `hash` (64 hex digits), or nil for anything else.
    public static func of(hash: String) -> String? {
        let hex = Array(hash.utf8)
        guard hex.count == 64 else { return nil }
        var value: UInt64 = 0
        for byte in hex.prefix(10) {
            guard let digit = hexValue(byte) else { return nil }
            value = value << 4 | UInt64(digit)
        }
        // 40 bits, 5 at a time, from the top.
        var symbols: [Character] = []
        for shift in stride(from: 35, through: 0, by: -5) { symbols.append(alphabet[Int((value >> UInt64(shift)) & 0x1F)]) }
        return String(symbols[0..<4]) + "-" + String(symbols[4..<8])
    }

    /// A code as a person typed it, in the written form: case and the dash do not matter, and
    /// Crockford's look-alikes are read as meant (O → 0, I and L → 1); nil when it cannot be one.
    public static func normalised(_ typed: String) -> String? {
        var symbols: [Character] = []
        for character in typed.uppercased() where character != "-" && character != " " {
            let mapped: Character
            switch character {
            case "O": mapped = "0"
            case "I", "L": mapped = "1"
            default: mapped = character
            }
            guard alphabet.contains(mapped) else { return nil }
            symbols.append(mapped)
        }
        guard symbols.count == 8 else { return nil }
        return String(symbols[0..<4]) + "-" + String(symbols[4..<8])
    }

    /// Whether two written codes differ in exactly one symbol (one character misheard).
    public static func differsByOne(_ a: String, _ b: String) -> Bool {
        let x = Array(a), y = Array(b)
        guard x.count == y.count else { return false }
        return zip(x, y).filter { $0 != $1 }.count == 1
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: return byte - 0x30
        case 0x61...0x66: return byte - 0x61 + 10
        case 0x41...0x46: return byte - 0x41 + 10
        default: return nil
        }
    }
}
