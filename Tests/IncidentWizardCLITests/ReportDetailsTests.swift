import Foundation
import IncidentCore
import Testing

/// What the consultant reads in the report (`product.md`, report.json `status` and `host.user`):
/// the person by name, a record closed without finishing said so, text shown the same way in
/// every table.
@Suite struct ReportDetailsTests {
    static let yaml = """
        playbook: 1
        id: details
        title: Details
        languages: [en]
        steps:
          - id: mail
            type: input
            title: About the mail
            fields:
              - {id: sender, label: Sender}
              - {id: notes, label: Notes, multiline: true}
          - {id: done, type: end, title: Done}
        """

    func setUp() throws -> (home: URL, playbook: URL) {
        let home = try Wizard.temporaryDirectory()
        let playbook = home.appendingPathComponent("details.yaml")
        try Self.yaml.write(to: playbook, atomically: true, encoding: .utf8)
        return (home, playbook)
    }

    func report(_ folder: URL) throws -> JSONValue {
        try #require(JSONValue.parse(try Data(contentsOf: folder.appendingPathComponent("report.json"))))
    }

    /// A multi-line answer and a sender with angle brackets: `<br>` in every table (never `^J`),
    /// the address readable in the raw file (never `&lt;`).
    @Test func lineBreaksAndAddressesReadTheSameInEveryTable() throws {
        let (home, playbook) = try setUp()
        let run = try Wizard.run(["run", playbook.path, "--plain", "--reports", home.path + "/r"],
                                 input: "Sato <sato@partner.example>\nfirst line\nsecond line\n\n\n", environment: ["HOME": home.path])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        let folder = try Wizard.reportFolder(home.appendingPathComponent("r"))
        let markdown = try String(contentsOf: folder.appendingPathComponent("report.md"), encoding: .utf8)
        #expect(!markdown.contains("^J"), "\(markdown)")
        #expect(!markdown.contains("&lt;"), "\(markdown)")
        #expect(markdown.contains("first line<br>second line"), "\(markdown)")
        #expect(markdown.contains("`Sato <sato@partner.example>") && markdown.contains("Sato \\<sato@partner.example>"), "\(markdown)")
        #expect(Wizard.verifyStatus(folder) == 0)
    }

    /// A record closed without finishing (the employee started afresh) is "abandoned", not "in
    /// progress", in report.json and report.md.
    @Test func aClosedRecordIsAbandoned() throws {
        let (home, playbook) = try setUp()
        let reports = home.path + "/r"
        let quit = try Wizard.run(["run", playbook.path, "--plain", "--reports", reports], input: "", environment: ["HOME": home.path])
        #expect(quit.status == 3, "\(quit.stdout)\(quit.stderr)")
        let first = try Wizard.reportFolder(home.appendingPathComponent("r"))
        // Again: not continued (n), and closed (y).
        let again = try Wizard.run(["run", playbook.path, "--plain", "--reports", reports], input: "n\ny\n",
                                   environment: ["HOME": home.path])
        #expect(again.status == 3, "\(again.stdout)\(again.stderr)")
        let status = try report(first)["status"]?.string
        #expect(status == "abandoned", "\(status ?? "nil")")
        let markdown = try String(contentsOf: first.appendingPathComponent("report.md"), encoding: .utf8)
        #expect(markdown.contains("closed without finishing"), "\(markdown)")
        #expect(Wizard.verifyStatus(first) == 0)
    }

    /// The person by their full name with the login (an account whose GECOS has one: Debian's
    /// `list`, "Mailing List Manager").
    @Test(.enabled(if: getuid() == 0 && Wizard.which("setpriv") != nil && getpwnam("list") != nil, "needs root, setpriv and the list account"))
    func thePersonIsNamedInFull() throws {
        let (home, playbook) = try setUp()
        let person = String(cString: getpwnam("list")!.pointee.pw_gecos).split(separator: ",").first.map(String.init) ?? ""
        try #require(!person.isEmpty && person != "list")
        let uid = getpwnam("list")!.pointee.pw_uid, gid = getpwnam("list")!.pointee.pw_gid
        for path in [home.path, playbook.path] { chown(path, uid, gid) }
        let run = try Wizard.run(["run", playbook.path, "--plain", "--reports", home.path + "/r"], input: "x\n\n\n",
                                 directory: home, environment: ["HOME": home.path],
                                 through: ["/usr/bin/setpriv", "--reuid=\(uid)", "--regid=\(gid)", "--clear-groups", "--"])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        let folder = try Wizard.reportFolder(home.appendingPathComponent("r"))
        #expect(try report(folder)["host"]?["user"]?.string == "\(person) (list)")
        let markdown = try String(contentsOf: folder.appendingPathComponent("report.md"), encoding: .utf8)
        #expect(markdown.contains("\(person) (list)"), "\(markdown)")
    }
}
