import Foundation
import Testing
@testable import IncidentCore

/// Check codes: the first 40 bits of a journal line's SHA-256 in Crockford base32, `XXXX-XXXX`.
@Suite struct CheckCodeTests {
    @Test func codesOfKnownHashes() {
        #expect(CheckCode.of(hash: String(repeating: "0", count: 64)) == "0000-0000")
        #expect(CheckCode.of(hash: String(repeating: "f", count: 64)) == "ZZZZ-ZZZZ")
        #expect(CheckCode.of(hash: "0123456789" + String(repeating: "0", count: 54)) == "04HM-ASW9")
        // sha256("{\"seq\":1}\n"), as Python's hashlib computes it.
        #expect(CheckCode.of(hash: "40fe96e5dc9e9822902a3f343389fa3cd531c145a19eb55881b0be5e9b0962e7") == "83Z9-DSEW")
        #expect(CheckCode.of(hash: "abc") == nil)
        #expect(CheckCode.of(hash: String(repeating: "g", count: 64)) == nil)
    }

    @Test func typedCodesAreReadAsMeant() {
        #expect(CheckCode.normalised("83z9dsew") == "83Z9-DSEW")
        #expect(CheckCode.normalised(" 83Z9-DSEW ") == "83Z9-DSEW")
        #expect(CheckCode.normalised("O4HM-ASW9") == "04HM-ASW9", "O is zero")
        #expect(CheckCode.normalised("83Z9-DSEU") == nil, "U is not in Crockford's alphabet")
        #expect(CheckCode.normalised("83Z9-DSE") == nil)
    }

    @Test func theSummaryForTheQRCodeIsShortASCII() throws {
        #expect(HandoffSummary.compactTime("2026-12-02T15:09:36.619+09:00") == "20261202T1509+0900")
        #expect(HandoffSummary.compactTime("2026-12-02T06:09:36.619Z") == "20261202T0609Z")
        #expect(HandoffSummary.field("PC|01 日本", 20) == "PC_01___", "printable ASCII only, no separator")
    }

    /// The summary never outgrows a version 6 code (what an 80×24 window shows whole): the longest
    /// of the host, the outcome and the contact reached is cut, never the id or the check code.
    @Test func theSummaryFitsAVersionSixCode() {
        let id = String(repeating: "ab12", count: 8)
        let typical = ["IW1", id, "pc-sato-01", "20261202T1509+0900", "reported", "cable", "clean", "admin", "83Z9-DSEW"]
        #expect(HandoffSummary.fitted(typical) == typical.joined(separator: "|"), "nothing cut when it fits")
        let longest = ["IW1", id, String(repeating: "h", count: 20), String(repeating: "t", count: 24),
                       String(repeating: "o", count: 24), "not-done", "unavailable", String(repeating: "r", count: 24),
                       "83Z9-DSEW", "drill"]
        let text = HandoffSummary.fitted(longest)
        #expect(text.utf8.count == HandoffSummary.maximumBytes, "\(text)")
        let fields = text.split(separator: "|").map(String.init)
        #expect(fields.count == longest.count)
        for kept in [0, 1, 3, 5, 6, 8, 9] { #expect(fields[kept] == longest[kept]) }
        #expect(fields[2].count >= 10 && fields[4].count >= 10 && fields[7].count >= 10, "\(fields)")
        #expect(longest[4].hasPrefix(fields[4]) && longest[7].hasPrefix(fields[7]))
    }
}
