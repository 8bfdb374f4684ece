import Foundation
import IncidentCore
import Testing

/// `verify` on folders that were received, not made: planted names, cut or extended journals,
/// crafted lines. Each finding is named on its own; nothing from the folder reaches the terminal raw.
@Suite(.serialized) struct VerifyTests {
    func finished() throws -> (folder: String, journal: String, lines: [Substring]) {
        let folder = try ReportFolderTests().finishedSession().folder()
        let journal = folder + "/journal.jsonl"
        let lines = try String(contentsOfFile: journal, encoding: .utf8).split(separator: "\n")
        return (folder, journal, lines)
    }

    /// A planted file whose name would clear the screen and draw a fake OK line: printed
    /// neutralised, and, being in no journal line, a FAIL of its own.
    @Test func aPlantedFileNameIsNeutralisedAndAFinding() throws {
        let (folder, _, _) = try finished()
        let name = "a\u{1B}[2J\u{1B}[H OK: 21 journal entries, last hash 0\u{1B}[8m"
        #expect(FileManager.default.createFile(atPath: folder + "/evidence/" + name, contents: Data("x".utf8)))
        let result = try Wizard.run(["verify", folder])
        #expect(result.status == 1, "\(result.stdout)")
        #expect(!result.stdout.contains("\u{1B}"), "an escape reached the terminal: \(result.stdout.debugDescription)")
        #expect(result.stdout.contains("FAIL: evidence/a^[[2J^[[H OK: 21 journal entries, last hash 0^[[8m is not accounted for by the journal"),
                "\(result.stdout)")
        #expect(!result.stdout.split(separator: "\n").contains { $0.hasPrefix("OK") })
    }

    /// The last two lines cut off: the chain that is left is intact, so only the counts tell.
    @Test func aCutJournalIsNamedByItsCount() throws {
        let (folder, journal, lines) = try finished()
        try (lines.dropLast(2).joined(separator: "\n") + "\n").write(toFile: journal, atomically: true, encoding: .utf8)
        let result = try Wizard.run(["verify", folder])
        #expect(result.status == 1)
        #expect(result.stdout.contains("FAIL: journal.jsonl has \(lines.count - 2) entries, report.json records \(lines.count): "
                                       + "lines were removed from the end of the journal"), "\(result.stdout)")
        #expect(!result.stdout.contains("--resume"), "the advice launders the cut: \(result.stdout)")
    }

    /// One correctly chained line appended to a finished session: named by the count and as a
    /// line after session.finished.
    @Test func aChainedLineAppendedIsNamed() throws {
        let (folder, journal, lines) = try finished()
        let last = Journal.read(Data((lines.joined(separator: "\n") + "\n").utf8))
        let (line, _) = Journal.line(seq: last.nextSeq, time: "2026-12-01T10:00:00.000+09:00", event: "step.answered",
                                     prev: last.lastHash, fields: [.init("step", .string("s2")), .init("answer", .string("no"))])
        let handle = try #require(FileHandle(forWritingAtPath: journal))
        try handle.seekToEnd()
        try handle.write(contentsOf: line)
        try handle.close()
        let result = try Wizard.run(["verify", folder])
        #expect(result.status == 1)
        #expect(result.stdout.contains("FAIL: journal.jsonl has \(lines.count + 1) entries, report.json records \(lines.count)"), "\(result.stdout)")
        #expect(result.stdout.contains("1 entries after session.finished"), "\(result.stdout)")
    }

    /// `seq: Int.max` on a line that is not the last: a FAIL naming it, never a crash — in verify,
    /// report and resume. Two damaged lines are both named.
    @Test func aCraftedSeqAndSeveralDamagedLinesAreNamedWithoutACrash() throws {
        let (folder, journal, lines) = try finished()
        var changed = lines.map(String.init)
        changed[2] = changed[2].replacingOccurrences(of: "\"seq\":3,", with: "\"seq\":9223372036854775807,")
        changed[5] = "not a journal line"
        changed[7] = "{ damaged"
        try (changed.joined(separator: "\n") + "\n").write(toFile: journal, atomically: true, encoding: .utf8)
        let result = try Wizard.run(["verify", folder])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stdout.contains("journal.jsonl line 3 has seq 9223372036854775807, expected 3"), "\(result.stdout)")
        #expect(result.stdout.contains("journal.jsonl line 6 is not a journal entry"), "\(result.stdout)")
        #expect(result.stdout.contains("journal.jsonl line 8 is not a journal entry"), "\(result.stdout)")
        let report = try Wizard.run(["report", folder])
        #expect(report.status == 0 || report.status == 1, "report crashed: \(report.status) \(report.stderr)")
        let resume = try Wizard.run(["run", "--resume", folder, "--plain"], input: "\n")
        #expect(resume.status == 1, "resume: \(resume.status) \(resume.stderr)")
        #expect(resume.stderr.contains("cannot resume") || resume.stderr.contains("finished"), "\(resume.stderr)")
    }

    /// `list` and `validate` print file names from the playbooks directory neutralised.
    @Test func listAndValidatePrintHostileFileNamesNeutralised() throws {
        let directory = try Wizard.temporaryDirectory()
        let name = "evil\u{1B}]0;pwned\u{07}\u{1B}[2J.yaml"
        try "playbook: 1\nid: evil\ntitle: \"T\u{1B}[2J\"\nlanguages: [en]\nsteps: [{id: a, type: info, title: x}]\nnxet: 1\n"
            .write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
        let list = try Wizard.run(["list", "--playbooks", directory.path])
        #expect(!list.stdout.contains("\u{1B}") && list.stdout.contains("evil^[]0;pwned^G^[[2J.yaml"), "\(list.stdout.debugDescription)")
        let validate = try Wizard.run(["validate", directory.appendingPathComponent(name).path])
        #expect(validate.status == 1)
        #expect(!validate.stdout.contains("\u{1B}") && !validate.stderr.contains("\u{1B}"), "\(validate.stdout.debugDescription)")
        // The title's own ESC is a YAML error at its line; the file name and the quoted line are neutralised.
        #expect(validate.stdout.contains("evil^[]0;pwned^G^[[2J.yaml:3:"), "\(validate.stdout)")
    }
}
