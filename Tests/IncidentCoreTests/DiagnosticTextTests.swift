import Foundation
import Testing
@testable import IncidentCore

/// The administrator's messages: libyaml's phrases in plain words, both languages, the language
/// chosen from the locale.
@Suite struct DiagnosticTextTests {
    /// libyaml's (scanner.c, parser.c) and Yams' composer's error phrases, each with its case.
    static let table: [(phrase: String, context: String?, character: Unicode.Scalar?, problem: SyntaxProblem)] = [
        ("mapping values are not allowed in this context", nil, ":", .colonInText),
        ("found unexpected ':'", "while scanning a plain scalar", ":", .colonInText),
        ("did not find expected '-' indicator", "while parsing a block collection", " ", .sequenceIndentation),
        ("did not find expected key", "while parsing a block mapping", " ", .mappingIndentation),
        ("found character that cannot start any token", "while scanning for the next token", "\t", .tab),
        ("found character that cannot start any token", "while scanning for the next token", "@", .cannotStartToken),
        ("found a tab character that violates indentation", "while scanning a plain scalar", "\t", .tab),
        ("found a tab character where an indentation space is expected", "while scanning a block scalar", "\t", .tab),
        ("could not find expected ':'", "while scanning a simple key", nil, .keyWithoutColon),
        ("found unexpected end of stream", "while scanning a quoted scalar", nil, .unclosedQuote),
        ("found unexpected document indicator", "while scanning a quoted scalar", nil, .unclosedQuote),
        ("found unexpected end of stream", nil, nil, .documentMarker),
        ("did not find expected ',' or ']'", "while parsing a flow sequence", nil, .unclosedFlowSequence),
        ("did not find expected ',' or '}'", "while parsing a flow mapping", nil, .unclosedFlowMapping),
        ("did not find expected node content", "while parsing a flow node", nil, .missingValue),
        ("mapping keys are not allowed in this context", nil, "?", .keyNotAllowed),
        ("block sequence entries are not allowed in this context", nil, "-", .entryNotAllowed),
        ("found unknown escape character", "while parsing a quoted scalar", nil, .escape),
        ("did not find expected hexdecimal number", "while parsing a quoted scalar", nil, .escape),
        ("found invalid Unicode character escape code", "while parsing a quoted scalar", nil, .escape),
        ("did not find expected alphabetic or numeric character", "while scanning an anchor", nil, .anchorName),
        ("found undefined tag handle", "while parsing a node", nil, .tag),
        ("did not find expected tag URI", "while parsing a tag", nil, .tag),
        ("did not find URI escaped octet", "while parsing a tag", nil, .tag),
        ("found an incorrect leading UTF-8 octet", "while parsing a tag", nil, .tag),
        ("found an incorrect trailing UTF-8 octet", "while parsing a tag", nil, .tag),
        ("did not find expected '!'", "while scanning a tag directive", nil, .tag),
        ("did not find the expected '>'", "while parsing a tag", nil, .tag),
        ("did not find expected whitespace", "while scanning a tag", nil, .tag),
        ("did not find expected comment or line break", "while scanning a block scalar", nil, .blockScalarHeader),
        ("found an indentation indicator equal to 0", "while scanning a block scalar", nil, .blockScalarHeader),
        ("did not find expected <document start>", nil, nil, .directive),
        ("could not find expected directive name", "while scanning a directive", nil, .directive),
        ("found unknown directive name", "while scanning a directive", nil, .directive),
        ("found unexpected non-alphabetical character", "while scanning a directive", nil, .directive),
        ("found duplicate %YAML directive", nil, nil, .directive),
        ("found incompatible YAML document", nil, nil, .directive),
        ("found duplicate %TAG directive", nil, nil, .directive),
        ("did not find expected whitespace or line break", "while scanning a directive", nil, .directive),
        ("did not find expected digit or '.' character", "while scanning a %YAML directive", nil, .directive),
        ("found extremely long version number", "while scanning a %YAML directive", nil, .directive),
        ("did not find expected version number", "while scanning a %YAML directive", nil, .directive),
        ("did not find expected <stream-start>", nil, nil, .directive),
        ("found undefined alias", nil, nil, .undefinedAlias),
        ("but found another document", "expected a single document in the stream", nil, .secondDocument),
    ]

