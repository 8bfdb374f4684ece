import IncidentCore

/// A QR code as terminal text: one column and two rows of modules per cell (a terminal cell is
/// about twice as high as wide, so a module is square), with Unicode half blocks (█ ▀ ▄ and space)
/// for the dark modules, inside a quiet zone of light modules. Drawn dark on light with explicit
/// colours (the `qr` style), so it scans whatever the terminal's own theme — a code with its
/// colours inverted does not decode.
public enum QRDrawing {
    /// The quiet zone the standard asks for, used wherever there is room (`qr DIR`).
    public static let quietZone = 4
    /// The narrowest quiet zone drawn (the last screen in a small window): phone readers find a
    /// code with 2 light modules around it; narrower ones were not relied on.
    public static let minimumQuietZone = 2

    /// The code's lines, quiet zone included: `modules.count + 2 × quietZone` columns, half as
    /// many rows (rounded up: the last row's lower half is light).
    public static func lines(_ modules: [[Bool]], quietZone: Int = quietZone) -> [String] {
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
