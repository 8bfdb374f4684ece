import Crypto
import Foundation
import IncidentCore

/// What the steps do to the machine, recorded in the journal as they happen: running commands
/// with their output in `evidence/`, and network checks. Shared by plain mode and the terminal UI.
public final class StepEffects {
    private let store: SessionStore
    /// A drill changes nothing on the PC: no disconnect command, scans only of the test target.
    public let drill: Bool
    private var drillTarget: DrillTarget?

    public init(store: SessionStore) {
        self.store = store
        self.drill = store.isDrill
    }

    /// Runs a network step's `disconnect_command`, except in a drill, where only what would have
    /// run is recorded. Returns whether the command ran.
    public func disconnect(_ step: Step, _ spec: NetworkSpec, context: PlaceholderContext) throws -> Bool {
        guard spec.action == .disconnect, let template = spec.disconnectCommand?.argv(for: SystemFacts.operatingSystem) else {
            return false
        }
        let argv = context.argv(template)
        if drill {
            try store.append([.commandSkipped(step: step.id.value, name: "disconnect", argv: argv, reason: "drill")])
            return false
        }
        try runCommand(step, name: "disconnect", argv: argv, timeout: 30)
        return true
    }

    /// The scan step's command for this OS with its placeholders filled in; in a drill, the same
    /// scanner pointed at a freshly made test target instead (see `DrillTarget`).
    public func scanArgv(_ spec: ScanSpec, context: PlaceholderContext) throws -> [String]? {
        guard let template = spec.command.argv(for: SystemFacts.operatingSystem) else { return nil }
        guard drill else { return context.argv(template) }
        drillTarget?.remove()
        let target = try DrillTarget.create()
        drillTarget = target
        return target.argv(for: template, context: context)
    }

    /// For the end of a drill: how long each step on the path walked took (`walked`: the steps
    /// shown, a branch gone back from left out), and the whole session, one line each.
    public func stepTimeLines(words: Vocabulary, walked: [String]) -> [String] {
        let titles = Dictionary(store.playbook.steps.map { ($0.id.value, $0.title.resolved(words.language)) }, uniquingKeysWith: { a, _ in a })
        var lines = [words(.stepTimesTitle)]
        let path = Set(walked)
        for line in StepTimes.compute(store.entries) where path.contains(line.step) {
            let title = Sanitizer.neutralise(titles[line.step] ?? line.step, keepNewlines: false)
            lines.append("  \(StepTimes.format(milliseconds: line.milliseconds).leftPadded(to: 7))  \(title)")
        }
        lines.append(words(.stepTimesTotal) + StepTimes.format(milliseconds: StepTimes.elapsedMilliseconds(store.entries)))
        return lines
    }

    /// What running one command produced.
    public struct CommandRun: Sendable {
        public var result: ProcessRunner.Result
        public var verdict: ScanVerdict?
        public var outputFile: String?
        public var outputSHA256: String?
        public var detections: [String]
        public var tail: [String]
    }

    /// Runs a command with its output in `evidence/` and records `command.finished`.
    @discardableResult
    public func runCommand(_ step: Step, name: String, argv: [String], timeout: Int,
                            verdict: ((ProcessRunner.Result) -> ScanVerdict)? = nil,
                           directory: String? = nil, isCancelled: @Sendable () -> Bool = { false },
                           started: (String) -> Void = { _ in }) throws -> CommandRun {
        let output = store.outputPath("\(step.kind.typeName)-\(step.id.value)-\(name)")
        try store.append([.commandStarted(.init(step: step.id.value, name: name, argv: argv, outputFile: output.relative))])
        started(output.absolute)
        let result = ProcessRunner().run(argv, outputPath: output.absolute, timeoutSeconds: timeout, directory: directory,
                                         isCancelled: isCancelled)
        let exists = FileManager.default.fileExists(atPath: output.absolute)
        // One pass over the output (it may be gigabytes): its hash, size and detection lines.
        let digest = exists ? Self.digest(of: output.absolute) : nil
        let sha = digest?.sha256
        let size = digest?.size ?? 0
        let tail = exists ? Self.tail(of: output.absolute, lines: 20) : []
        let detections = digest?.detections ?? []
        let run = CommandRun(result: result, verdict: verdict?(result), outputFile: exists ? output.relative : nil,
                             outputSHA256: sha, detections: detections, tail: tail)
        try store.append([.commandFinished(.init(
            step: step.id.value, name: name, argv: argv, exitCode: result.exitCode.map(Int.init), durationMs: result.durationMs,
            timedOut: result.timedOut, verdict: run.verdict?.rawValue, failure: result.failure, outputFile: sha == nil ? nil : run.outputFile,
            outputSHA256: sha, outputSize: size, detections: detections, tail: tail))])
        return run
    }

