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

/// `export --format zip`: the whole folder for a USB stick, read back after writing; unzipped
/// anywhere, `verify` passes.
@Suite(.serialized) struct ZipExportTests {
    func walk() throws -> URL {
        let home = try Wizard.temporaryDirectory()
        let mail = EvidenceAndCommandTests.mailFixture.path
        let result = try Wizard.run(["run", "emotet", "--plain", "--lang", "en", "--reports", home.path + "/r"],
                                    input: "\n2\n\n\n\n2\n\ny\n\(mail)\n\n\n\n\n\n\n\n\n\n1\nTanaka\n\n", environment: ["HOME": home.path])
        #expect(result.status == 0, "\(result.stdout)")
        return try Wizard.reportFolder(home.appendingPathComponent("r"))
    }

    /// Unzips with Python's zipfile (another implementation than the writer's) and checks the manifest.
    func unzipAndCheck(_ zip: URL, into directory: URL) throws {
        let check = try Wizard.python(["-c", """
            import hashlib, sys, zipfile
            archive = zipfile.ZipFile(sys.argv[1])
            assert archive.testzip() is None
            names = archive.namelist()
            for name in names:
                assert not any(c in name for c in '*?<>|":\\\\'), name
            assert len({n.lower() for n in names}) == len(names), "names that differ only in case"
            manifest = [n for n in names if n.endswith('/MANIFEST.sha256')][0]
            for line in archive.read(manifest).decode().splitlines():
                digest, name = line.split('  ', 1)
                assert hashlib.sha256(archive.read(name)).hexdigest() == digest, name
            archive.extractall(sys.argv[2])
            """, zip.path, directory.path])
        #expect(check.status == 0, "\(check.errors)")
    }

    @Test func theZipUnzipsToAFolderThatVerifies() throws {
        let folder = try walk()
        let out = try Wizard.temporaryDirectory()
        let zip = out.appendingPathComponent("record.zip")
        let result = try Wizard.run(["export", folder.path, "--format", "zip", "--output", zip.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("read back and checked"))
        let unzipped = out.appendingPathComponent("copy")
        try unzipAndCheck(zip, into: unzipped)
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

    /// libzip (and the libcrypto, libbz2 and libz it brings) is loaded by the export, and
    /// libqrencode (with its libpthread.so.0) by the first QR code, not at every start of the
    /// binary that ships: its NEEDED entries name neither, nor libstdc++ or libgcc_s.
    @Test func theBinaryLoadsNeitherLibzipNorLibqrencodeNorASharedLibstdcxxAtStart() throws {
        let readelf = try #require(Wizard.which("readelf") ?? Wizard.which("objdump"))
        let arguments = readelf.hasSuffix("readelf") ? ["-d", Wizard.binary] : ["-p", Wizard.binary]
        let dynamic = try Wizard.program(readelf, arguments, keeping: .standardOutput).text
        #expect(dynamic.contains("NEEDED"), "\(dynamic.prefix(400))")
        #expect(dynamic.contains("libncursesw"))
        for library in ["libzip", "libcrypto", "libbz2", "libqrencode", "libpthread"] {
            #expect(!dynamic.contains(library), "\(library) is linked")
        }
        // The shipped build has libstdc++ and GCC's unwinder linked in (scripts/build-release.sh);
        // the debug build not.
        if Wizard.isShipped {
            #expect(!dynamic.contains("libstdc++"), "libstdc++ is a shared library of the shipped binary")
            #expect(!dynamic.contains("libgcc_s"), "libgcc_s is a shared library of the shipped binary")
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
        try unzipAndCheck(copied, into: unzipped)
        let verify = try Wizard.run(["verify", unzipped.appendingPathComponent(folder.lastPathComponent).path])
        #expect(verify.status == 0, "\(verify.stdout)")
    }
}
