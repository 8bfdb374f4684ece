import Crypto
import Foundation

/// What the consultant needs from a suspicious mail saved as `.eml`, read as data and never
/// opened: the routing headers, and the attachments' names, types, sizes and SHA-256. Attachments
/// are decoded in memory only to hash them; nothing is written or run.
public struct MailSummary: Sendable, Equatable {
    public struct Attachment: Sendable, Equatable {
        public var name: String
        public var contentType: String
        public var size: Int
        public var sha256: String

        public init(name: String, contentType: String, size: Int, sha256: String) {
            self.name = name
            self.contentType = contentType
            self.size = size
            self.sha256 = sha256
        }
    }

    public var from: String?
    public var replyTo: String?
    public var to: String?
    public var subject: String?
    public var date: String?
    public var messageID: String?
    /// Newest first, as in the file: the last one is nearest the sender.
    public var received: [String] = []
    public var attachments: [Attachment] = []

    public init() {}

    /// The ids of a mail form's fields that answer the mail's headers (an `input` step's fields):
    /// an attached e-mail pre-fills them, and without one they are the mail as the employee typed it.
    public enum FormField {
        public static let sender = ["sender", "from"]
        public static let subject = ["subject"]
        public static let date = ["date", "received", "time"]
    }
}

public enum MailMessage {
    /// Limits that keep a hostile file from costing much: nesting depth and number of parts.
    static let maximumDepth = 16
    static let maximumParts = 500
    /// A header field's unfolded value is read up to this many bytes (the rest of a 10 MB folded
    /// header is skipped, not decoded).
    static let maximumFieldBytes = 1 << 20
    /// What the summary keeps of one header: a From, Subject or To is never this long; a longer
    /// one is cut and ends in `…`.
    static let maximumKeptCharacters = 8192
    /// Received lines kept (a real mail has a handful; the first ones are nearest the recipient).
    static let maximumReceived = 100
    /// The fields anything here reads; others are skipped while the header is read.
    static let readFields: Set<String> = ["from", "reply-to", "to", "subject", "date", "message-id", "received",
                                          "content-type", "content-disposition", "content-transfer-encoding"]

    /// Parses an RFC 5322 / MIME message. Never fails: whatever cannot be read is left out.
    /// Linear in the size of `data` (a hostile header costs no more than reading it).
    public static func parse(_ data: Data) -> MailSummary {
        var summary = MailSummary()
        let bytes = [UInt8](data)
        let (headers, bodyStart) = splitHeaders(bytes[...])
        for (name, value) in headers {
            switch name.lowercased() {
            case "from": summary.from = summary.from ?? kept(decodeWords(value))
            case "reply-to": summary.replyTo = summary.replyTo ?? kept(decodeWords(value))
            case "to": summary.to = summary.to ?? kept(decodeWords(value))
            case "subject": summary.subject = summary.subject ?? kept(decodeWords(value))
            case "date": summary.date = summary.date ?? kept(decodeWords(value))
            case "message-id": summary.messageID = summary.messageID ?? kept(decodeWords(value))
            case "received": summary.received.append(kept(collapse(value)))
            default: break
            }
        }
        var parts = 0
        collectAttachments(headers: headers, body: bytes[bodyStart...], depth: 0, parts: &parts, into: &summary.attachments)
        return summary
    }

    /// `text` as the summary keeps it: at most `maximumKeptCharacters`, a cut one ending in `…`.
    static func kept(_ text: String) -> String {
        guard text.utf8.count > maximumKeptCharacters, let end = text.index(text.startIndex, offsetBy: maximumKeptCharacters,
                                                                           limitedBy: text.endIndex),
              end < text.endIndex else { return text }
        return text[..<end] + "…"
    }

    // MARK: Headers

