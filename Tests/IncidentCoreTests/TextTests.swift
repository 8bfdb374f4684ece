import CNcursesw
import Foundation
import Testing
@testable import IncidentCore

/// Display width and neutralisation of untrusted text.
@Suite(.serialized) struct TextTests {
    @Test func widthAgreesWithGlibcWcwidthForEveryScalar() throws {
        try #require(setlocale(LC_ALL, "C.UTF-8") != nil)
        var mismatches: [String] = []
        for value in UInt32(0x20)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value), !(0x7F..<0xA0).contains(value) else { continue }
            let expected = Int(wcwidth(wchar_t(value)))
            // glibc says -1 for unassigned and private scalars; the terminal draws them one column wide.
            let want = expected < 0 ? 1 : expected
            if DisplayWidth.of(scalar) != want {
                mismatches.append(String(format: "U+%04X: %d vs %d", value, DisplayWidth.of(scalar), want))
                if mismatches.count > 10 { break }
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches)")
    }

    @Test func japaneseAndMixedWidths() {
        #expect(DisplayWidth.of("ネットワーク") == 12)
        #expect(DisplayWidth.of("Wi-Fi を切る") == 12)
        #expect(DisplayWidth.of("ｶﾀｶﾅ") == 4, "half-width katakana")
        #expect(DisplayWidth.of("e\u{301}") == 1, "combining mark is zero width")
        #expect(DisplayWidth.of("👍🏽") == 4, "per-scalar, as ncurses and tmux count")
    }

    @Test func controlCharactersAreNeutralised() {
        let hostile = "ok\u{1b}]0;pwned\u{07}\u{1b}[2J\u{9b}31m\u{202e}txt.exe\tend\r"
        let shown = Sanitizer.neutralise(hostile, keepNewlines: false)
        #expect(shown == "ok^[]0;pwned^G^[[2J\u{FFFD}31m\u{FFFD}txt.exe end^M")
        #expect(!shown.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) })
        #expect(Sanitizer.neutralise("a\nb") == "a\nb")
        #expect(Sanitizer.neutralise("a\nb", keepNewlines: false) == "a^Jb")
    }

    @Test func placeholdersAreParsed() {
        let (pieces, unterminated) = Placeholder.parse("Call {{ contact.it.phone }} at {{now}}.")
        #expect(unterminated == nil)
        #expect(pieces == [.literal("Call "), .placeholder(Placeholder(name: "contact.it.phone", offset: 5)),
                           .literal(" at "), .placeholder(Placeholder(name: "now", offset: 31)), .literal(".")])
        #expect(Placeholder.parse("{{oops").unterminatedAt == 0)
        #expect(Placeholder.parse("a { b } {c}").pieces == [.literal("a { b } {c}")])
    }
}

/// `PathName` takes paths apart exactly as NSString's path methods do (they are the oracle).
@Suite struct PathNameTests {
    @Test(arguments: ["/a/b.yaml", "b.yaml", "/b", "/", "a/b/", "a//b", "./x.yml", "", "/a/b/c/", ".hidden", "dir.d/file", "x."])
    func matchesNSString(_ path: String) {
        let ns = path as NSString
        #expect(PathName.last(path) == ns.lastPathComponent, "last of '\(path)'")
        #expect(PathName.directory(path) == ns.deletingLastPathComponent, "directory of '\(path)'")
        #expect(PathName.join(path, "c.yaml") == ns.appendingPathComponent("c.yaml"), "join of '\(path)'")
        let last = ns.lastPathComponent
        #expect(PathName.withoutExtension(last) == (last as NSString).deletingPathExtension, "extension of '\(last)'")
    }

    @Test func trimming() {
        #expect("  a b \n".trimmed == "a b")
        #expect("\"Debian\"".trimming { $0 == "\"" } == "Debian")
        #expect("...".trimming { $0 == "." } == "")
    }
}
