import Foundation

/// What an attached mail's headers point at, for the report's indicators and the exports: the
/// address inside `Name <address>`, the display name, the Received chain's IP addresses.
public enum MailIndicators {
    /// The first mailbox's address, read as RFC 5322 reads it: comments `( … )` (nested, with
    /// escapes) and quoted display names never become the address; `Name <address>` gives the
    /// angle-bracketed address outside comments and quotes; a group `name: a, b;` gives its first
    /// member. `attacker@evil.example (Sato <sato@partner.example>)` is `attacker@evil.example`.
    public static func address(_ header: String) -> String {
        mailbox(header).address
    }

    /// The display name of the first mailbox (its phrase, or the comment after a bare address, as
    /// Python's `email.utils.parseaddr` gives it), if any.
    public static func displayName(_ header: String) -> String? {
        let name = mailbox(header).name.trimmingCharacters(in: .whitespaces)
        return name.isEmpty ? nil : name
    }

    /// One mailbox of a header value: its address and display name.
    static func mailbox(_ header: String) -> (address: String, name: String) {
        var phrase = ""       // words outside comments, quotes and brackets (the addr-spec, or the name)
        var quoted = ""       // quoted display-name text
        var comment = ""      // the first comment's text
        var angle: String?    // the <address> outside comments and quotes (the last one)
        var characters = Array(header)
        var index = 0
        var depth = 0
        var inQuote = false
        var inAngle = false
        var current = ""
        var sawComment = false
        // A group ("name: a, b;"): the mailboxes after the colon.
        if let colon = firstOutside(":", in: characters), !characters[..<colon].contains("@") {
            characters = Array(characters[(colon + 1)...])
        }
        while index < characters.count {
            let character = characters[index]
            defer { index += 1 }
            if character == "\\", index + 1 < characters.count, depth > 0 || inQuote {
                index += 1
                if depth > 0, !sawComment { comment.append(characters[index]) } else if inQuote { quoted.append(characters[index]) }
                continue
            }
            if depth > 0 {
                if character == "(" { depth += 1 } else if character == ")" { depth -= 1; if depth == 0 { sawComment = true; continue } }
                if !sawComment { comment.append(character) }
                continue
            }
            if inQuote {
                if character == "\"" { inQuote = false } else { quoted.append(character) }
                continue
            }
            if inAngle {
                if character == ">" {
                    inAngle = false
                    // The last one wins: a display name decoded from encoded words may carry a
                    // bracketed address of its own before the real one.
                    angle = current
                    current = ""
                } else if character == "(" {
                    depth = 1
                } else if !character.isWhitespace {
                    current.append(character)
                }
                continue
            }
            switch character {
            case "(": depth = 1
            case "\"": inQuote = true
            case "<": inAngle = true; current = ""
            case ",", ";":
                // The first mailbox only.
                if angle != nil || !phrase.trimmingCharacters(in: .whitespaces).isEmpty { index = characters.count }
            default: phrase.append(character)
            }
        }
        if inAngle, angle == nil, !current.isEmpty { angle = current }
        let words = phrase.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        if let angle {
            let name = quoted.isEmpty ? words : (quoted + (words.isEmpty ? "" : " " + words))
            return (stripRoute(angle), name.isEmpty ? comment : name)
        }
        // No brackets: the addr-spec is the words outside comments, without their spaces.
        let spec = phrase.filter { !$0.isWhitespace }
        return (spec.isEmpty ? quoted : spec, quoted.isEmpty || spec.isEmpty ? comment : quoted)
    }

    /// `<@relay:user@host>` (an obsolete route) is `user@host`.
    private static func stripRoute(_ address: String) -> String {
        guard address.hasPrefix("@"), let colon = address.firstIndex(of: ":") else { return address }
        return String(address[address.index(after: colon)...])
    }

    /// The first `target` outside comments, quotes and angle brackets.
    private static func firstOutside(_ target: Character, in characters: [Character]) -> Int? {
        var depth = 0, inQuote = false, inAngle = false, index = 0
        while index < characters.count {
            let character = characters[index]
            if character == "\\" { index += 2; continue }
            if depth > 0 {
                if character == "(" { depth += 1 } else if character == ")" { depth -= 1 }
            } else if inQuote {
                if character == "\"" { inQuote = false }
            } else if inAngle {
                if character == ">" { inAngle = false }
            } else if character == target {
                return index
            } else if character == "(" { depth = 1 } else if character == "\"" { inQuote = true } else if character == "<" { inAngle = true }
            index += 1
        }
        return nil
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
