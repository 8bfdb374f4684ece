import Foundation
import IncidentCore
import Testing

/// `export`: the record in the consultant's own platform, checked by each platform's own tools —
/// stix2 (`parse`, no custom content) and stix2-validator (offline, with a local copy of the
/// Incident Core schema), PyMISP (`MISPEvent.load`, objects rebuilt strictly), thehive4py's
/// `InputAlert` checked by typeguard — for a finished Emotet walk with a mail and an unfinished one.
@Suite(.serialized) struct ExportTests {
    static let exports = Wizard.packageRoot.appendingPathComponent("Tests/IncidentWizardCLITests/Exports")
    static let checkers: Bool = {
        (try? Wizard.shell(["/usr/bin/env", "python3", "-c", "import stix2, stix2validator, pymisp, thehive4py, typeguard"])) != nil
    }()

    func check(_ format: String, _ file: URL) throws {
        let result = try Wizard.python([Self.exports.appendingPathComponent("validate_exports.py").path, format, file.path, Self.exports.path])
        #expect(result.status == 0, "\(format) \(file.lastPathComponent): \(result.errors)")
    }

    func folders() throws -> [URL] {
        let home = try Wizard.temporaryDirectory()
        let mail = EvidenceAndCommandTests.mailFixture.path
        let finished = try Wizard.run(["run", "emotet", "--plain", "--lang", "ja", "--reports", home.path + "/done"],
                                      input: "\n2\n\n\n\n2\n\ny\n\(mail)\n\n\n\n\n\n\n\n\n\n1\n田中\n\n", environment: ["HOME": home.path])
        #expect(finished.status == 0, "\(finished.stdout)")
        let unfinished = try Wizard.run(["run", "emotet", "--plain", "--lang", "en", "--reports", home.path + "/open"],
                                        input: "\n2\n", environment: ["HOME": home.path])
        #expect(unfinished.status == 3)
        return [try Wizard.reportFolder(home.appendingPathComponent("done")), try Wizard.reportFolder(home.appendingPathComponent("open"))]
    }

    @Test(.enabled(if: ExportTests.checkers, "stix2, stix2-validator, pymisp, thehive4py and typeguard are installed by the README's test command"))
    func everyExportPassesItsPlatformsOwnChecks() throws {
        let out = try Wizard.temporaryDirectory()
        for (index, folder) in try folders().enumerated() {
            for format in ["stix", "misp", "thehive"] {
                let file = out.appendingPathComponent("\(index)-\(format).json")
                let result = try Wizard.run(["export", folder.path, "--format", format, "--output", file.path])
                #expect(result.status == 0, "\(result.stderr)")
                try check(format, file)
            }
        }
        // What the finished one carries: the mail's sender, the attachment's hash, the unique key.
        let folder = try folders()[0]
        let stix = try #require(JSONValue.parse(Data(try Wizard.run(["export", folder.path, "--format", "stix"]).stdout.utf8)))
        let objects = stix["objects"]?.array ?? []
        #expect(objects.contains { $0["type"]?.string == "email-addr" && $0["value"]?.string == "yamada@example-bad.test" })
        let attachment = try #require(objects.first { $0["type"]?.string == "file" && $0["name"]?.string == "請求書_1129.doc" })
        #expect(attachment["hashes"]?["SHA-256"]?.string == "398e7370e070e7b0ab8ac03529b56ea12a5ac12c90ae39257f1e35a13c51cf03")
        let again = try #require(JSONValue.parse(Data(try Wizard.run(["export", try folders()[0].path, "--format", "stix"]).stdout.utf8)))
        #expect((again["objects"]?.array ?? []).contains { $0["id"] == attachment["id"] }, "the same attachment on another PC is the same object")
        let hive = try #require(JSONValue.parse(Data(try Wizard.run(["export", folder.path, "--format", "thehive"]).stdout.utf8)))
        #expect(hive["sourceRef"]?.string == folder.lastPathComponent)
        #expect((hive["observables"]?.array ?? []).contains { $0["dataType"]?.string == "mail" && $0["data"]?.string == "invoice-desk@another-bad.test" })
        let misp = try #require(JSONValue.parse(Data(try Wizard.run(["export", folder.path, "--format", "misp"]).stdout.utf8)))
        let email = try #require(misp["Event"]?["Object"]?.array?.first { $0["name"]?.string == "email" })
        #expect((email["Attribute"]?.array ?? []).contains { $0["object_relation"]?.string == "reply-to" })
        #expect(email["ObjectReference"]?.array?.first?["relationship_type"]?.string == "includes")
    }
}
