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

    @Test(arguments: corpus)
    func reportsTheExpectedPosition(_ name: String) throws {
        let url = TestPaths.fixtures.appendingPathComponent("malformed/\(name)")
        let data = try Data(contentsOf: url)
        let text = String(decoding: data, as: UTF8.self)
        let header = try #require(text.split(separator: "\n").first)
        #expect(header.hasPrefix("# expect: "))
        // "# expect: 7:81 error: message" → "NAME:7:81: error: message"
        let parts = header.dropFirst("# expect: ".count).split(separator: " ", maxSplits: 1)
        let expected = "\(parts[0]): \(parts.count > 1 ? parts[1] : "")"
        let (playbook, diagnostics) = check(data, path: name)
        #expect(playbook == nil, "a malformed playbook must not load")
        let lines = rendered(diagnostics, source: text).map { $0.split(separator: "\n").first.map(String.init) ?? "" }
        #expect(lines.contains { $0.hasPrefix("\(name):\(expected)") },
                "expected \(name):\(expected)\n got:\n\(lines.joined(separator: "\n"))")
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
        #expect(unknown?.message.hasSuffix("(allowed: playbook, id, revision, title, summary, audience, languages, contacts, start, steps)") == true,
                "\(unknown?.message.suffix(120) ?? "")")
        #expect(YAMLReader.closest(to: "nxet", in: ["next", "title"]) == "next")
    }

    /// Found by fuzzing: `#` inside a value (`a#b`) hid the rest of the line from the nesting check.
    @Test func aHashInsideAValueDoesNotHideDeepNesting() {
        let deep = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        let (line, _) = firstError(Data("playbook: 1\nid: a#b \(deep)\n".utf8))
        #expect(line.contains("error: the YAML is nested too deeply"), "\(line)")
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
