import Foundation
import IncidentCore

/// `verify DIR`: recomputes the journal chain, the evidence hashes and the reports, and says
/// exactly what does not agree.
public enum SessionVerifier {
    public struct Outcome: Sendable {
        /// Problems: any one makes the folder untrustworthy (exit 1).
        public var problems: [String] = []
        /// Things worth knowing that are not problems (an acknowledged torn line, extra files).
        public var notes: [String] = []
        public var entries = 0
        public var lastHash = Journal.genesis
        /// A check code one character away from a line's code: most likely misheard on the phone,
        /// not proof of a rewrite (the code was not confirmed: exit 1, but said as what it is).
        public var misheard: String?

        public var isOK: Bool { problems.isEmpty && misheard == nil }
    }

    /// `code`: a check code read out earlier (on the phone, from the QR code): some line of the
    /// journal must have it, or the journal was rewritten after it was read out.
    static func check(_ typed: String, in folder: String, _ outcome: inout Outcome) {
        guard let code = CheckCode.normalised(typed) else {
            outcome.problems.append("'\(typed)' is not a check code (8 letters and digits, written XXXX-XXXX)")
            return
        }
        guard let reader = try? SessionFolderReader(folder: folder) else { return }
        let entries = reader.contents.entries
        if let line = entries.first(where: { CheckCode.of(hash: $0.hash) == code }) {
            outcome.notes.append("check code \(code) is journal.jsonl line \(line.line) (\(line.event), \(line.time))")
        } else if let near = entries.first(where: { CheckCode.of(hash: $0.hash).map { CheckCode.differsByOne($0, code) } == true }),
                  let nearCode = CheckCode.of(hash: near.hash) {
            outcome.misheard = "probably misheard: line \(near.line) has \(nearCode) (\(near.event), \(near.time)); no line has \(code), "
                + "which differs from it in one character. Check the code written down and run verify --code again"
        } else {
            let last = entries.last.flatMap { CheckCode.of(hash: $0.hash) } ?? "none"
            outcome.problems.append("no line of journal.jsonl has the check code \(code) (its \(entries.count) lines' codes differ; the last is "
                                    + "\(last)): the journal was rewritten after that code was read out, or the code belongs to another record")
        }
    }

    public static func verify(folder: String, code: String? = nil) -> Outcome {
        var outcome = verifyChain(folder: folder)
        if let code { check(code, in: folder, &outcome) }
        return outcome
    }

