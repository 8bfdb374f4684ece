import Foundation
import Testing
@testable import IncidentCore

/// The malformed-playbook corpus: every file states the diagnostic it must produce in its first
/// line (`# expect: LINE:COLUMN severity: message`), with COLUMN in display columns.
@Suite struct MalformedPlaybookTests {
    static let corpus: [String] = {
        let directory = TestPaths.fixtures.appendingPathComponent("malformed")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.sorted()
    }()

    @Test func corpusIsLargeEnough() {
        #expect(Self.corpus.count >= 25)
    }

    /// The Japanese keyboard's mistakes and libyaml's errors are asserted in both languages.
    @Test func theKeyboardAndSyntaxCasesStateTheirJapanese() throws {
        let bilingual = try Self.corpus.filter { name in
            let text = try String(contentsOf: TestPaths.fixtures.appendingPathComponent("malformed/\(name)"), encoding: .utf8)
            return Self.lines(text).dropFirst().first?.hasPrefix("# expect-ja: ") == true
        }
        #expect(bilingual.count >= 15, "\(bilingual)")
        for mistake in ["fullwidth-colon", "fullwidth-space-indent", "fullwidth-quotes", "colon-in-text", "tab-indent",
                        "unclosed-quote", "list-indent", "key-indent"] {
            #expect(bilingual.contains { $0.contains(mistake) }, "\(mistake)")
        }
    }

