import IncidentCore

/// Wraps and clips text by display columns (`DisplayWidth`, the terminal's own rule) for Japanese
/// and English.
///
/// Break opportunities:
/// - at spaces (the spaces themselves vanish at the break);
/// - before and after any CJK character (ideographs, kana, full-width forms, and anything else two
///   columns wide, half-width katakana too), so Japanese can break between characters;
/// - never inside a run of other characters, so "Wi-Fi", "2026-11-29" and URLs stay whole
///   unless a single run is wider than the line, and then it is cut by width.
///
/// Japanese line-breaking rules (kinsoku) remove opportunities: no break before a character that
/// may not start a line (。、」ー small kana …) and none after one that may not end a line (「（…).
/// The characters on both sides of a removed opportunity therefore move together: an opening
/// bracket goes down with the character it opens, and a closing mark takes the character before it
/// down with it (the line breaks one character earlier) instead of hanging past the edge.
/// Kinsoku is not applied at spaces: a space is always a break point. Emoji skin-tone modifiers
/// and ZWJ sequences are glued the same way, so "👍🏽" is never split across lines.
public enum TextWrapper {
    /// Wraps `text` into lines no wider than `width` columns.
    ///
    /// "\n" starts a new line and empty lines are kept. Leading spaces of a source line are kept
    /// as indentation when the first word still fits after them; other spaces at a break are
    /// dropped. Kinsoku yields to the width: a run that cannot be broken anywhere allowed (a long
    /// word, a chain like "ーーーー" wider than the line) is cut by width, a Latin one starting on a
    /// fresh line, a Japanese one continuing the current line. The only line ever wider
    /// than `width` is a single wide character when `width` is 1. With `width <= 0` the text's
    /// lines are returned unwrapped.
    public static func wrap(_ text: String, width: Int) -> [String] {
        let scalars = Array(text.unicodeScalars)
        let paragraphs = scalars.split(separator: "\n", omittingEmptySubsequences: false)
        guard width > 0 else { return paragraphs.map(string) }
        var lines: [String] = []
        lines.reserveCapacity(paragraphs.count)
        for paragraph in paragraphs {
            var layout = ParagraphLayout(scalars: paragraph, width: width)
            layout.run()
            lines.append(contentsOf: layout.lines)
        }
        return lines
    }

    /// The longest prefix of `text` that fits in `width` columns. When the text is cut (by width or
    /// by a "\n", since this is for one-line slots) and `ellipsis` is set, the prefix is shortened
    /// to make room for "…" (one column) and trailing spaces are dropped before it. Never splits a
    /// wide character; zero-width scalars stay with their base.
    public static func clip(_ text: String, width: Int, ellipsis: Bool = true) -> String {
        guard width > 0 else { return "" }
        if fitsOnOneLine(text, width: width) { return text }
        let limit = ellipsis ? width - 1 : width
        var prefix = String.UnicodeScalarView()
        var used = 0
        for scalar in text.unicodeScalars {
            let columns = DisplayWidth.of(scalar)
            if scalar == "\n" || used + columns > limit { break }
            prefix.append(scalar)
            used += columns
        }
        guard ellipsis else { return String(prefix) }
        while prefix.last == " " { prefix.removeLast() }
        prefix.append("…")
        return String(prefix)
    }

    // MARK: Private

    private static func string(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
        String(String.UnicodeScalarView(scalars))
    }

    private static func fitsOnOneLine(_ text: String, width: Int) -> Bool {
        var used = 0
        for scalar in text.unicodeScalars {
            if scalar == "\n" { return false }
            used += DisplayWidth.of(scalar)
            if used > width { return false }
        }
        return true
    }

    /// A base scalar and the zero-width scalars after it: the smallest piece the wrapper moves.
    private struct Cluster {
        /// Indices into the paragraph's scalars.
        var range: Range<Int>
        var width: Int
        var isSpace: Bool
        var isCJK: Bool
        /// Kinsoku: may not start a line.
        var noStart: Bool
        /// Kinsoku: may not end a line.
        var noEnd: Bool
    }

    /// Greedy line filling of one source line, in units of unbreakable runs ("segments").
    private struct ParagraphLayout {
        let scalars: ArraySlice<Unicode.Scalar>
        let width: Int
        private(set) var lines: [String] = []
        private var line = String.UnicodeScalarView()
        private var lineWidth = 0
        private var lineIsEmpty = true

        init(scalars: ArraySlice<Unicode.Scalar>, width: Int) {
            self.scalars = scalars
            self.width = width
        }

        mutating func run() {
            let clusters = TextWrapper.clusters(of: scalars)
            // Spaces waiting between the line so far and the next segment; at the start of the
            // source line they are its indentation.
            var spacesWidth = 0
            var start = 0
            while start < clusters.count && clusters[start].isSpace {
                spacesWidth += clusters[start].width
                start += 1
            }
            var spaces = 0..<start
            while start < clusters.count {
                var end = start + 1
                var segmentWidth = clusters[start].width
                while end < clusters.count, !clusters[end].isSpace,
                      !TextWrapper.canBreak(clusters[end - 1], clusters[end]) {
                    segmentWidth += clusters[end].width
                    end += 1
                }
                let segment = clusters[start..<end]
                if lineWidth + spacesWidth + segmentWidth <= width {
                    append(clusters[spaces])
                    append(segment)
                } else if segmentWidth <= width {
                    if !lineIsEmpty { flush() }
                    append(segment)
                } else {
                    // Too wide for any line, so it will be cut anyway. Japanese carries on from
                    // where the line stands, as typeset Japanese does; a Latin word (a URL) starts
                    // on a fresh line so that its beginning stays recognisable.
                    if segment[start].isCJK && !lineIsEmpty && lineWidth + spacesWidth < width {
                        append(clusters[spaces])
                    } else if !lineIsEmpty {
                        flush()
                    }
                    hardBreak(segment)
                }
                start = end
                spacesWidth = 0
                while start < clusters.count && clusters[start].isSpace {
                    spacesWidth += clusters[start].width
                    start += 1
                }
                spaces = end..<start
            }
            // Trailing spaces are dropped; an empty or all-space source line still gives one line.
            flush()
        }

