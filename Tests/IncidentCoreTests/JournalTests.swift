import Foundation
import Testing
@testable import IncidentCore

/// The journal format, read back: chain, torn and corrupt lines, replay.
@Suite struct JournalTests {
    func journal(_ events: [(String, [JSONValue.Member])]) -> (Data, [String]) {
        var chain = JournalChain()
        var data = Data()
        var hashes: [String] = []
        for (index, (event, fields)) in events.enumerated() {
            let line = chain.append(event: event, time: "2026-11-29T10:00:0\(index).000+09:00", fields: fields)
            data += line
            hashes.append(Journal.sha256(line))
        }
        return (data, hashes)
    }

    let events: [(String, [JSONValue.Member])] = [
        ("session.started", [.init("incident_id", .string("x")), .init("language", .string("en"))]),
        ("step.entered", [.init("step", .string("a"))]),
        ("step.answered", [.init("step", .string("a")), .init("answer", .string("yes"))]),
    ]

    @Test func linesAreChainedBySHA256OfThePreviousLineWithItsNewline() throws {
        let (data, hashes) = journal(events)
        let text = String(decoding: data, as: UTF8.self)
        let lines = text.split(separator: "\n")
        #expect(lines[0].hasPrefix("{\"seq\":1,\"time\":\"2026-11-29T10:00:00.000+09:00\",\"event\":\"session.started\",\"prev\":\"\(Journal.genesis)\""))
        #expect(lines[1].contains("\"prev\":\"\(Journal.sha256(Data((lines[0] + "\n").utf8)))\""))
        let contents = Journal.read(data)
        #expect(contents.problems.isEmpty)
        #expect(contents.entries.map(\.hash) == hashes)
        #expect(contents.entries.map(\.line) == [1, 2, 3])
        #expect(contents.entries[2]["answer"] == .string("yes"))
        #expect(contents.nextSeq == 4 && contents.lastHash == hashes[2])
    }

    @Test func tornTailIsReportedAndAResumeAcknowledgesIt() throws {
        var (data, _) = journal(events)
        let full = data
        data.removeLast(20)
        let contents = Journal.read(data)
        #expect(contents.entries.count == 2)
        let lastLine = full.split(separator: 0x0A).last!.count + 1
        #expect(contents.problems == [.torn(line: 3, bytes: lastLine - 20)])
        #expect(contents.needsNewline)
        // A resume terminates the torn line and acknowledges it: the chain goes on from line 2.
        var chain = JournalChain(continuing: contents)
        data += Data([0x0A])
        data += chain.append(event: "session.resumed", time: "t", fields: [.init("torn_line", .int(3))])
        let resumed = Journal.read(data)
        #expect(resumed.problems.isEmpty, "\(resumed.problems)")
        #expect(resumed.acknowledgedTorn == [3])
        #expect(resumed.entries.map(\.seq) == [1, 2, 3])
        #expect(resumed.entries.last?.line == 4)
    }

    @Test func aCompleteLineWhoseNewlineWasLostIsKept() {
        var (data, hashes) = journal(events)
        data.removeLast()
        let contents = Journal.read(data)
        #expect(contents.problems.isEmpty)
        #expect(contents.needsNewline)
        #expect(contents.entries.last?.hash == hashes[2])
    }

    @Test func editsAreNamed() {
        let (data, _) = journal(events)
        var text = String(decoding: data, as: UTF8.self)
        text = text.replacingOccurrences(of: "\"step\":\"a\"}", with: "\"step\":\"b\"}")
        #expect(Journal.read(Data(text.utf8)).problems == [.chainBroken(line: 3, previous: 2)])
        let garbage = String(decoding: data, as: UTF8.self).replacingOccurrences(of: "{\"seq\":2", with: "{seq:2")
        let problems = Journal.read(Data(garbage.utf8)).problems
        #expect(problems.contains(.corrupt(line: 2)))
        #expect(problems.contains(.sequence(line: 3, expected: 2, found: 3)))
    }

    @Test func replayRebuildsTheEngineAndReturnsRecordsNotYetWritten() throws {
        let book = try playbook("""
            playbook: 1
            id: r
            title: R
            languages: [en]
            steps:
              - {id: q, type: confirm, title: Q}
              - {id: c, type: choice, title: C, options: [{value: a, label: A}, {value: b, label: B}]}
              - {id: e, type: end, title: E}
            """)
        var engine = Engine(playbook: book)
        var records = try engine.send(.start)
        records += try engine.send(.answer(.confirm(.yes)))
        records += try engine.send(.back)
        records += try engine.send(.answer(.confirm(.no)))
        let answered = try engine.send(.answer(.choice("b")))
        // The process stopped after writing the answer but before the next step's entry.
        let written = records + [answered[0]]
        var entries: [JournalEntry] = [JournalEntry(seq: 1, time: "t", event: "session.started", prev: "", fields: [],
                                                    line: 1, hash: "")]
        for (index, record) in written.enumerated() {
            let event = SessionEvent(record)
            entries.append(JournalEntry(seq: index + 2, time: "t", event: event.name, prev: "", fields: event.fields, line: index + 2, hash: ""))
        }
        let (replayed, missing) = try SessionReplay.replay(entries, playbook: book)
        #expect(replayed.state == engine.state)
        // Entering an `end` step finishes the session with it.
        #expect(missing == [.stepEntered(step: "e"), .stepAnswered(step: "e", answer: .none), .finished(outcome: "completed")])
        // A journal that does not follow from the playbook is refused.
        var wrong = entries
        wrong[2].fields = [.init("step", .string("c"))]
        #expect(throws: SessionReplay.Failure.self) { try SessionReplay.replay(wrong, playbook: book) }
    }

    @Test func jsonValuesRoundTrip() {
        let value = JSONValue.object(["b": .int(1), "a": .array([.null, .bool(true), .string("日本\n\"x\"\u{1b}")])])
        #expect(value.compact() == "{\"b\":1,\"a\":[null,true,\"日本\\n\\\"x\\\"\\u001b\"]}")
        let parsed = JSONValue.parse(Data(value.compact().utf8))
        #expect(parsed?["a"] == value["a"])
        #expect(parsed?["b"] == .int(1))
    }

    /// Booleans stay booleans and integers integers (0 and 1 included); only what the journal
    /// writes is read: a fraction, an integer beyond Int or broken JSON is no value at all.
    @Test func parsingTellsBooleansFromIntegersAndRefusesWhatTheJournalNeverWrites() {
        let text = #"{"t":true,"f":false,"zero":0,"one":1,"neg":-5,"big":9223372036854775807,"n":null,"s":"é😀\u0001","a":[[],{}]}"#
        let parsed = JSONValue.parse(Data(text.utf8))
        #expect(parsed?["t"] == .bool(true))
        #expect(parsed?["f"] == .bool(false))
        #expect(parsed?["zero"] == .int(0))
        #expect(parsed?["one"] == .int(1))
        #expect(parsed?["neg"] == .int(-5))
        #expect(parsed?["big"] == .int(Int.max))
        #expect(parsed?["n"] == .null)
        #expect(parsed?["s"] == .string("é😀\u{1}"))
        #expect(parsed?["a"] == .array([.array([]), .object([])]))
        #expect(parsed.map { JSONValue.parse(Data($0.compact().utf8)) } == parsed)
        for refused in ["1.5", "1e3", #"{"x":1.0}"#, "9223372036854775808", #"{"x":"#, "", "nul"] {
            #expect(JSONValue.parse(Data(refused.utf8)) == nil, "\(refused)")
        }
    }
}
