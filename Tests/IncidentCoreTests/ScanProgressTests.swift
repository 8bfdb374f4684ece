import IncidentCore
import Testing

/// What the wizard reads from a ClamAV command line and its output to show how far a scan is.
@Suite struct ScanProgressTests {
    @Test func theShippedCommandIsFollowedWithItsPatterns() throws {
        let plan = try #require(ClamScanFollowing.plan(["clamscan", "--recursive", "--exclude-dir=^/home/u/Downloads$",
                                                        "/home/u/Downloads/.", "/home/u"]))
        #expect(plan.targets == ["/home/u/Downloads/.", "/home/u"])
        #expect(plan.recursive)
        #expect(plan.excludeDirectories == ["^/home/u/Downloads$"])
        // Values written apart from their option are not targets.
        let apart = try #require(ClamScanFollowing.plan(["/usr/bin/clamscan", "-d", "/tmp/sig.hsb", "-r", "--exclude", "\\.iso$",
                                                         "--include-dir", "^/home", "--", "-odd-name", "/home/u"]))
        #expect(apart.targets == ["-odd-name", "/home/u"])
        #expect(apart.exclude == ["\\.iso$"] && apart.includeDirectories == ["^/home"] && apart.recursive)
        #expect(ClamScanFollowing.plan(["clamscan", "/srv/share"])?.recursive == false)
        // Combined short options: a value-taking letter takes the next argument (or the rest).
        #expect(ClamScanFollowing.plan(["clamscan", "-rd", "/tmp/db", "/home/u"])?.targets == ["/home/u"])
        #expect(ClamScanFollowing.plan(["clamscan", "-rd/tmp/db", "/home/u"])?.targets == ["/home/u"])
        #expect(ClamScanFollowing.plan(["clamscan", "--max-scantime", "60000", "--scan-pdf", "/a"])?.targets == ["/a"])
        let shallow = try #require(ClamScanFollowing.plan(["clamscan", "-r", "--max-dir-recursion", "3", "/a"]))
        #expect(shallow.maxDirectoryLevel == 3 && shallow.targets == ["/a"])
        #expect(ClamScanFollowing.plan(["clamscan", "-r", "/a"])?.maxDirectoryLevel == 15)
    }

    @Test func scansThatPrintOnlyWhatTheyFindAreNotFollowed() {
        for argv in [["clamscan", "-r", "--infected", "/home/u"], ["clamscan", "-ri", "/home/u"], ["clamscan", "-i", "/home/u"],
                     ["clamscan", "--quiet", "/home/u"], ["clamscan", "-r", "--file-list=/tmp/list"], ["clamscan", "-r", "-"],
                     ["clamscan", "-r"], ["sophos-scan", "/home/u"], ["/opt/av/clamscan-wrapper", "/home/u"], [],
                     // clamd answers a clean folder with one line: nothing per file to follow.
                     ["clamdscan", "/home/u"], ["clamscan", "-ro", "/home/u"], ["clamscan", "--suppress-ok-results", "/home/u"],
                     ["clamscan", "--follow-dir-symlinks=2", "/home/u"], ["clamscan", "--follow-file-symlinks", "0", "/home/u"],
                     ["clamscan", "-x", "/home/u"]] {
            #expect(ClamScanFollowing.plan(argv) == nil, "\(argv)")
        }
    }

    @Test func oneResultLinePerFile() {
        for line in ["/home/u/a.txt: OK", "/home/u/b: Empty file", "/home/u/invoice.doc: Win.Trojan.Emotet-1 FOUND",
                     "/home/u/locked: Access denied ERROR", "/home/u/has: colon.txt: OK",
                     "/home/u/locked: Access denied"] {  // the last: clamscan 1.4's line for a file it may not read
            #expect(ClamScanFollowing.isFileResult(line), "\(line)")
        }
        for line in ["/home/u/Downloads: Excluded", "----------- SCAN SUMMARY -----------", "Infected files: 0",
                     "LibClamAV Warning: ***********************", "WARNING: /home/u/x: Can't access file", "OK", "",
                     "/home/u/gone: No such file or directory"] {
            #expect(!ClamScanFollowing.isFileResult(line), "\(line)")
        }
    }

    @Test func thePercentageOnlyRisesAndOnlyTheVerdictSaysAHundred() {
        #expect(ScanProgress(done: 500, total: nil).percent == nil, "no percentage while counting")
        #expect(ScanProgress(done: 0, total: 20_000).percent == 0)
        #expect(ScanProgress(done: 5_000, total: 20_000).percent == 25)
        #expect(ScanProgress(done: 20_000, total: 20_000).percent == 99)
        #expect(ScanProgress(done: 25_000, total: 20_000).percent == 99, "a file reported twice")
        #expect(ScanProgress(done: 0, total: 0).percent == nil, "nothing counted: no figure")
        #expect(ScanProgress(done: 19_000, total: 20_000, complete: true).percent == 100)
        var last = -1
        for done in stride(from: 0, through: 20_000, by: 137) {
            let percent = ScanProgress(done: done, total: 20_000).percent ?? -1
            #expect(percent >= last)
            last = percent
        }
    }

    @Test func theEstimateIsTheRateSinceTheFirstResult() {
        #expect(ScanProgress.estimate(done: 0, total: 100, secondsSinceFirstResult: 10) == nil)
        #expect(ScanProgress.estimate(done: 10, total: nil, secondsSinceFirstResult: 10) == nil)
        #expect(ScanProgress.estimate(done: 10, total: 100, secondsSinceFirstResult: 0.5) == nil)
        #expect(ScanProgress.estimate(done: 25, total: 100, secondsSinceFirstResult: 30) == 90)
        #expect(ScanProgress.estimate(done: 98, total: 100, secondsSinceFirstResult: 30) == 1)
        #expect(ScanProgress.estimate(done: 99, total: 100, secondsSinceFirstResult: 30) == nil, "at 99 % the count is no guide")
        #expect(ScanProgress.estimate(done: 120, total: 100, secondsSinceFirstResult: 30) == nil)
        #expect(ScanProgress.bar(0, width: 10) == "░░░░░░░░░░")
        #expect(ScanProgress.bar(55, width: 10) == "█████░░░░░")
        #expect(ScanProgress.bar(100, width: 10) == "██████████")
    }

    @Test(arguments: ["en", "ja"])
    func theWordsForTheCountAndTheTimeLeft(_ language: String) {
        let words = Vocabulary(language: language)
        #expect(words.number(1_234_567) == "1,234,567" && words.number(999) == "999" && words.number(0) == "0")
        let ja = language == "ja"
        #expect(words.scanCount(done: 12_345, total: 20_000, percent: 61)
                == (ja ? "20,000件中12,345件を調べました（61%）" : "12,345 of 20,000 files checked (61 %)"))
        #expect(words.scanCount(done: 1_536, total: nil, percent: nil)
                == (ja ? "1,536件を調べました（総数を確認中）" : "1,536 files checked (still counting how many there are)"))
        #expect(words.scanChecked(done: 6_026, total: 6_026, complete: true) == (ja ? "6,026件をすべて調べました。" : "All 6,026 files were checked."))
        #expect(words.scanChecked(done: 6_010, total: 6_026, complete: true) == (ja ? "6,026件中6,010件を調べました。" : "6,010 of 6,026 files were checked."))
        #expect(words.scanChecked(done: 6_026, total: 6_026, complete: false) == (ja ? "6,026件中6,026件を調べました。" : "6,026 of 6,026 files were checked."),
                "a scan stopped at the last file is not 'all'")
        let said: [(Int, String, String)] = [
            (5_400, "あと1時間30分ほどかかります", "About 1 hour 30 minutes left"),
            (3_620, "あと1時間ほどかかります", "About 1 hour left"),
            (1_800, "あと30分ほどかかります", "About 30 minutes left"),
            (125, "あと2分ほどかかります", "About 2 minutes left"),
            (95, "あと1分40秒ほどかかります", "About 1 minute 40 seconds left"),
            (62, "あと1分ほどかかります", "About a minute left"),
            (58, "あと1分ほどかかります", "About a minute left"),
            (43, "あと45秒ほどかかります", "About 45 seconds left"),
            (9, "まもなく終わります", "Almost done"),
            (0, "まもなく終わります", "Almost done"),
        ]
        for (seconds, japanese, english) in said {
            #expect(words.scanTimeLeft(seconds: seconds) == (ja ? japanese : english), "\(seconds) s")
        }
    }
}
