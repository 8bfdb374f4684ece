import Foundation
import IncidentCore
import IncidentEdges
import Testing

/// A ClamAV scan's progress: the files counted as clamscan itself chooses them, its output
/// followed line by line, and in a real terminal the percentage rising to 100 % at the verdict.
@Suite(.serialized) struct ScanProgressTerminalTests {
    static var clamscan: String? { Wizard.which("clamscan") }

    /// A home folder of `files` files in nested folders, a Downloads folder, an empty file, a
    /// symbolic link (not followed inside a tree) and a file clamscan is told to leave out.
    static func tree(files: Int) throws -> URL {
        let home = try Wizard.temporaryDirectory().appendingPathComponent("home")
        let manager = FileManager.default
        for index in 0..<files {
            let folder = home.appendingPathComponent("docs/d\(index % 40)/e\(index % 7)")
            if index < 280 { try manager.createDirectory(at: folder, withIntermediateDirectories: true) }
            try Data("file \(index)\n".utf8).write(to: folder.appendingPathComponent("f\(index).txt"))
        }
        let downloads = home.appendingPathComponent("Downloads")
        try manager.createDirectory(at: downloads, withIntermediateDirectories: true)
        for index in 0..<25 { try Data("download \(index)\n".utf8).write(to: downloads.appendingPathComponent("g\(index).doc")) }
        try Data().write(to: home.appendingPathComponent("empty.txt"))
        try Data("disc image\n".utf8).write(to: home.appendingPathComponent("big.iso"))
        try manager.createSymbolicLink(at: home.appendingPathComponent("docs/link-to-downloads"), withDestinationURL: downloads)
        return home
    }

