import Foundation
import IncidentCore
import Testing

/// Review of issue 27 with the real binary: a background scan whose verdict is journaled after
/// `session.finished` (the end reached while it ran, `product.md` "Background work").
@Suite(.serialized) struct BackgroundScanReviewCLITests {
    static let playbook = """
        playbook: 1
        id: bg
        title: Background
        languages: [en]
        steps:
          - id: pick
            type: choice
            title: Wait for the result?
            options:
              - {value: wait, label: Wait}
              - {value: skip, label: Skip}
          - id: scan
            type: scan
            title: Scan the PC
            command: {linux: [clamscan, "{{home}}"], macos: [clamscan, "{{home}}"]}
            verdicts: {0: clean, 1: detected}
            wait: false
            next: call
          - id: call
            type: info
            title: Call now
            text: "Virus check: {{scan.scan}}"
          - id: result
            type: await
            step: scan
            when: {step: pick, is: wait}
            title: The scan's result
            next_on: {detected: bad, clean: good, cancelled: good}
          - {id: bad, type: end, title: Something was found}
          - {id: good, type: end, title: Done}

        """

    /// The end is reached with the scan running (the await skipped); on the last screen the
    /// employee stops it ("y"): `cancelled` is journaled after `session.finished`, as DECISIONS
    /// says replay, `verify` and the report take. `verify` refused the folder ("entries after
    /// session.finished") before its fix, and so would the consultant's check of the zip.
    @Test func verifyTakesAVerdictJournaledAfterTheSessionFinished() throws {
        let directory = try Wizard.temporaryDirectory()
        let bin = directory.appendingPathComponent("bin")
        let home = directory.appendingPathComponent("home")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        try "#!/bin/sh\nsleep 5\necho \"$1: OK\"\nexit 0\n".writeExecutable(to: bin.appendingPathComponent("clamscan"))
        let file = directory.appendingPathComponent("bg.yaml")
        try Self.playbook.write(to: file, atomically: true, encoding: .utf8)
        let reports = directory.appendingPathComponent("reports")
        let path = bin.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        let result = try Wizard.run(["run", file.path, "--plain", "--lang", "en", "--reports", reports.path], input: "2\n\n\ny\n",
                                    environment: ["PATH": path, "HOME": home.path])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let folder = try Wizard.reportFolder(reports)
        let journal = try String(contentsOf: folder.appendingPathComponent("journal.jsonl"), encoding: .utf8)
        let events = journal.split(separator: "\n").compactMap { JSONValue.parse(Data($0.utf8))?["event"]?.string }
        #expect(events.suffix(3) == ["session.finished", "command.finished", "step.answered"], "\(events)")
        let verify = try Wizard.run(["verify", folder.path])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
    }
}