    /// The header fields anything here reads (`readFields`: the first of each, and up to
    /// `maximumReceived` Received), unfolded, in order, and the index where the body starts. One
    /// pass over the bytes; a value longer than `maximumFieldBytes` is cut (its end marked `…`).
    static func splitHeaders(_ bytes: ArraySlice<UInt8>) -> ([(String, String)], Int) {
        var fields: [(String, String)] = []
        var seen: Set<String> = []
        var received = 0
        var index = bytes.startIndex
        // The field being read: its name, and its value's bytes (nil while skipping a field).
        var name = ""
        var value: [UInt8]?
        var cut = false
        func finish() {
            guard var collected = value else { return }
            value = nil
            if cut { collected += Array(" …".utf8) }
            fields.append((name, trimmed(String(decoding: collected, as: UTF8.self))))
        }
        /// Appends `line` (whitespace-trimmed, after a space when it continues a value) up to the cap.
        func append(_ line: ArraySlice<UInt8>, continuing: Bool) {
            guard value != nil, !cut else { return }
            var piece = line
            let room = maximumFieldBytes - value!.count - (continuing ? 1 : 0)
            if piece.count > room {
                piece = piece.prefix(max(0, room))
                cut = true
            }
            let text = trimmed(String(decoding: piece, as: UTF8.self))
            if continuing { value!.append(0x20) }
            value!.append(contentsOf: text.utf8)
        }
        while index < bytes.endIndex {
            let end = bytes[index...].firstIndex(of: 0x0A) ?? bytes.endIndex
            var line = bytes[index..<end]
            if line.last == 0x0D { line = line.dropLast() }
            let next = min(end + 1, bytes.endIndex)
            if line.isEmpty {
                finish()
                return (fields, next)
            }
            if line.first == 0x20 || line.first == 0x09 {
                append(line, continuing: true)
            } else if let colon = line.firstIndex(of: 0x3A) {
                finish()
                name = trimmed(String(decoding: line[..<colon], as: UTF8.self))
                let key = name.lowercased()
                cut = false
                if readFields.contains(key), key == "received" ? received < maximumReceived : !seen.contains(key) {
                    if key == "received" { received += 1 }
                    seen.insert(key)
                    value = []
                    append(line[(colon + 1)...], continuing: false)
                }
            }
            index = next
        }
        finish()
        return (fields, bytes.endIndex)
    }

