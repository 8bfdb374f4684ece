import Foundation

/// A JSON value whose objects keep their key order, so journal lines and reports read in a
/// sensible order (`seq`, `time`, `event`, `prev` first) and serialise byte-for-byte the same way
/// every time — the integrity check compares bytes.
public indirect enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case string(String)
    case array([JSONValue])
    case object([Member])

    public struct Member: Sendable, Equatable {
        public var key: String
        public var value: JSONValue

        public init(_ key: String, _ value: JSONValue) {
            self.key = key
            self.value = value
        }
    }

    /// An object from ordered pairs; `nil` values are left out.
    public static func object(_ pairs: KeyValuePairs<String, JSONValue?>) -> JSONValue {
        .object(pairs.compactMap { key, value in value.map { Member(key, $0) } })
    }

    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    public var string: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    public var int: Int? {
        if case .int(let value) = self { return value }
        return nil
    }

    public var bool: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    public var array: [JSONValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    public var isNull: Bool { self == .null }

    // MARK: Writing

    /// Compact JSON on one line (journal lines).
    public func compact() -> String {
        var out = ""
        write(to: &out, indent: nil, level: 0)
        return out
    }

    /// Indented JSON (report.json), ending with a newline.
    public func pretty() -> String {
        var out = ""
        write(to: &out, indent: "  ", level: 0)
        return out + "\n"
    }

    private func write(to out: inout String, indent: String?, level: Int) {
        switch self {
        case .null: out += "null"
        case .bool(let value): out += value ? "true" : "false"
        case .int(let value): out += String(value)
        case .string(let value): Self.quote(value, into: &out)
        case .array(let items):
            guard !items.isEmpty else { out += "[]"; return }
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += "," }
                Self.newline(&out, indent, level + 1)
                item.write(to: &out, indent: indent, level: level + 1)
            }
            Self.newline(&out, indent, level)
            out += "]"
        case .object(let members):
            guard !members.isEmpty else { out += "{}"; return }
            out += "{"
            for (index, member) in members.enumerated() {
                if index > 0 { out += "," }
                Self.newline(&out, indent, level + 1)
                Self.quote(member.key, into: &out)
                out += indent == nil ? ":" : ": "
                member.value.write(to: &out, indent: indent, level: level + 1)
            }
            Self.newline(&out, indent, level)
            out += "}"
        }
    }

    private static func newline(_ out: inout String, _ indent: String?, _ level: Int) {
        guard let indent else { return }
        out += "\n" + String(repeating: indent, count: level)
    }

    private static func quote(_ text: String, into out: inout String) {
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }

    // MARK: Reading

    /// Parses JSON text (object keys come back sorted: order is not needed when reading). Only
    /// the values the journal writes are accepted: null, booleans, integers, strings, arrays and
    /// objects — a fraction or an integer beyond `Int` makes the whole text unreadable.
    ///
    /// JSONSerialization, not JSONDecoder: an untyped value cannot be decoded through `Decodable`
    /// but by trying each type in turn.
    public static func parse(_ data: Data) -> JSONValue? {
        guard let object = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else { return nil }
        return JSONValue(serialized: object)
    }

    private init?(serialized object: Any) {
        // The Swift types first: asking whether a Swift dictionary or array is an NSNumber or an
        // NSNull bridges it to Objective-C first, which costs more than the whole parse.
        switch object {
        case let text as String:
            self = .string(text)
        case let array as [Any]:
            var values: [JSONValue] = []
            values.reserveCapacity(array.count)
            for element in array {
                guard let value = JSONValue(serialized: element) else { return nil }
                values.append(value)
            }
            self = .array(values)
        case let dictionary as [String: Any]:
            var members: [Member] = []
            members.reserveCapacity(dictionary.count)
            for key in dictionary.keys.sorted() {
                guard let value = JSONValue(serialized: dictionary[key]!) else { return nil }
                members.append(Member(key, value))
            }
            self = .object(members)
        case let number as NSNumber:
            // JSONSerialization makes a boolean (type code "c") only from `true` and `false`;
            // integers come as "i" or "q"; "d" (a fraction) and "Q" (beyond Int) are refused.
            switch String(cString: number.objCType) {
            case "c": self = .bool(number.boolValue)
            case "i", "q", "l", "s": self = .int(number.intValue)
            default: return nil
            }
        case is NSNull:
            self = .null
        default:
            return nil
        }
    }
}
