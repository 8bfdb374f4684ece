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
                                      input: "\n2\n\n\n\n2\n\ny\n\(mail)\n\n\n\n\n\n\n1\n田中\n\n\n\n", environment: ["HOME": home.path])
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
            for format in ["stix", "misp", "thehive", "thehive-case"] {
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
        // The playbook's deadlines: a MISP event report, a STIX note, TheHive case tasks.
        #expect(misp["Event"]?["EventReport"]?.array?.first?["content"]?.string?.contains("個人情報保護委員会への速報") == true)
        #expect(objects.contains { $0["type"]?.string == "note" && $0["content"]?.string?.contains("個人情報保護委員会への確報") == true })
        let hiveCase = try #require(JSONValue.parse(Data(try Wizard.run(["export", folder.path, "--format", "thehive-case"]).stdout.utf8)))
        #expect(hiveCase["tasks"]?.array?.count == 3 && hiveCase["pages"]?.array?.count == 1)
    }
}

extension ExportTests {
    static func uuids(_ value: JSONValue) -> [String] {
        switch value {
        case .object(let members):
            return members.flatMap { $0.key == "uuid" ? ($0.value.string.map { [$0] } ?? []) : uuids($0.value) }
        case .array(let items): return items.flatMap(uuids)
        default: return []
        }
    }

    /// The indicators are the mail's (typed, when no .eml was attached), a drill says DRILL in
    /// every format, every STIX object carries TLP:AMBER, MISP marks only the mail's indicators
    /// for IDS, every uuid is unique, and the wizard's own outputs are not file indicators.
    @Test(.enabled(if: ExportTests.checkers, "stix2, stix2-validator, pymisp, thehive4py and typeguard are installed by the README's test command"))
    func exportsCarryTheMailsIndicatorsAndMarkADrill() throws {
        let home = try Wizard.temporaryDirectory()
        let out = try Wizard.temporaryDirectory()
        // A walk without an .eml: the sender and subject as the employee typed them.
        let keys = ["", "2", "", "", "", "2", "", "y", "", "", "Suzuki <suzuki@yamada-shoji.example.jp>", "【至急】請求書の件", "9:00",
                    "", "1", "Tanaka", "", "", ""]
        let typed = try Wizard.run(["run", "emotet", "--plain", "--lang", "ja", "--reports", home.path + "/typed"],
                                   input: keys.map { $0 + "\n" }.joined(), environment: ["HOME": home.path])
        #expect(typed.status == 0, "\(typed.stdout)")
        let folder = try Wizard.reportFolder(home.appendingPathComponent("typed"))
        let markdown = try String(contentsOf: folder.appendingPathComponent("report.md"), encoding: .utf8)
        #expect(markdown.contains("suzuki@yamada-shoji.example.jp") && markdown.contains("【至急】請求書の件（本人の入力）"), "\(markdown)")
        let misp = try #require(JSONValue.parse(Data(try Wizard.run(["export", folder.path, "--format", "misp"]).stdout.utf8)))
        let email = try #require(misp["Event"]?["Object"]?.array?.first { $0["name"]?.string == "email" })
        let from = try #require(email["Attribute"]?.array?.first { $0["object_relation"]?.string == "from" })
        #expect(from["value"]?.string == "suzuki@yamada-shoji.example.jp")
        #expect(from["to_ids"] == .bool(true))
        let subject = try #require(email["Attribute"]?.array?.first { $0["object_relation"]?.string == "subject" })
        #expect(subject["value"]?.string == "【至急】請求書の件" && subject["to_ids"] == .bool(false))
        // The wizard's own command outputs (ps, ss, the scan log) are not file indicators.
        let files = (misp["Event"]?["Object"]?.array ?? []).filter { $0["name"]?.string == "file" }
        #expect(files.isEmpty, "\(files)")
        let stix = try #require(JSONValue.parse(Data(try Wizard.run(["export", folder.path, "--format", "stix"]).stdout.utf8)))
        let objects = stix["objects"]?.array ?? []
        #expect(objects.contains { $0["type"]?.string == "email-addr" && $0["value"]?.string == "suzuki@yamada-shoji.example.jp" })
        #expect(!objects.contains { $0["type"]?.string == "file" }, "no command output as a file observable")
        for object in objects where object["type"]?.string != "marking-definition" {
            #expect(object["object_marking_refs"]?.array?.first?.string == "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82",
                    "\(object["id"]?.string ?? "")")
        }
        let hive = try #require(JSONValue.parse(Data(try Wizard.run(["export", folder.path, "--format", "thehive"]).stdout.utf8)))
        #expect((hive["observables"]?.array ?? []).contains { $0["data"]?.string == "suzuki@yamada-shoji.example.jp" && $0["ioc"] == .bool(true) })