    /// Without leading and trailing white space as Foundation's `.whitespaces` sees it
    /// (Unicode spaces and tab), in pure Swift.
    static func trimmed(_ text: String) -> String {
        let blank = { (scalar: Unicode.Scalar) in scalar == "\t" || scalar.properties.generalCategory == .spaceSeparator }
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !blank($0) }) else { return "" }
        let last = scalars.lastIndex(where: { !blank($0) })!
        return String(scalars[first...last])
    }

    static func collapse(_ text: String) -> String {
        text.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }
    /// `type/subtype; key=value; …` with quoted values and RFC 2231 `key*=charset''pct-encoded`.
    static func parameters(_ value: String) -> (String, [String: String]) {
        var pieces: [String] = []
        var current = ""
        var quoted = false
        for character in value {
            if character == "\"" { quoted.toggle(); current.append(character); continue }
            if character == ";", !quoted { pieces.append(current); current = ""; continue }
            current.append(character)
        }
        pieces.append(current)
        let main = pieces.first?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        var result: [String: String] = [:]
        var continued: [String: [(Int, String)]] = [:]
        for piece in pieces.dropFirst() {
            guard let equals = piece.firstIndex(of: "=") else { continue }
            var key = piece[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            var item = piece[piece.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if item.hasPrefix("\""), item.hasSuffix("\""), item.count >= 2 { item = String(item.dropFirst().dropLast()) }
            let extended = key.hasSuffix("*")
            if extended { key.removeLast() }
            if extended { item = decodeExtended(item) }
            // name*0*=…; name*1*=… continuations.
            if let star = key.firstIndex(of: "*"), let number = Int(key[key.index(after: star)...]) {
                continued[String(key[..<star]), default: []].append((number, item))
                continue
            }
            result[key] = item
        }
        for (key, segments) in continued where result[key] == nil {
            let joined = segments.sorted { $0.0 < $1.0 }.map(\.1).joined()
            result[key] = joined.contains("''") ? decodeExtended(joined) : joined
        }
        return (main, result)
    }

    /// `charset'language'percent-encoded` (RFC 2231).
    static func decodeExtended(_ value: String) -> String {
        let parts = value.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3 else { return value.removingPercentEncoding ?? value }
        var bytes: [UInt8] = []
        var iterator = Array(parts[2].utf8).makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%"), let high = iterator.next(), let low = iterator.next(),
               let value = UInt8(String(bytes: [high, low], encoding: .ascii) ?? "", radix: 16) {
                bytes.append(value)
            } else {
                bytes.append(byte)
            }
        }
        return decode(Data(bytes), charset: String(parts[0])) ?? String(decoding: bytes, as: UTF8.self)
    }

    /// RFC 2047 encoded words: `=?charset?B|Q?text?=`, whitespace between two of them dropped.
    /// One pass over the bytes: each attempt looks for the next three `?` only, and since every
    /// `=?` holds one, no byte is looked at by more than four attempts.
    static func decodeWords(_ value: String) -> String {
        let bytes = Array(value.utf8)
        let question = UInt8(ascii: "?"), equals = UInt8(ascii: "=")
        func next(_ byte: UInt8, from start: Int) -> Int? {
            start < bytes.count ? bytes[start...].firstIndex(of: byte) : nil
        }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var literal = 0, search = 0
        var lastWasWord = false
        var found = false
        while let start = next(equals, from: search) {
            guard start + 1 < bytes.count else { break }
            guard bytes[start + 1] == question else { search = start + 1; continue }
            found = true
            guard let charsetEnd = next(question, from: start + 2), let encodingEnd = next(question, from: charsetEnd + 1),
                  let textEnd = next(question, from: encodingEnd + 1), textEnd + 1 < bytes.count, bytes[textEnd + 1] == equals,
                  let decoded = decodeWord(charset: String(decoding: bytes[(start + 2)..<charsetEnd], as: UTF8.self),
                                           encoding: String(decoding: bytes[(charsetEnd + 1)..<encodingEnd], as: UTF8.self),
                                           text: String(decoding: bytes[(encodingEnd + 1)..<textEnd], as: UTF8.self)) else {
                // Not a word: its `=?` stays as text, and the search goes on after it.
                search = start + 2
                lastWasWord = false
                continue
            }
            let before = bytes[literal..<start]
            if !(lastWasWord && before.allSatisfy({ $0 == 0x20 || $0 == 0x09 })) { out += before }
            out += decoded.utf8
            lastWasWord = true
            literal = textEnd + 2
            search = literal
        }
        guard found else { return collapse(value) }
        out += bytes[literal...]
        return collapse(String(decoding: out, as: UTF8.self))
    }

    static func decodeWord(charset: String, encoding: String, text: String) -> String? {
        let data: Data?
        switch encoding.uppercased() {
        case "B": data = Data(base64Encoded: text, options: .ignoreUnknownCharacters)
            ?? Data(base64Encoded: text + String(repeating: "=", count: (4 - text.count % 4) % 4))
        case "Q": data = quotedPrintable(Array(text.utf8)[...], underscoreIsSpace: true)
        default: data = nil
        }
        return data.flatMap { decode($0, charset: charset) }
    }

    /// Text in one of the charsets Japanese and Western mail uses.
    static func decode(_ data: Data, charset: String) -> String? {
        let name = charset.lowercased().split(separator: "*").first.map(String.init) ?? ""
        let encoding: String.Encoding
        switch name {
        case "utf-8", "utf8", "us-ascii", "ascii": encoding = .utf8
        case "iso-2022-jp", "iso-2022-jp-2", "csiso2022jp": encoding = .iso2022JP
        case "shift_jis", "shift-jis", "sjis", "cp932", "windows-31j", "x-sjis": encoding = .shiftJIS
        case "euc-jp": encoding = .japaneseEUC
        case "iso-8859-1", "latin1": encoding = .isoLatin1
        case "windows-1252", "cp1252": encoding = .windowsCP1252
        default: return String(decoding: data, as: UTF8.self)
        }
        return String(data: data, encoding: encoding) ?? String(decoding: data, as: UTF8.self)
    }

    // MARK: Bodies

    static func quotedPrintable(_ bytes: ArraySlice<UInt8>, underscoreIsSpace: Bool = false) -> Data {
        var out = Data()
        out.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        func hex(_ byte: UInt8) -> UInt8? {
            switch byte {
            case 0x30...0x39: return byte - 0x30
            case 0x41...0x46: return byte - 0x41 + 10
            case 0x61...0x66: return byte - 0x61 + 10
            default: return nil
            }
        }
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "="), index + 1 < bytes.endIndex {
                if bytes[index + 1] == 0x0A { index += 2; continue }
                if bytes[index + 1] == 0x0D, index + 2 < bytes.endIndex, bytes[index + 2] == 0x0A { index += 3; continue }
                if index + 2 < bytes.endIndex, let high = hex(bytes[index + 1]), let low = hex(bytes[index + 2]) {
                    out.append(high << 4 | low)
                    index += 3
                    continue
                }
            }
            out.append(underscoreIsSpace && byte == UInt8(ascii: "_") ? 0x20 : byte)
            index += 1
        }
        return out
    }

    static func decodeBody(_ body: ArraySlice<UInt8>, transferEncoding: String) -> Data {
        switch transferEncoding.lowercased() {
        case "base64": return Data(base64Encoded: Data(body), options: .ignoreUnknownCharacters) ?? Data()
        case "quoted-printable": return quotedPrintable(body)
        default: return Data(body)
        }
    }

    /// Walks the MIME tree; a part with a file name (or a non-text, non-multipart leaf that is
    /// not the message body itself) is an attachment.
    static func collectAttachments(headers: [(String, String)], body: ArraySlice<UInt8>, depth: Int, parts: inout Int,
                                   into attachments: inout [MailSummary.Attachment]) {
        parts += 1
        guard depth <= maximumDepth, parts <= maximumParts else { return }
        let header = { (name: String) in headers.first { $0.0.lowercased() == name }?.1 }
        let (type, typeParameters) = parameters(header("content-type") ?? "text/plain")
        let (disposition, dispositionParameters) = parameters(header("content-disposition") ?? "")
        if type.hasPrefix("multipart/"), let boundary = typeParameters["boundary"], !boundary.isEmpty {
            for part in split(body, boundary: boundary) {
                guard parts < maximumParts else { return }
                let (partHeaders, start) = splitHeaders(part)
                collectAttachments(headers: partHeaders, body: part[start...], depth: depth + 1, parts: &parts, into: &attachments)
            }
            return
        }
        if type == "message/rfc822" {
            let (innerHeaders, start) = splitHeaders(body)
            let inner = body[start...]
            let name = decodeWords(dispositionParameters["filename"] ?? typeParameters["name"] ?? "message.eml")
            attachments.append(attachment(name: name, type: type, data: Data(body)))
            collectAttachments(headers: innerHeaders, body: inner, depth: depth + 1, parts: &parts, into: &attachments)
            return
        }
        let filename = dispositionParameters["filename"] ?? typeParameters["name"]
        guard filename != nil || disposition == "attachment" else { return }
        let data = decodeBody(body, transferEncoding: header("content-transfer-encoding") ?? "7bit")
        attachments.append(attachment(name: decodeWords(filename ?? "(no name)"), type: type, data: data))
    }

    static func attachment(name: String, type: String, data: Data) -> MailSummary.Attachment {
        MailSummary.Attachment(name: name, contentType: type, size: data.count,
                               sha256: Hex.encode(SHA256.hash(data: data)))
    }

    /// The parts between `--boundary` lines (the preamble and epilogue dropped).
    static func split(_ body: ArraySlice<UInt8>, boundary: String) -> [ArraySlice<UInt8>] {
        let marker = Array("--\(boundary)".utf8)
        var parts: [ArraySlice<UInt8>] = []
        var partStart: Int?
        var lineStart = body.startIndex
        while lineStart < body.endIndex {
            var lineEnd = lineStart
            while lineEnd < body.endIndex, body[lineEnd] != 0x0A { lineEnd += 1 }
            let line = body[lineStart..<lineEnd]
            if line.starts(with: marker) {
                let rest = line.dropFirst(marker.count)
                let closing = rest.starts(with: [0x2D, 0x2D])
                if let start = partStart {
                    // The line break before the boundary belongs to the boundary.
                    var end = lineStart
                    if end > start, body[end - 1] == 0x0A { end -= 1 }
                    if end > start, body[end - 1] == 0x0D { end -= 1 }
                    parts.append(body[start..<max(start, end)])
                }
                if closing { return parts }
                partStart = min(lineEnd + 1, body.endIndex)
            }
            lineStart = lineEnd + 1
        }
        if let start = partStart, start < body.endIndex { parts.append(body[start...]) }
        return parts
    }
}

