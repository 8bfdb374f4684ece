import IncidentCore

/// A QR code as terminal text: one column and two rows of modules per cell, with Unicode half
/// blocks (█ ▀ ▄ and space) for the dark modules, inside the 4-module quiet zone the standard
/// asks for. Drawn dark on light with explicit colours (the `qr` style), so it scans whatever the
/// terminal's own theme — a code with its colours inverted does not decode.
public enum QRDrawing {
    public static let quietZone = 4

    /// The code's lines, quiet zone included: `(modules.count + 8)` columns, half as many rows.
    public static func lines(_ modules: [[Bool]]) -> [String] {
        let size = modules.count + 2 * quietZone
        func dark(_ x: Int, _ y: Int) -> Bool {
            let mx = x - quietZone, my = y - quietZone
            return modules.indices.contains(my) && modules[my].indices.contains(mx) && modules[my][mx]
        }
        var out: [String] = []
        for y in stride(from: 0, to: size, by: 2) {
            var line = ""
            for x in 0..<size {
                switch (dark(x, y), dark(x, y + 1)) {
                case (true, true): line.append("█")
                case (true, false): line.append("▀")
                case (false, true): line.append("▄")
                case (false, false): line.append(" ")
                }
            }
            out.append(line)
        }
        return out
    }

    /// The modules back from printed lines (for tests: what a camera would see).
    public static func modules(fromLines lines: [String]) -> [[Bool]] {
        var rows: [[Bool]] = []
        for line in lines {
            var top: [Bool] = [], bottom: [Bool] = []
            for character in line {
                top.append(character == "█" || character == "▀")
                bottom.append(character == "█" || character == "▄")
            }
            rows.append(top)
            rows.append(bottom)
        }
        return rows
    }
}
