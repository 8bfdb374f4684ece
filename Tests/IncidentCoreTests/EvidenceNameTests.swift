import Foundation
import Testing
@testable import IncidentCore

/// The name a copied file keeps in `evidence/` (product.md, "File names"): its own, Japanese
/// included; only `/`, control characters and empty, `.` or `..` names are changed.
@Suite struct EvidenceNameTests {
    @Test func japaneseAndOrdinaryNamesStayAsTheyAre() {
        #expect(EvidenceName.stored("請求書_1207.doc") == "請求書_1207.doc")
        #expect(EvidenceName.stored("ご請求書の送付.eml") == "ご請求書の送付.eml")
        #expect(EvidenceName.stored("Invoice (copy) #2.DOC") == "Invoice (copy) #2.DOC")
        #expect(EvidenceName.stored(".hidden") == ".hidden")
        #expect(EvidenceName.stored("...") == "...")
        #expect(EvidenceName.stored("PC-01_20261202152011_emocheck.json") == "PC-01_20261202152011_emocheck.json")
    }

    @Test func onlySlashesControlsAndDotNamesAreChanged() {
        #expect(EvidenceName.stored("a/b") == "a_b")
        #expect(EvidenceName.stored("a\u{0}b\nc\td\u{1B}[2J\u{7F}\u{85}\u{9B}.doc") == "a_b_c_d_[2J___.doc")
        // Right-to-left override: 「請求書\u{202E}cod.exe」 would read as 「請求書exe.doc」.
        #expect(EvidenceName.stored("請求書\u{202E}cod.exe") == "請求書_cod.exe")
        #expect(EvidenceName.stored("a\u{2066}b\u{200F}c\u{061C}d") == "a_b_c_d")
        #expect(EvidenceName.stored("") == "_")
        #expect(EvidenceName.stored(".") == "_")
        #expect(EvidenceName.stored("..") == "__")
    }

    @Test func aTakenNameGetsANumberInFront() {
        #expect(EvidenceName.stored("請求書_1207.doc", attempt: 1) == "請求書_1207.doc")
        #expect(EvidenceName.stored("請求書_1207.doc", attempt: 2) == "2-請求書_1207.doc")
        #expect(EvidenceName.stored("..", attempt: 3) == "3-__")
    }

    /// 200 Japanese characters are 600 bytes of UTF-8; file systems take 255.
    @Test func aLongJapaneseNameIsShortenedBetweenCharactersKeepingItsExtension() {
        let long = String(repeating: "請求書の", count: 50) + ".doc"
        #expect(long.count == 204)
        let stored = EvidenceName.stored(long)
        #expect(stored.utf8.count <= 255)
        #expect(stored == String(repeating: "請求書の", count: 50).prefix(83) + ".doc")
        #expect(stored.utf8.count == 83 * 3 + 4)
        let second = EvidenceName.stored(long, attempt: 12)
        #expect(second == "12-" + String(repeating: "請求書の", count: 50).prefix(82) + ".doc")
        // A kana with its voicing mark as two scalars is one character: never split.
        let decomposed = String(repeating: "か\u{3099}", count: 100) + ".txt"
        let cut = EvidenceName.stored(decomposed, maximumBytes: 100)
        #expect(cut == String(repeating: "か\u{3099}", count: 16) + ".txt")
        // No extension, or one too long to be one: the end is cut.
        #expect(EvidenceName.stored(String(repeating: "あ", count: 200)) == String(repeating: "あ", count: 85))
        let odd = "a." + String(repeating: "x", count: 300)
        #expect(EvidenceName.stored(odd) == String(odd.prefix(255)))
        // One character longer than the room is cut between scalars.
        let heavy = "a" + String(repeating: "\u{301}", count: 200) + ".doc"
        #expect(EvidenceName.stored(heavy).utf8.count <= 255 && EvidenceName.stored(heavy).hasSuffix(".doc"))
        #expect(EvidenceName.stored("請求書.doc", maximumBytes: 64) == "請求書.doc")
    }

    @Test func aMailIsKnownByItsExtensionInAnyCase() {
        #expect(EvidenceName.isMail("ご請求書の送付.eml"))
        #expect(EvidenceName.isMail("FW_ご請求書.EML"))
        #expect(EvidenceName.isMail("2-mail.Eml"))
        #expect(!EvidenceName.isMail("eml"))
        #expect(!EvidenceName.isMail("mail.eml.txt"))
    }
}
