import Foundation
import IncidentCore
import IncidentEdges
import Testing

/// `run`'s cache of checked playbooks: used only for exactly the bytes that were checked, never
/// by `validate`, and never the reason a broken playbook runs.
@Suite struct PlaybookCacheTests {
    static let version: String = {
        (try? Wizard.run(["--version"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? "?"
    }()

    /// A copy of the shipped playbooks (and their contacts) in a folder of its own, and a cache.
    func setUp() throws -> (directory: URL, cache: PlaybookCache, home: URL) {
        let home = try Wizard.temporaryDirectory()
        let directory = home.appendingPathComponent("playbooks")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for name in ["emotet.yaml", "spoofed-mail.yaml", "readiness.yaml", "contacts.yaml"] {
            try FileManager.default.copyItem(at: Wizard.playbooks.appendingPathComponent(name),
                                             to: directory.appendingPathComponent(name))
        }
        let cache = PlaybookCache(directory: home.appendingPathComponent("cache/incident-wizard/playbooks").path,
                                  binary: PlaybookCache.binaryIdentity(executable: Wizard.binary, version: Self.version))
        return (directory, cache, home)
    }

    func check(_ file: URL, _ cache: PlaybookCache) -> PlaybookCatalog.Entry {
        PlaybookCatalog(cache: cache).check([file.path])[0]
    }

    /// Replaces the first occurrence of `old` in a file (same length or not: one edit).
    func edit(_ file: URL, _ old: String, _ new: String) throws {
        let text = try String(contentsOf: file, encoding: .utf8)
        let range = try #require(text.range(of: old), "\(old) not in \(file.lastPathComponent)")
        try text.replacingCharacters(in: range, with: new).write(to: file, atomically: false, encoding: .utf8)
    }

    @Test func theArchiveGivesBackEveryShippedAndFixturePlaybookUnchanged() throws {
        let fixtures = Wizard.packageRoot.appendingPathComponent("Tests/IncidentCoreTests/Fixtures")
        let files = PlaybookCatalog.files(in: Wizard.playbooks.path) + PlaybookCatalog.files(in: fixtures.path)
        var compared = 0
        for path in files where !ContactsLoader.isContactsFile(path) {
            guard let playbook = PlaybookLoader.load(try Data(contentsOf: URL(fileURLWithPath: path)), path: path).value else { continue }
            let contacts = try ContactsLoader.load(Data(contentsOf: Wizard.playbooks.appendingPathComponent("contacts.yaml")),
                                                   path: "contacts.yaml").value
            let bytes = PlaybookArchive.encode(playbook, shared: contacts)
            let back = try PlaybookArchive.decode(bytes)
            #expect(back.playbook == playbook, "\(path)")
            #expect(back.shared == contacts)
            #expect(PlaybookArchive.encode(back.playbook, shared: back.shared) == bytes, "deterministic: \(path)")
            #expect(PlaybookArchive.id(of: bytes) == playbook.id.value, "the id read from the head: \(path)")
            // Every shortened archive is refused, never half-read.
            for length in stride(from: 0, to: bytes.count, by: max(1, bytes.count / 97)) {
                #expect(throws: PlaybookArchive.Malformed.self) { try PlaybookArchive.decode(Array(bytes[0..<length])) }
            }
            // Damaged bytes are refused or give some playbook, never a crash or a huge allocation
            // (a crash here ends the test run).
            var generator = SystemRandomNumberGenerator()
            for _ in 0..<300 {
                var damaged = bytes
                for _ in 0..<Int.random(in: 1...4, using: &generator) {
                    damaged[Int.random(in: 1..<damaged.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
                }
                if let decoded = try? PlaybookArchive.decode(damaged) {
                    for step in decoded.playbook.steps {
                        if case .input(let fields) = step.kind { #expect(fields.allSatisfy { $0.maxLength > 0 }) }
                    }
                }
            }
            compared += 1
        }
        #expect(compared >= 3)
    }

    @Test func theSecondCheckComesFromTheCacheAndEqualsTheFirst() throws {
        let (directory, cache, _) = try setUp()
        let file = directory.appendingPathComponent("emotet.yaml")
        let first = check(file, cache)
        #expect(first.isValid && !first.fromCache)
        let second = check(file, cache)
        #expect(second.fromCache)
        #expect(second.playbook == first.playbook)
        #expect(second.shared?.contacts == first.shared?.contacts)
        #expect(second.data == first.data && second.shared?.data == first.shared?.data)
        // By id, the whole directory: every playbook from the cache, the ids still compared.
        let all = PlaybookCatalog(cache: cache).check(PlaybookCatalog.files(in: directory.path).filter { !ContactsLoader.isContactsFile($0) })
        #expect(all.count == 3 && all.allSatisfy { $0.isValid })
        #expect(all.filter(\.fromCache).count == 1, "only emotet was cached so far")
        let again = PlaybookCatalog(cache: cache).check(all.map(\.path))
        #expect(again.allSatisfy { $0.fromCache })
    }

    /// `run ID`: the whole directory checked, only the playbook to run decoded. An entry whose
    /// archive does not decode (its digest good: written so on purpose) is not noticed until its
    /// playbook is wanted; then it is checked from its file and stored again.
    @Test func byIDOnlyThePlaybookToRunIsDecoded() throws {
        let (directory, cache, _) = try setUp()
        let files = PlaybookCatalog.files(in: directory.path).filter { !ContactsLoader.isContactsFile($0) }
        let catalog = PlaybookCatalog(cache: cache)
        #expect(catalog.check(files).allSatisfy { $0.isValid && !$0.fromCache })
        // readiness's entry: magic, key, the payload's SHA-256, then an archive cut short after
        // its head (format, path, id): its id can be read, the playbook cannot.
        let readiness = directory.appendingPathComponent("readiness.yaml").path
        let entryFile = URL(fileURLWithPath: cache.file(for: readiness))
        let good = try Data(contentsOf: entryFile)
        let payload = good.dropFirst(4 + 64).prefix(readiness.utf8.count + 64)
        #expect(PlaybookArchive.id(of: Array(payload)) == "readiness")
        #expect((try? PlaybookArchive.decode(Array(payload))) == nil)
        let digest = Journal.sha256(payload)
        let digestBytes = stride(from: 0, to: digest.count, by: 2).map {
            UInt8(digest[digest.index(digest.startIndex, offsetBy: $0)...].prefix(2), radix: 16)!
        }
        try (good.prefix(4 + 32) + Data(digestBytes) + payload).write(to: entryFile)

        let wanted = catalog.check(files, decoding: { _, id in id == "emotet" })
        let emotet = try #require(wanted.first { $0.path.hasSuffix("/emotet.yaml") })
        #expect(emotet.fromCache && emotet.playbook?.id.value == "emotet" && emotet.shared?.contacts != nil)
        for other in wanted where other.path != emotet.path {
            #expect(other.fromCache && other.isValid && other.playbook == nil && other.storedID != nil, "\(other.path)")
        }
        #expect(wanted.compactMap(\.id).sorted() == ["emotet", "readiness", "spoofed-mail"])
        // The undecoded ones in full when wanted: spoofed-mail from its entry, readiness (junk)
        // checked again from its file, and its entry rewritten.
        let spoofed = catalog.decoded(try #require(wanted.first { $0.storedID == "spoofed-mail" }))
        #expect(spoofed.fromCache && spoofed.playbook?.id.value == "spoofed-mail" && spoofed.shared?.data != nil)
        let uncached = PlaybookCatalog().check([spoofed.path])[0]
        #expect(spoofed.playbook == uncached.playbook && spoofed.shared?.contacts == uncached.shared?.contacts)
        let checked = catalog.decoded(try #require(wanted.first { $0.storedID == "readiness" }))
        #expect(!checked.fromCache && checked.isValid && checked.playbook?.id.value == "readiness")
        #expect(try Data(contentsOf: entryFile) == good)
        #expect(check(URL(fileURLWithPath: readiness), cache).fromCache)

        // Two files with one id: the second is an error even when neither is wanted in full.
        try FileManager.default.copyItem(at: directory.appendingPathComponent("readiness.yaml"),
                                         to: directory.appendingPathComponent("readiness-copy.yaml"))
        let withCopy = PlaybookCatalog.files(in: directory.path).filter { !ContactsLoader.isContactsFile($0) }
        _ = catalog.check(withCopy)
        let duplicates = catalog.check(withCopy, decoding: { _, _ in false })
        let second = try #require(duplicates.first { $0.path.hasSuffix("/readiness.yaml") })
        #expect(!second.isValid && second.diagnostics.contains { $0.message.contains("duplicate playbook id 'readiness'") })
        #expect(duplicates.filter { !$0.isValid }.count == 1)
        // The same error, at the same place, as a check without any cache gives.
        let plain = PlaybookCatalog().check(withCopy)
        #expect(duplicates.map { $0.diagnostics.filter(\.isError) } == plain.map { $0.diagnostics.filter(\.isError) })
    }

    /// The real binary, by id, cache cold then warm: the folder's ids in the message for an id it
    /// does not have, and a file whose id another file has first refused by its name (as
    /// `validate` reports it), never run.
    @Test func runByIDSeesEveryIDAndRefusesADuplicate() throws {
        let (directory, _, home) = try setUp()
        try FileManager.default.copyItem(at: directory.appendingPathComponent("emotet.yaml"),
                                         to: directory.appendingPathComponent("zz-emotet.yaml"))
        let environment = ["XDG_CACHE_HOME": home.appendingPathComponent("cache").path, "HOME": home.path]
        func run(_ id: String) throws -> Wizard.Result {
            try Wizard.run(["run", id, "--plain", "--lang", "en", "--playbooks", directory.path,
                            "--reports", try Wizard.temporaryDirectory().path],
                           input: "q\ny\n", environment: environment)
        }
        for round in ["cold", "warm"] {
            let unknown = try run("nosuch")
            #expect(unknown.status != 0 && unknown.status != 3, "\(round): \(unknown.status)")
            #expect((unknown.stdout + unknown.stderr).contains("available: emotet, readiness, spoofed-mail)"),
                    "\(round): \(unknown.stdout)\(unknown.stderr)")
            let duplicate = try run("zz-emotet")
            #expect(duplicate.status == 2, "\(round): \(duplicate.status) \(duplicate.stdout)\(duplicate.stderr)")
            #expect(duplicate.stderr.contains("duplicate playbook id 'emotet'"), "\(round): \(duplicate.stderr)")
            #expect(!duplicate.stdout.contains("First, take a breath"), "\(round): the duplicate ran")
            let first = try run("emotet")
            #expect(first.status == 3 && first.stdout.contains("First, take a breath"), "\(round): \(first.stdout)\(first.stderr)")
        }
    }

    @Test func aPlaybookEditedByOneByteIsCheckedAgain() throws {
        let (directory, cache, _) = try setUp()
        let file = directory.appendingPathComponent("emotet.yaml")
        _ = check(file, cache)
        #expect(check(file, cache).fromCache)
        // One byte of a title: checked again, the new text is what runs.
        try edit(file, "en: First, take a breath", "en: First, take a breatH")
        let edited = check(file, cache)
        #expect(!edited.fromCache && edited.isValid)
        #expect(edited.playbook?.steps.first?.title.resolved("en") == "First, take a breatH")
        #expect(check(file, cache).fromCache)
        // One byte that breaks it: checked again and refused, and never stored.
        try edit(file, "type: scan", "type: sca ")
        let broken = check(file, cache)
        #expect(!broken.fromCache && !broken.isValid && broken.playbook == nil)
        #expect(!check(file, cache).fromCache)
        #expect(broken.diagnostics.contains { $0.isError && $0.message.contains("sca") })
    }

    @Test func aChangedContactsFileMeansTheCheckIsMadeAgain() throws {
        let (directory, cache, _) = try setUp()
        let file = directory.appendingPathComponent("emotet.yaml")
        _ = check(file, cache)
        #expect(check(file, cache).fromCache)
        let contacts = directory.appendingPathComponent("contacts.yaml")
        var bytes = try Data(contentsOf: contacts)
        bytes.append(0x0a)
        try bytes.write(to: contacts)
        #expect(!check(file, cache).fromCache)
        #expect(check(file, cache).fromCache)
        // Contacts removed altogether: a referenced shared contact is now an error.
        try FileManager.default.removeItem(at: contacts)
        let without = check(file, cache)
        #expect(!without.fromCache && !without.isValid)
    }

    @Test func aDamagedOrForeignCacheIsIgnoredAndRebuilt() throws {
        let (directory, cache, _) = try setUp()
        let file = directory.appendingPathComponent("emotet.yaml")
        let first = check(file, cache)
        let stored = try #require(try FileManager.default.contentsOfDirectory(atPath: cache.directory).first)
        let entry = URL(fileURLWithPath: cache.directory).appendingPathComponent(stored)
        let good = try Data(contentsOf: entry)
        // A flipped byte in the payload, a cut file, an empty file, garbage: each ignored.
        var flipped = good
        flipped[flipped.count - 10] ^= 0x01
        for damaged in [flipped, good.prefix(good.count / 2), Data(), Data(repeating: 0x41, count: 4096)] {
            try damaged.write(to: entry)
            let again = check(file, cache)
            #expect(!again.fromCache && again.playbook == first.playbook)
            #expect(try Data(contentsOf: entry) == good, "rewritten")
        }
        // A cache folder others may read or write is not used at all.
        chmod(cache.directory, 0o755)
        #expect(!check(file, cache).fromCache)
        chmod(cache.directory, 0o700)
        #expect(check(file, cache).fromCache)
        // Another binary (rebuilt, other version) does not use this binary's entries.
        let other = PlaybookCache(directory: cache.directory, binary: cache.binary + " rebuilt")
        #expect(!check(file, other).fromCache)
    }

    @Test func validateNeverReadsNorWritesTheCache() throws {
        let (directory, cache, home) = try setUp()
        let file = directory.appendingPathComponent("emotet.yaml")
        try edit(file, "type: scan", "type: sca ")
        let data = try Data(contentsOf: file)
        let contacts = directory.appendingPathComponent("contacts.yaml")
        // A cache that says the broken bytes are a fine playbook (what the wizard's own key
        // computes for them): `validate` must not care.
        let good = try #require(PlaybookLoader.load(try Data(contentsOf: Wizard.playbooks.appendingPathComponent("emotet.yaml")),
                                                    path: file.path).value)
        cache.write(path: file.path, key: cache.key(path: file.path, data: data, contactsPath: contacts.path,
                                                    contactsData: try Data(contentsOf: contacts)),
                    playbook: good, shared: nil)
        #expect(check(file, cache).fromCache, "the planted entry matches the wizard's key")
        let environment = ["XDG_CACHE_HOME": home.appendingPathComponent("cache").path, "HOME": home.path]
        let before = try FileManager.default.contentsOfDirectory(atPath: cache.directory)
        let validate = try Wizard.run(["validate", file.path], environment: environment)
        #expect(validate.status == 1, "\(validate.stdout)\(validate.stderr)")
        #expect((validate.stdout + validate.stderr).contains("sca"))
        for command in [["validate", directory.path], ["list", "--playbooks", directory.path]] {
            #expect(try Wizard.run(command, environment: environment).status == 1, "\(command)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: cache.directory) == before)
        // And a fresh cache folder stays empty: `validate` writes nothing there.
        let fresh = try Wizard.temporaryDirectory()
        _ = try Wizard.run(["validate", Wizard.playbooks.path], environment: ["XDG_CACHE_HOME": fresh.path])
        #expect(try FileManager.default.contentsOfDirectory(atPath: fresh.path).isEmpty)
    }

    /// The real binary: the second run starts from the cache, an edit of one byte shows, and a
    /// broken playbook is refused even after a good run of it.
    @Test func runUsesTheCacheOnlyForTheBytesItChecked() throws {
        let (directory, _, home) = try setUp()
        let environment = ["XDG_CACHE_HOME": home.appendingPathComponent("cache").path, "HOME": home.path]
        let cacheFolder = home.appendingPathComponent("cache/incident-wizard/playbooks")
        func run() throws -> Wizard.Result {
            // A fresh reports folder each time: no unfinished session to offer.
            try Wizard.run(["run", "emotet", "--plain", "--lang", "en", "--playbooks", directory.path,
                            "--reports", try Wizard.temporaryDirectory().path],
                           input: "q\ny\n", environment: environment)
        }
        let first = try run()
        #expect(first.status == 3 && first.stdout.contains("First, take a breath"), "\(first.stdout)\(first.stderr)")
        let entries = try FileManager.default.contentsOfDirectory(atPath: cacheFolder.path)
        #expect(entries.count == 3, "every playbook of the folder checked by id, and stored")
        #expect(try run().stdout.contains("First, take a breath"))
        try edit(directory.appendingPathComponent("emotet.yaml"), "en: First, take a breath", "en: First, take a breatH")
        let edited = try run()
        #expect(edited.stdout.contains("First, take a breatH"), "\(edited.stdout)")
        try edit(directory.appendingPathComponent("emotet.yaml"), "type: scan", "type: sca ")
        let broken = try run()
        #expect(broken.status == 2, "\(broken.stdout)\(broken.stderr)")
        #expect(broken.stderr.contains("sca"), "\(broken.stderr)")
    }
}
