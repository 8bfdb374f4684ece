/// libyaml's error phrases (its scanner and parser, and Yams' composer), each with what it means
/// to an administrator and the fix. `init(phrase:context:character:)` is the table.
public enum SyntaxProblem: Sendable, Hashable, CaseIterable {
    case colonInText, sequenceIndentation, mappingIndentation, tab, cannotStartToken, keyWithoutColon
    case unclosedQuote, unclosedFlowSequence, unclosedFlowMapping, missingValue, keyNotAllowed
    case entryNotAllowed, escape, anchorName, tag, documentMarker, blockScalarHeader, directive
    case undefinedAlias, secondDocument, other

    /// The case for a libyaml phrase; `character` is the one at the error's position.
    public init(phrase: String, context: String?, character: Unicode.Scalar?) {
        switch phrase {
        case "mapping values are not allowed in this context", "found unexpected ':'":
            self = .colonInText
        case "did not find expected '-' indicator":
            self = .sequenceIndentation
        case "did not find expected key":
            self = .mappingIndentation
        case "found character that cannot start any token":
            self = character == "\t" ? .tab : .cannotStartToken
        case "found a tab character that violates indentation",
             "found a tab character where an indentation space is expected":
            self = .tab
        case "could not find expected ':'":
            self = .keyWithoutColon
        case "found unexpected end of stream", "found unexpected document indicator":
            if context?.contains("quoted scalar") == true { self = .unclosedQuote } else { self = .documentMarker }
        case "did not find expected ',' or ']'":
            self = .unclosedFlowSequence
        case "did not find expected ',' or '}'":
            self = .unclosedFlowMapping
        case "did not find expected node content":
            self = .missingValue
        case "mapping keys are not allowed in this context":
            self = .keyNotAllowed
        case "block sequence entries are not allowed in this context":
            self = .entryNotAllowed
        case "found unknown escape character", "did not find expected hexdecimal number",
             "found invalid Unicode character escape code":
            self = .escape
        case "did not find expected alphabetic or numeric character":
            self = .anchorName
        case "found undefined tag handle", "did not find expected tag URI", "did not find URI escaped octet",
             "found an incorrect leading UTF-8 octet", "found an incorrect trailing UTF-8 octet",
             "did not find expected '!'", "did not find the expected '>'", "did not find expected whitespace":
            self = .tag
        case "did not find expected comment or line break", "found an indentation indicator equal to 0":
            self = .blockScalarHeader
        case "did not find expected <document start>", "did not find expected directive name",
             "found unknown directive name", "found unexpected non-alphabetical character",
             "could not find expected directive name", "found duplicate %YAML directive",
             "found incompatible YAML document", "found duplicate %TAG directive",
             "did not find expected whitespace or line break", "did not find expected digit or '.' character",
             "found extremely long version number", "did not find expected version number",
             "did not find expected <stream-start>":
            self = .directive
        case "found undefined alias":
            self = .undefinedAlias
        case "but found another document":
            self = .secondDocument
        default:
            self = .other
        }
    }

