/// The record in one short line for the QR code the employee's phone photographs (docs/handoff.md):
///
///     IW1|<incident id, 32 hex>|<host>|<started, YYYYMMDDTHHMM±hhmm>|<outcome>|<network>|<scan>|<reached>|<check code>[|drill]
///
/// ASCII, `|`-separated, no sentences: version 5 at error correction L (106 bytes, 45×23 cells)
/// fits an 80×24 terminal. A field with nothing to say is `-`; `open` is the outcome of an
/// unfinished record; `none` is "nobody reached".
public enum HandoffSummary {
    public static func text(_ report: Report, outcome: String? = nil) -> String {
        var fields = ["IW1", report.incidentID.filter(\.isHexDigit).lowercased(), field(report.host.name, 20),
                      compactTime(report.started), field(outcome ?? report.outcome ?? "open", 24)]
        func last<T>(_ pick: (Answer) -> T?) -> T? {
            for step in report.steps.reversed() { if let answer = step.answer, let value = pick(answer) { return value } }
            return nil
        }
        fields.append(last { if case .network(let outcome) = $0 { return outcome.method.rawValue } else { return nil } } ?? "-")
        fields.append(last { if case .scan(let outcome) = $0 { return outcome.verdict.rawValue } else { return nil } } ?? "-")
        fields.append(last { if case .notify(let outcome) = $0 { return outcome.reached ?? "none" } else { return nil } } ?? "-")
        fields.append(CheckCode.of(hash: report.journalLastHash) ?? "-")
        if report.drill { fields.append("drill") }
        return fields.joined(separator: "|")
    }

    /// Printable ASCII only (a host name could be anything), without the separator, at most `limit`.
    static func field(_ text: String, _ limit: Int) -> String {
        let ascii = String(String.UnicodeScalarView(text.unicodeScalars.map { (0x21...0x7E).contains($0.value) && $0 != "|" ? $0 : "_" }))
        return ascii.isEmpty ? "-" : String(ascii.prefix(limit))
    }

    /// `2026-12-02T15:09:36.619+09:00` → `20261202T1509+0900`.
    static func compactTime(_ rfc3339: String) -> String {
        let characters = Array(rfc3339)
        guard characters.count >= 16 else { return field(rfc3339, 24) }
        let date = String(characters[0..<4]) + String(characters[5..<7]) + String(characters[8..<10])
        let clock = String(characters[11..<13]) + String(characters[14..<16])
        var zone = ""
        if let sign = characters.lastIndex(where: { $0 == "+" || $0 == "-" }), sign > 16 {
            zone = String(characters[sign...]).replacingOccurrences(of: ":", with: "")
        } else if characters.last == "Z" {
            zone = "Z"
        }
        return date + "T" + clock + zone
    }
}