        // A mail attached: the Received chain is never an IDS indicator; every uuid is unique.
        let finished = try folders()[0]
        let attached = try #require(JSONValue.parse(Data(try Wizard.run(["export", finished.path, "--format", "misp"]).stdout.utf8)))
        let attributes = (attached["Event"]?["Object"]?.array ?? []).flatMap { $0["Attribute"]?.array ?? [] }
        let received = attributes.filter { $0["object_relation"]?.string == "received-header-ip" }
        #expect(!received.isEmpty && received.allSatisfy { $0["to_ids"] == .bool(false) })
        #expect(attributes.allSatisfy { $0["to_ids"] != nil }, "to_ids is set on every attribute (MISP's default is true)")
        let all = Self.uuids(attached)
        #expect(Set(all).count == all.count, "every uuid is unique: \(all.count) uuids")

        // A drill: marked in every format.
        let playbook = home.appendingPathComponent("drill.yaml")
        try """
            playbook: 1
            id: drill-marks
            title: Drill
            languages: [en]
            steps:
              - {id: start, type: info, title: Start}
              - {id: done, type: end, title: Done}
            """.write(to: playbook, atomically: true, encoding: .utf8)
        let drill = try Wizard.run(["run", playbook.path, "--drill", "--plain", "--reports", home.path + "/drill"], input: "\n\n",
                                   environment: ["HOME": home.path])
        #expect(drill.status == 0, "\(drill.stdout)\(drill.stderr)")
        let drillFolder = try Wizard.reportFolder(home.appendingPathComponent("drill"))
        for format in ["stix", "misp", "thehive"] {
            let file = out.appendingPathComponent("drill-\(format).json")
            #expect(try Wizard.run(["export", drillFolder.path, "--format", format, "--output", file.path]).status == 0)
            try check(format, file)
        }
        let drillSTIX = try #require(JSONValue.parse(try Data(contentsOf: out.appendingPathComponent("drill-stix.json"))))
        for type in ["incident", "report"] {
            let object = try #require((drillSTIX["objects"]?.array ?? []).first { $0["type"]?.string == type })
            #expect(object["labels"]?.array?.contains(.string("drill")) == true, "\(type)")
        }
    }
}

/// `export --format zip`: the whole folder for a USB stick, read back after writing; unzipped
/// anywhere, `verify` passes.
@Suite(.serialized) struct ZipExportTests {
    func walk() throws -> URL {
        let home = try Wizard.temporaryDirectory()
        let mail = EvidenceAndCommandTests.mailFixture.path
        let result = try Wizard.run(["run", "emotet", "--plain", "--lang", "en", "--reports", home.path + "/r"],
                                    input: "\n2\n\n\n\n2\n\ny\n\(mail)\n\n\n\n\n\n\n1\nTanaka\n\n\n\n", environment: ["HOME": home.path])
        #expect(result.status == 0, "\(result.stdout)")
        return try Wizard.reportFolder(home.appendingPathComponent("r"))
    }

