import ArgumentParser
import Foundation
import IncidentCore
import IncidentEdges
import IncidentUI

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Re-render a report folder's report from its journal to stdout.",
        discussion: """
            --document ID prints a document the playbook drafts from the record (Markdown: what the record knows \
            filled in, [TO FILL] lines where a person must write); --document alone lists them. A document \
            whose condition does not hold on this record is not printed (exit 1).
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case md, json
    }

    @Argument(help: "The report folder.")
    var folder: String

    @Option(help: "md or json.")
    var format: Format = .md

    @Option(help: "The language of the report (default: the session's).")
    var lang: String?

    @Option(defaultAsFlag: "", help: ArgumentHelp("Print the drafted document ID (Markdown); without ID, list the documents.",
                                                  valueName: "ID"))
    var document: String? = nil

    func run() throws {
        let report = try FolderReport.load(folder, language: lang)
        guard let document else {
            return Output.document(format == .json ? ReportJSON.render(report) : ReportMarkdown.render(report))
        }
        let entries = DocumentDraft.list(report)
        let words = { (key: ConsultantWords.Key) in ConsultantWords.text(key, report.language) }
        if document.isEmpty {
            guard !entries.isEmpty else { return Output.out(words(.noDocuments) + " (\(report.playbookID))") }
            // One line each, tab-separated: id, title, who writes it, whether it applies.
            let lines = entries.map { entry in
                let applies = words(entry.applies ? .applies : .documentDoesNotApply)
                return [entry.id, entry.title, words(.writtenBy) + entry.audience.rawValue, applies]
                    .map { Sanitizer.neutralise($0, keepNewlines: false) }
                    .joined(separator: "\t")
            }
            return Output.document(lines.joined(separator: "\n") + "\n")
        }
        guard let template = report.playbook.document(document) else {
            let known = entries.map(\.id).joined(separator: ", ")
            Run.fail("the playbook has no document '\(document)' (it has: \(known.isEmpty ? "none" : known))", status: 1)
        }
        guard DocumentDraft.applies(template, report) else {
            Run.fail("document '\(document)' does not apply to this record: its 'when' does not hold on the answers "
                     + "(list them with: report \(folder) --document)", status: 1)
        }
        let now = report.timeline.last?.time ?? report.started
        Output.document(DocumentDraft.render(template, report, now: now,
                                             reportDir: URL(fileURLWithPath: folder).standardizedFileURL.path))
    }
}

/// A report folder's report, rebuilt from its journal and its copies of the playbook and contacts
/// (`report`, `qr`, `export`); the journal's problems are warnings on stderr.
enum FolderReport {
    static func load(_ folder: String, language: String? = nil) throws -> Report {
        do {
            let reader = try SessionFolderReader(folder: folder)
            for problem in reader.contents.problems { Output.err("incident-wizard: warning: \(problem)") }
            let (playbook, contacts) = try reader.playbook()
            if let language, !playbook.languageCodes.contains(language) {
                throw ValidationError("the playbook has no '\(language)' text (it has: \(playbook.languageCodes.joined(separator: ", ")))")
            }
            return try Report.build(entries: reader.contents.entries, playbook: playbook, contacts: contacts, language: language,
                                    readFile: { FileManager.default.contents(atPath: folder + "/" + $0) })
        } catch let failure as SessionStore.Failure {
            Run.fail(failure.description, status: 1)
        }
    }
}

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check a report folder's integrity: the journal chain, evidence hashes, and the reports. Exit 0 / 1.")

    @Argument(help: "The report folder.")
    var folder: String

    @Option(help: ArgumentHelp("A check code read out earlier (XXXX-XXXX): some journal line must have it.", valueName: "CODE"))
    var code: String?

    func run() throws {
        let outcome = SessionVerifier.verify(folder: folder, code: code)
        for note in outcome.notes { Output.out("note: \(note)") }
        if outcome.isOK {
            // Without a code read out earlier, a careful rewrite re-chained on the PC would pass too.
            let reminder = code == nil ? " (only a check code read out earlier, with --code, proves the journal was not rewritten)" : ""
            Output.out("OK: \(outcome.entries) journal entries, last hash \(outcome.lastHash)" + reminder)
        } else {
            for problem in outcome.problems { Output.out("FAIL: \(problem)") }
            if let misheard = outcome.misheard { Output.out(misheard) }
            throw ExitCode(1)
        }
    }
}

struct QRCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "qr",
        abstract: "Print a report folder's summary as a QR code for a phone to photograph (the text starts with IW1; docs/handoff.md).")

    @Argument(help: "The report folder.")
    var folder: String

    func run() throws {
        let text = HandoffSummary.text(try FolderReport.load(folder))
        guard let code = QRCode(text) else { Run.fail("the summary does not fit in a QR code: \(text)", status: 1) }
        Output.out(text)
        Output.qr(QRDrawing.lines(code.modules))
    }
}

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export a report folder: a STIX 2.1 bundle, a MISP event or a TheHive 5 alert or case (JSON), or a zip for a USB stick.",
        discussion: """
            --format zip writes the whole folder (FAT-safe names, MANIFEST.sha256), syncs it to the disk, reads it \
            back and checks every file; without --output it is FOLDER-NAME.zip in the current directory.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case stix, misp, thehive, zip
        case thehiveCase = "thehive-case"
    }

    @Argument(help: "The report folder.")
    var folder: String

    @Option(help: "stix, misp, thehive (an alert), thehive-case (a case with the deadlines as tasks and the drafted documents as pages) or zip.")
    var format: Format

    @Option(help: ArgumentHelp("Write to this file instead of stdout.", valueName: "FILE"))
    var output: String?

    func run() throws {
        let report = try FolderReport.load(folder)
        let name = URL(fileURLWithPath: folder).standardizedFileURL.lastPathComponent
        let value: JSONValue
        switch format {
        case .stix: value = STIXExport.bundle(report)
        case .misp: value = MISPExport.event(report)
        case .thehive: value = TheHiveExport.alert(report, folderName: name, markdown: ReportMarkdown.render(report))
        case .thehiveCase: value = TheHiveExport.caseFile(report, folderName: name, markdown: ReportMarkdown.render(report))
        case .zip:
            let target = output ?? ZipExport.fatSafe(name) + ".zip"
            do {
                let written = try ZipExport.write(folder: folder, to: try ExportTarget(target, record: folder))
                for (original, stored) in written.renamed {
                    Output.out("note: \(Sanitizer.neutralise(original, keepNewlines: false)) is stored as \(Sanitizer.neutralise(stored, keepNewlines: false)) (mapped in MANIFEST.sha256; verify follows it)")
                }
                if !written.encrypted.isEmpty {
                    Output.out("note: the \(written.encrypted.count) file(s) the employee attached are encrypted in the zip (AES-256) with the password '\(ZipExport.password)', so an antivirus does not quarantine the record")
                }
                Output.out("wrote \(target): \(written.files) files and MANIFEST.sha256, read back and checked")
                Output.out(written.removable ? "It is on the disk: the USB stick can be removed now (eject it first if the desktop offers to)."
                                             : "It is on the disk.")
            } catch {
                Run.fail("\(error)", status: 1)
            }
            return
        }
        let text = value.pretty()
        guard let output else { return Output.document(text) }
        do {
            try ExportTarget(output, record: folder).write(Data(text.utf8))
        } catch {
            Run.fail("\(error)", status: 1)
        }
        Output.out("wrote \(output)")
    }
}
