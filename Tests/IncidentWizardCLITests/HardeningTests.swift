import Foundation
import IncidentCore
import Testing

/// Cases from the adversarial pass: reading without limits, leftovers, exit statuses and messages.
@Suite(.serialized) struct HardeningTests {
    /// Peak RSS in KiB of the wizard run through `/usr/bin/time -f %M` (its last stderr line).
    static func peakKiB(_ result: Wizard.Result) -> Int? {
        result.stderr.split(separator: "\n").last.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
    }

    static var time: String? { FileManager.default.isExecutableFile(atPath: "/usr/bin/time") ? "/usr/bin/time" : nil }

    @Test(.enabled(if: HardeningTests.time != nil, "/usr/bin/time is installed by the README's test command"))
    func validateDevZeroRefusesAtOnceInBoundedMemory() throws {
        let result = try Wizard.run(["validate", "/dev/zero"], through: ["/usr/bin/time", "-f", "%M"])
        #expect(result.status == 1)
        #expect(result.stdout.contains("/dev/zero:1:1: error: the file is not a regular file"), "\(result.stdout)")
        let peak = try #require(Self.peakKiB(result))
        #expect(peak <= 64 * 1024, "validate /dev/zero peaked at \(peak) KiB")
    }

    /// A FIFO named like a playbook never blocks `validate`, `list` or the employee's `run`.
    @Test func aFIFONamedLikeAPlaybookNeverBlocks() throws {
        let directory = try Wizard.temporaryDirectory()
        for name in ["emotet.yaml", "contacts.yaml"] {
            try FileManager.default.copyItem(at: Wizard.playbooks.appendingPathComponent(name), to: directory.appendingPathComponent(name))
        }
        let fifo = directory.appendingPathComponent("trap.yaml").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let validate = try Wizard.run(["validate", fifo])
        #expect(validate.status == 1)
        #expect(validate.stdout.contains("is not a regular file"), "\(validate.stdout)")
        let list = try Wizard.run(["list", "--playbooks", directory.path])
        #expect(list.stdout.contains("emotet") && list.stdout.contains("trap.yaml"), "\(list.stdout)")
        let run = try Wizard.run(["run", "emotet", "--plain", "--lang", "en", "--playbooks", directory.path,
                                  "--reports", directory.appendingPathComponent("reports").path], input: "",
                                 environment: ["HOME": directory.path])
        #expect(run.status == 3, "\(run.stdout)\(run.stderr)")
    }

    /// A 300 MB line on plain mode's stdin: read in bounded memory, refused as too long.
    @Test(.enabled(if: HardeningTests.time != nil, "/usr/bin/time is installed by the README's test command"))
    func aHugeLineOnPlainStdinStaysInBoundedMemory() throws {
        let directory = try Wizard.temporaryDirectory()
        let playbook = directory.appendingPathComponent("input.yaml")
        try """
            playbook: 1
            id: input
            title: Input
            languages: [en]
            steps:
              - {id: name, type: input, title: Your name, fields: [{id: who, label: Name}]}
              - {id: z, type: end, title: The end}

            """.write(to: playbook, atomically: true, encoding: .utf8)
        let line = String(repeating: "x", count: 300_000_000)
        let result = try Wizard.run(["run", playbook.path, "--plain", "--reports", directory.appendingPathComponent("reports").path],
                                    input: line + "\nSato\n\n", environment: ["HOME": directory.path],
                                    through: ["/usr/bin/time", "-f", "%M"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("Too long"), "\(result.stdout.suffix(500))")
        let peak = try #require(Self.peakKiB(result))
        #expect(peak <= 64 * 1024, "a 300 MB line peaked at \(peak) KiB")
    }

    @Test func usageErrorsExitTwo() throws {
        #expect(try Wizard.run(["run", "--no-such-option"]).status == 2)
        #expect(try Wizard.run(["verify"]).status == 2)
        #expect(try Wizard.run(["report", "/x", "--format", "pdf"]).status == 2)
        #expect(try Wizard.run(["--help"]).status == 0)
    }

    @Test func aReportsPathThroughAFileIsNamedInPlainWords() throws {
        let directory = try Wizard.temporaryDirectory()
        let file = directory.appendingPathComponent("a-file")
        try Data("x".utf8).write(to: file)
        let result = try Wizard.run(["run", "emotet", "--plain", "--playbooks", Wizard.playbooks.path,
                                     "--reports", file.path + "/reports/more"], environment: ["HOME": directory.path])
        // Never a dead end: the record goes to the private fallback (the input ends: quit, 3).
        #expect(result.status == 3, "\(result.stdout)\(result.stderr)")
        #expect(!result.stderr.contains("NSCocoaErrorDomain") && !result.stderr.contains("error 512"), "\(result.stderr)")
        #expect(result.stderr.contains("\(file.path) is not a folder"), "\(result.stderr)")
    }

    @Test func verifyNamesASymlinkedJournal() throws {
        let folder = try ReportFolderTests().finishedSession().folder()
        let journal = folder + "/journal.jsonl"
        try FileManager.default.moveItem(atPath: journal, toPath: folder + "/elsewhere.jsonl")
        try FileManager.default.createSymbolicLink(atPath: journal, withDestinationPath: folder + "/elsewhere.jsonl")
        let result = try Wizard.run(["verify", folder])
        #expect(result.status == 1)
        #expect(result.stdout.contains("journal.jsonl is a symbolic link"), "\(result.stdout)")
    }

    /// A refused /proc/self/mem leaves nothing in evidence/, and a file over the cap by a little
    /// says by how much.
    @Test func refusedEvidenceLeavesNothingAndSaysHowLarge() throws {
        let directory = try Wizard.temporaryDirectory()
        let big = directory.appendingPathComponent("big.bin").path
        #expect(FileManager.default.createFile(atPath: big, contents: nil))
        #expect(truncate(big, off_t(50 * 1_048_576 + 1)) == 0)
        let input = ["y", "/proc/self/mem", big, "", ""].joined(separator: "\n") + "\n"
        let (stdout, folder, _) = try EvidenceAndCommandTests().runPlain(EvidenceAndCommandTests.evidencePlaybook, input: input, in: directory)
        #expect(stdout.contains("/proc/self/mem: cannot be read"), "\(stdout)")
        #expect(stdout.contains("is too large (50.1 MiB; the limit is 50 MiB)"), "\(stdout)")
        let left = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("evidence").path)
        #expect(left.isEmpty, "left in evidence/: \(left)")
        #expect(Wizard.verifyStatus(folder) == 0)
    }