        /// Cuts a segment wider than the line by width, starting on the current line; the last
        /// piece stays open for what follows. A cut that kinsoku forbids is moved back to the
        /// nearest allowed one on the same line, so "「EmoCheck」" becomes "「EmoChec" + "k」"
        /// rather than leaving "」" at a line start: a split word is the lesser evil. Only when no
        /// such cut exists does kinsoku yield to the width.
        private mutating func hardBreak(_ segment: ArraySlice<Cluster>) {
            var start = segment.startIndex
            while start < segment.endIndex {
                var end = start
                var used = lineWidth
                while end < segment.endIndex, used + segment[end].width <= width {
                    used += segment[end].width
                    end += 1
                }
                if end == segment.endIndex {
                    append(segment[start..<end])
                    return
                }
                // Breaking right before the segment was allowed (it follows a space or a break
                // opportunity); inside it, only kinsoku is still respected.
                func allowed(_ cut: Int) -> Bool {
                    cut == start || !TextWrapper.kinsokuForbidsBreak(segment[cut - 1], segment[cut])
                }
                // An empty line must take at least one cluster, or the loop would not advance.
                let lowest = lineIsEmpty ? start + 1 : start
                if end < lowest {
                    // A wide character on a line narrower than 2 columns: it goes alone.
                    end = lowest
                } else {
                    var cut = end
                    while cut > lowest, !allowed(cut) { cut -= 1 }
                    if allowed(cut) { end = cut }
                }
                append(segment[start..<end])
                flush()
                start = end
            }
        }

        private mutating func append(_ clusters: some Collection<Cluster>) {
            for cluster in clusters {
                line.append(contentsOf: scalars[cluster.range])
                lineWidth += cluster.width
                lineIsEmpty = false
            }
        }

        private mutating func flush() {
            // Spaces before a segment that was then cut onto the next line must not stay behind.
            while line.last == " " { line.removeLast() }
            lines.append(String(line))
            line = String.UnicodeScalarView()
            lineWidth = 0
            lineIsEmpty = true
        }
    }

    private static func clusters(of scalars: ArraySlice<Unicode.Scalar>) -> [Cluster] {
        var clusters: [Cluster] = []
        clusters.reserveCapacity(scalars.count)
        for index in scalars.indices {
            let scalar = scalars[index]
            let columns = DisplayWidth.of(scalar)
            if columns == 0, !clusters.isEmpty {
                clusters[clusters.count - 1].range = clusters[clusters.count - 1].range.lowerBound..<(index + 1)
                // A space carrying a combining mark is a visible character, not a break point.
                clusters[clusters.count - 1].isSpace = false
                // No break after a zero-width joiner: it glues an emoji sequence together.
                if scalar == zeroWidthJoiner { clusters[clusters.count - 1].noEnd = true }
                continue
            }
            clusters.append(Cluster(
                range: index..<(index + 1),
                width: columns,
                isSpace: scalar == " ",
                isCJK: columns == 2 || halfWidthKatakana.contains(scalar.value),
                // An emoji skin-tone modifier is two columns of its own but belongs to the emoji.
                noStart: noLineStart.contains(scalar) || scalar.properties.isEmojiModifier,
                noEnd: noLineEnd.contains(scalar)
            ))
        }
        return clusters
    }

    /// Whether a line may break between two adjacent non-space clusters.
    private static func canBreak(_ before: Cluster, _ after: Cluster) -> Bool {
        if kinsokuForbidsBreak(before, after) { return false }
        return before.isCJK || after.isCJK
    }

    private static func kinsokuForbidsBreak(_ before: Cluster, _ after: Cluster) -> Bool {
        before.noEnd || after.noStart
    }

    private static let zeroWidthJoiner: Unicode.Scalar = "\u{200D}"

    /// Half-width katakana and punctuation: one column, but Japanese, so breakable like kana.
    private static let halfWidthKatakana: ClosedRange<UInt32> = 0xFF61...0xFF9F

    /// Kinsoku: closing brackets and quotes, Japanese punctuation, the long-vowel mark, iteration
    /// marks, small kana (full- and half-width), and ASCII closing punctuation (which can only
    /// meet this rule after CJK, since Latin runs have no break inside them).
    private static let noLineStart: Set<Unicode.Scalar> = {
        var set = Set("、。，．・：；？！ー―〜～…‥」』）］｝〉》】〕”’ゝゞヽヾ々".unicodeScalars)
        set.formUnion("ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶ".unicodeScalars)
        set.formUnion((UInt32(0x31F0)...0x31FF).compactMap { Unicode.Scalar($0) })
        set.formUnion("､｡｣ｰｧｨｩｪｫｬｭｮｯ".unicodeScalars)
        set.formUnion(")]},.!?:;".unicodeScalars)
        return set
    }()

    /// Kinsoku: opening brackets and quotes.
    private static let noLineEnd = Set("「『（［｛〈《【〔“‘｢([{".unicodeScalars)
}
