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

        public var isOK: Bool { problems.isEmpty }
    }

    public static func verify(folder: String) -> Outcome {
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
        outcome.notes += contents.acknowledgedTorn.map {
            "journal.jsonl line \($0) is a torn write from before a resume; it was acknowledged by the next line and is ignored"
        }
        // Evidence and command outputs: present, regular, and with the recorded SHA-256.
        var recorded: Set<String> = []
        for entry in contents.entries {
            var file: (name: String, sha: String)?
            if entry.event == JournalEventName.evidenceAdded, let name = entry["file"]?["name"]?.string,
               let sha = entry["file"]?["sha256"]?.string {
                file = (SessionFiles.evidence + "/" + name, sha)
            } else if entry.event == JournalEventName.commandFinished, let name = entry["output_file"]?.string,
                      let sha = entry["output_sha256"]?.string {
                file = (name, sha)
            }
            guard let file else { continue }
            recorded.insert(file.name)
            let path = folder + "/" + file.name
            var info = stat()
            guard !file.name.contains(".."), lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
                outcome.problems.append("\(file.name) is missing (recorded at journal.jsonl line \(entry.line))")
                continue
            }
            if FileHash.sha256(path: path) != file.sha {
                outcome.problems.append("\(file.name) was changed: its SHA-256 is not the one recorded at journal.jsonl line \(entry.line)")
            }
        }
        let evidence = (try? FileManager.default.contentsOfDirectory(atPath: folder + "/" + SessionFiles.evidence)) ?? []
        for name in evidence.sorted() where !recorded.contains(SessionFiles.evidence + "/" + name) {
            outcome.notes.append("\(SessionFiles.evidence)/\(name) is not recorded in the journal (a command stopped before it finished?)")
        }
        // The playbook copies, then the reports rebuilt from the journal, byte for byte.
        do {
            let (playbook, contacts) = try reader.playbook()
            let report = try Report.build(entries: contents.entries, playbook: playbook, contacts: contacts)
            // The last line has no successor whose `prev` would expose an edit; report.json records its hash.
            if let data = FileManager.default.contents(atPath: folder + "/" + SessionFiles.reportJSON),
               let recorded = JSONValue.parse(data)?["journal"], let last = contents.entries.last,
               recorded["entries"]?.int == contents.entries.count, let hash = recorded["last_hash"]?.string, hash != last.hash {
                outcome.problems.append("journal.jsonl line \(last.line) (the last entry) or report.json was changed: report.json "
                                        + "records the last hash \(hash), the line hashes to \(last.hash)")
            }
            for (name, expected) in [(SessionFiles.reportJSON, ReportJSON.render(report)),
                                     (SessionFiles.reportMarkdown, ReportMarkdown.render(report))] {
                guard let data = FileManager.default.contents(atPath: folder + "/" + name) else {
                    outcome.problems.append("\(name) is missing")
                    continue
                }
                if data != Data(expected.utf8) {
                    let line = firstDifferentLine(String(decoding: data, as: UTF8.self), expected)
                    outcome.problems.append("\(name) does not agree with the journal (first difference at line \(line)): it was "
                                            + "changed, or the wizard stopped before rewriting it (`incident-wizard run --resume` rewrites it)")
                }
            }
        } catch {
            outcome.problems.append("\(error)")
        }
        return outcome
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
