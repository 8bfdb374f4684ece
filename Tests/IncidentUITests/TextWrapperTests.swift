import IncidentCore
import Testing
import IncidentUI

/// Wrapping and clipping by display columns, with Japanese line-breaking rules.
struct TextWrapperTests {
    // Sentences copied from playbooks/emotet.yaml (tests do not read the playbook).
    static let disconnectHelpJa = """
        ネットワークを切ると、ウイルスが社内のほかのパソコンに広がったり、情報を外に送ったりするのを止められます。
        LANケーブルは、パソコンの背面や側面、またはドッキングステーションにつながっています。
        Wi-Fiは、画面の上か下の隅にある電波のアイコンからオフにできます。
        """
    static let disconnectHelpEn = """
        Disconnecting stops the virus from spreading to other PCs in the office
        and from sending information out.
        The LAN cable is plugged into the back or side of the PC, or into its docking station.
        Wi-Fi can be turned off from the signal icon in a corner of the screen.
        """
    static let sentences = [
        "ネットワークを切ると、ウイルスが社内のほかのパソコンに広がったり、情報を外に送ったりするのを止められます。",
        "Word・Excelの添付ファイル（ZIPの中に入っていることもあります）を開いて",
        "「コンテンツの有効化」を押したり、リンクからファイルをダウンロードしたりすると感染します。",
        "Wi-Fi（無線LAN）もオフにしてください。",
        "Windowsのパソコンでは、JPCERT/CCの「EmoCheck」でEmotetを調べられます。",
        "（管理者の方へ）別のスキャナーを使うときは、emotet.yaml のこのステップ（scan-pc）の command と verdicts を書き換えてください。",
        "ここ数週間で、メールの添付ファイル（Word・Excel・ZIP）やリンクを開いて、おかしいと感じたことはありますか？",
        "時間がかかることがあります（長いと1時間ほど）。",
        "待てないときは、Escキーで中止しても大丈夫です。管理者があとで調べます。",
        "パソコンの Wi-Fi をオフにしてください。",
        "Disconnecting stops the virus from spreading to other PCs in the office and from sending information out.",
        "It infects a PC when you open a Word or Excel attachment (sometimes inside a ZIP) and click \"Enable Content\", or when you open a link and download a file.",
        "If you cannot wait, press Esc to cancel. That is fine; the administrator will check later.",
    ]

    static let forbiddenAtStart = Set("、。，．・：；？！ー―〜…‥」』）］｝〉》】〕”’ゝゞヽヾ々ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶ")
    static let forbiddenAtEnd = Set("「『（［｛〈《【〔“‘")

    private func withoutSpaces(_ text: String) -> String {
        text.filter { $0 != " " && $0 != "\n" }
    }

    /// Runs of ASCII letters, digits and joiners: the words that must never be split.
    private func latinWords(_ text: String) -> [String] {
        let wordCharacters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-/._:")
        return text.split { !wordCharacters.contains($0) }.map(String.init)
    }

    // MARK: Properties over real sentences

    @Test(arguments: sentences)
    func everyLineFitsAndObeysTheRules(sentence: String) {
        for width in 10...80 {
            let lines = TextWrapper.wrap(sentence, width: width)
            for line in lines {
                #expect(DisplayWidth.of(line) <= width, "width \(width): \(line)")
                #expect(!line.hasPrefix(" ") && !line.hasSuffix(" "), "width \(width): [\(line)]")
                if let first = line.first { #expect(!Self.forbiddenAtStart.contains(first), "width \(width): \(line)") }
                if let last = line.last { #expect(!Self.forbiddenAtEnd.contains(last), "width \(width): \(line)") }
            }
            #expect(withoutSpaces(lines.joined()) == withoutSpaces(sentence), "nothing lost at width \(width)")
            // A word, plus the brackets kinsoku may glue to it, that fits in a line is never split.
            for word in latinWords(sentence) where DisplayWidth.of(word) + 4 <= width {
                #expect(lines.contains { $0.contains(word) }, "width \(width): \(word) split in \(lines)")
            }
        }
    }

    @Test func shortSentencesStayOnOneLine() {
        #expect(TextWrapper.wrap("Wi-Fi（無線LAN）もオフにしてください。", width: 80) == ["Wi-Fi（無線LAN）もオフにしてください。"])
        #expect(TextWrapper.wrap("Turn Wi-Fi off as well.", width: 23) == ["Turn Wi-Fi off as well."])
    }

    // MARK: Lines and spaces

    @Test func explicitNewlinesAndEmptyLinesArePreserved() {
        #expect(TextWrapper.wrap("一行目\n\n三行目", width: 20) == ["一行目", "", "三行目"])
        #expect(TextWrapper.wrap("", width: 10) == [""])
        #expect(TextWrapper.wrap("a\n", width: 10) == ["a", ""])
        #expect(TextWrapper.wrap("   ", width: 10) == [""])
    }

    @Test func zeroOrNegativeWidthReturnsTheLinesUnwrapped() {
        #expect(TextWrapper.wrap("a b  c\nパソコン", width: 0) == ["a b  c", "パソコン"])
        #expect(TextWrapper.wrap("x", width: -5) == ["x"])
    }

    @Test func spacesBreakLatinTextAndVanishAtTheBreak() {
        #expect(TextWrapper.wrap("Unplug the network (LAN) cable from the PC.", width: 20)
                == ["Unplug the network", "(LAN) cable from the", "PC."])
        #expect(TextWrapper.wrap("a  b   ", width: 10) == ["a  b"], "inner spaces kept, trailing dropped")
        #expect(TextWrapper.wrap("  - indented item here", width: 12) == ["  - indented", "item here"],
                "a source line's indentation is kept")
    }

