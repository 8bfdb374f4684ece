import Crypto
import Foundation

/// One journal line: `seq`, `time`, `event`, `prev` and the event's own fields, in that order.
public struct JournalEntry: Sendable, Equatable {
    public var seq: Int
    public var time: String
    public var event: String
    public var prev: String
    public var fields: [JSONValue.Member]
    /// 1-based line number in the file.
    public var line: Int
    /// SHA-256 (hex) of the line's bytes including its newline: the next line's `prev`.
    public var hash: String

    public init(seq: Int, time: String, event: String, prev: String, fields: [JSONValue.Member], line: Int, hash: String) {
        self.seq = seq
        self.time = time
        self.event = event
        self.prev = prev
        self.fields = fields
        self.line = line
        self.hash = hash
    }

    public subscript(key: String) -> JSONValue? { fields.first { $0.key == key }?.value }
}

/// What the journal holds, and what is wrong with it.
public struct JournalContents: Sendable {
    public enum Problem: Sendable, Equatable, CustomStringConvertible {
        /// The last line was cut short (a power loss mid-write): ignored.
        case torn(line: Int, bytes: Int)
        /// A line that is not a journal entry at all.
        case corrupt(line: Int)
        /// `prev` of `line` is not the SHA-256 of the line before it.
        case chainBroken(line: Int, previous: Int)
        case sequence(line: Int, expected: Int, found: Int)
        case noStart

        public var description: String {
            switch self {
            case let .torn(line, bytes):
                return "journal.jsonl line \(line) is torn: an incomplete write of \(bytes) bytes (power loss or kill mid-write); it is ignored"
            case .corrupt(let line):
                return "journal.jsonl line \(line) is not a journal entry (it was changed or damaged)"
            case let .chainBroken(line, previous):
                return "journal.jsonl line \(previous) or line \(line) was changed: line \(line)'s prev is not the SHA-256 of line \(previous)"
            case let .sequence(line, expected, found):
                return "journal.jsonl line \(line) has seq \(found), expected \(expected) (a line was removed or inserted)"
            case .noStart:
                return "journal.jsonl does not begin with session.started"
            }
        }
    }

    public var entries: [JournalEntry] = []
    public var problems: [Problem] = []
    /// A torn line that a later `session.resumed` acknowledged (line number): not a problem.
    public var acknowledgedTorn: [Int] = []
    /// The file ends without a newline (a torn tail, or a complete entry whose newline was lost).
    public var needsNewline: Bool = false

    /// The torn last line, if any.
    public var tornTail: (line: Int, bytes: Int)? {
        for case let .torn(line, bytes) in problems { return (line, bytes) }
        return nil
    }

    public var lastHash: String { entries.last?.hash ?? Journal.genesis }
    public var nextSeq: Int { (entries.last?.seq ?? 0) &+ 1 }
}

/// The journal format: JSON lines chained by SHA-256.
public enum Journal {
    /// `prev` of the first line.
    public static let genesis = String(repeating: "0", count: 64)

    public static func sha256(_ data: Data) -> String {
        Hex.encode(SHA256.hash(data: data))
    }

    /// Encodes one line (with its newline) and returns it with its hash.
    public static func line(seq: Int, time: String, event: String, prev: String, fields: [JSONValue.Member]) -> (Data, String) {
        let object = JSONValue.object([JSONValue.Member("seq", .int(seq)), JSONValue.Member("time", .string(time)),
                                       JSONValue.Member("event", .string(event)), JSONValue.Member("prev", .string(prev))] + fields)
        let data = Data((object.compact() + "\n").utf8)
        return (data, sha256(data))
    }