    /// Unzips with pyzipper (another implementation than the writer's, which reads AES) and checks
    /// the manifest: what the employee attached only with the password `infected`, everything
    /// else (journal, reports, manifest) without one.
    func unzipAndCheck(_ zip: URL, into directory: URL, attached: [String] = []) throws {
        let check = try Wizard.python(["-c", """
            import hashlib, json, sys, pyzipper, zipfile
            archive = pyzipper.AESZipFile(sys.argv[1])
            names = archive.namelist()
            for name in names:
                assert not any(c in name for c in '*?<>|":\\\\'), name
            assert len({n.lower() for n in names}) == len(names), "names that differ only in case"
            attached = set(json.loads(sys.argv[3]))
            manifest = [n for n in names if n.endswith('/MANIFEST.sha256')][0]
            original = {}
            for line in archive.read(manifest).decode().splitlines():
                if line.startswith('# renamed '):
                    mapping = json.loads(line[len('# renamed '):])
                    original[mapping['stored']] = mapping['original']
            for info in archive.infolist():
                encrypted = bool(info.flag_bits & 0x1)
                relative = info.filename.split('/', 1)[1]
                assert encrypted == (original.get(relative, relative) in attached), (info.filename, encrypted)
                if not encrypted:
                    archive.read(info.filename)  # readable without a password
            archive.setpassword(b'infected')
            assert archive.testzip() is None
            for line in archive.read(manifest).decode().splitlines():
                if line.startswith('#'):
                    continue
                digest, name = line.split('  ', 1)
                assert hashlib.sha256(archive.read(name)).hexdigest() == digest, name
            archive.extractall(sys.argv[2])
            """, zip.path, directory.path, String(decoding: try JSONSerialization.data(withJSONObject: attached), as: UTF8.self)])
        #expect(check.status == 0, "\(check.errors)")
    }

    /// The files the employee attached, as the journal records them (relative to the folder).
    func attached(_ folder: URL) throws -> [String] {
        let journal = try String(contentsOf: folder.appendingPathComponent("journal.jsonl"), encoding: .utf8)
        return journal.split(separator: "\n").compactMap { line in
            guard let entry = JSONValue.parse(Data(line.utf8)), entry["event"]?.string == "evidence.added",
                  let name = entry["file"]?["name"]?.string else { return nil }
            return "evidence/" + name
        }
    }