    @Test(arguments: corpus)
    func reportsTheExpectedPosition(_ name: String) throws {
        let url = TestPaths.fixtures.appendingPathComponent("malformed/\(name)")
        let data = try Data(contentsOf: url)
        let text = String(decoding: data, as: UTF8.self)
        // Split at the LF scalar: in a CRLF fixture "\r\n" is one Character.
        let header = try #require(Self.lines(text).first)
        #expect(header.hasPrefix("# expect: "))
        // "# expect: 7:81 error: message" → "NAME:7:81: error: message"
        let parts = header.dropFirst("# expect: ".count).split(separator: " ", maxSplits: 1)
        let expected = "\(parts[0]): \(parts.count > 1 ? parts[1] : "")"
        let (playbook, diagnostics) = check(data, path: name)
        #expect(playbook == nil, "a malformed playbook must not load")
        let lines = rendered(diagnostics, source: text).map { $0.split(separator: "\n").first.map(String.init) ?? "" }
        #expect(lines.contains { $0.hasPrefix("\(name):\(expected)") },
                "expected \(name):\(expected)\n got:\n\(lines.joined(separator: "\n"))")
        // The same diagnostic in Japanese (`# expect-ja:` on the second line), at the same place.
        guard let japanese = Self.lines(text).dropFirst().first, japanese.hasPrefix("# expect-ja: ") else { return }
        let jaParts = japanese.dropFirst("# expect-ja: ".count).split(separator: " ", maxSplits: 1)
        let jaExpected = "\(jaParts[0]): \(jaParts.count > 1 ? jaParts[1] : "")"
        #expect(jaParts[0] == parts[0], "the Japanese is at the same line and column")
        let jaLines = rendered(diagnostics, source: text, language: .japanese)
            .map { $0.split(separator: "\n").first.map(String.init) ?? "" }
        #expect(jaLines.contains { $0.hasPrefix("\(name):\(jaExpected)") },
                "expected \(name):\(jaExpected)\n got:\n\(jaLines.joined(separator: "\n"))")
    }

    /// A file's lines split at LF, without the CR of CRLF ends.
    static func lines(_ text: String) -> [String] {
        text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map {
            String(String.UnicodeScalarView($0.last == "\r" ? $0.dropLast() : $0))
        }
    }

    // MARK: Generated cases (never committed: binary, huge, hostile)

    private func firstError(_ data: Data) -> (String, Diagnostic?) {
        let (_, diagnostics) = check(data, path: "gen.yaml")
        let first = diagnostics.normalised().first(where: \.isError)
        return (first.map { rendered([$0], source: String(decoding: data, as: UTF8.self))[0] } ?? "", first)
    }

    @Test func emptyFile() {
        let (line, diagnostic) = firstError(Data())
        #expect(line.hasPrefix("gen.yaml:1:1: error: the file is empty"))
        #expect(diagnostic != nil)
        #expect(firstError(Data("\n  \n".utf8)).0.hasPrefix("gen.yaml:1:1: error: the file is empty"))
    }

    @Test func binaryJunk() {
        var data = Data("playbook: 1\nid: x\n".utf8)
        data.append(contentsOf: [0x89, 0x50, 0x4E, 0x47, 0x00, 0x01, 0xFF, 0xFE])
        let (line, _) = firstError(data)
        #expect(line.hasPrefix("gen.yaml:3:5: error: the file contains binary data"), "\(line)")
    }

    @Test func invalidUTF8() {
        let data = Data("playbook: 1\ntitle: caf".utf8) + Data([0xE9, 0x0A])
        #expect(firstError(data).0.hasPrefix("gen.yaml:2:11: error: the file is not valid UTF-8"))
    }

    @Test func controlCharacterIsShownNeutralised() {
        let (line, _) = firstError(Data("playbook: 1\ntitle: a\u{07}b\n".utf8))
        #expect(line.hasPrefix("gen.yaml:2:9: error:"), "\(line)")
        #expect(line.contains("title: a^Gb"))
        #expect(!line.contains("\u{07}"))
    }

    // MARK: Reader errors (a control character) after wide and zero-width text
    //
    // libyaml reports a control character as a byte offset and Yams hands it on as a count of
    // Characters; both used to be read as bytes. Expected columns are display columns, counted by
    // hand: Japanese and emoji 2, combining marks 0, ASCII 1.

    /// The corpus files whose error is a control character (31-37).
    static let controlCharacterCorpus = corpus.filter { $0.contains("-control-") }

    /// The three rendered lines put the caret under the neutralised control character (`^K`), and
    /// the source line before it is exactly `column - 1` display columns wide.
    private func expectCaret(_ rendered: String, line: Int, column: Int, _ name: String = "gen.yaml",
                             sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let lines = rendered.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.count == 3, "\(rendered)", sourceLocation: sourceLocation)
        guard lines.count == 3 else { return }
        #expect(lines[0].hasPrefix("\(name):\(line):\(column): error: YAML error: control characters are not allowed"),
                "\(lines[0])", sourceLocation: sourceLocation)
        #expect(lines[2] == String(repeating: " ", count: column - 1) + "^", "\(rendered)", sourceLocation: sourceLocation)
        #expect(!lines[1].contains("^M"), "a CRLF end is not shown", sourceLocation: sourceLocation)
        let control = lines[1].range(of: #"\^[A-Z\[\\\]^_]"#, options: .regularExpression)
        #expect(control.map { DisplayWidth.of(lines[1][..<$0.lowerBound]) } == column - 1, "\(rendered)",
                sourceLocation: sourceLocation)
    }

    @Test(arguments: controlCharacterCorpus)
    func controlCharacterFixtureShowsSourceLineAndCaret(_ name: String) throws {
        let data = try Data(contentsOf: TestPaths.fixtures.appendingPathComponent("malformed/\(name)"))
        let text = String(decoding: data, as: UTF8.self)
        let position = try #require(Self.lines(text).first?.split(separator: " ").dropFirst(2).first)
        let numbers = position.split(separator: ":").compactMap { Int($0) }
        let (_, diagnostics) = check(data, path: name)
        #expect(diagnostics.count == 1)
        expectCaret(rendered(diagnostics, source: text).first ?? "", line: numbers[0], column: numbers[1], name)
    }

    @Test func controlCharacterCorpusCoversTheCases() {
        // Japanese (10:75, as in the report, and below many Japanese lines), emoji, combining marks,
        // the last line with and without a final newline, CRLF.
        #expect(Self.controlCharacterCorpus.count == 7)
    }

    @Test func controlCharacterOnTheFirstLine() {
        // "playbook: 1 # " is 14 columns, 初行 4: the vertical tab is in column 19.
        let (line, diagnostic) = firstError(Data("playbook: 1 # 初行\u{0B}\nid: x\n".utf8))
        #expect(diagnostic?.location == SourceLocation(line: 1, column: 17), "scalars: 14 + 2")
        expectCaret(line, line: 1, column: 19)
    }

    @Test func controlCharacterAtTheVeryEndOfAFileWithoutFinalNewline() {
        // "# " 2 columns, 終わり 6, 🔚 2: the vertical tab, the file's last byte, is in column 11.
        let (line, _) = firstError(Data("playbook: 1\nid: x\n# 終わり🔚\u{0B}".utf8))
        expectCaret(line, line: 3, column: 11)
    }

    @Test func controlCharacterInACRLFFileBelowJapaneseLines() {
        // Line 4: "id: " 4 columns, 改行 4, e + U+0301 1: the unit separator is in column 10.
        let text = "playbook: 1\r\n# 日本語のコメント\r\n# もう一行、絵文字🙂も\r\nid: 改行e\u{301}\u{1F}\r\ntitle: T\r\n"
        let (line, diagnostic) = firstError(Data(text.utf8))
        #expect(diagnostic?.location == SourceLocation(line: 4, column: 9), "after 4 + 2 + 2 scalars")
        expectCaret(line, line: 4, column: 10)
    }

    @Test func controlCharacterAfterManyJapaneseLinesIsOnItsOwnLine() {
        // Each Japanese character is 3 bytes and 1 Character: counting either as bytes used to put
        // the error lines too early. 40 lines of "# 日本語" then "x: 日本\u{7F}" (DEL) on line 41.
        let text = "playbook: 1\n" + String(repeating: "# 日本語\n", count: 39) + "x: 日本\u{7F}\n"
        let (line, diagnostic) = firstError(Data(text.utf8))
        #expect(diagnostic?.location == SourceLocation(line: 41, column: 6))
        // "x: " 3 columns, 日本 4: DEL (shown ^?) is in column 8.
        #expect(line.hasPrefix("gen.yaml:41:8: error: YAML error: control characters are not allowed"), "\(line)")
        #expect(line.hasSuffix("\nx: 日本^?\n       ^"), "\(line)")
    }

    @Test func controlCharacterInsideACharacterIsStillPlaced() {
        // U+0600 (a prepended mark) and U+FFFE form one Character, so Yams has no Character count
        // for the offset; the first scalar libyaml refuses is found instead.
        let (_, diagnostic) = firstError(Data("playbook: 1\nx: \u{600}\u{FFFE}\n".utf8))
        #expect(diagnostic?.location == SourceLocation(line: 2, column: 5))
        #expect(diagnostic?.message == "YAML error: control characters are not allowed")
    }

    // MARK: CRLF files, and the end of a file without a final newline

    @Test func crlfFileShowsSourceLineAndCaretByDisplayColumns() throws {
        let name = "38-crlf-japanese-before-error.yaml"
        let data = try Data(contentsOf: TestPaths.fixtures.appendingPathComponent("malformed/\(name)"))
        let text = String(decoding: data, as: UTF8.self)
        let (_, diagnostics) = check(data, path: name)
        let diagnostic = try #require(diagnostics.first { $0.message.contains("critical") })
        // 40 columns of ASCII, 改行は 6, CRLF 4, です 4, then 24 of ASCII: はい is in column 79
        // (after 40 + 3 + 4 + 2 + 24 = 73 scalars).
        #expect(diagnostic.location == SourceLocation(line: 7, column: 74))
        let lines = DiagnosticRenderer(source: text).render(diagnostic).split(separator: "\n", omittingEmptySubsequences: false)
        try #require(lines.count == 3, "\(lines)")
        #expect(lines[0].hasPrefix("\(name):7:79: error:"))
        #expect(lines[1] == "  - {id: hello, type: info, title: {ja: 改行はCRLFです, en: Title}, critical: はい}")
        #expect(lines[2] == String(repeating: " ", count: 78) + "^")
    }

    @Test func syntaxErrorAtTheEndOfAFileWithoutFinalNewlinePointsAtTheLastLine() {
        // libyaml puts the end of the stream on a line of its own (line 3 here); the error belongs
        // after "steps: [a, " + "テスト" (11 + 6 columns) on line 2.
        for end in ["\n", "\r\n"] {
            let (line, diagnostic) = firstError(Data("playbook: 1\(end)steps: [a, テスト".utf8))
            #expect(diagnostic?.location == SourceLocation(line: 2, column: 15))
            #expect(line.hasPrefix("gen.yaml:2:18: error: YAML syntax error: did not find expected ',' or ']'"), "\(line)")
            #expect(line.hasSuffix("\nsteps: [a, テスト\n" + String(repeating: " ", count: 17) + "^"), "\(line)")
        }
    }

    @Test func tenMegabyteFile() {
        var text = "playbook: 1\n# "
        text += String(repeating: "x", count: 10 * 1024 * 1024)
        let (line, _) = firstError(Data(text.utf8))
        #expect(line.hasPrefix("gen.yaml:1:1: error: the file is too large"))
    }

    @Test func deeplyNestedFlowCollections() {
        let text = "playbook: 1\nsteps: " + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let (line, _) = firstError(Data(text.utf8))
        // The 65th bracket: "steps: " is 7 columns, so bracket n is at column 7 + n.
        #expect(line.hasPrefix("gen.yaml:2:72: error: the YAML is nested too deeply"), "\(line.prefix(120))")
    }

    @Test func deeplyNestedBlockSequences() {
        let text = "playbook: 1\nsteps:\n" + String(repeating: "- ", count: 500_000) + "x\n"
        let (line, _) = firstError(Data(text.utf8))
        #expect(line.hasPrefix("gen.yaml:3:"), "\(line.prefix(120))")
        #expect(line.contains("nested too deeply"))
    }

    /// Found by fuzzing: a huge unknown key cost key length × candidate length for "did you mean"
    /// (a 4 MB key took minutes). Now lengths far apart are never compared.
    @Test func aHugeUnknownKeyGetsNoSuggestionAndNoDelay() {
        let key = String(repeating: "a", count: 3_000_000)
        let (_, diagnostics) = check(Data("? \(key)\n: 1\n".utf8), path: "gen.yaml")
        let unknown = diagnostics.first { $0.message.hasPrefix("unknown key '\(key.prefix(20))") }
        #expect(unknown?.location == SourceLocation(line: 1, column: 3))
        #expect(unknown?.message.hasSuffix("(allowed: playbook, id, revision, title, summary, audience, languages, contacts, start, steps, deadlines, documents)") == true,
                "\(unknown?.message.suffix(120) ?? "")")
        #expect(YAMLReader.closest(to: "nxet", in: ["next", "title"]) == "next")
    }

    /// Found by fuzzing: `#` inside a value (`a#b`) hid the rest of the line from the nesting check.
    /// (In block context `id: a#b [[[` is one plain scalar, text and no nesting: the nesting after
    /// the `#` is real in a flow collection.)
    @Test func aHashInsideAValueDoesNotHideDeepNesting() {
        let deep = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        let (line, _) = firstError(Data("playbook: 1\nid: [a#b, \(deep)]\n".utf8))
        #expect(line.contains("error: the YAML is nested too deeply"), "\(line)")
    }

    // MARK: Only real nesting counts

    @Test func bracketsAndDashesThatAreTextAreNoNesting() {
        // A quoted title of 70 brackets, a plain one (in block context a bracket inside a plain
        // scalar is text), `it's` before brackets, a block scalar of dashes and brackets, a
        // 300-space indented continuation of a quoted value.
        let texts = [
            "title: \"" + String(repeating: "[", count: 70) + "\"",
            "title: 'it''s " + String(repeating: "[{", count: 70) + "'",
            "title: it's " + String(repeating: "[", count: 200),
            "title: |\n  " + String(repeating: "-", count: 300) + "\n  " + String(repeating: "- ", count: 150)
                + "\n\n  " + String(repeating: "[", count: 200),
            "title: >-\n" + String(repeating: " ", count: 300) + String(repeating: "-", count: 300),
            "title: \"a\n" + String(repeating: " ", count: 300) + String(repeating: "[", count: 100) + "\"",
        ]
        for text in texts {
            let (book, diagnostics) = check("playbook: 1\nid: t\n\(text)\nlanguages: [en]\nsteps:\n  - {id: a, type: end, title: A}\n")
            #expect(!diagnostics.contains { $0.message.contains("nested too deeply") }, "\(text.prefix(40)): \(diagnostics.map(\.message))")
            #expect(book != nil, "\(text.prefix(40)): \(diagnostics.map(\.message))")
        }
    }

    @Test func realNestingIsStillCountedInFlowAndBlock() {
        // Flow nesting after a quoted scalar and inside a block sequence entry; block nesting by
        // indentation one space per level.
        let flow = "playbook: 1\nsteps:\n  - [\"x\", " + String(repeating: "{a: ", count: 70) + "\n"
        #expect(firstError(Data(flow.utf8)).0.contains("error: the YAML is nested too deeply"))
        var block = "playbook: 1\n"
        for level in 0..<70 { block += String(repeating: " ", count: level) + "k\(level):\n" }
        // The top-level mapping is the first level: k64, on line 66, is the 65th.
        #expect(firstError(Data(block.utf8)).0.hasPrefix("gen.yaml:66:65: error: the YAML is nested too deeply"),
                "\(firstError(Data(block.utf8)).0)")
    }

    @Test func nestingHiddenFromTheScanIsStillRefused() {
        // A quote the scan takes for a quoted scalar (libyaml reads it as part of a plain one)
        // hides the brackets after it from the scan; libyaml's own limit still refuses them.
        let text = "playbook: 1\nid: x\n  \"y\nsteps: " + String(repeating: "[", count: 5000) + "\n"
        let (line, diagnostic) = firstError(Data(text.utf8))
        #expect(diagnostic != nil)
        #expect(line.contains("nested") || line.contains("YAML syntax error"), "\(line.prefix(200))")
    }

    // MARK: Binary data and invalid UTF-8 after wide text

    @Test func aNulByteAfterJapaneseHasADisplayColumnAndItsLine() {
        // "title: " 7 columns, 日本語 6: the NUL is in column 14, shown as ^@.
        let data = Data("playbook: 1\ntitle: 日本語".utf8) + Data([0x00]) + Data("x\nid: a\n".utf8)
        // Rendered with the text the loader hands on, as `validate` does.
        let result = PlaybookLoader.load(data, path: "gen.yaml")
        let diagnostic = result.diagnostics.first
        let line = rendered(result.diagnostics, source: result.source).first ?? ""
        #expect(diagnostic?.location == SourceLocation(line: 2, column: 11))
        #expect(line == "gen.yaml:2:14: error: the file contains binary data (a NUL byte); a playbook is UTF-8 text\n"
                + "title: 日本語^@x\n" + String(repeating: " ", count: 13) + "^", "\(line)")
    }

    @Test func invalidUTF8AfterJapaneseHasADisplayColumnAndItsLine() {
        let data = Data("playbook: 1\n# コメント\ntitle: 日本語".utf8) + Data([0xFF, 0x41, 0x0A])
        let (_, diagnostics) = check(data, path: "gen.yaml")
        let lines = rendered(diagnostics, source: PlaybookLoader.load(data, path: "gen.yaml").source)
        #expect(lines.first == "gen.yaml:3:14: error: the file is not valid UTF-8 text (save it as UTF-8)\n"
                + "title: 日本語\u{FFFD}A\n" + String(repeating: " ", count: 13) + "^", "\(lines)")
    }

    // MARK: Line and paragraph separators, NEL, a lone CR

    @Test func separatorsInAValueDoNotShiftTheLinesAfter() throws {
        // libyaml ends a line at each of them; a terminal (and grep -n, less, vi) does not.
        for separator in ["\u{2028}", "\u{2029}", "\u{85}", "\r"] {
            let text = "playbook: 1\nid: s\ntitle: \"a\(separator)b\(separator)\(separator)c\"\nlanguages: [en]\n"
                + "steps:\n  - {id: a, type: info, title: \"日\(separator)本\", critical: maybe}\n"
            let result = PlaybookLoader.load(Data(text.utf8), path: "gen.yaml")
            let diagnostic = try #require(result.diagnostics.first, "\(separator.unicodeScalars.first!.value)")
            // "  - {id: a, type: info, title: \"" is 32 scalars; 日, the separator, 本, `", critical: `
            // 16 more: `maybe` is the 49th.
            #expect(diagnostic.location == SourceLocation(line: 6, column: 49), "U+\(String(separator.unicodeScalars.first!.value, radix: 16))")
            let lines = rendered([diagnostic], source: result.source)[0].split(separator: "\n", omittingEmptySubsequences: false)
            // Shown as one column (U+FFFD; a lone CR as ^M, two), 日 and 本 two each.
            let shownSeparator = separator == "\r" ? "^M" : "\u{FFFD}"
            let width = 32 + 2 + shownSeparator.count + 2 + 13
            #expect(lines[0].hasPrefix("gen.yaml:6:\(width + 1): error: 'critical' must be true or false"), "\(lines[0])")
            #expect(lines[1] == "  - {id: a, type: info, title: \"日\(shownSeparator)本\", critical: maybe}")
            #expect(lines[2] == String(repeating: " ", count: width) + "^")
        }
    }

    // MARK: Long lines

    @Test func aColumnPastFourHundredIsItsRealColumnAndTheLineIsCutAroundTheCaret() throws {
        let pad = String(repeating: "あ", count: 2000)
        let text = "playbook: 1\nid: l\ntitle: T\nlanguages: [en]\nsteps:\n  - {id: a, type: info, title: \"\(pad)\", critical: maybe, help: \"\(pad)\"}\n"
        let (_, diagnostics) = check(Data(text.utf8), path: "gen.yaml")
        let diagnostic = try #require(diagnostics.first { $0.message.hasPrefix("'critical'") })
        // 32 scalars, 2000 wide ones (4000 columns), then `", critical: ` (13).
        #expect(diagnostic.location == SourceLocation(line: 6, column: 32 + 2000 + 14))
        let lines = rendered([diagnostic], source: text)[0].split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0].hasPrefix("gen.yaml:6:\(32 + 4000 + 14): error:"), "\(lines[0])")
        #expect(lines[1].hasPrefix("...") && lines[1].hasSuffix("..."), "cut on both sides, with a marker")
        #expect(DisplayWidth.of(lines[1]) <= DiagnosticRenderer.maximumShownWidth + 6)
        let caret = lines[2].count - 1
        #expect(lines[2] == String(repeating: " ", count: caret) + "^")
        // The text before the caret is exactly `caret` columns wide, and the caret is under `maybe`.
        let before = lines[1].unicodeScalars.prefix { _ in true }
        var columns = 0
        var index = before.startIndex
        while columns < caret, index < before.endIndex {
            columns += DisplayWidth.of(before[index])
            index = before.index(after: index)
        }
        #expect(columns == caret)
        #expect(String(String.UnicodeScalarView(before[index...])).hasPrefix("maybe"), "\(lines[1])")
    }

    @Test func aShortLineIsShownWhole() {
        let renderer = DiagnosticRenderer(source: "a: 1\nbb: " + String(repeating: "x", count: 150) + "\n")
        let shown = renderer.render(Diagnostic(.error, path: "p", at: SourceLocation(line: 2, column: 150), "m"))
        #expect(shown == "p:2:150: error: m\nbb: " + String(repeating: "x", count: 150) + "\n" + String(repeating: " ", count: 149) + "^")
    }

    // MARK: Repeats

    @Test func aStepRepeatedThroughAnAliasIsReportedAtTheRepeatAndIsNoLoop() {
        let text = "playbook: 1\nid: a\ntitle: T\nlanguages: [en]\nsteps:\n  - &s {id: one, type: info, title: One}\n"
            + "  - {id: two, type: info, title: Two, when: &w {step: one, is: x}}\n  - *s\n  - {id: three, type: info, title: T, when: *w}\n"
            + "  - {id: bye, type: end, title: Bye}\n"
        let (_, diagnostics) = check(Data(text.utf8), path: "gen.yaml")
        let duplicate = diagnostics.filter { $0.message.hasPrefix("duplicate step id 'one'") }
        #expect(duplicate.map(\.location) == [SourceLocation(line: 8, column: 5)], "\(diagnostics)")
        #expect(!diagnostics.contains { $0.message.contains("no end can be reached") }, "\(diagnostics.map(\.message))")
    }

    @Test func aDuplicateKeyIsReportedAtTheRepeatInFlowAndBlockMappings() {
        let cases: [(String, IncidentCore.SourceLocation)] = [
            ("playbook: 1\nid: a\nsteps: [{id: x, type: info, id: y}]\n", SourceLocation(line: 3, column: 29)),
            ("playbook: 1\nid: a\nsteps: [{\"id\": x, type: info,\n   'id': y}]\n", SourceLocation(line: 4, column: 4)),
            ("playbook: 1\nid: a\ntitle: {en: A, ja: 日本,\n  en: B, en: C}\n", SourceLocation(line: 4, column: 3)),
            ("playbook: 1\n&k id: a\nx: {id: 1}\nid: b\n", SourceLocation(line: 4, column: 1)),
        ]
        for (text, expected) in cases {
            let (_, diagnostics) = check(Data(text.utf8), path: "gen.yaml")
            let duplicate = diagnostics.first { $0.message.hasPrefix("duplicate key") }
            #expect(duplicate?.location == expected, "\(text): \(diagnostics.map { "\($0.location) \($0.message)" })")
        }
    }


    @Test func aliasBombIsRefused() {
        var text = "playbook: 1\nid: bomb\ntitle: T\nlanguages: [en]\nsteps:\n  - {id: s0, type: end, title: A, when: &a0 {step: s0, is: x}}\n"
        for level in 1...12 {
            let refs = Array(repeating: "*a\(level - 1)", count: 9).joined(separator: ", ")
            text += "  - {id: s\(level), type: end, title: A, when: &a\(level) {all: [\(refs)]}}\n"
        }
        let (line, _) = firstError(Data(text.utf8))
        #expect(line.hasPrefix("gen.yaml:1:1: error: the YAML's aliases (*name) expand to more than"), "\(line)")
    }

    @Test func aliasesThemselvesAreFine() throws {
        let (book, diagnostics) = check("playbook: 1\nid: a\ntitle: &t T\nlanguages: [en]\nsteps:\n  - {id: x, type: end, title: *t}\n")
        #expect(diagnostics.isEmpty)
        #expect(book?.steps.first?.title.resolved("en") == "T")
    }

    @Test func deeplyNestedMappingsWithinTheLimitStillParse() {
        var text = "a:\n"
        for level in 1...40 { text += String(repeating: " ", count: level) + "k\(level):\n" }
        let (_, diagnostics) = check(Data(text.utf8), path: "gen.yaml")
        #expect(!diagnostics.contains { $0.message.contains("nested") })
    }

    // MARK: The caret under Japanese text

    @Test func caretIsPlacedByDisplayColumnsUnderJapanese() throws {
        let name = "17-japanese-before-error.yaml"
        let text = try String(contentsOf: TestPaths.fixtures.appendingPathComponent("malformed/\(name)"), encoding: .utf8)
        let (_, diagnostics) = check(Data(text.utf8), path: name)
        let diagnostic = try #require(diagnostics.first { $0.message.contains("critical") })
        // The parser counts scalars: はい is the 73rd scalar, but the 81st display column.
        #expect(diagnostic.location == SourceLocation(line: 7, column: 73))
        let lines = DiagnosticRenderer(source: text).render(diagnostic).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 3)
        #expect(lines[0].hasPrefix("\(name):7:81: error:"))
        let caret = try #require(lines[2].firstIndex(of: "^"))
        #expect(lines[2].distance(from: lines[2].startIndex, to: caret) == 80)
        // The characters before the caret take exactly 80 columns in the source line.
        let source = String(lines[1])
        let prefix = String(String.UnicodeScalarView(source.unicodeScalars.prefix(72)))
        #expect(DisplayWidth.of(prefix) == 80)
        #expect(source.unicodeScalars.dropFirst(72).starts(with: "はい".unicodeScalars))
    }

    @Test func everyDiagnosticIsOneLineWithPathLineColumn() throws {
        for name in Self.corpus {
            let text = try String(contentsOf: TestPaths.fixtures.appendingPathComponent("malformed/\(name)"), encoding: .utf8)
            let (_, diagnostics) = check(Data(text.utf8), path: name)
            for line in rendered(diagnostics, source: text) {
                let first = String(line.split(separator: "\n").first ?? "")
                #expect(first.range(of: #"^[^:]+:\d+:\d+: (error|warning): \S"#, options: .regularExpression) != nil, "\(first)")
            }
        }
    }
}
