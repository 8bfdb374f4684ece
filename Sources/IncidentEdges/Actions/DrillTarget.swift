import Foundation
import IncidentCore

/// The harmless target a drill's scan looks at: a private temporary folder holding the EICAR
/// anti-virus test file (a 68-byte text every scanner reports, and that does nothing) and an
/// offline ClamAV signature for it, so a drill detects "something" without the real virus
/// database and without scanning the employee's files.
public struct DrillTarget: Sendable {
    public let directory: String
    public var testFile: String { directory + "/" + Self.testFileName }
    public var signature: String { directory + "/" + Self.signatureName }

    public static let testFileName = "eicar-test-file.com"
    public static let signatureName = "incident-wizard-drill.hsb"
    /// The name the signature gives a detection (ClamAV adds `.UNOFFICIAL`).
    public static let detectionName = "Incident-Wizard-Drill-EICAR-Test-File"

    /// The EICAR test string, kept in two halves so this program's own files never contain it.
    public static var eicar: Data {
        Data(#"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-"#.utf8) + Data("TEST-FILE!$H+H*".utf8)
    }

    /// Creates a fresh folder (0700) with the test file and its signature (`SHA256:SIZE:NAME`).
    public static func create(in parent: String = NSTemporaryDirectory()) throws -> DrillTarget {
        var template = Array(((parent.hasSuffix("/") ? parent : parent + "/") + "incident-wizard-drill-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else {
            throw SessionStore.Failure.write(parent, String(cString: strerror(errno)))
        }
        let target = DrillTarget(directory: String(cString: made))
        try SessionStore.writeNew(target.testFile, eicar)
        let line = "\(FileHash.sha256(eicar)):\(eicar.count):\(detectionName)\n"
        try SessionStore.writeNew(target.signature, Data(line.utf8))
        return target
    }

    public init(directory: String) {
        self.directory = directory
    }

    public func remove() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// The scan command a drill runs instead of the playbook's, isolated by construction: the same
    /// scanner and its plain options; every argument that is not an option (a path, however it is
    /// written: `/…`, `~/…`, `{{home}}`, or a bare `Downloads`) replaced by the test folder; an
    /// option whose value names a place (`--move=/quarantine`, `--file-list=~/list`) left out,
    /// unless that place is in the session's own report folder. The scanner also runs inside the
    /// test folder (`StepEffects.runScan`), so a relative name there resolves to it. For ClamAV's
    /// `clamscan` without a database option, the drill's signature is added.
    public func argv(for template: [String], context: PlaceholderContext) -> [String] {
        guard let program = template.first else { return [] }
        var out = [program]
        for element in template.dropFirst() {
            if !element.hasPrefix("-") {
                if out.last != directory { out.append(directory) }
            } else if let value = element.split(separator: "=", maxSplits: 1).dropFirst().first, Self.namesAPlace(value) {
                if value.hasPrefix("{{report.dir}}") || value.hasPrefix("{{evidence.dir}}") { out += context.argv([element]) }
            } else {
                out += context.argv([element])
            }
        }
        let hasDatabase = out.contains { $0 == "-d" || $0.hasPrefix("--database") }
        if PathName.last(program) == "clamscan", !hasDatabase {
            out.insert("--database=\(signature)", at: 1)
        }
        if out.count == 1 || !out.contains(directory) { out.append(directory) }
        return out
    }

    /// An option value that could be a file or folder: anything with a slash, a `~`, a
    /// placeholder, or a leading dot. Plain words and numbers (`yes`, `3`, `Win.Trojan`) are not.
    static func namesAPlace(_ value: Substring) -> Bool {
        value.contains("/") || value.hasPrefix("~") || value.contains("{{") || value.hasPrefix(".")
    }
}
