import Foundation
import Testing
@testable import IncidentCore

/// `deadlines:` and `documents:` (issue 30): their validation, and the clock that starts when the
/// incident was noticed.
@Suite struct DeadlineTests {
    static let base = """
        playbook: 1
        id: d
        title: D
        languages: [en]
        steps:
          - id: what
            type: choice
            title: What?
            options:
              - {value: opened, label: Opened}
              - {value: not-opened, label: Not opened}
          - id: form
            type: input
            title: Form
            fields:
              - {id: noticed, label: When did you notice?}
              - {id: sender, label: Sender}
          - id: net
            type: network
            title: Net
          - id: scan
            type: scan
            title: Scan
            command: [/bin/true]
        """

    func errors(_ tail: String) -> [Diagnostic] {
        check(Self.base + "\n" + tail).1.filter { $0.severity == .error }
    }

    @Test func aPlaybookWithDeadlinesAndDocumentsIsValid() throws {
        let book = try playbook(Self.base + """

            deadlines:
              - id: preliminary
                title: Preliminary report
                after: 72h
                when: {step: what, is: opened}
                note: an estimate
                url: https://example.test/
            documents:
              - id: notice
                title: Notice
                for: admin
                when: {step: what, in: [opened]}
                body: |
                  Due {{deadline.preliminary}}; scan {{scan.scan}}; off {{network.disconnected_at}}
                  From {{mail.from}}, subject {{mail.subject}}
                  [TO FILL] the rest
            """)
        #expect(book.deadlines.map(\.id.value) == ["preliminary"])
        #expect(book.deadlines[0].after.value == DeadlineDuration(amount: 72, unit: .hours))
        #expect(book.documents.first?.audience == .admin)
        #expect(book.documents.first?.body.resolved("en").contains("[TO FILL]") == true)
    }

    @Test func aBadDurationIsAnErrorAtItsPosition() {
        for bad in ["3", "3 days", "1w", "-2d", "d", "3.5d", "３d", "36501d"] {
            let found = errors("""
                deadlines:
                  - id: x
                    title: X
                    after: \(bad)
                """)
            #expect(found.count == 1, "\(bad): \(found.map(\.message))")
            #expect(found.first?.location == SourceLocation(line: 28, column: 12), "\(bad)")
            #expect(found.first?.message.contains("duration") == true, "\(bad)")
        }
        #expect(errors("deadlines:\n  - {id: x, title: X, after: 60d}\n  - {id: y, title: Y, after: 1h}\n  - {id: z, title: Z, after: 0h}").isEmpty)
    }

    @Test func unknownKeysDuplicatesAndReferencesAreErrors() {
        let unknownKey = errors("""
            deadlines:
              - id: x
                title: X
                after: 3d
                nxet: y
            """)
        #expect(unknownKey.map(\.location) == [SourceLocation(line: 29, column: 5)])
        #expect(unknownKey.first?.message.contains("unknown key 'nxet'") == true)
        let documentKey = errors("documents:\n  - {id: n, title: N, body: B, audience: admin}")
        #expect(documentKey.first?.message.contains("unknown key 'audience'") == true, "\(documentKey.map(\.message))")
        let unknownDeadline = errors("""
            deadlines:
              - {id: x, title: X, after: 3d}
            documents:
              - id: n
                title: N
                body: "Due {{deadline.y}}"
            """)
        #expect(unknownDeadline.map(\.location) == [SourceLocation(line: 30, column: 16)])
        #expect(unknownDeadline.first?.message.contains("no deadline 'y'") == true)
        let duplicate = errors("deadlines:\n  - {id: x, title: X, after: 3d}\n  - {id: x, title: X, after: 4d}")
        #expect(duplicate.map(\.location) == [SourceLocation(line: 27, column: 10)])
        let conditions = errors("deadlines:\n  - {id: x, title: X, after: 3d, when: {step: what, is: openned}}")
        #expect(conditions.first?.message.contains("can never answer 'openned'") == true)
        let noStep = errors("documents:\n  - {id: n, title: N, body: B, when: {step: nope, is: x}}")
        #expect(noStep.first?.message.contains("unknown step 'nope'") == true)
        let badFor = errors("documents:\n  - {id: n, title: N, body: B, for: boss}")
        #expect(badFor.count == 1)
        let notAScan = errors("documents:\n  - {id: n, title: N, body: \"{{scan.what}}\"}")
        #expect(notAScan.first?.message.contains("not a scan step") == true)
    }

    @Test func deadlinePlaceholdersMayBeUsedInStepsButTheRecordsOnlyInDocuments() {
        let inStep = check("""
            playbook: 1
            id: s
            title: S
            languages: [en]
            steps:
              - {id: a, type: info, title: "Due {{deadline.x}}", text: "From {{mail.from}}"}
            deadlines:
              - {id: x, title: X, after: 3d}
            """).1.filter { $0.severity == .error }
        #expect(inStep.count == 1, "\(inStep.map(\.message))")
        #expect(inStep.first?.message.contains("only in a document") == true)
        #expect(inStep.first?.location == SourceLocation(line: 6, column: 66))
    }

