import IncidentCore
import Testing
import IncidentUI

/// The cell screen, asserted as rendered lines the way ratatui's `TestBackend` does.
struct ScreenBufferTests {
    /// A buffer with a box border around rows 1...(height - 2), to check that text stays inside.
    private func boxed(width: Int, height: Int) -> ScreenBuffer {
        var buffer = ScreenBuffer(width: width, height: height)
        let inner = width - 2
        buffer.put("┌" + String(repeating: "─", count: inner) + "┐", row: 0, column: 0)
        for row in 1..<(height - 1) {
            buffer.put("│", row: row, column: 0)
            buffer.put("│", row: row, column: width - 1)
        }
        buffer.put("└" + String(repeating: "─", count: inner) + "┘", row: height - 1, column: 0)
        return buffer
    }

    /// Every wide character is whole: a lead cell two columns wide is followed by its continuation,
    /// and every continuation follows such a lead.
    private func expectNoHalfCharacters(_ buffer: ScreenBuffer, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        for row in 0..<buffer.height {
            for column in 0..<buffer.width {
                let cell = buffer.cell(row: row, column: column)
                let isWideLead = !cell.isContinuation && DisplayWidth.of(cell.text) == 2
                let next = buffer.cell(row: row, column: column + 1)
                if isWideLead {
                    #expect(column + 1 < buffer.width && next.isContinuation,
                            "lead without its half at \(row),\(column)", sourceLocation: sourceLocation)
                } else if column + 1 < buffer.width {
                    #expect(!next.isContinuation, "orphan half at \(row),\(column + 1)", sourceLocation: sourceLocation)
                }
            }
            #expect(!buffer.cell(row: row, column: 0).isContinuation, sourceLocation: sourceLocation)
        }
    }

    @Test func newBufferIsBlankAndNegativeSizesClamp() {
        let buffer = ScreenBuffer(width: 4, height: 2)
        #expect(buffer.lines == ["", ""])
        #expect(buffer.cell(row: 1, column: 3) == .blank)
        #expect(buffer.cursor == nil)
        let empty = ScreenBuffer(width: -3, height: -1)
        #expect(empty.width == 0 && empty.height == 0)
        #expect(empty.lines.isEmpty)
    }

    @Test func asciiTextIsDrawnAndCounted() {
        var buffer = ScreenBuffer(width: 10, height: 2)
        #expect(buffer.put("Hello", row: 0, column: 2) == 5)
        #expect(buffer.put("overflowing", row: 1, column: 0) == 10)
        #expect(buffer.lines == ["  Hello", "overflowin"])
        #expect(buffer.cell(row: 0, column: 2) == ScreenBuffer.Cell(text: "H", style: .normal))
    }

    @Test func japaneseIsClippedInsideABoxBorder() {
        var buffer = boxed(width: 10, height: 3)
        // Inner width 8 holds four double-width characters exactly.
        let drawn = buffer.put("コンピュータウイルス", row: 1, column: 1, maxWidth: 8)
        #expect(drawn == 8)
        #expect(buffer.lines == ["┌────────┐", "│コンピュ│", "└────────┘"])
        #expect(buffer.cell(row: 1, column: 9).text == "│")
        #expect(buffer.cell(row: 1, column: 1) == ScreenBuffer.Cell(text: "コ", style: .normal))
        #expect(buffer.cell(row: 1, column: 2).isContinuation)
        expectNoHalfCharacters(buffer)
    }

    @Test func wideCharacterAtTheClipEdgeIsNotSplit() {
        // Inner width 7: "コンピ" takes 6 columns; "ュ" would straddle the border and is left out.
        var buffer = boxed(width: 9, height: 3)
        buffer.put("#######", row: 1, column: 1)
        let drawn = buffer.put("コンピュータ", row: 1, column: 1, maxWidth: 7, style: .title)
        #expect(drawn == 6)
        #expect(buffer.line(1) == "│コンピ │")
        #expect(buffer.cell(row: 1, column: 7) == ScreenBuffer.Cell(text: " ", style: .title), "stale '#' blanked")
        #expect(buffer.cell(row: 1, column: 8).text == "│", "border intact")
        expectNoHalfCharacters(buffer)
    }

    @Test func wideCharacterAtTheRightEdgeOfTheBuffer() {
        var buffer = ScreenBuffer(width: 5, height: 1)
        #expect(buffer.put("あいう", row: 0, column: 0) == 4)
        #expect(buffer.line(0) == "あい")
        #expect(!buffer.cell(row: 0, column: 4).isContinuation)
        expectNoHalfCharacters(buffer)
    }

    @Test func overwritingHalfOfAWideCharacterBlanksTheOtherHalf() {
        var buffer = ScreenBuffer(width: 8, height: 3)
        buffer.put("あいう", row: 0, column: 0)
        buffer.put("x", row: 0, column: 1)     // right half of あ
        #expect(buffer.line(0) == " xいう")
        buffer.put("y", row: 0, column: 2)     // left half of い
        #expect(buffer.line(0) == " xy う")

        buffer.put("あいう", row: 1, column: 0)
        buffer.put("漢", row: 1, column: 1)    // straddles あ and い
        #expect(buffer.line(1) == " 漢 う")

        buffer.put("ネット", row: 2, column: 0, style: .bar)
        buffer.fill(row: 2, column: 3, width: 1, style: .selected)
        #expect(buffer.line(2) == "ネ  ト")
        #expect(buffer.style(row: 2, column: 2) == .bar, "the blanked half keeps its style")
        #expect(buffer.style(row: 2, column: 3) == .selected)
        expectNoHalfCharacters(buffer)
    }

    @Test func combiningMarksAttachToTheirBase() {
        var buffer = ScreenBuffer(width: 6, height: 2)
        #expect(buffer.put("e\u{301}te\u{301}", row: 0, column: 0) == 3)
        #expect(Array(buffer.cell(row: 0, column: 0).text.unicodeScalars) == ["e", "\u{301}"])
        #expect(Array(buffer.line(0).unicodeScalars) == ["e", "\u{301}", "t", "e", "\u{301}"])
        // A mark with nothing before it is dropped rather than drawn on its own.
        #expect(buffer.put("\u{301}ab", row: 1, column: 0) == 2)
        #expect(Array(buffer.line(1).unicodeScalars) == ["a", "b"])
    }

    @Test func combiningMarkStaysWithABaseAtTheClipEdge() {
        var buffer = ScreenBuffer(width: 4, height: 1)
        #expect(buffer.put("abe\u{301}x", row: 0, column: 1, maxWidth: 3) == 3)
        #expect(Array(buffer.line(0).unicodeScalars) == [" ", "a", "b", "e", "\u{301}"])
    }

    @Test func emojiWithSkinToneIsFourColumnsPerScalar() {
        var buffer = ScreenBuffer(width: 6, height: 2)
        #expect(buffer.put("👍🏽!", row: 0, column: 0) == 5)
        #expect(buffer.line(0) == "👍🏽!")
        #expect(buffer.cell(row: 0, column: 0).text == "👍")
        #expect(buffer.cell(row: 0, column: 1).isContinuation)
        #expect(buffer.cell(row: 0, column: 2).text == "🏽")
        #expect(buffer.cell(row: 0, column: 4).text == "!")
        // The variation selector of ❤️ is zero width: one column, kept with the heart.
        #expect(buffer.put("❤\u{FE0F}x", row: 1, column: 0) == 2)
        #expect(buffer.cell(row: 1, column: 0).text.unicodeScalars.count == 2)
        #expect(buffer.cell(row: 1, column: 1).text == "x")
        expectNoHalfCharacters(buffer)
    }

    @Test func controlCharactersNeverReachTheCells() {
        var buffer = ScreenBuffer(width: 12, height: 1)
        #expect(buffer.put("a\u{1B}[2J\u{9B}b\nc", row: 0, column: 0) == 9)
        #expect(buffer.line(0) == "a?[2J?b?c")
    }

    @Test func outOfRangeDrawingIsIgnoredOrClipped() {
        var buffer = ScreenBuffer(width: 5, height: 1)
        #expect(buffer.put("hidden", row: 1, column: 0) == 0)
        #expect(buffer.put("hidden", row: -1, column: 0) == 0)
        #expect(buffer.put("far", row: 0, column: 5) == 0)
        #expect(buffer.put("none", row: 0, column: 0, maxWidth: 0) == 0)
        #expect(buffer.lines == [""])
        #expect(buffer.put("abc", row: 0, column: -1) == 2)
        #expect(buffer.line(0) == "bc")
        // A wide character straddling the left edge leaves no half behind.
        buffer.put("あい", row: 0, column: -1)
        #expect(buffer.line(0) == " い")
        expectNoHalfCharacters(buffer)
        buffer.fill(row: 3, column: 0, width: 5, style: .bar)
        buffer.fill(row: 0, column: -2, width: 100, style: .bar)
        #expect(buffer.line(0) == "")
        #expect((0..<5).allSatisfy { buffer.style(row: 0, column: $0) == .bar })
        #expect(buffer.style(row: 9, column: 9) == .normal)
        #expect(buffer.cell(row: 0, column: 99) == .blank)
    }

    @Test func barsKeepTheirStyleUnderText() {
        var buffer = ScreenBuffer(width: 12, height: 1)
        buffer.fill(row: 0, column: 0, width: 12, style: .bar)
        buffer.put("[訓練]", row: 0, column: 1, style: .drill)
        #expect(buffer.line(0) == " [訓練]")
        #expect(buffer.style(row: 0, column: 0) == .bar)
        #expect(buffer.style(row: 0, column: 2) == .drill)
        #expect(buffer.style(row: 0, column: 3) == .drill, "continuation half carries the style")
        #expect(buffer.style(row: 0, column: 7) == .bar)
    }

    @Test func clearResetsCellsAndHidesTheCursor() {
        var buffer = ScreenBuffer(width: 4, height: 1)
        buffer.put("ab", row: 0, column: 0, style: .selected)
        buffer.cursor = ScreenBuffer.CursorPosition(row: 0, column: 2)
        #expect(buffer != ScreenBuffer(width: 4, height: 1))
        buffer.clear()
        #expect(buffer == ScreenBuffer(width: 4, height: 1))
    }

    @Test func equalityIncludesTheCursor() {
        var first = ScreenBuffer(width: 3, height: 1)
        var second = ScreenBuffer(width: 3, height: 1)
        first.put("ok", row: 0, column: 0)
        second.put("ok", row: 0, column: 0)
        #expect(first == second)
        second.cursor = .init(row: 0, column: 2)
        #expect(first != second)
        #expect(second.cursor == ScreenBuffer.CursorPosition(row: 0, column: 2))
    }
}
