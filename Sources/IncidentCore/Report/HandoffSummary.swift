/// The record in one short line for the QR code the employee's phone photographs (docs/handoff.md):
///
///     IW1|<incident id, 32 hex>|<host>|<started, YYYYMMDDTHHMM±hhmm>|<outcome>|<network>|<scan>|<reached>|<check code>[|drill]
///
/// ASCII, `|`-separated, no sentences, at most `maximumBytes`. A field with nothing to say is `-`;
/// `open` is the outcome of an unfinished record; `none` is "nobody reached".
public enum HandoffSummary {
    /// A version 6 code at error correction L holds 134 bytes: 41 modules, with a 2-module quiet
    /// zone 45 columns × 23 rows of half blocks, so the last screen shows it whole in an 80×24
    /// window with one line of caption under it. Version 7 (45 modules) would need 25 rows.
    public static let maximumBytes = 134

    public static func text(_ report: Report, outcome: String? = nil) -> String {
        var fields = ["IW1", report.incidentID.filter(\.isHexDigit).lowercased(), field(report.host.name, 20),
                      compactTime(report.started), field(outcome ?? report.outcome ?? "open", 24)]
        func last<T>(_ pick: (Answer) -> T?) -> T? {
            for step in report.steps.reversed() { if let answer = step.answer, let value = pick(answer) { return value } }
            return nil
        }
        fields.append(last { if case .network(let outcome) = $0 { return outcome.method.rawValue } else { return nil } } ?? "-")
        fields.append(last { if case .scan(let outcome) = $0 { return outcome.verdict.rawValue } else { return nil } } ?? "-")
        fields.append(field(last { if case .notify(let outcome) = $0 { return outcome.reached ?? "none" } else { return nil } } ?? "-", 24))
        fields.append(CheckCode.of(hash: report.journalLastHash) ?? "-")
        if report.drill { fields.append("drill") }
        return fitted(fields)
    }

    /// The fields joined, within `maximumBytes`: while too long, the longest of the host, the
    /// outcome and the contact reached loses its last character (the id, the results and the check
    /// code are never cut). Only unusually long names are cut: a drill of the shipped playbook
    /// with a 20-character host name is about 125 bytes.
    static func fitted(_ fields: [String]) -> String {
        var fields = fields
        let cuttable = [2, 4, 7].filter { fields.indices.contains($0) }
        while fields.joined(separator: "|").utf8.count > maximumBytes,
              let longest = cuttable.max(by: { fields[$0].count < fields[$1].count }), fields[longest].count > 1 {
            fields[longest].removeLast()
        }
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