    /// Names that differ only in case are mapped, never renamed silently; a name that is not UTF-8
    /// is kept (mapped), so a folder that fails `verify` gives a copy that fails it too; what the
    /// employee attached is encrypted with `infected`.
    @Test func namesAreMappedNeverDroppedAndAttachmentsEncrypted() throws {
        let home = try Wizard.temporaryDirectory()
        let playbook = home.appendingPathComponent("files.yaml")
        try """
            playbook: 1
            id: files
            title: Files
            languages: [en]
            steps:
              - {id: photo, type: evidence, attach: optional, title: Attach}
              - {id: done, type: end, title: Done}
            """.write(to: playbook, atomically: true, encoding: .utf8)
        let upper = home.appendingPathComponent("Invoice.doc"), lower = home.appendingPathComponent("invoice.doc")
        try Data("first\n".utf8).write(to: upper)
        try Data("second\n".utf8).write(to: lower)
        let run = try Wizard.run(["run", playbook.path, "--plain", "--reports", home.path + "/r"],
                                 input: "y\n\(upper.path)\n\(lower.path)\n\n\n", environment: ["HOME": home.path])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        let folder = try Wizard.reportFolder(home.appendingPathComponent("r"))
        let files = try attached(folder)
        #expect(Set(files) == ["evidence/Invoice.doc", "evidence/invoice.doc"], "\(files)")
        let out = try Wizard.temporaryDirectory()
        let zip = out.appendingPathComponent("record.zip")
        let result = try Wizard.run(["export", folder.path, "--format", "zip", "--output", zip.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("is stored as") && result.stdout.contains("MANIFEST.sha256"), "the change is said: \(result.stdout)")
        #expect(result.stdout.contains("'infected'"))
        let unzipped = out.appendingPathComponent("copy")
        try unzipAndCheck(zip, into: unzipped, attached: files)
        let copy = unzipped.appendingPathComponent(folder.lastPathComponent)
        let verify = try Wizard.run(["verify", copy.path])
        #expect(verify.status == 0, "the copy follows the mapping: \(verify.stdout)")

        // A file whose name is not UTF-8, put in the record afterwards: the folder fails verify,
        // and so does its copy (the file is in the zip under a mapped name).
        let evidence = folder.appendingPathComponent("evidence").path
        let raw = Array(evidence.utf8) + Array("/bad-".utf8) + [0xFF] + Array(".doc".utf8)
        let descriptor = open(raw.map { CChar(bitPattern: $0) } + [0], O_WRONLY | O_CREAT | O_EXCL, 0o600)
        #expect(descriptor >= 0)
        close(descriptor)
        #expect(try Wizard.run(["verify", folder.path]).status == 1)
        let second = out.appendingPathComponent("second.zip")
        #expect(try Wizard.run(["export", folder.path, "--format", "zip", "--output", second.path]).status == 0)
        let again = out.appendingPathComponent("again")
        try unzipAndCheck(second, into: again, attached: files)
        let copied = try Wizard.run(["verify", again.appendingPathComponent(folder.lastPathComponent).path])
        #expect(copied.status == 1, "a copy of a folder that fails verify fails it too: \(copied.stdout)")
        #expect(copied.stdout.contains("not accounted for"), "\(copied.stdout)")
    }

    @Test func theZipUnzipsToAFolderThatVerifies() throws {
        let folder = try walk()
        let out = try Wizard.temporaryDirectory()
        let zip = out.appendingPathComponent("record.zip")
        let result = try Wizard.run(["export", folder.path, "--format", "zip", "--output", zip.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("read back and checked"))
        let unzipped = out.appendingPathComponent("copy")
        try unzipAndCheck(zip, into: unzipped, attached: try attached(folder))
        let copy = unzipped.appendingPathComponent(folder.lastPathComponent)
        let verify = try Wizard.run(["verify", copy.path])
        #expect(verify.status == 0, "\(verify.stdout)")
        // A stick that is not there: a clear message, nothing half-written claimed.
        let missing = try Wizard.run(["export", folder.path, "--format", "zip", "--output", "/nonexistent/stick/record.zip"])
        #expect(missing.status == 1 && missing.stderr.contains("cannot write /nonexistent/stick/record.zip"), "\(missing.stderr)")
    }

    /// Every export is created 0600, never through a symlink planted at --output, never into the
    /// record itself (`product.md`, "Exports and the zip").
    @Test func exportsArePrivateAndNeverTurnedAgainstTheRecord() throws {
        let folder = try walk()
        let journal = folder.appendingPathComponent("journal.jsonl")
        let before = try Data(contentsOf: journal)
        let shared = try Wizard.temporaryDirectory()
        for format in ["stix", "misp", "thehive", "zip"] {
            let out = shared.appendingPathComponent("export.\(format)")
            let result = try Wizard.run(["export", folder.path, "--format", format, "--output", out.path])
            #expect(result.status == 0, "\(format): \(result.stderr)")
            let mode = try #require(try FileManager.default.attributesOfItem(atPath: out.path)[.posixPermissions] as? Int)
            #expect(mode == 0o600, "\(format) export is \(String(mode, radix: 8))")
            // No temporary file is left beside it.
            #expect(try FileManager.default.contentsOfDirectory(atPath: shared.path).allSatisfy { !$0.hasPrefix(".") })
            // A symlink planted where the export goes, pointing at the journal: refused, journal intact.
            let trap = shared.appendingPathComponent("trap.\(format)")
            try FileManager.default.createSymbolicLink(at: trap, withDestinationURL: journal)
            let planted = try Wizard.run(["export", folder.path, "--format", format, "--output", trap.path])
            #expect(planted.status == 1 && planted.stderr.contains("symbolic link"), "\(format): \(planted.stderr)")
            // The record's own files, or anything inside the record.
            let inside = try Wizard.run(["export", folder.path, "--format", format, "--output", journal.path])
            #expect(inside.status == 1 && inside.stderr.contains("inside the report folder"), "\(format): \(inside.stderr)")
            let beside = try Wizard.run(["export", folder.path, "--format", format, "--output", folder.path + "/evidence/x.json"])
            #expect(beside.status == 1, "\(format): \(beside.stderr)")
        }
        #expect(try Data(contentsOf: journal) == before, "the journal is untouched")
        #expect(try Wizard.run(["verify", folder.path]).status == 0)
    }

    /// libzip and libqrencode are linked (their module maps), like ncursesw: the binary's NEEDED
    /// entries name all three, so the dynamic loader finds them before anything runs and
    /// dpkg-shlibdeps puts their packages in the package's Depends (scripts/build-deb.sh). The
    /// shipped build looks for no library relative to where it lies (no RUNPATH).
    @Test func theBinaryLinksLibzipAndLibqrencode() throws {
        let readelf = try #require(Wizard.which("readelf") ?? Wizard.which("objdump"))
        let arguments = readelf.hasSuffix("readelf") ? ["-d", Wizard.binary] : ["-p", Wizard.binary]
        let dynamic = try Wizard.program(readelf, arguments, keeping: .standardOutput).text
        let needed = dynamic.split(separator: "\n").filter { $0.contains("NEEDED") }.joined(separator: "\n")
        for library in ["libncursesw.so", "libzip.so", "libqrencode.so"] {
            #expect(needed.contains(library), "\(library) is not linked: \(needed)")
        }
        if Wizard.isShipped {
            #expect(!dynamic.contains("RUNPATH") && !dynamic.contains("RPATH"), "\(dynamic)")
        }
    }

    /// A FAT USB stick needs a kernel with vfat, which this CI machine's kernel lacks: the stick is
    /// mounted, through a loop device, inside a throw-away virtual machine running Debian's kernel
    /// with this machine's own file system as its root (`scripts/in-vm.sh`). Root only.
    static let vfatMachine: Bool = getuid() == 0 && Wizard.which("mkfs.vfat") != nil
        && Wizard.which("qemu-system-x86_64") != nil && Wizard.which("busybox") != nil && Wizard.which("cpio") != nil
        && ((try? FileManager.default.contentsOfDirectory(atPath: "/boot")) ?? []).contains { $0.hasPrefix("vmlinuz-") }

    @Test(.enabled(if: ZipExportTests.vfatMachine, "needs root, mkfs.vfat, and qemu with Debian's kernel (scripts/in-vm.sh)"))
    func ontoAMountedVfatStick() throws {
        let folder = try walk()
        let directory = try Wizard.temporaryDirectory()
        let image = directory.appendingPathComponent("stick.img"), stick = directory.appendingPathComponent("stick")
        let copied = directory.appendingPathComponent("from-the-stick.zip"), said = directory.appendingPathComponent("export.out")
        try Wizard.shell(["/usr/bin/truncate", "-s", "32M", image.path])
        try Wizard.shell([try #require(Wizard.which("mkfs.vfat")), "-n", "USBSTICK", image.path])
        let binary = URL(fileURLWithPath: Wizard.binary).resolvingSymlinksInPath().path
        // In the machine: plug the stick in, export onto it, pull it out; plug it in again and copy
        // the zip off it, so what is checked is what the FAT file system kept.
        let script = directory.appendingPathComponent("stick.sh")
        try """
            set -e
            export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8
            mkdir -p '\(stick.path)'
            mount -t vfat -o loop '\(image.path)' '\(stick.path)'
            grep -q ' \(stick.path) vfat ' /proc/mounts
            status=0
            '\(binary)' export '\(folder.path)' --format zip --output '\(stick.path)/record.zip' > '\(said.path)' 2>&1 || status=$?
            umount '\(stick.path)'
            [ $status -eq 0 ] || exit $status
            mount -t vfat -o loop,ro '\(image.path)' '\(stick.path)'
            cp '\(stick.path)/record.zip' '\(copied.path)'
            umount '\(stick.path)'

            """.write(to: script, atomically: true, encoding: .utf8)
        let machine = try Wizard.program(Wizard.packageRoot.appendingPathComponent("scripts/in-vm.sh").path, [script.path],
                                         keeping: .standardError)
        let output = (try? String(contentsOf: said, encoding: .utf8)) ?? ""
        #expect(machine.status == 0, "\(machine.text)\n\(output)")
        #expect(output.contains("read back and checked"), "\(output)")
        let unzipped = directory.appendingPathComponent("copy")
        try unzipAndCheck(copied, into: unzipped, attached: try attached(folder))
        let verify = try Wizard.run(["verify", unzipped.appendingPathComponent(folder.lastPathComponent).path])
        #expect(verify.status == 0, "\(verify.stdout)")
    }
}