    /// Creates a file whose name is raw bytes (not necessarily UTF-8).
    static func createFile(in folder: URL, named name: [UInt8], contents: String) throws {
        let path = Array(folder.path.utf8) + [0x2F] + name + [0]
        let descriptor = path.withUnsafeBufferPointer { pointer in
            pointer.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_WRONLY | O_CREAT | O_EXCL, 0o600) }
        }
        try #require(descriptor >= 0)
        _ = Array(contents.utf8).withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        close(descriptor)
    }

    /// A Shift_JIS `請求書.doc` (what a ZIP from Japanese Windows unpacks to) is listed by its
    /// Japanese name, attached by its number and by typing that name; an undecodable name is
    /// listed as a file:// address that attaches too. Quoted, file:// and ~ paths are found.
    @Test func evidenceWithANonUTF8NameIsListedAndAttached() throws {
        let directory = try Wizard.temporaryDirectory()
        let downloads = directory.appendingPathComponent("Downloads")
        try FileManager.default.createDirectory(at: downloads, withIntermediateDirectories: true)
        let shiftJIS: [UInt8] = [0x90, 0xBF, 0x8B, 0x81, 0x8F, 0x91] + Array(".doc".utf8)  // 請求書.doc
        try Self.createFile(in: downloads, named: shiftJIS, contents: "invoice\n")
        try Self.createFile(in: downloads, named: [0xFF, 0xFE] + Array(".bin".utf8), contents: "junk\n")
        try Data("spaced\n".utf8).write(to: directory.appendingPathComponent("my notes.txt"))
        // The list leaves out what is attached already: the second file is then number 1.
        let input = ["y", "1", "1", "~/Downloads/請求書.doc", "'\(directory.path)/my notes.txt'",
                     "file://\(directory.path)/my%20notes.txt", "", ""].joined(separator: "\n") + "\n"
        let (stdout, folder, report) = try EvidenceAndCommandTests().runPlain(EvidenceAndCommandTests.evidencePlaybook, input: input,
                                                                             in: directory)
        #expect(stdout.contains("\(downloads.path)/請求書.doc"), "\(stdout)")
        #expect(stdout.contains("file://") && stdout.contains("%FF%FE.bin"), "\(stdout)")
        let evidence = try #require(report["evidence"]?.array)
        #expect(evidence.count == 5, "\(stdout)\n\(report)")
        let hashes = Set(evidence.compactMap { $0["sha256"]?.string })
        #expect(hashes.count == 3)
        #expect(Wizard.verifyStatus(folder) == 0)
    }

    /// A symlink loop is not "does not exist".
    @Test func aSymlinkLoopIsNamedAsSuch() throws {
        let directory = try Wizard.temporaryDirectory()
        let loop = directory.appendingPathComponent("loop.yaml").path
        try FileManager.default.createSymbolicLink(atPath: loop, withDestinationPath: loop)
        let result = try Wizard.run(["validate", loop])
        #expect(result.status == 1)
        #expect(result.stdout.contains("cannot be reached (Too many levels of symbolic links)"), "\(result.stdout)")
    }

    /// A FIFO planted as a folder's journal never blocks `run --resume` (the lock is taken on a
    /// descriptor opened without waiting).
    @Test func aFIFOJournalNeverBlocksResume() throws {
        let folder = try Wizard.temporaryDirectory()
        #expect(mkfifo(folder.appendingPathComponent("journal.jsonl").path, 0o600) == 0)
        let started = Date()
        let result = try Wizard.run(["run", "--resume", folder.path, "--plain"], input: "\n")
        #expect(Date().timeIntervalSince(started) < 5)
        #expect(result.status == 1)
        #expect(result.stderr.contains("journal.jsonl is not a regular file"), "\(result.stderr)")
    }
}
