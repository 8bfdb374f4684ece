import ArgumentParser
import Foundation
import IncidentCore
import IncidentEdges

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a playbook (an id or a file path); with none, offer the employee playbooks.",
        discussion: """
            Exit status: 0 reached an end; 3 the employee quit (answers are kept); 2 invalid playbook \
            or usage; 1 any other failure.
            """)

    @Argument(help: "A playbook id or file path.")
    var playbook: String?

    @Option(help: "ja or en (default: LC_ALL / LC_MESSAGES / LANG, else the playbook's first language).")
    var lang: String?

    @Option(help: "Where report folders are created (default: $INCIDENT_WIZARD_REPORTS, else ~/incident-reports).")
    var reports: String?

    @Flag(help: "Line-by-line prompts instead of the full-screen interface.")
    var plain = false

    @OptionGroup var options: PlaybooksOption

    func run() throws {
        do {
            let resolved = try choosePlaybook()
            let language = try Self.language(option: lang, playbook: resolved.playbook)
            try walk(resolved, language: language)
        } catch let failure as PlaybookResolver.Failure {
            Self.fail(failure.description, status: 2)
        } catch let failure as ReportFolder.Failure {
            Self.fail(failure.description, status: 1)
        }
    }

    private static func fail(_ message: String, status: Int32) -> Never {
        FileHandle.standardError.write(Data(("incident-wizard: " + message + "\n").utf8))
        Foundation.exit(status)
    }

    /// `--lang`, else `LC_ALL` / `LC_MESSAGES` / `LANG` (`ja*` → ja), else the playbook's first language.
    static func language(option: String?, playbook: Playbook,
                         environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        let available = playbook.languageCodes
        if let option {
            guard available.contains(option) else {
                throw PlaybookResolver.Failure.usage("the playbook has no '\(option)' text (it has: \(available.joined(separator: ", ")))")
            }
            return option
        }
        let locale = ["LC_ALL", "LC_MESSAGES", "LANG"].lazy.compactMap { environment[$0] }.first { !$0.isEmpty } ?? ""
        if locale.hasPrefix("ja"), available.contains("ja") { return "ja" }
        if !locale.isEmpty, !locale.hasPrefix("ja"), available.contains("en"), !["C", "POSIX"].contains(locale),
           !locale.hasPrefix("C.") { return "en" }
        return available.first ?? "en"
    }

    private func choosePlaybook() throws -> PlaybookResolver.Resolved {
        let resolver = PlaybookResolver(option: options.playbooks)
        if let playbook { return try resolver.resolve(playbook) }
        guard let directory = PlaybookCatalog.playbooksDirectory(option: options.playbooks) else {
            throw PlaybookResolver.Failure.usage("no playbooks directory found (use --playbooks DIR)")
        }
        let files = PlaybookCatalog.files(in: directory).filter { !ContactsLoader.isContactsFile($0) }
        let employee = PlaybookCatalog().check(files).compactMap(\.playbook).filter { $0.audience == .employee }
        guard !employee.isEmpty else {
            throw PlaybookResolver.Failure.usage("no valid employee playbook in \(directory)")
        }
        if employee.count == 1 { return try resolver.resolve(employee[0].path) }
        let language = Self.menuLanguage()
        let words = Vocabulary(language: language)
        print(words.isJapanese ? "何が起きましたか？ 当てはまるものを選んでください。" : "What happened? Choose the closest one.")
        for (index, candidate) in employee.enumerated() {
            let lang = candidate.languageCodes.contains(language) ? language : candidate.languageCodes.first ?? language
            print("  \(index + 1)) " + Sanitizer.neutralise(candidate.title.resolved(lang), keepNewlines: false))
            if let summary = candidate.summary {
                print("     " + Sanitizer.neutralise(summary.resolved(lang), keepNewlines: false))
            }
        }
        while true {
            print("> " + words(.chooseNumber))
            guard let line = readLine() else {
                throw PlaybookResolver.Failure.usage("no scenario chosen")
            }
            if let number = Int(line.trimmingCharacters(in: .whitespaces)), employee.indices.contains(number - 1) {
                return try resolver.resolve(employee[number - 1].path)
            }
            print(words(.invalidAnswer))
        }
    }

    private static func menuLanguage() -> String {
        let environment = ProcessInfo.processInfo.environment
        let locale = ["LC_ALL", "LC_MESSAGES", "LANG"].lazy.compactMap { environment[$0] }.first { !$0.isEmpty } ?? ""
        return locale.hasPrefix("ja") ? "ja" : "en"
    }

    private func walk(_ resolved: PlaybookResolver.Resolved, language: String) throws {
        let started = Date()
        let host = SystemFacts.hostName
        let folder = try ReportFolder.create(in: ReportFolder.reportsDirectory(option: reports),
                                             playbookID: resolved.playbook.id.value, host: host, date: started)
        let context = PlaceholderContext(
            language: language, hostName: host, userName: SystemFacts.userName, sessionID: UUID().uuidString.lowercased(),
            sessionStarted: Timestamp.rfc3339(started), now: Timestamp.rfc3339(), reportDir: folder.path,
            home: SystemFacts.homeDirectory, evidenceDir: folder.evidencePath, contacts: resolved.contacts)
        // The full-screen interface is not built yet: every run uses plain mode for now.
        let session = PlainSession(engine: Engine(playbook: resolved.playbook), context: context, folder: folder)
        switch session.run() {
        case .finished:
            throw ExitCode(0)
        case .quit:
            throw ExitCode(3)
        case .failed(let reason):
            Self.fail(reason, status: 1)
        }
    }
}
