import Foundation
import IncidentCore
import IncidentTerminal
import Testing

/// Two background scans in one playbook (the validator allows it): a `detected` verdict of the
/// second is announced while the first still runs (`product.md`: a detection is announced the
/// moment it comes). A review found the header spoke for the first scan only.
@Suite struct TwoBackgroundScansReviewTests {
    static let playbook = """
        playbook: 1
        id: two
        title: Two
        languages: [en]
        steps:
          - {id: hello, type: info, title: Hello}
          - id: scan
            type: scan
            title: Scan
            command: [clamscan, "{{home}}"]
            verdicts: {0: clean, 1: detected}
            wait: false
            next: scan2
          - id: scan2
            type: scan
            title: Scan 2
            command: [clamscan, "{{home}}/x"]
            verdicts: {0: clean, 1: detected}
            wait: false
            next: gather
          - id: gather
            type: collect
            title: Gather
            commands:
              - {name: ps, command: [ps, ax]}
          - {id: call, type: info, title: "Call {{scan.scan}} {{scan.scan2}}"}
          - {id: r1, type: await, step: scan, title: R1}
          - {id: r2, type: await, step: scan2, title: R2}
          - {id: e, type: end, title: E}
        """

    @Test func aDetectionByTheSecondScanIsAnnouncedWhileTheFirstRuns() throws {
        let playbook = try loadPlaybook(Self.playbook)
        let (runtime, edges) = try Loop.start(playbook)
        try runtime.input(.submit)
        // The collect command is cancelled (Esc, yes): the scans go on.
        try runtime.input(.back)
        try runtime.input(.yes)
        let gather = try #require(edges.started.first { $0.name == "ps" })
        let first = try #require(edges.started.first { $0.command.start.step == "scan" })
        let second = try #require(edges.started.first { $0.command.start.step == "scan2" })
        #expect(gather.cancelCount == 1)
        #expect(first.cancelCount == 0 && second.cancelCount == 0)
        second.finish(exitCode: 1)
        try runtime.poll(progress: false)
        #expect(edges.answer("scan2", in: playbook)?.scanVerdict == .detected)
        #expect(runtime.frame(clock: "").statusAlert, "\(String(describing: runtime.frame(clock: "").status))")
    }
}