// MARK: In the journal and report.json

extension MailSummary {
    public var json: JSONValue {
        let text = { (value: String?) in value.map(JSONValue.string) ?? .null }
        return .object([
            "from": text(from), "reply_to": text(replyTo), "to": text(to), "subject": text(subject), "date": text(date),
            "message_id": text(messageID), "received": .array(received.map(JSONValue.string)),
            "attachments": .array(attachments.map { attachment in
                .object(["name": .string(attachment.name), "content_type": .string(attachment.contentType),
                         "size": .int(attachment.size), "sha256": .string(attachment.sha256)])
            }),
        ])
    }

    public init?(json: JSONValue) {
        guard json["received"]?.array != nil else { return nil }
        self.init()
        from = json["from"]?.string
        replyTo = json["reply_to"]?.string
        to = json["to"]?.string
        subject = json["subject"]?.string
        date = json["date"]?.string
        messageID = json["message_id"]?.string
        received = (json["received"]?.array ?? []).compactMap(\.string)
        attachments = (json["attachments"]?.array ?? []).compactMap { item in
            guard let name = item["name"]?.string, let sha = item["sha256"]?.string else { return nil }
            return Attachment(name: name, contentType: item["content_type"]?.string ?? "", size: item["size"]?.int ?? 0, sha256: sha)
        }
    }
}