    // MARK: Latin words inside Japanese

    @Test func latinWordsStayIntactInJapanese() {
        let text = "パソコンの Wi-Fi をオフにしてください。"
        #expect(TextWrapper.wrap(text, width: 12) == ["パソコンの", "Wi-Fi をオフ", "にしてくださ", "い。"])
        for width in 5...40 {
            let lines = TextWrapper.wrap(text, width: width)
            #expect(lines.filter { $0.contains("Wi-Fi") }.count == 1, "width \(width): \(lines)")
        }
        #expect(TextWrapper.wrap("日付は 2026-11-29 です", width: 12) == ["日付は", "2026-11-29", "です"])
    }

    @Test func longURLIsHardBrokenByWidth() {
        let text = "詳しくは https://www.ipa.go.jp/security/support/soudan.html を見てください。"
        #expect(TextWrapper.wrap(text, width: 20)
                == ["詳しくは", "https://www.ipa.go.j", "p/security/support/s", "oudan.html を見てく", "ださい。"])
        #expect(TextWrapper.wrap("Open https://www.npa.go.jp/bureau/cyber/soudan.html now", width: 16)
                == ["Open", "https://www.npa.", "go.jp/bureau/cyb", "er/soudan.html", "now"])
    }

    // MARK: Kinsoku

    @Test func lineNeverStartsWithClosingPunctuationOrProlongedSoundMark() {
        // The break moves one character earlier, so the punctuation takes its neighbour along.
        #expect(TextWrapper.wrap("ネットワークを切ってください。", width: 28) == ["ネットワークを切ってくださ", "い。"])
        #expect(TextWrapper.wrap("ネットワーク", width: 8) == ["ネット", "ワーク"])
        #expect(TextWrapper.wrap("待ってください…", width: 14) == ["待ってくださ", "い…"])
        #expect(TextWrapper.wrap("ｶﾀｶﾅｰ", width: 4) == ["ｶﾀｶ", "ﾅｰ"], "half-width prolonged sound mark")
        #expect(TextWrapper.wrap("大丈夫です（ZIP)", width: 14) == ["大丈夫です", "（ZIP)"])
    }

    @Test func lineNeverStartsWithSmallKana() {
        #expect(TextWrapper.wrap("電源を切ってください", width: 8) == ["電源を", "切ってく", "ださい"])
        #expect(TextWrapper.wrap("チェック", width: 6) == ["チェッ", "ク"])
        #expect(TextWrapper.wrap("ちょっとまって", width: 6) == ["ちょっ", "とまっ", "て"])
    }

    @Test func lineNeverEndsWithAnOpeningBracket() {
        #expect(TextWrapper.wrap("これは「テスト」です", width: 8) == ["これは", "「テス", "ト」です"])
        #expect(TextWrapper.wrap("添付ファイル（ZIP）", width: 14) == ["添付ファイル", "（ZIP）"])
    }

    @Test func cutInsideAnUnbreakableRunStillAvoidsKinsoku() {
        // "「EmoCheck」" is one run of 12 columns: it must be cut, but not before "」".
        #expect(TextWrapper.wrap("「EmoCheck」", width: 10) == ["「EmoChec", "k」"])
        // Nothing but forbidden breaks: the width wins.
        #expect(TextWrapper.wrap("ーーーー", width: 4) == ["ーー", "ーー"])
        #expect(TextWrapper.wrap("チェック", width: 4) == ["チェ", "ック"])
    }

    // MARK: Real paragraphs at 40 and 76 columns

    @Test func japaneseHelpAt40And76Columns() {
        #expect(TextWrapper.wrap(Self.disconnectHelpJa, width: 40) == [
            "ネットワークを切ると、ウイルスが社内のほ",
            "かのパソコンに広がったり、情報を外に送っ",
            "たりするのを止められます。",
            "LANケーブルは、パソコンの背面や側面、ま",
            "たはドッキングステーションにつながってい",
            "ます。",
            "Wi-Fiは、画面の上か下の隅にある電波のア",
            "イコンからオフにできます。",
        ])
        #expect(TextWrapper.wrap(Self.disconnectHelpJa, width: 76) == [
            "ネットワークを切ると、ウイルスが社内のほかのパソコンに広がったり、情報を外に",
            "送ったりするのを止められます。",
            "LANケーブルは、パソコンの背面や側面、またはドッキングステーションにつながっ",
            "ています。",
            "Wi-Fiは、画面の上か下の隅にある電波のアイコンからオフにできます。",
        ])
    }

    @Test func englishHelpAt40And76Columns() {
        #expect(TextWrapper.wrap(Self.disconnectHelpEn, width: 40) == [
            "Disconnecting stops the virus from",
            "spreading to other PCs in the office",
            "and from sending information out.",
            "The LAN cable is plugged into the back",
            "or side of the PC, or into its docking",
            "station.",
            "Wi-Fi can be turned off from the signal",
            "icon in a corner of the screen.",
        ])
        #expect(TextWrapper.wrap(Self.disconnectHelpEn, width: 76) == [
            "Disconnecting stops the virus from spreading to other PCs in the office",
            "and from sending information out.",
            "The LAN cable is plugged into the back or side of the PC, or into its",
            "docking station.",
            "Wi-Fi can be turned off from the signal icon in a corner of the screen.",
        ])
    }

    // MARK: Zero-width scalars, emoji, tiny widths

    @Test func combiningMarksStayWithTheirBase() {
        let lines = TextWrapper.wrap(String(repeating: "e\u{301}", count: 5), width: 2)
        #expect(lines.count == 3)
        for line in lines {
            #expect(line.unicodeScalars.first != "\u{301}")
            #expect(line.unicodeScalars.last == "\u{301}")
            #expect(DisplayWidth.of(line) <= 2)
        }
    }

    @Test func emojiModifiersAndJoinersAreNotSeparated() {
        #expect(TextWrapper.wrap("👍🏽👍🏽", width: 4) == ["👍🏽", "👍🏽"])
        #expect(TextWrapper.wrap("👍🏽👍🏽", width: 6) == ["👍🏽", "👍🏽"])
        #expect(TextWrapper.wrap("👍🏽👍🏽", width: 8) == ["👍🏽👍🏽"])
        #expect(TextWrapper.wrap("👩\u{200D}💻👩\u{200D}💻", width: 6) == ["👩\u{200D}💻", "👩\u{200D}💻"])
    }

    @Test func widthOneGivesEachWideCharacterItsOwnLine() {
        #expect(TextWrapper.wrap("あいb", width: 1) == ["あ", "い", "b"])
        #expect(TextWrapper.wrap("あいう", width: 3) == ["あ", "い", "う"])
    }

    // MARK: Clipping

    @Test func clipNeverSplitsAWideCharacter() {
        #expect(TextWrapper.clip("コンピュータ", width: 7) == "コンピ…")
        #expect(TextWrapper.clip("コンピュータ", width: 7, ellipsis: false) == "コンピ")
        #expect(TextWrapper.clip("コンピュータ", width: 12) == "コンピュータ")
        #expect(TextWrapper.clip("あ", width: 1) == "…")
        #expect(TextWrapper.clip("あ", width: 1, ellipsis: false) == "")
        #expect(TextWrapper.clip("anything", width: 0) == "")
    }

    @Test func clipLatinText() {
        #expect(TextWrapper.clip("abc", width: 3) == "abc")
        #expect(TextWrapper.clip("abcd", width: 3) == "ab…")
        #expect(TextWrapper.clip("Hello world", width: 7) == "Hello…", "no space before the ellipsis")
        #expect(TextWrapper.clip("first\nsecond", width: 20) == "first…", "one-line slots stop at a newline")
        let clipped = TextWrapper.clip("e\u{301}e\u{301}x", width: 2, ellipsis: false)
        #expect(Array(clipped.unicodeScalars) == ["e", "\u{301}", "e", "\u{301}"])
        #expect(DisplayWidth.of(TextWrapper.clip("👍🏽👍🏽", width: 5)) <= 5)
    }
}
