import ArgumentParser
import Foundation
import IncidentCore
import IncidentEdges
import IncidentTerminal

/// Before a session: where the record goes, the scenario menu, and "continue where you left off?".
extension Run {
    /// Where the record goes (`ReportsLocation`: the reports folder, else the private fallback,
    /// else nowhere); the administrator's line on stderr when it is not the reports folder.
    static func reportsLocation(option: String?, announce: Bool = true) -> ReportsLocation {
        let location = ReportsLocation.decide(wanted: ReportFolder.reportsDirectory(option: option))
        if announce, let problem = location.problem {
            if let fallbackProblem = location.fallbackProblem {
                warn("the reports folder cannot be used (\(problem)), nor the private fallback (\(fallbackProblem)): nothing can be recorded")
            } else {
                warn("the reports folder cannot be used (\(problem)): the record is kept in the private fallback \(location.fallback)")
            }
        }
        return location
    }

    /// The unfinished sessions in every folder where the record may be, newest first.
    static func unfinished(in location: ReportsLocation, playbookID: String? = nil, drill: Bool) -> [SessionStore.Unfinished] {
        location.searchDirectories.flatMap { SessionStore.unfinished(in: $0, playbookID: playbookID, drill: drill) }
            .sorted { $0.started > $1.started }
    }

    /// No folder at all can be written, not even the private fallback: only the emergency card.
    struct NoRecord: Error, CustomStringConvertible {
        var location: ReportsLocation
        var language: String
        var admin: (name: String, phone: String)?

        var description: String {
            "no report folder can be written: \(location.problem.map { "\($0)" } ?? location.wanted); "
                + "the private fallback: \(location.fallbackProblem.map { "\($0)" } ?? location.fallback)"
        }
    }

    enum Choice {
        case start(PlaybookResolver.Resolved)
        case resume(String)
    }

    /// The playbook named, or the scenario menu of the employee playbooks (with the unfinished
    /// sessions to resume); a single employee playbook and nothing to resume starts directly.
    func choose(location: ReportsLocation, screen: ScreenHolder) throws -> Choice {
        if let playbook { return .start(try PlaybookResolver(option: playbooksDirectory).resolve(playbook)) }
        guard let directory = PlaybookCatalog.playbooksDirectory(option: playbooksDirectory) else {
            throw PlaybookResolver.Failure.unusable("no playbooks directory found (use --playbooks DIR)")
        }
        let files = PlaybookCatalog.files(in: directory).filter { !ContactsLoader.isContactsFile($0) }
        // Every employee playbook found, the broken ones too (what can be read of them says whose
        // they are): a broken one is listed as broken and leads to the emergency card; another
        // is never started in its place. The one chosen is run as checked here, not read again.
        let employee: [Candidate] = PlaybookCatalog().check(files).compactMap { entry in
            entry.readable?.audience == .admin ? nil : Candidate(entry: entry, playbook: entry.readable)
        }
        guard !employee.isEmpty else {
            throw PlaybookResolver.Failure.unusable("no employee playbook in \(directory)")
        }
        let unfinished = try Self.resumable(Self.unfinished(in: location, drill: drill))
        if employee.count == 1, unfinished.isEmpty { return .start(try PlaybookResolver.resolved(employee[0].entry)) }
        let language = Self.menuLanguage
        let words = Vocabulary(language: language)
        var options = employee.enumerated().map { index, candidate in
            (value: "p\(index)", label: candidate.label(language, words: words))
        }
        if let latest = unfinished.first {
            options.append((value: "resume", label: words.resumeOption(started: latest.started, playbookID: latest.playbookID)))
        }
        // What each scenario is about, behind `?`.
        let help = employee.compactMap { candidate -> String? in
            guard candidate.isValid, let summary = candidate.playbook?.summary else { return nil }
            return candidate.label(language, words: words) + "\n  " + summary.resolved(candidate.language(language))
        }.joined(separator: "\n\n")
        switch screen.ask(.menu(title: "incident-wizard", question: words(.menuQuestion), options: options,
                                help: help.isEmpty ? nil : help, language: language)) {
        case .answered(.choice("resume"))?: return .resume(unfinished[0].folder)
        case .answered(.choice(let value))?:
            guard let index = Int(value.dropFirst()), employee.indices.contains(index) else { throw ExitCode(3) }
            return .start(try PlaybookResolver.resolved(employee[index].entry))
        case nil:
            throw PlaybookResolver.Failure.usage("no scenario chosen")
        default:
            screen.restore()
            throw ExitCode(3)
        }
    }

    /// The unfinished sessions to offer; one already open in another window stops this one.
    static func resumable(_ found: [SessionStore.Unfinished]) throws -> [SessionStore.Unfinished] {
        if let live = found.first(where: \.openElsewhere) { throw SessionStore.Failure.openElsewhere(live.folder) }
        return found
    }

    /// An employee playbook of the scenario menu: valid, or broken (what could be read of it).
    struct Candidate {
        var entry: PlaybookCatalog.Entry
        var playbook: Playbook?
        var isValid: Bool { entry.playbook != nil }

        func language(_ wanted: String) -> String {
            guard let codes = playbook?.languageCodes else { return wanted }
            return codes.contains(wanted) ? wanted : codes.first ?? wanted
        }

        func label(_ language: String, words: Vocabulary) -> String {
            let title = playbook.map { Sanitizer.neutralise($0.title.resolved(self.language(language)), keepNewlines: false) }
                ?? Sanitizer.neutralise(PathName.withoutExtension(PathName.last(entry.path)), keepNewlines: false)
            return isValid ? title : words.brokenScenario(title)
        }

    }

    /// "Continue where you left off?" — and on no, "close the earlier record and start afresh?"
    /// (a closed record is journaled `session.abandoned` and never offered again; on no again it
    /// stays, and is offered next time).
    func askToResume(_ unfinished: SessionStore.Unfinished, language: String, screen: ScreenHolder) throws -> Bool {
        let words = Vocabulary(language: language)
        if try askYesNo(.confirm(title: "incident-wizard", question: words(.resumeQuestion), text: words.resumeDetail(started: unfinished.started),
                                 language: language), screen: screen) {
            return true
        }
        // Only a clear yes closes it: in plain mode any other line keeps it (on the full screen the
        // question takes its keys as every confirm does).
        if try askYesNo(.confirm(title: "incident-wizard", question: words(.abandonQuestion), text: "", language: language,
                                 unclearIsNo: screen.terminal == nil), screen: screen) {
            do {
                _ = try SessionStore.resume(folder: unfinished.folder, drill: drill, abandon: true)
            } catch {
                // Never in the way of a new start: the old record stays as it is.
                Self.warn("the earlier record could not be closed (\(error)); it is left as it is")
            }
        }
        return false
    }

    /// One yes/no question (the end of the input is no; quitting stops the wizard).
    func askYesNo(_ dialog: DialogProgram, screen: ScreenHolder) throws -> Bool {
        switch screen.ask(dialog) {
        case .answered(.confirm(.yes))?: return true
        case .quit?:
            screen.restore()
            throw ExitCode(3)
        default: return false
        }
    }
}