    /// An offline signature that matches nothing in the tree (a scan that runs to "clean").
    static func signature() throws -> URL {
        let file = try Wizard.temporaryDirectory().appendingPathComponent("none.hsb")
        let marker = Data("no file of the tree has these bytes\n".utf8)
        try "\(FileHash.sha256(marker)):\(marker.count):Test-Marker\n".write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    static func shippedShape(_ home: URL, signature: URL) -> [String] {
        ["clamscan", "--database=\(signature.path)", "--recursive", "--exclude-dir=^\(home.path)/Downloads$", "--exclude=\\.iso$",
         "\(home.path)/Downloads/.", home.path]
    }

    /// What the follower counts before the scan is what clamscan then reports, file for file:
    /// Downloads once and first, the excluded file and the link's target left out.
    @Test(.enabled(if: ScanProgressTerminalTests.clamscan != nil, "ClamAV is installed by the README's test command"))
    func theCountIsWhatClamscanScans() throws {
        let home = try Self.tree(files: 900)
        let signature = try Self.signature()
        // A folder 20 levels deep: clamscan stops at its --max-dir-recursion (15 by default).
        var deep = home.appendingPathComponent("deep")
        for level in 0..<20 {
            try FileManager.default.createDirectory(at: deep, withIntermediateDirectories: true)
            try Data("level \(level)\n".utf8).write(to: deep.appendingPathComponent("file.txt"))
            deep.appendPathComponent("l\(level)")
        }
        for argv in [Self.shippedShape(home, signature: signature),
                     ["clamscan", "--database=\(signature.path)", "-r", "--exclude-dir=/e3/", home.path],
                     ["clamscan", "--database=\(signature.path)", "-r", "--max-dir-recursion=4", home.path],
                     ["clamscan", "--database=\(signature.path)", home.appendingPathComponent("Downloads").path, home.path],
                     ["clamscan", "--database=\(signature.path)", "-r", "--include=\\.doc$", home.path]] {
            let follower = try #require(ScanFollower.forScan(argv))
            follower.start()
            let deadline = Date().addingTimeInterval(30)
            var total: Int?
            while total == nil, Date() < deadline {
                total = follower.progress(outputPath: nil, now: 0).total
                if total == nil { usleep(10_000) }
            }
            let text = try Wizard.program(try #require(Self.clamscan), Array(argv.dropFirst()), keeping: .standardOutput).text
            let results = text.split(separator: "\n").filter { ClamScanFollowing.isFileResult($0) }
            #expect(total == results.count, "\(argv): counted \(total ?? -1), clamscan reported \(results.count)")
            #expect(results.count > 0)
            if argv == Self.shippedShape(home, signature: signature) {
                #expect(results.count == 900 + 25 + 1 + 14, "every file once, Downloads first: \(results.prefix(3))")
                #expect(results.prefix(25).allSatisfy { $0.contains("/Downloads/./") })
            }
        }
    }

    /// The output file is read as it grows, a line cut in the middle waits for its end.
    @Test func theOutputIsFollowedAsItGrows() throws {
        let follower = try #require(ScanFollower.forScan(["clamscan", "-r", "/nonexistent-for-this-test"]))
        follower.start()
        let file = try Wizard.temporaryDirectory().appendingPathComponent("scan.txt")
        try Data().write(to: file)
        let handle = try FileHandle(forWritingTo: file)
        func append(_ text: String) throws { try handle.write(contentsOf: Data(text.utf8)) }
        #expect(follower.progress(outputPath: file.path, now: 10).done == 0)
        try append("/home/u/a.txt: OK\n/home/u/b.txt: Emp")
        #expect(follower.progress(outputPath: file.path, now: 11).done == 1)
        try append("ty file\n/home/u/Downloads: Excluded\n/home/u/c.doc: Eicar-Test-Signature FOUND\n")
        #expect(follower.progress(outputPath: file.path, now: 12).done == 3)
        try append("\n----------- SCAN SUMMARY -----------\nScanned files: 3\n")
        let last = follower.progress(outputPath: file.path, now: 13)
        #expect(last.done == 3)
        try handle.close()
        // Nothing to count under a folder that does not exist: 0 files, and no estimate from it.
        let deadline = Date().addingTimeInterval(10)
        while follower.progress(outputPath: file.path, now: 13).total == nil, Date() < deadline { usleep(10_000) }
        #expect(follower.progress(outputPath: file.path, now: 13).total == 0)
    }

    /// In a real terminal: a ClamAV scan of a generated tree shows a percentage that only rises
    /// and reaches 100 % with the verdict; plain mode says it too.
    @Test(.enabled(if: ScanProgressTerminalTests.clamscan != nil && Tmux.available, "ClamAV and tmux"),
          arguments: ["en", "ja"])
    func aRealScanShowsItsPercentageRisingToAHundred(_ language: String) throws {
        let home = try Self.tree(files: 6_000)
        let signature = try Self.signature()
        let directory = try Wizard.temporaryDirectory()
        let playbook = directory.appendingPathComponent("scan-progress.yaml")
        let argv = ["clamscan", "--database=\(signature.path)", "--recursive", "--exclude-dir=^{{home}}/Downloads$", "--exclude=\\.iso$",
                    "{{home}}/Downloads/.", "{{home}}"].map { "\"\($0.replacingOccurrences(of: "\\", with: "\\\\"))\"" }
        try """
            playbook: 1
            id: scan-progress
            title: {en: Scan progress, ja: スキャンの進み具合}
            languages: [en, ja]
            steps:
              - id: scan
                type: scan
                title: {en: Scanning now, ja: いま調べています}
                command: [\(argv.joined(separator: ", "))]
                verdicts: {0: clean, 1: detected, 2: error}
                next_on: {clean: done, detected: done, error: done, unavailable: done, cancelled: done}
              - {id: done, type: end, title: {en: Verdict screen, ja: 結果の画面}, outcome: done}

            """.write(to: playbook, atomically: true, encoding: .utf8)
        let reports = directory.appendingPathComponent("reports")
        let t = Tmux()
        try t.start("\(Tmux.quote(Wizard.binary)) run \(Tmux.quote(playbook.path)) --lang \(language) --reports \(Tmux.quote(reports.path))",
                    environment: ["HOME": home.path, "LANG": "C.UTF-8", "TERM": "xterm-256color",
                                  "XDG_CACHE_HOME": directory.appendingPathComponent("cache").path])
        let verdict = language == "ja" ? "ウイルスは見つかりませんでした" : "No virus was found"
        let allChecked = language == "ja" ? "6,026件をすべて調べました。" : "All 6,026 files were checked."
        var seen: [Int] = []
        let final = try t.wait(timeout: 120, "the verdict") { screen in
            // Every percentage drawn on the way, from the bar's line.
            for line in screen.split(separator: "\n") where line.contains("█") || line.contains("░") {
                if let figure = line.split(separator: " ").last, figure.hasSuffix("%"), let value = Int(figure.dropLast()),
                   seen.last != value {
                    seen.append(value)
                }
            }
            // The whole verdict screen (tmux may capture a frame half drawn on a busy machine).
            return screen.contains(verdict) && screen.contains(allChecked) && screen.contains("100%")
        }
        #expect(final.contains("100%"), "\(final)")
        #expect(final.contains(allChecked), "\(final)")
        #expect(seen == seen.sorted(), "the percentage only rises: \(seen)")
        #expect(seen.last == 100)
        try t.send("Enter")
        try t.wait(for: language == "ja" ? "結果の画面" : "Verdict screen")
        try t.send("Enter")
        #expect(try t.waitForExit() == 0)
        // Plain mode: the same count at the verdict.
        let plain = try Wizard.run(["run", playbook.path, "--plain", "--lang", language, "--reports", reports.path + "-plain"],
                                   input: "\n\n", environment: ["HOME": home.path, "XDG_CACHE_HOME": directory.appendingPathComponent("cache").path])
        #expect(plain.stdout.contains(language == "ja" ? "6,026件をすべて調べました。" : "All 6,026 files were checked."),
                "\(plain.stdout)")
    }
}
