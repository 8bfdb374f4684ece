/// A `{{name}}` in a Text or a command element.
public struct Placeholder: Sendable, Equatable {
    /// The name between the braces, spaces trimmed (`answer.what-happened`).
    public var name: String
    /// Scalar offset of the opening `{{` within the string.
    public var offset: Int

    /// The parts of a placeholder name (`contact.admin.phone` → `[contact, admin, phone]`).
    public var parts: [Substring] { name.split(separator: ".", omittingEmptySubsequences: false) }

    /// A piece of a template: literal text or a placeholder.
    public enum Piece: Sendable, Equatable {
        case literal(String)
        case placeholder(Placeholder)
    }

    /// Splits a template into literals and placeholders; `unterminatedAt` is the scalar offset of
    /// a `{{` that has no closing `}}`.
    public static func parse(_ template: String) -> (pieces: [Piece], unterminatedAt: Int?) {
        var pieces: [Piece] = []
        var literal = String.UnicodeScalarView()
        let scalars = Array(template.unicodeScalars)
        var index = 0
        while index < scalars.count {
            if scalars[index] == "{", index + 1 < scalars.count, scalars[index + 1] == "{" {
                var close = index + 2
                while close + 1 < scalars.count, !(scalars[close] == "}" && scalars[close + 1] == "}") {
                    close += 1
                }
                guard close + 1 < scalars.count else {
                    return (pieces + [.literal(String(literal) + String(String.UnicodeScalarView(scalars[index...])))], index)
                }
                if !literal.isEmpty {
                    pieces.append(.literal(String(literal)))
                    literal = String.UnicodeScalarView()
                }
                let name = String(String.UnicodeScalarView(scalars[(index + 2)..<close])).trimmingWhitespace
                pieces.append(.placeholder(Placeholder(name: String(name), offset: index)))
                index = close + 2
            } else {
                literal.append(scalars[index])
                index += 1
            }
        }
        if !literal.isEmpty { pieces.append(.literal(String(literal))) }
        return (pieces, nil)
    }

    /// The placeholders of a template.
    public static func all(in template: String) -> [Placeholder] {
        parse(template).pieces.compactMap {
            if case .placeholder(let placeholder) = $0 { return placeholder }
            return nil
        }
    }

    /// Names allowed in command elements: nothing the employee typed can ever reach argv.
    public static let commandNames: Set<String> = ["home", "report.dir", "evidence.dir"]
    /// Names allowed in Text without a step or contact reference.
    public static let fixedTextNames: Set<String> = ["host.name", "user.name", "session.id", "session.started",
                                                     "now", "report.dir"]
    /// Names allowed only in documents (`documents:`), which are drafted from the whole record.
    public static let documentNames: Set<String> = ["network.disconnected_at", "mail.from", "mail.subject"]
    /// Contact fields a Text may show.
    public static let contactFields: Set<String> = ["name", "phone", "email"]
}