    static func verifyChain(folder: String) -> Outcome {
        var outcome = Outcome()
        let reader: SessionFolderReader
        do {
            reader = try SessionFolderReader(folder: folder)
        } catch {
            outcome.problems.append("\(error)")
            return outcome
        }
        let contents = reader.contents
        outcome.entries = contents.entries.count
        outcome.lastHash = contents.lastHash
        outcome.problems += contents.problems.map(\.description)
        if let finished = contents.entries.firstIndex(where: { if case .sessionFinished? = $0.typed { true } else { false } }) {
            // Nothing is written after a session ends but the end of a scan still running in the
            // background then (its command.finished and its verdict, `product.md` "Background work").
            let open = Journal.unfinishedScans(contents.entries[..<finished])
            let late = contents.entries[(finished + 1)...].filter { entry in
                switch entry.typed {
                case .commandFinished(let end)? where end.name == "scan" && open[end.step] != nil: return false
                case .stepAnswered(let step, _)? where open[step] != nil: return false
                default: return true
                }
            }
            if !late.isEmpty {
                outcome.problems.append("journal.jsonl has \(late.count) entries after session.finished "
                                        + "(line \(contents.entries[finished].line)): nothing is written after a session ends "
                                        + "but a background scan's end")
            }
        }
        outcome.notes += contents.acknowledgedTorn.map {
            "journal.jsonl line \($0) is a torn write from before a resume; it was acknowledged by the next line and is ignored"
        }
        // An unzipped copy of `export --format zip`: the names the zip had to change are mapped in
        // its MANIFEST.sha256, and the copy is checked as the folder would be, under its names.
        let renamed = ZipExport.renamedNames(inCopy: folder)
        let original = Dictionary(renamed.map { ($0.value, $0.key) }, uniquingKeysWith: { first, _ in first })
        let isCopy = FileManager.default.fileExists(atPath: folder + "/" + ZipExport.manifestName)
        // Evidence and command outputs: present, regular, and with the recorded SHA-256.
        var recorded: Set<String> = []
        var stoppedMidway: Set<String> = []
        for entry in contents.entries {
            var file: (name: String, sha: String, attached: Bool)?
            switch entry.typed {
            case .evidenceAdded(let added)?:
                file = (SessionFiles.evidence + "/" + added.file.name, added.file.sha256, true)
            case .commandFinished(let end)?:
                if let name = end.outputFile, let sha = end.outputSHA256 { file = (name, sha, false) }
            case .commandStarted(let begun)?:
                stoppedMidway.insert(begun.outputFile)
            default:
                break
            }
            guard let file else { continue }
            recorded.insert(file.name)
            let path = folder + "/" + (renamed[file.name] ?? file.name)
            var info = stat()
            guard !file.name.split(separator: "/").contains(".."), lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
                let hint = isCopy && file.attached
                    ? " (in the zip, the files the employee attached are encrypted with the password '\(ZipExport.password)': unzip them with it)" : ""
                outcome.problems.append("\(file.name) is missing (recorded at journal.jsonl line \(entry.line))" + hint)
                continue
            }
            if FileHash.sha256(path: path) != file.sha {
                outcome.problems.append("\(file.name) was changed: its SHA-256 is not the one recorded at journal.jsonl line \(entry.line)")
            }
        }
        // A file the journal does not account for is a finding in itself: it was put there afterwards.
        for name in (PosixFiles.names(in: folder + "/" + SessionFiles.evidence) ?? []).sorted() {
            let relative = original[SessionFiles.evidence + "/" + name] ?? (SessionFiles.evidence + "/" + name)
            if recorded.contains(relative) { continue }
            if stoppedMidway.contains(relative) {
                outcome.notes.append("\(relative) is the output of a command that was stopped before it finished (no hash was recorded)")
            } else {
                outcome.problems.append("\(relative) is not accounted for by the journal: no line records it (it was added afterwards)")
            }
        }
        // A folder that records the emergency card has no report (there was no usable playbook):
        // its copies, as they were when the card was shown, are all there is to check.
        if case .sessionStarted(let start)? = contents.entries.first?.typed, start.emergency {
            for (file, sha256) in [(SessionFiles.playbookCopy, start.playbook.sha256), (SessionFiles.contactsCopy, start.contacts?.sha256)] {
                do { _ = try reader.checkedCopy(file, sha256: sha256) } catch { outcome.problems.append("\(error)") }
            }
            outcome.notes.append("this folder records that the emergency card was shown (the playbook could not be used); it has no report")
            return outcome
        }
        // The playbook copies, then the reports rebuilt from the journal, byte for byte.
        do {
            let (playbook, contacts) = try reader.playbook()
            let report = try Report.build(entries: contents.entries, playbook: playbook, contacts: contacts,
                                          readFile: { FileManager.default.contents(atPath: folder + "/" + (renamed[$0] ?? $0)) })
            // The last line has no successor whose `prev` would expose an edit; report.json records
            // how many entries it was written from and the last one's hash. Each is checked on its own.
            if let data = FileManager.default.contents(atPath: folder + "/" + SessionFiles.reportJSON),
               let recorded = JSONValue.parse(data)?["journal"] {
                outcome.problems += countProblems(contents.entries, recordedCount: recorded["entries"]?.int,
                                                  recordedHash: recorded["last_hash"]?.string)
            }
            for (name, expected) in [(SessionFiles.reportJSON, ReportJSON.render(report)),
                                     (SessionFiles.reportMarkdown, ReportMarkdown.render(report))] {
                guard let data = FileManager.default.contents(atPath: folder + "/" + name) else {
                    outcome.problems.append("\(name) is missing")
                    continue
                }
                if data != Data(expected.utf8) {
                    let line = firstDifferentLine(String(decoding: data, as: UTF8.self), expected)
                    outcome.problems.append("\(name) does not agree with the journal (first difference at line \(line))")
                }
            }
        } catch {
            outcome.problems.append("\(error)")
        }
        return outcome
    }

    /// What report.json's `journal {entries, last_hash}` says against the journal itself.
    static func countProblems(_ entries: [JournalEntry], recordedCount: Int?, recordedHash: String?) -> [String] {
        guard let recordedCount, let recordedHash else { return ["report.json does not record the journal's entries and last hash"] }
        let count = entries.count
        if recordedCount == count {
            guard let last = entries.last, recordedHash != last.hash else { return [] }
            return ["journal.jsonl line \(last.line) (the last entry) or report.json was changed: report.json records the last hash "
                    + "\(recordedHash), the line hashes to \(last.hash)"]
        }
        if recordedCount > count {
            return ["journal.jsonl has \(count) entries, report.json records \(recordedCount): lines were removed from the end of "
                    + "the journal, or report.json was changed"]
        }
        // The journal has more entries than report.json was written from.
        let atRecorded = recordedCount >= 1 ? entries[recordedCount - 1] : nil
        let prefix = atRecorded.map { $0.hash == recordedHash } ?? (recordedHash == Journal.genesis)
        return ["journal.jsonl has \(count) entries, report.json records \(recordedCount): "
                        + (prefix ? "the journal goes on past what report.json was written from (lines were appended, or the wizard "
                                    + "was stopped before it rewrote the reports)"
                                  : "report.json's last hash is not that of journal line \(atRecorded?.line ?? 0) either: the journal "
                                    + "or report.json was changed")]
    }

    static func firstDifferentLine(_ a: String, _ b: String) -> Int {
        let left = a.split(separator: "\n", omittingEmptySubsequences: false)
        let right = b.split(separator: "\n", omittingEmptySubsequences: false)
        for index in 0..<max(left.count, right.count) where index >= left.count || index >= right.count || left[index] != right[index] {
            return index + 1
        }
        return max(left.count, right.count)
    }
}
