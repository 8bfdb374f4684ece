import Foundation
import IncidentCore

/// `incident-wizard check`: is this PC ready for the day an employee needs the wizard? One line
/// per thing checked, OK / WARN / FAIL, for the administrator (in English).
public struct AdminCheck {
    public enum Status: String, Sendable, Comparable {
        case ok = "OK", warn = "WARN", fail = "FAIL"

        public static func < (a: Status, b: Status) -> Bool {
            let order: [Status] = [.ok, .warn, .fail]
            return order.firstIndex(of: a)! < order.firstIndex(of: b)!
        }
    }

    public struct Line: Sendable, Equatable {
        public var status: Status
        public var subject: String
        public var message: String

        public init(_ status: Status, _ subject: String, _ message: String) {
            self.status = status
            self.subject = subject
            self.message = message
        }

        public var text: String {
            Sanitizer.neutralise("\(status.rawValue.padding(toLength: 5, withPad: " ", startingAt: 0))\(subject): \(message)",
                                 keepNewlines: false)
        }
    }

    public var environment: [String: String]
    public var today: CalendarDay
    /// How long a scanner may take to load its database and scan the test file.
    public var scannerTimeout = 300

    public init(environment: [String: String] = SystemFacts.environment, today: CalendarDay = PlaybookCatalog.localToday()) {
        self.environment = environment
        self.today = today
    }

    // MARK: Terminal

    /// `TERM` has a terminfo entry (the full-screen interface needs one; without it, plain mode).
    public func terminal() -> Line {
        guard let term = environment["TERM"], !term.isEmpty else {
            return Line(.warn, "terminal", "TERM is not set: the wizard will use plain mode (line by line)")
        }
        if term == "dumb" { return Line(.warn, "terminal", "TERM=dumb: the wizard will use plain mode (line by line)") }
        guard let entry = terminfoEntry(term) else {
            return Line(.warn, "terminal", "TERM=\(term) has no terminfo entry: the wizard will use plain mode; install ncurses-term or set TERM=xterm-256color")
        }
        return Line(.ok, "terminal", "TERM=\(term) (\(entry))")
    }

    func terminfoEntry(_ term: String) -> String? {
        guard let first = term.first, !term.contains("/") else { return nil }
        var directories: [String] = []
        if let own = environment["TERMINFO"] { directories.append(own) }
        if let home = environment["HOME"] { directories.append(home + "/.terminfo") }
        directories += (environment["TERMINFO_DIRS"] ?? "").split(separator: ":").map(String.init)
        directories += ["/etc/terminfo", "/lib/terminfo", "/usr/share/terminfo", "/usr/lib/terminfo"]
        let hex = Hex.encode([first.asciiValue ?? 0])
        for directory in directories {
            for sub in [String(first), hex] where FileManager.default.fileExists(atPath: "\(directory)/\(sub)/\(term)") {
                return "\(directory)/\(sub)/\(term)"
            }
        }
        return nil
    }

    // MARK: Playbooks

