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
}