    @Test func translationsAreNeededAsForEveryText() {
        let (_, diagnostics) = check("""
            playbook: 1
            id: t
            title: {ja: T, en: T}
            languages: [ja, en]
            steps:
              - {id: a, type: info, title: {ja: A, en: A}}
            deadlines:
              - {id: x, title: {ja: X}, after: 3d}
            documents:
              - {id: n, title: {ja: N, en: N}, body: plain}
            """)
        let messages = diagnostics.filter { $0.severity == .error }.map(\.message)
        #expect(messages.contains { $0.contains("deadline 'x' title has no 'en' translation") }, "\(messages)")
        #expect(messages.contains { $0.contains("document 'n' body is a plain string") }, "\(messages)")
    }

    // MARK: The clock

    func book() throws -> Playbook {
        try playbook(Self.base + """

            deadlines:
              - {id: three, title: Three days, after: 3d, when: {step: what, is: opened}}
              - {id: hours, title: Seventy-two hours, after: 72h}
              - {id: month, title: Thirty days, after: 30d}
            """)
    }

    @Test func dueTimesAreInTheSessionsZoneAndCrossMonthEnds() throws {
        let book = try book()
        // 08:00 in Tokyo is still the previous day in UTC: the due day is Tokyo's.
        let started = "2026-11-30T08:00:00.000+09:00"
        let clock = try #require(DeadlineClock.compute(book, answers: ["what": .choice("opened")], started: started))
        #expect(clock.noticed.source == .sessionStarted)
        #expect(clock.lines.map(\.due) == ["2026-12-03T08:00:00.000+09:00", "2026-12-03T08:00:00.000+09:00",
                                          "2026-12-30T08:00:00.000+09:00"])
        #expect(clock.lines.map(\.applies) == [true, true, true])
        let year = try #require(DeadlineClock.compute(book, answers: [:], started: "2026-12-20T23:59:59.500-05:00"))
        #expect(year.lines.map(\.due) == ["2026-12-23T23:59:59.500-05:00", "2026-12-23T23:59:59.500-05:00",
                                         "2027-01-19T23:59:59.500-05:00"])
        #expect(DeadlineClock.readable(year.lines[2].due) == "2027-01-19 23:59 (-05:00)")
        #expect(year.lines[0].applies == false, "its condition does not hold when 'what' was not answered")
        let notOpened = try #require(DeadlineClock.compute(book, answers: ["what": .choice("not-opened")], started: started))
        #expect(notOpened.lines.map(\.applies) == [false, true, true])
    }

    @Test func aTypedNoticedTimeStartsTheClockWhenItIsReadableAndEarlier() throws {
        let book = try book()
        let started = "2026-12-07T10:15:00.000+09:00"
        func noticed(_ typed: String) -> DeadlineClock.Noticed? {
            DeadlineClock.noticed(book, answers: ["form": .input(["noticed": typed])], started: started)
        }
        for typed in ["2026-12-07 09:30", "2026/12/7 9:30", "12/7 9:30", "9:30", "12月7日 9時30分", "１２月７日　９時３０分",
                      "午前9時30分", "12/07 9:30am"] {
            #expect(noticed(typed)?.time == "2026-12-07T09:30:00.000+09:00", "\(typed)")
            #expect(noticed(typed)?.source == .typed(typed), "\(typed)")
        }
        #expect(noticed("12月6日")?.time == "2026-12-06T00:00:00.000+09:00", "a date alone counts from 0:00")
        #expect(noticed("12/5 午後3時")?.time == "2026-12-05T15:00:00.000+09:00")
        #expect(noticed("12/31 9:00")?.time == "2025-12-31T09:00:00.000+09:00", "no year and later than the start: last year")
        #expect(noticed("さっき")?.source == .unreadable("さっき"))
        #expect(noticed("さっき")?.time == "2026-12-07T10:15:00.000+09:00")
        #expect(noticed("11:00")?.source == .later("11:00"))
        #expect(noticed("2月30日 9:00")?.source == .unreadable("2月30日 9:00"))
        let clock = try #require(DeadlineClock.compute(book, answers: ["form": .input(["noticed": "11/30 23:00"])], started: started))
        #expect(clock.lines.map(\.due) == ["2026-12-03T23:00:00.000+09:00", "2026-12-03T23:00:00.000+09:00",
                                          "2026-12-30T23:00:00.000+09:00"])
    }

    @Test func theDeadlinePlaceholderReadsTheDueTimeAloud() throws {
        let book = try book()
        let context = PlaceholderContext(language: "ja", sessionStarted: "2026-11-30T08:00:00.000+09:00")
        #expect(context.render("{{deadline.month}}", playbook: book, answers: [:]) == "12月30日 8:00")
        #expect(context.render("{{deadline.three}}", playbook: book, answers: [:]) == "12月3日 8:00（この記録では該当しません）")
        #expect(context.render("{{scan.scan}}", playbook: book, answers: [:]) == "未回答")
    }
}