    /// Every playbook and the shared contacts: valid or not, and each contact's `verified` date.
    public func playbooks(in directory: String?) -> (lines: [Line], valid: [Playbook]) {
        guard let directory else {
            return ([Line(.fail, "playbooks", "no playbooks directory found (use --playbooks DIR or $INCIDENT_WIZARD_PLAYBOOKS)")], [])
        }
        let entries = PlaybookCatalog(today: today).check(PlaybookCatalog.files(in: directory))
        var lines: [Line] = []
        var valid: [Playbook] = []
        for entry in entries where !entry.isContactsFile {
            let name = (entry.path as NSString).lastPathComponent
            let errors = entry.diagnostics.filter(\.isError)
            let warnings = entry.diagnostics.count - errors.count
            if let playbook = entry.playbook {
                valid.append(playbook)
                let detail = "valid, \(playbook.steps.count) steps, \(playbook.audience.rawValue)"
                lines.append(warnings == 0 ? Line(.ok, "playbook \(name)", detail)
                                           : Line(.warn, "playbook \(name)", "\(detail); \(warnings) warning(s): run incident-wizard validate \(entry.path)"))
            } else {
                // The first error may be in the shared contacts.yaml the playbook reads.
                let first = errors.first.map { error in
                    let file = error.path == entry.path ? "" : "\((error.path as NSString).lastPathComponent) "
                    return "\(file)line \(error.location.line): \(error.message)"
                } ?? "cannot be read"
                lines.append(Line(.fail, "playbook \(name)", "\(errors.count) error(s), first \(first); run incident-wizard validate \(entry.path)"))
            }
        }
        if entries.filter({ !$0.isContactsFile }).isEmpty {
            lines.append(Line(.fail, "playbooks", "no playbook in \(directory)"))
        } else if !valid.contains(where: { $0.audience == .employee }) {
            lines.append(Line(.fail, "playbooks", "no valid employee playbook in \(directory): the employee would have nothing to run"))
        }
        if let contacts = entries.first(where: \.isContactsFile) {
            lines += self.contacts(contacts)
        }
        return (lines, valid)
    }

    func contacts(_ entry: PlaybookCatalog.Entry) -> [Line] {
        guard let contacts = entry.contacts else {
            return [Line(.fail, "contacts", "\(entry.path) has errors: run incident-wizard validate \(entry.path)")]
        }
        return contacts.values.sorted { $0.location < $1.location }.map(contact)
    }

    /// One contact: a placeholder phone number is a FAIL (the employee would dial it; the same
    /// rule the validator warns by), an old or missing `verified` date or another placeholder a WARN.
    func contact(_ contact: Contact) -> Line {
        let subject = "contact \(contact.id)"
        if let phone = contact.phone, let marker = PlaybookValidator.placeholderMarker(in: [phone]) {
            let shown = marker == phone ? "" : " ('\(marker)')"
            return Line(.fail, subject, "the phone number \"\(phone)\" is a placeholder\(shown): the employee "
                        + "would call it; write the real number in \(contact.path) (line \(contact.location.line))")
        }
        let warnings = PlaybookValidator(today: today).contactWarnings(contact)
        if let first = warnings.first { return Line(.warn, subject, first.message) }
        return Line(.ok, subject, "verified \(contact.verified.map { "\($0.value)" } ?? "-")")
    }

    /// The contacts valid playbooks define themselves (not in the shared file).
    public func ownContacts(of playbooks: [Playbook]) -> [Line] {
        playbooks.flatMap { playbook in
            playbook.contacts.values.sorted { $0.location < $1.location }.map(contact)
        }
    }

    // MARK: Commands and scanners

    /// Each scanner the playbooks use: installed, and (for ClamAV) its database loads and detects
    /// the EICAR test file — in the daemon, when a scan would run through it. The other commands
    /// (collect, disconnect): installed.
    public func commands(of playbooks: [Playbook]) -> [Line] {
        var scanners: [String: [(user: String, argv: [String])]] = [:]
        var others: [String: [String]] = [:]
        for playbook in playbooks {
            for step in playbook.steps {
                switch step.kind {
                case .scan(let spec):
                    if let argv = spec.command.argv(for: SystemFacts.operatingSystem), let program = argv.first {
                        scanners[program, default: []].append(("\(playbook.id.value)/\(step.id.value)", argv))
                    }
                case .collect(let commands):
                    for command in commands {
                        if let program = command.command.argv(for: SystemFacts.operatingSystem)?.first { others[program, default: []].append("\(playbook.id.value)/\(step.id.value)") }
                    }
                case .network(let spec):
                    if let program = spec.disconnectCommand?.argv(for: SystemFacts.operatingSystem)?.first { others[program, default: []].append("\(playbook.id.value)/\(step.id.value)") }
                default:
                    break
                }
            }
        }
        var lines: [Line] = []
        for (program, uses) in scanners.sorted(by: { $0.key < $1.key }) {
            lines.append(scanner(program, usedBy: uses.map(\.user), argvs: uses.map(\.argv)))
        }
        for (program, users) in others.sorted(by: { $0.key < $1.key }) {
            if let path = ProcessRunner.resolve(program, path: environment["PATH"]) {
                lines.append(Line(.ok, "command \(program)", "installed (\(path))"))
            } else {
                lines.append(Line(.warn, "command \(program)", "not installed; used by \(users.joined(separator: ", ")) (the step records that it could not run)"))
            }
        }
        return lines
    }