    @Test(arguments: table.indices)
    func everyLibyamlPhraseHasPlainWordsAndAFix(_ index: Int) {
        let row = Self.table[index]
        let problem = SyntaxProblem(phrase: row.phrase, context: row.context, character: row.character)
        #expect(problem == row.problem, "\(row.phrase)")
        let text = DiagnosticText.syntax(problem, phrase: row.phrase, context: row.context, contextLine: 3)
        // English keeps the phrase (people search for it) and adds the plain words.
        #expect(text.english.hasPrefix("YAML syntax error: \(row.phrase)"))
        #expect(text.english.count > "YAML syntax error: \(row.phrase)".count + 20, "\(text.english)")
        // Japanese: plain words only, never the library's phrase.
        #expect(!text.japanese.contains(row.phrase), "\(text.japanese)")
        #expect(text.japanese.hasSuffix("。"), "\(text.japanese)")
    }

    @Test func everyProblemIsInTheTable() {
        let covered = Set(Self.table.map(\.problem))
        #expect(covered == Set(SyntaxProblem.allCases).subtracting([.other]))
        // An unknown phrase still gets a hint, and keeps the phrase in English.
        let other = DiagnosticText.syntax(.other, phrase: "something new", context: nil, contextLine: nil)
        #expect(other.english == "YAML syntax error: something new: check the YAML around this position (indentation, quotes, ': ')")
        #expect(other.japanese == "この位置の前後の YAML の書き方（字下げ、引用符、「: 」）を見直してください。")
    }

    @Test func theSpecsExampleReadsAsTheSpecSays() {
        let text = DiagnosticText.syntax(.colonInText, phrase: "mapping values are not allowed in this context",
                                         context: nil, contextLine: nil)
        #expect(text.english.contains("a ': ' inside a text: put the whole text in quotes"))
    }

    @Test func theLanguageComesFromTheLocaleLCAllFirst() {
        #expect(AdminLanguage.from(environment: ["LANG": "ja_JP.UTF-8"]) == .japanese)
        #expect(AdminLanguage.from(environment: ["LANG": "ja_JP.UTF-8", "LC_ALL": "C.UTF-8"]) == .english)
        #expect(AdminLanguage.from(environment: ["LANG": "C.UTF-8", "LC_MESSAGES": "ja_JP.UTF-8"]) == .japanese)
        #expect(AdminLanguage.from(environment: ["LANG": "en_US.UTF-8", "LC_ALL": ""]) == .english)
        #expect(AdminLanguage.from(environment: [:]) == .english)
    }

    /// Validator messages in Japanese, rendered with the same position and caret.
    @Test func validatorMessagesSpeakJapanese() {
        let yaml = """
            playbook: 1
            id: typo
            title: {ja: テスト, en: Test}
            languages: [ja, en]
            steps:
              - id: hello
                type: info
                title: {ja: こんにちは}
                next: godbye
              - id: goodbye
                type: end
                title: {ja: さようなら, en: Bye}

            """
        let (_, diagnostics) = check(yaml, path: "p.yaml")
        let japanese = rendered(diagnostics, source: yaml, language: .japanese).map { $0.split(separator: "\n")[0] }
        #expect(japanese.contains("p.yaml:8:12: error: ステップ「hello」の「title」に「en」の文がありません。「en: …」を書き足してください。"),
                "\(japanese)")
        #expect(japanese.contains("p.yaml:9:11: error: ステップ「hello」の「next」に書かれたステップ「godbye」がありません。"
                                  + "「goodbye」の書き間違いではありませんか。"), "\(japanese)")
        let english = rendered(diagnostics, source: yaml).map { $0.split(separator: "\n")[0] }
        #expect(english.contains("p.yaml:9:11: error: 'next' of step 'hello' names an unknown step 'godbye' (did you mean 'goodbye'?)"))
    }

    /// A text at the start of a line that only looks like a key, inside a block scalar, is no
    /// keyboard mistake; a full-width space indenting a paragraph inside one is text too.
    @Test func fullWidthCharactersInsideTextAreNotMistakes() {
        let yaml = """
            playbook: 1
            id: fine
            title: {ja: テスト, en: Test}
            languages: [ja, en]
            steps:
              - id: hello
                type: info
                title: {ja: 注意：読んでください, en: Hello}
                text:
                  ja: |
                    　段落の始まりは全角スペースで字下げします。
                    note：これも本文です。
                  en: “Quoted” in the middle is fine, and so is a sentence “ending in quotes”
              - id: bye
                type: end
                title: {ja: さようなら, en: Bye}

            """
        let (playbook, diagnostics) = check(yaml, path: "p.yaml")
        #expect(playbook != nil, "\(rendered(diagnostics, source: yaml))")
    }
}