    /// Reads a journal file's bytes: entries, the chain check, torn and corrupt lines.
    public static func read(_ data: Data) -> JournalContents {
        var contents = JournalContents()
        var lines: [(number: Int, bytes: Data, terminated: Bool)] = []
        var start = data.startIndex
        var number = 0
        while start < data.endIndex {
            number += 1
            if let newline = data[start...].firstIndex(of: 0x0A) {
                lines.append((number, data[start...newline], true))
                start = newline + 1
            } else {
                lines.append((number, data[start...], false))
                start = data.endIndex
            }
        }
        var previousHash = genesis
        var previousLine = 0
        var pendingTorn: Int?
        for (index, line) in lines.enumerated() {
            let isLast = index == lines.count - 1
            let parsed = parse(line.bytes, terminated: line.terminated, number: line.number)
            guard var entry = parsed else {
                // Each damaged line is named: one still pending (not followed by an entry that
                // acknowledges it) is corrupt once another damaged line follows it.
                if let torn = pendingTorn { contents.problems.append(.corrupt(line: torn)) }
                pendingTorn = nil
                if isLast, !line.terminated {
                    contents.problems.append(.torn(line: line.number, bytes: line.bytes.count))
                    contents.needsNewline = true
                } else {
                    pendingTorn = line.number
                }
                continue
            }
            if !line.terminated {
                // A complete entry whose newline was lost: its hash is that of the line as intended.
                contents.needsNewline = true
                entry.hash = sha256(line.bytes + Data([0x0A]))
            }
            if let torn = pendingTorn {
                if entry.typed == .sessionResumed(tornLine: torn) {
                    contents.acknowledgedTorn.append(torn)
                } else {
                    contents.problems.append(.corrupt(line: torn))
                }
                pendingTorn = nil
            }
            // A crafted seq (Int.max) must not overflow: it is a FAIL naming the line, not a crash.
            let expectedSeq = (contents.entries.last?.seq ?? 0) &+ 1
            if entry.seq != expectedSeq {
                contents.problems.append(.sequence(line: entry.line, expected: expectedSeq, found: entry.seq))
            }
            if entry.prev != previousHash {
                contents.problems.append(.chainBroken(line: entry.line, previous: previousLine))
            }
            previousHash = entry.hash
            previousLine = entry.line
            contents.entries.append(entry)
        }
        if let torn = pendingTorn { contents.problems.append(.corrupt(line: torn)) }
        if let first = contents.entries.first {
            if first.typed?.sessionStart == nil { contents.problems.append(.noStart) }
        } else if !lines.isEmpty, contents.tornTail == nil {
            contents.problems.append(.noStart)
        }
        return contents
    }

    private static func parse(_ bytes: Data, terminated: Bool, number: Int) -> JournalEntry? {
        let body = terminated ? bytes.dropLast() : bytes
        guard let value = JSONValue.parse(Data(body)), case .object(let members) = value,
              let seq = value["seq"]?.int, let time = value["time"]?.string, let event = value["event"]?.string,
              let prev = value["prev"]?.string else { return nil }
        let fields = members.filter { !["seq", "time", "event", "prev"].contains($0.key) }
        return JournalEntry(seq: seq, time: time, event: event, prev: prev, fields: fields, line: number,
                            hash: sha256(Data(bytes)))
    }
}

/// Appending state: the next `seq` and the last hash. The file edge writes what it returns.
public struct JournalChain: Sendable {
    public private(set) var nextSeq: Int
    public private(set) var lastHash: String
    public private(set) var entries: Int

    public init(nextSeq: Int = 1, lastHash: String = Journal.genesis, entries: Int = 0) {
        self.nextSeq = nextSeq
        self.lastHash = lastHash
        self.entries = entries
    }

    public init(continuing contents: JournalContents) {
        self.init(nextSeq: contents.nextSeq, lastHash: contents.lastHash, entries: contents.entries.count)
    }

    /// The bytes of the next line.
    public mutating func append(event: String, time: String, fields: [JSONValue.Member]) -> Data {
        let (data, hash) = Journal.line(seq: nextSeq, time: time, event: event, prev: lastHash, fields: fields)
        nextSeq += 1
        lastHash = hash
        entries += 1
        return data
    }
}