    /// One scanner. `argvs`: the scans' command lines (placeholders as written), one per user —
    /// a clamscan the daemon can reproduce runs through it when it answers (`ClamDaemon.route`).
    func scanner(_ program: String, usedBy users: [String], argvs: [[String]] = []) -> Line {
        let subject = "scanner \(program)"
        let name = (program as NSString).lastPathComponent
        let socket = ClamDaemon.socketPath(environment: environment)
        let daemonAnswers = ClamDaemon.answers(at: socket)
        let routable = name == "clamscan" ? zip(users, argvs).filter { ClamDaemon.reproduction(of: $0.1) != nil }.map(\.0) : []
        if !routable.isEmpty, daemonAnswers {
            return daemonScanner(subject, socket: socket, users: users, routed: routable)
        }
        guard let path = ProcessRunner.resolve(program, path: environment["PATH"]) else {
            return Line(.fail, subject, "not installed; \(users.joined(separator: ", ")) would report 'scanner not available'")
        }
        let uses = "a scan uses \(path) (\(users.joined(separator: ", ")))"
        if name == "clamdscan" && !daemonAnswers {
            return Line(.fail, subject, "\(uses), but the ClamAV daemon does not answer on \(socket): start it "
                        + "(systemctl start clamav-daemon) or name clamscan in the playbook")
        }
        guard name == "clamscan" || name == "clamdscan" else {
            return Line(.ok, subject, "\(uses); its database cannot be checked here: run a drill (run --drill) to see it work")
        }
        // ClamAV: load the real database and scan the EICAR test file with it.
        guard let target = try? DrillTarget.create(), let scratch = try? DrillTarget.create() else {
            return Line(.warn, subject, "\(uses); could not make a test file to check its database")
        }
        defer { target.remove(); scratch.remove() }
        let output = scratch.directory + "/clamscan-check.txt"
        // clamdscan: the daemon reads the file through the descriptor passed (it runs as another user).
        let argv = name == "clamdscan" ? [path, "--fdpass", "--no-summary", target.testFile] : [path, "--no-summary", target.testFile]
        let result = ProcessRunner().run(argv, outputPath: output, timeoutSeconds: scannerTimeout)
        let shown: String
        if name != "clamscan" {
            shown = path
        } else if !routable.isEmpty {
            shown = "\(path); clamscan, as the ClamAV daemon does not answer on \(socket)"
        } else if daemonAnswers {
            shown = "\(path); the ClamAV daemon answers on \(socket), but the scan's options are not ones it can run, so clamscan runs as written"
        } else {
            shown = path
        }
        let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        switch result.exitCode {
        case 1?:
            return Line(.ok, subject, "installed (\(shown)); a scan uses it (\(users.joined(separator: ", "))); its database loads and detects the EICAR test file")
        case 0?:
            return Line(.warn, subject, "installed (\(shown)); a scan uses it (\(users.joined(separator: ", "))); its database loads but did not detect the EICAR test file: update it (freshclam)")
        default:
            let reason = text.split(separator: "\n").first { $0.contains("ERROR") || $0.contains("Error") }.map(String.init)
                ?? (result.timedOut ? "timed out after \(scannerTimeout) s" : "exit \(result.exitCode.map(String.init) ?? "-")")
            return Line(.fail, subject, "installed (\(shown)) and a scan uses it (\(users.joined(separator: ", "))), but its database "
                        + "cannot be loaded: \(reason); run freshclam (or install clamav-freshclam)")
        }
    }