    /// The plain words and the fix; `contextLine` is where the construct libyaml was reading began.
    func plain(contextLine: Int?) -> (en: String, ja: String) {
        let atLine = contextLine.map { " at line \($0)" } ?? ""
        let jaLine = contextLine.map { "\($0) 行目で" } ?? ""
        let jaOf = contextLine.map { "\($0) 行目の" } ?? ""
        switch self {
        case .colonInText:
            return ("a ': ' inside a text: put the whole text in quotes (\"…\")",
                    "文の中に「: 」（コロンと空白）があります。文全体を半角の \" \" で囲んでください"
                    + "（例: ja: \"…します: 絶対に切らない\"）。")
        case .sequenceIndentation:
            return ("the indentation is off: every '- ' entry of the list\(atLine) starts at the same column",
                    "字下げがずれています。\(jaLine)始まるリストの「- 」は、すべて同じ深さにそろえてください。")
        case .mappingIndentation:
            return ("the indentation is off: keys of one level (the one from line \(contextLine ?? 1)) start at the same "
                    + "column, and a text that goes on over several lines needs '|' after its key",
                    "字下げがずれています。同じ階層のキーは、すべて同じ数の半角スペースで字下げしてください"
                    + "（この階層は \(contextLine ?? 1) 行目から始まります）。"
                    + "文を何行にも分けるときは、キーの後に「|」を書き、次の行から字下げして書きます。")
        case .tab:
            return ("a tab character: indent with spaces only (set the editor to insert spaces for Tab)",
                    "タブ文字が入っています。字下げは半角スペースだけで書いてください（エディターの設定で、Tab キーで半角スペースが入るようにできます）。")
        case .cannotStartToken:
            return ("a value cannot start with this character (@ or `): put the value in quotes",
                    "値をこの文字（@ や `）で始めることはできません。値全体を半角の \" \" で囲んでください。")
        case .keyWithoutColon:
            return ("a key without ':' (or a line that goes on without '|'): write 'key: value', "
                    + "and put a text that runs over several lines in quotes or after '|'",
                    "「キー: 値」の「:」が見つかりません。「:」を書き足すか、何行にもわたる文ならキーの後に「|」を書いてください。")
        case .unclosedQuote:
            return ("this quote is never closed: add the closing quote at the end of the text",
                    "この引用符が閉じていません。文の終わりに同じ引用符（\" または '）を書き足してください。")
        case .unclosedFlowSequence:
            return ("the list opened with '['\(atLine) is not closed: add ']' (or a ',' between entries)",
                    "\(jaOf)「[」で始まるリストが閉じていません。「]」を書き足すか、項目の間に「,」を入れてください。")
        case .unclosedFlowMapping:
            return ("the mapping opened with '{'\(atLine) is not closed: add '}' (or a ',' between entries)",
                    "\(jaOf)「{」で始まる「{ キー: 値 }」が閉じていません。「}」を書き足すか、項目の間に「,」を入れてください。")
        case .missingValue:
            return ("a value is missing here: write the value, or put a text that starts with [ { * & ! | > in quotes",
                    "ここに値が書かれていません。値を書くか、[ { * & ! | > で始まる文なら半角の \" \" で囲んでください。")
        case .keyNotAllowed:
            return ("a '? ' key is not allowed here: check the indentation, or put the text in quotes",
                    "ここに「? 」のキーは書けません。字下げを見直すか、文を半角の \" \" で囲んでください。")
        case .entryNotAllowed:
            return ("a '- ' entry is not allowed here: check the indentation (a list goes on the line after its key, indented)",
                    "ここに「- 」の項目は書けません。字下げを見直してください（リストはキーの次の行から字下げして書きます）。")
        case .escape:
            return ("a '\\' in a text in double quotes starts an escape: write '\\\\', or use single quotes",
                    "\" \" で囲んだ文の中の「\\」は特別な意味になります。「\\\\」と二つ重ねるか、' ' で囲んでください。")
        case .anchorName:
            return ("'&' or '*' starts an anchor or alias and needs a name: put a text that starts with them in quotes",
                    "「&」や「*」で始まる値は別名として読まれます。その文は半角の \" \" で囲んでください。")
        case .tag:
            return ("'!' starts a YAML tag, which playbooks do not use: put a text that starts with '!' in quotes",
                    "「!」で始まる値は YAML のタグとして読まれます。プレイブックではタグを使いません。その文は半角の \" \" で囲んでください。")
        case .documentMarker:
            return ("the file ends (or a '---' / '...' line comes) in the middle of a value: check the line",
                    "値の途中でファイルが終わっているか、「---」「...」の行があります。その行を見直してください。")
        case .blockScalarHeader:
            return ("after '|' or '>' nothing may follow on the line but a comment: start the text on the next line",
                    "「|」や「>」の後ろには何も書けません。文は次の行から字下げして書いてください。")
        case .directive:
            return ("a line starting with '%' or '---' is not understood: a playbook is one YAML document, start it with 'playbook: 1'",
                    "「%」や「---」で始まる行が読めません。プレイブックは一つの文書で、「playbook: 1」から始めます。")
        case .undefinedAlias:
            return ("'*' names an anchor (&name) that is not defined above: define it first, or put the text in quotes",
                    "「*」の別名が、それより前に「&」で定義されていません。先に定義するか、文を半角の \" \" で囲んでください。")
        case .secondDocument:
            return ("the file holds more than one YAML document ('---'): keep one playbook per file",
                    "一つのファイルに複数の文書（「---」の区切り）があります。プレイブックは一ファイルに一つにしてください。")
        case .other:
            return ("check the YAML around this position (indentation, quotes, ': ')",
                    "この位置の前後の YAML の書き方（字下げ、引用符、「: 」）を見直してください。")
        }
    }
}