    public func recordNetwork(_ step: Step, _ status: NetworkProbe.Status) throws {
        try store.append([.networkChecked(Self.check(step.id.value, status))])
    }

    /// A network probe's reading as the journal records it.
    public static func check(_ step: String, _ status: NetworkProbe.Status) -> SessionEvent.NetworkCheck {
        SessionEvent.NetworkCheck(step: step, interfaces: status.connected.map {
            .init(name: $0.name, kind: $0.kind.rawValue, addresses: $0.addresses, defaultRoute: $0.hasDefaultRoute)
        }, defaultRoute: status.hasDefaultRoute)
    }

    /// Copies a file the employee named into `evidence/` and records it (`evidence.added`, with
    /// a mail's headers), or records why it was refused and rethrows the refusal.
    public func attachEvidence(_ step: Step, path: String) throws -> EvidenceStore.Attached {
        do {
            let attached = try EvidenceStore(directory: store.evidencePath).attach(path)
            try store.append([.evidenceAdded(.init(step: step.id.value, file: attached.file, email: attached.email, emocheck: attached.emocheck))])
            return attached
        } catch let refusal as EvidenceStore.Refusal {
            try store.append([.evidenceRefused(step: step.id.value, reason: refusal.description,
                                               reasonLocal: refusal.reason(Vocabulary(language: store.language)))])
            throw refusal
        }
    }