    /// A clamscan the daemon runs: the EICAR test file scanned through it, as a scan would be.
    private func daemonScanner(_ subject: String, socket: String, users: [String], routed: [String]) -> Line {
        let others = users.filter { !routed.contains($0) }
        let asWritten = others.isEmpty ? "" : "; \(others.joined(separator: ", ")) run clamscan as written (options the daemon cannot run)"
        let uses = "a scan uses the ClamAV daemon on \(socket) (its database is loaded there) (\(routed.joined(separator: ", ")))\(asWritten)"
        guard let target = try? DrillTarget.create(), let scratch = try? DrillTarget.create() else {
            return Line(.warn, subject, "\(uses); could not make a test file to check its database")
        }
        defer { target.remove(); scratch.remove() }
        let outputPath = scratch.directory + "/clamd-check.txt"
        let output = open(outputPath, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard output >= 0 else { return Line(.warn, subject, "\(uses); could not make a file for the test scan") }
        let status = ClamdScan.scan(socket: socket, argv: ["clamscan", "--no-summary", target.testFile], output: output,
                                    errors: output, timeoutSeconds: scannerTimeout)
        close(output)
        let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        switch status {
        case 1:
            return Line(.ok, subject, "\(uses); it detects the EICAR test file")
        case 0:
            return Line(.warn, subject, "\(uses); it did not detect the EICAR test file: update its database (freshclam)")
        default:
            let reason = text.split(separator: "\n").first { $0.contains("ERROR") }.map(String.init) ?? "exit \(status)"
            return Line(.fail, subject, "\(uses), but the test scan through it failed: \(reason)")
        }
    }

    // MARK: Reports

    /// Where `run` would keep the record (`ReportsLocation`, the same decision): the reports
    /// directory (OK, with the room left), the private fallback (WARN, with why), or nowhere
    /// (FAIL: only the emergency card). The fallback is not made here, only checked.
    public func reports(_ directory: String, environment: [String: String] = SystemFacts.environment,
                        home: String = SystemFacts.homeDirectory) -> [Line] {
        let subject = "reports \(directory)"
        let location = ReportsLocation.decide(wanted: directory, environment: environment, home: home, create: false)
        guard let problem = location.problem else { return [room(subject, directory, "writable, owned by you, no symlink")] }
        if let fallbackProblem = location.fallbackProblem {
            return [Line(.fail, subject, "cannot be used (\(problem)), nor the private fallback \(location.fallback) (\(fallbackProblem)): "
                         + "the wizard can keep no record and shows only the emergency card")]
        }
        return [Line(.warn, subject, "cannot be used (\(problem)): the wizard will use the private fallback \(location.fallback) "
                     + "and tell the employee so; \(advice(problem))")]
    }

    /// What the administrator can do about a reports folder that cannot be used.
    private func advice(_ problem: ReportsLocation.Problem) -> String {
        switch problem {
        case .symlink: return "use the real path"
        case .othersCanWrite(let path): return "run: chmod go-w \(path)"
        case .otherOwner(let path, _): return "remove \(path) (the wizard makes it, owned by the user) or give it to the user"
        case .unsafeParent(let path, _): return "make \(path) root's, and sticky (chmod +t) if others must write there"
        case .notAFolder, .cannotCreate, .notWritable: return "mount the share, or make the folder writable for the user"
        }
    }

    /// An OK line with the room left (a WARN when it is little).
    private func room(_ subject: String, _ directory: String, _ what: String) -> Line {
        var space = statvfs()
        guard statvfs(directory, &space) == 0 else { return Line(.ok, subject, what) }
        let mib = Int(space.f_bavail) * Int(space.f_frsize) / 1_048_576
        return mib < 200 ? Line(.warn, subject, "\(what), but only \(mib) MiB free (evidence and scanner output need room)")
                         : Line(.ok, subject, "\(what), \(mib) MiB free")
    }
}
