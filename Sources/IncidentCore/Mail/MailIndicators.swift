import Foundation

/// What an attached mail's headers point at, for the report's indicators and the exports: the
/// address inside `Name <address>`, the display name, the Received chain's IP addresses.
public enum MailIndicators {
    /// The address inside `Name <address>` (the whole header when there are no brackets).
    public static func address(_ header: String) -> String {
        if let open = header.lastIndex(of: "<"), let close = header.lastIndex(of: ">"), open < close {
            return String(header[header.index(after: open)..<close]).trimmingCharacters(in: .whitespaces)
        }
        return header.trimmingCharacters(in: .whitespaces)
    }

    /// The display name before `<address>`, if any.
    public static func displayName(_ header: String) -> String? {
        guard let open = header.lastIndex(of: "<") else { return nil }
        let name = header[..<open].trimmingCharacters(in: CharacterSet(charactersIn: " \""))
        return name.isEmpty ? nil : name
    }

    /// The IP addresses of the Received chain, newest first, each once.
    public static func receivedIPs(_ mail: MailSummary) -> [String] {
        unique(mail.received.flatMap(ipAddresses))
    }

    /// IPv4 addresses, and IPv6 ones in brackets, as Received headers write them.
    static func ipAddresses(_ header: String) -> [String] {
        var found: [String] = []
        var current = ""
        for character in header + " " {
            if character.isNumber || character == "." {
                current.append(character)
                continue
            }
            let parts = current.split(separator: ".", omittingEmptySubsequences: false)
            if parts.count == 4, parts.allSatisfy({ !$0.isEmpty && $0.count <= 3 && (Int($0) ?? 256) <= 255 }) { found.append(current) }
            current = ""
        }
        var rest = Substring(header)
        while let open = rest.range(of: "[IPv6:") ?? rest.range(of: "[ipv6:") {
            guard let close = rest[open.upperBound...].firstIndex(of: "]") else { break }
            found.append(String(rest[open.upperBound..<close]))
            rest = rest[close...]
        }
        return found
    }

    /// Each item once, in its first place.
    public static func unique(_ items: [String]) -> [String] {
        var seen: Set<String> = []
        return items.filter { seen.insert($0).inserted }
    }
}