    /// A command output's SHA-256, size and scanner detection lines (`PATH: NAME FOUND`, as ClamAV
    /// prints them; at most 100), from one read in 1 MiB
    /// chunks, so a huge output neither sits in memory nor is read twice.
    public static func digest(of path: String) -> (sha256: String, size: Int, detections: [String])? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        var hasher = SHA256()
        var size = 0
        let suffix = Array(" FOUND".utf8)
        var found: [String] = []
        var carry: [UInt8] = []
        var carryTooLong = false
        func consider(_ line: ArraySlice<UInt8>) {
            // A line longer than 64 KiB is no scanner's detection line.
            guard line.count <= 1 << 16 else { return }
            var line = line
            if line.last == 0x0D { line = line.dropLast() }
            if line.count >= suffix.count, line.suffix(suffix.count).elementsEqual(suffix) {
                found.append(String(decoding: line, as: UTF8.self))
            }
        }
        while let chunk = try? handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            hasher.update(data: chunk)
            size += chunk.count
            guard found.count < 100 else { continue }
            let bytes = [UInt8](chunk)
            var lineStart = 0
            bytes.withUnsafeBufferPointer { buffer in
                guard let base = buffer.baseAddress else { return }
                while lineStart < buffer.count, found.count < 100,
                      let hit = memchr(base + lineStart, 0x0A, buffer.count - lineStart) {
                    let index = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                    if carryTooLong {
                        carryTooLong = false
                    } else if carry.isEmpty {
                        consider(bytes[lineStart..<index])
                    } else {
                        carry += bytes[lineStart..<index]
                        consider(carry[...])
                        carry.removeAll(keepingCapacity: true)
                    }
                    lineStart = index + 1
                }
            }
            if !carryTooLong { carry += bytes[lineStart...] }
            if carry.count > 1 << 16 {
                carry.removeAll(keepingCapacity: true)
                carryTooLong = true
            }
        }
        if !carry.isEmpty, !carryTooLong, found.count < 100 { consider(carry[...]) }
        return (Hex.encode(hasher.finalize()), size, found)
    }

    /// The last lines of a file, reading only its end (scanner output may be huge).
    public static func tail(of path: String, lines count: Int) -> [String] {
        guard let handle = FileHandle(forReadingAtPath: path) else { return [] }
        defer { try? handle.close() }
        let size = (try? handle.seekToEnd()) ?? 0
        let start = size > 8192 ? size - 8192 : 0
        try? handle.seek(toOffset: start)
        let data = (try? handle.readToEnd()) ?? Data()
        let text = String(decoding: data, as: UTF8.self)
        return Array(text.split(separator: "\n").suffix(count).map(String.init))
    }

    // MARK: Shared by plain mode and the terminal interface

    /// What is still connected, as the employee reads it: "Wi-Fi wlan0 is still on (192.168.1.5)".
    public static func describe(_ interface: NetworkProbe.Interface, words: Vocabulary) -> String {
        let text = words.stillConnected(kind: interface.kind == .wifi ? "wifi" : interface.kind == .wired ? "wired" : "other",
                                        name: interface.name, addresses: interface.addresses.joined(separator: ", "))
        return Sanitizer.neutralise(text, keepNewlines: false)
    }

    /// The network step's answer. How it was disconnected: by the step's command, else by what went
    /// away (only Wi-Fi interfaces → `wifi`, any wired one → `cable`), else `unknown` (already
    /// offline, or only virtual connections went away).
    /// `seen`: every interface a check during the step found connected (so a cable pulled between
    /// two checks is seen). The method is what the wizard saw (`product.md`, `network`): `cable`
    /// when a wired link (or one that is not wireless) lost its carrier, `wifi` when the wireless
    /// link went down, `command` when it ran the disconnect command, `unknown` only when it cannot
    /// tell (a PC already offline when the step began).
    public static func networkOutcome(disconnected: Bool, byCommand: Bool, before: NetworkProbe.Status,
                                      after: NetworkProbe.Status, seen: [NetworkProbe.Interface] = [],
                                      probe: NetworkProbe = NetworkProbe()) -> NetworkOutcome {
        var method = NetworkOutcome.Method.notDone
        if disconnected {
            if byCommand {
                method = .command
            } else {
                var saw: [NetworkProbe.Interface] = []
                for interface in before.connected + seen where !saw.contains(where: { $0.name == interface.name }) { saw.append(interface) }
                if saw.contains(where: { $0.kind != .wifi && probe.lostCarrier($0.name) }) || saw.contains(where: { $0.kind == .wired }) {
                    method = .cable
                } else if saw.contains(where: { $0.kind == .wifi }) {
                    method = .wifi
                } else {
                    method = .unknown
                }
            }
        }
        return NetworkOutcome(disconnected: disconnected, method: method, checkedAt: Timestamp.rfc3339(),
                              interfacesBefore: before.connected.map(\.name), interfacesAfter: after.connected.map(\.name))
    }

    /// A contact's details, one line each, name first, neutralised.
    public static func contactLines(_ contact: Contact, words: Vocabulary) -> [String] {
        let language = words.language
        var lines = [contact.name.resolved(language)]
        if let role = contact.role { lines.append(role.resolved(language)) }
        if let phone = contact.phone { lines.append("\(words(.contactPhone)): \(phone)") }
        if let email = contact.email { lines.append("\(words(.contactEmail)): \(email)") }
        if let url = contact.url { lines.append("\(words(.contactURL)): \(url)") }
        if let hours = contact.hours { lines.append("\(words(.contactHours)): \(hours.resolved(language))") }
        if let note = contact.note { lines.append(note.resolved(language)) }
        return lines.map { Sanitizer.neutralise($0, keepNewlines: false) }
    }

    /// Runs a scan step's command and returns its outcome: the exit code mapped by `verdicts`,
    /// `unavailable` when the scanner is not installed, `error` on timeout, `cancelled` when stopped.
    public func runScan(_ step: Step, _ spec: ScanSpec, argv: [String], isCancelled: @Sendable () -> Bool = { false },
                        started: (String) -> Void = { _ in }) throws -> (CommandRun, ScanOutcome) {
        let run = try runCommand(step, name: "scan", argv: argv, timeout: spec.timeoutSeconds, verdict: { result in
            if !result.ran { return .unavailable }
            if result.failure != nil { return .error }
            if let code = result.exitCode { return spec.verdict(forExitCode: code) }
            return result.timedOut ? .error : .cancelled
        }, directory: drill ? drillTarget?.directory : nil, isCancelled: isCancelled, started: started)
        if drill {
            drillTarget?.remove()
            drillTarget = nil
        }
        return (run, ScanOutcome(verdict: run.verdict ?? .unavailable, exitCode: run.result.exitCode,
                                 durationMs: run.result.durationMs, outputFile: run.outputFile, outputSHA256: run.outputSHA256))
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
