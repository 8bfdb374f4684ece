/// What a diagnostic says, in the administrator's words: one case per message, each with its
/// English and its Japanese (as `Vocabulary` does for the employee). A new message is a new case
/// and its two lines in `pair`.
///
/// English messages keep the wording tests and habits know; a YAML syntax error keeps libyaml's
/// phrase after "YAML syntax error:" and adds what it means and the fix. Japanese ones are plain
/// です・ます with the fix, without the library's phrase.
public enum DiagnosticText: Sendable, Hashable {
    /// A message not yet in the table: shown in English in both languages.
    case untranslated(String)

    // MARK: The file as a whole
    case fileTooLarge(megabytes: String, maximum: Int)
    case binaryData
    case notUTF8
    case emptyFile
    case nestedTooDeeply(maximum: Int)
    case noDocument
    case aliasesExpand(limit: Int)
    case controlCharacter(problem: String)
    case duplicateKey(key: String, firstLine: Int)

    // MARK: The Japanese keyboard (found before libyaml reads the file)
    case fullWidthColon(key: String)
    case fullWidthSpace
    case fullWidthQuotes(open: String, close: String)

    // MARK: YAML syntax (libyaml's errors, see `SyntaxProblem`)
    case syntax(SyntaxProblem, phrase: String, context: String?, contextLine: Int?)

    // MARK: Keys and values
    case notAMapping(what: String, found: Found)
    case keysNotWords(what: String)
    case unknownKeySuggest(key: String, what: String, suggestion: String)
    case unknownKey(key: String, what: String, allowed: [String])
    case missingKey(what: String, key: String)
    case mergeKey
    case misindentedBelongs(key: String, place: String, placeJa: KeyPlace, like: String?)
    case keyOfOtherType(key: String, what: String, types: [String], type: String)
    case misindentedUnderText(key: String, text: String, like: String)
    case misindentedLanguage(key: String, what: String)
    case misindentedIntoText(key: String, owner: String, text: String)
    case notText(key: String, found: Found)
    case empty(key: String)
    case notSlug(key: String, value: String)
    case notWholeNumber(key: String, found: Found)
    case outOfRange(key: String, low: Int, high: Int, value: Int)
    case notBool(key: String, found: Found)
    case notOneOf(key: String, choices: [String], value: String)
    case notList(key: String, found: Found)
    case tooFewEntries(key: String, minimum: Int, count: Int)
    case languageCodesNotWords(key: String)
    case notTextOrMap(key: String, found: Found)
    case noOS(key: String)
    case notCommand(key: String, found: Found)
    case argumentNotString(key: String, found: Found)

    // MARK: The playbook and its steps (loader)
    case playbookUnreadable
    case wrongFormat(number: Int)
    case notLanguageCode(code: String)
    case languageTwice(code: String)
    case endReserved
    case unknownStepType(type: String, known: [String])
    case missingStepKey(step: String, type: String, key: String)
    case unsureNextNeedsUnsure
    case disconnectWithoutCommand(step: String)
    case backgroundScanNeedsNext(step: String)
    case backgroundScanWithNextOn(step: String)
    case awaitNotBackgroundScan(step: String, target: String)
    case backgroundScanWithoutAwait(step: String)
    case backgroundScanAwaitedTwice(step: String, first: String)
    case awaitNotAfterScan(step: String, scan: String)
    case verdictDecidedByWizard(verdict: String)
    case verdictsNotAMap(found: Found)
    case combinatorAlone(combinator: String)
    case conditionNeedsStep
    case conditionOneTest

    // MARK: Meaning (validator)
    case plainTextManyLanguages(name: String, languages: [String])
    case missingTranslation(name: String, language: String)
    case languageNotListed(name: String, language: String, languages: [String])
    case unclosedPlaceholder
    case placeholderNoStep(placeholder: String, step: String)
    case placeholderNotInput(placeholder: String, step: String)
    case placeholderNoField(placeholder: String, step: String, field: String)
    case placeholderNoContact(placeholder: String, contact: String)
    case placeholderContactField(placeholder: String)
    case unknownPlaceholder(placeholder: String, known: [String])
    case duplicateStepID(id: String, firstLine: Int)
    case duplicateValue(what: String, value: String, step: String, firstLine: Int)
    case startUnknown(id: String, suggestion: String?)
    case unknownContact(id: String, known: [String])
    case contactTwice(id: String, step: String, already: String)
    case targetUnknown(key: String, step: String, id: String, suggestion: String?)
    case placeholderInCommand(placeholder: String)
    case conditionUnknownStep(id: String, suggestion: String?)
    case conditionOnNoAnswer(step: String, type: String)
    case conditionImpossible(step: String, value: String, possible: [String])
    case unreachable(step: String)
    case noEnd(step: String)

    // MARK: Contacts
    case contactsNotAMap(found: Found)
    case contactFieldMisindented(key: String, owner: String?)
    case contactNeedsWay(id: String)
    case badVerifiedDate(value: String)
    case contactVerifiedOld(id: String, date: String, days: Int)
    case contactNotVerified(id: String, today: String)
    case contactPlaceholder(id: String, marker: String)

    // MARK: Files
    case writableByOthers(path: String)
    case fileMissing
    case fileUnreachable(reason: String)
    case fileIsDirectory
    case fileNotReadable
    case fileNotRegular
    case directoryEmpty
    case duplicatePlaybookID(id: String, other: String)

    /// A YAML value as a message names it: a text (quoted), an empty value, a mapping, a list.
    public enum Found: Sendable, Hashable {
        case text(String), empty, mapping, list, alias

        var english: String {
            switch self {
            case .text(let text): return "\"\(text)\""
            case .empty: return "an empty value"
            case .mapping: return "a mapping"
            case .list: return "a list"
            case .alias: return "an alias"
            }
        }

        var japanese: String {
            switch self {
            case .text(let text): return "「\(text)」"
            case .empty: return "空の値"
            case .mapping: return "「キー: 値」の組"
            case .list: return "リスト"
            case .alias: return "別名（*name）"
            }
        }
    }

    public var english: String { pair.en }
    public var japanese: String { pair.ja }

    public func text(in language: AdminLanguage) -> String {
        language == .japanese ? pair.ja : pair.en
    }

    /// `validate`'s last line: how many files, errors and warnings.
    public static func summary(files: Int, errors: Int, warnings: Int, in language: AdminLanguage) -> String {
        if language == .japanese {
            return "ファイル \(files) 個を確認しました: エラー \(errors) 件、警告 \(warnings) 件"
        }
        return "\(files) file\(files == 1 ? "" : "s") checked: "
            + "\(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")"
    }

    static func didYouMean(_ suggestion: String?) -> String {
        suggestion.map { " (did you mean '\($0)'?)" } ?? ""
    }

    static func didYouMeanJa(_ suggestion: String?) -> String {
        suggestion.map { "「\($0)」の書き間違いではありませんか。" } ?? ""
    }

    /// A text's name as the validator gives it ("step 'x' option 'y' label") in Japanese
    /// (ステップ「x」の選択肢「y」の「label」).
    static func textName(_ name: String) -> String {
        let words = ["step": "ステップ", "option": "選択肢", "item": "チェック項目", "field": "入力欄", "contact": "連絡先"]
        var out = ""
        var rest = Substring(name)
        while !rest.isEmpty {
            let word = rest.prefix { $0 != " " }
            rest = rest.dropFirst(word.count).drop { $0 == " " }
            let joiner = out.isEmpty ? "" : "の"
            if let japanese = words[String(word)], rest.first == "'" {
                let id = rest.dropFirst().prefix { $0 != "'" }
                rest = rest.dropFirst(id.count + 2).drop { $0 == " " }
                out += joiner + japanese + "「\(id)」"
            } else {
                out += joiner + "「\(word)」"
            }
        }
        return out
    }

    /// `what` as the validator names a place ("step 'hello'", "the playbook", "contact 'it'"), in
    /// Japanese.
    /// The id in "step 'x'".
    static func id(_ what: String) -> String {
        guard let start = what.firstIndex(of: "'"), let end = what.lastIndex(of: "'"), start < end else { return what }
        return String(what[what.index(after: start)..<end])
    }

    static func place(_ what: String) -> String {
        // "an option of step 'x'" → ステップ「x」の選択肢
        if let range = what.range(of: " of ") {
            let part = String(what[..<range.lowerBound])
            let parts = ["an option": "選択肢", "an item": "チェック項目", "a field": "入力欄", "a command": "コマンド"]
            return place(String(what[range.upperBound...])) + "の" + (parts[part] ?? place(part))
        }
        var words = what
        // "step 2" (a step without an id) is the second step, not a step named "2".
        if what.hasPrefix("step "), let number = Int(what.dropFirst(5)) { return "\(number) 番目のステップ" }
        for (english, japanese) in [("the playbook's top level", "いちばん外側"), ("the playbook", "いちばん外側"),
                                    ("a 'when' condition", "「when」の条件"),
                                    ("a condition", "条件"), ("step ", "ステップ"), ("contact ", "連絡先"),
                                    ("an entry of ", ""), ("the ", "")] where words.hasPrefix(english) {
            words = japanese + words.dropFirst(english.count)
            break
        }
        // 'name' → 「name」
        var out = ""
        var open = false
        for character in words {
            if character == "'" {
                out += open ? "」" : "「"
                open.toggle()
            } else {
                out.append(character)
            }
        }
        return out
    }

    private var pair: (en: String, ja: String) {
        switch self {
        case .untranslated(let message):
            return (message, message)

        case let .fileTooLarge(megabytes, maximum):
            return ("the file is too large (\(megabytes) MiB); a playbook may be at most \(maximum) MiB",
                    "ファイルが大きすぎます（\(megabytes) MiB）。プレイブックは \(maximum) MiB までです。")
        case .binaryData:
            return ("the file contains binary data (a NUL byte); a playbook is UTF-8 text",
                    "ファイルに文字以外のデータ（NUL バイト）が入っています。プレイブックは UTF-8 のテキストファイルにしてください。")
        case .notUTF8:
            return ("the file is not valid UTF-8 text (save it as UTF-8)",
                    "ファイルが UTF-8 ではありません。エディタで文字コードを UTF-8 にして保存し直してください（Shift_JIS では読めません）。")
        case .emptyFile:
            return ("the file is empty; a playbook starts with 'playbook: 1'",
                    "ファイルが空です。プレイブックは「playbook: 1」の行から始めます。")
        case let .nestedTooDeeply(maximum):
            return ("the YAML is nested too deeply (a playbook needs far fewer than \(maximum) levels)",
                    "字下げ（入れ子）が深すぎます。プレイブックに \(maximum) 段もの入れ子は要りません。字下げを見直してください。")
        case .noDocument:
            return ("the file holds no YAML document",
                    "ファイルにプレイブックの内容がありません（コメントだけなど）。「playbook: 1」の行から書いてください。")
        case let .aliasesExpand(limit):
            return ("the YAML's aliases (*name) expand to more than \(limit) values; a playbook never needs that many",
                    "別名（*name）を展開すると値が \(limit) 個を超えます。プレイブックにそれほどの値は要りません。別名の使い方を見直してください。")
        case let .controlCharacter(problem):
            return ("YAML error: \(problem)",
                    "見えない制御文字が入っています。この位置の文字を消して、打ち直してください。")
        case let .duplicateKey(key, firstLine):
            return ("duplicate key '\(key)' (first written at line \(firstLine))",
                    "キー「\(key)」が二度書かれています（最初は \(firstLine) 行目）。どちらか一つを消してください。")

        case let .fullWidthColon(key):
            return ("full-width colon '：' after the key '\(key)': type a half-width colon and a space ('\(key): ')",
                    "キー「\(key)」の後のコロンが全角の「：」です。半角の「:」と半角スペースにしてください（「\(key): 」）。")
        case .fullWidthSpace:
            return ("full-width space '　' in the indentation: indent with half-width spaces only",
                    "字下げに全角スペース「　」が入っています。字下げは半角スペースだけで書いてください。")
        case let .fullWidthQuotes(open, close):
            return ("full-width quotes \(open) \(close) around the value: YAML quotes are half-width (\"…\"); "
                    + "to show the quotes themselves, write '\(open)…\(close)'",
                    "値を囲む引用符が全角の \(open) \(close) です。YAML の引用符は半角の \"…\" です。"
                    + "引用符そのものを画面に出したいときは '\(open)…\(close)' のように半角の ' で囲んでください。")

        case let .syntax(problem, phrase, context, contextLine):
            var english = "YAML syntax error: \(phrase)"
            if let context, let contextLine { english += " (\(context) at line \(contextLine))" }
            let plain = problem.plain(contextLine: contextLine)
            return (english + ": " + plain.en, plain.ja)

        case let .notAMapping(what, found):
            return ("\(what) must be a mapping of keys (key: value), not \(found.english)",
                    "\(Self.place(what))は「キー: 値」の形で書きます（いまは\(found.japanese)です）。字下げを見直してください。")
        case let .keysNotWords(what):
            return ("keys in \(what) must be plain words",
                    "\(Self.place(what))のキーは、ふつうの英単語で書いてください。")
        case let .unknownKeySuggest(key, what, suggestion):
            return ("unknown key '\(key)' in \(what) (did you mean '\(suggestion)'?)",
                    "\(Self.place(what))のキー「\(key)」は使えません。「\(suggestion)」の書き間違いではありませんか。")
        case let .unknownKey(key, what, allowed):
            return ("unknown key '\(key)' in \(what) (allowed: \(allowed.joined(separator: ", ")))",
                    "\(Self.place(what))のキー「\(key)」は使えません。使えるキーは \(allowed.joined(separator: "、")) です。")
        case let .missingKey(what, key):
            return ("\(what) is missing the required key '\(key)'",
                    "\(Self.place(what))に必要なキー「\(key)」がありません。書き足してください。")
        case .mergeKey:
            return ("merge keys ('<<') are not supported in playbooks: write the keys out "
                    + "(an alias such as *name can repeat a whole value)",
                    "「<<」（マージキー）はプレイブックでは使えません。キーを一つずつ書いてください"
                    + "（値をまるごと繰り返すなら *name の別名が使えます）。")
        case let .misindentedBelongs(key, place, placeJa, like):
            return ("'\(key)' here looks mis-indented: it belongs \(place)" + (like.map { " (indent it like '\($0)')" } ?? ""),
                    "「\(key)」の字下げがずれているようです。「\(key)」は\(placeJa.japanese)。"
                    + (like.map { "「\($0)」と同じ深さに字下げしてください。" } ?? "字下げを直してください。"))
        case let .keyOfOtherType(key, what, types, type):
            let article = "aeiou".contains(type.first ?? "x") ? "an" : "a"
            return ("unknown key '\(key)' in \(what): '\(key)' is for \(types.joined(separator: " and ")) steps, "
                    + "and this is \(article) \(type) step",
                    "\(Self.place(what))に「\(key)」は書けません。「\(key)」は \(types.joined(separator: "、")) のステップで使うキーで、"
                    + "このステップは \(type) です。「type」が正しいか確かめるか、「\(key)」を消してください。")
        case let .misindentedUnderText(key, text, like):
            return ("'\(key)' here looks mis-indented: it belongs under '\(text)' (indent it like '\(like)')",
                    "「\(key)」の字下げがずれているようです。「\(key)」は「\(text)」の中に入れるキーなので、「\(like)」と同じ深さに字下げしてください。")
        case let .misindentedLanguage(key, what):
            return ("'\(key)' here looks mis-indented: it is a language code, not a key of \(what) "
                    + "(a text in several languages is a map under its key, e.g. title: {\(key): …})",
                    "「\(key)」の字下げがずれているようです。「\(key)」は言語の記号で、\(Self.place(what))のキーではありません。"
                    + "複数の言語の文は、そのキーの下に字下げして書きます（例: title: の次の行に「  \(key): …」）。")
        case let .misindentedIntoText(key, owner, text):
            return ("'\(key)' here looks mis-indented: it belongs to \(owner), not under '\(text)' (indent it like '\(text)')",
                    "「\(key)」の字下げがずれているようです。「\(key)」は「\(text)」の中ではなく、\(Self.place(owner))に書くキーなので、"
                    + "「\(text)」と同じ深さに字下げしてください。")
        case let .notText(key, found):
            return ("'\(key)' must be a text value, not \(found.english)",
                    "「\(key)」には文字で値を一つ書いてください（いまは\(found.japanese)です）。")
        case let .empty(key):
            return ("'\(key)' is empty", "「\(key)」が空です。内容を書いてください。")
        case let .notSlug(key, value):
            return ("'\(key)' must be a slug (lower-case letters, digits and '-', starting with a letter "
                    + "or digit, at most 64 characters), not \"\(value)\"",
                    "「\(key)」は半角の英小文字・数字・「-」だけで、64 文字までで書いてください（「-」で始めることはできません。いまは「\(value)」です）。")
        case let .notWholeNumber(key, found):
            return ("'\(key)' must be a whole number, not \(found.english)",
                    "「\(key)」には半角の整数を書いてください（いまは\(found.japanese)です）。")
        case let .outOfRange(key, low, high, value):
            return ("'\(key)' must be between \(low) and \(high), not \(value)",
                    "「\(key)」は \(low) から \(high) までの数にしてください（いまは \(value) です）。")
        case let .notBool(key, found):
            return ("'\(key)' must be true or false, not \(found.english)",
                    "「\(key)」には true か false を書いてください（いまは\(found.japanese)です）。")
        case let .notOneOf(key, choices, value):
            return ("'\(key)' must be one of \(choices.joined(separator: ", ")), not \"\(value)\"",
                    "「\(key)」は \(choices.joined(separator: "、")) のどれかにしてください（いまは「\(value)」です）。")
        case let .notList(key, found):
            return ("'\(key)' must be a list, not \(found.english)",
                    "「\(key)」は「- 」で始まる行のリストで書いてください（いまは\(found.japanese)です）。")
        case let .tooFewEntries(key, minimum, count):
            return ("'\(key)' needs at least \(minimum) \(minimum == 1 ? "entry" : "entries"), it has \(count)",
                    "「\(key)」には少なくとも \(minimum) 個の項目が必要です（いまは \(count) 個です）。")
        case let .languageCodesNotWords(key):
            return ("language codes in '\(key)' must be plain words",
                    "「\(key)」の下の言語の記号は ja や en のように書いてください。")
        case let .notTextOrMap(key, found):
            return ("'\(key)' must be a text or a map of language → text, not \(found.english)",
                    "「\(key)」には文か、言語ごとの文（ja: …、en: …）を書いてください（いまは\(found.japanese)です）。")
        case let .noOS(key):
            return ("'\(key)' names no operating system (linux, macos)",
                    "「\(key)」に OS（linux、macos）が一つも書かれていません。linux: か macos: の下にコマンドを書いてください。")
        case let .notCommand(key, found):
            return ("'\(key)' must be a list of program and arguments (argv), or a map of OS → argv, not \(found.english)",
                    "「\(key)」には、プログラム名と、それに渡す値（引数）を一つずつ並べたリスト（例: [\"clamscan\", \"-r\", \"{{home}}\"]）、"
                    + "または linux: / macos: ごとのリストを書いてください（いまは\(found.japanese)です）。")
        case let .argumentNotString(key, found):
            return ("each element of '\(key)' must be a string, not \(found.english)",
                    "「\(key)」の項目は、どれも文字だけで書いてください（リストや「キー: 値」は入れられません。いまは\(found.japanese)です）。")

        case .playbookUnreadable:
            return ("the playbook could not be read", "プレイブックを読み取れませんでした。")
        case let .wrongFormat(number):
            return ("this wizard reads playbook format 1, not \(number)",
                    "このウィザードが読めるのは「playbook: 1」の形式です（いまは \(number) です）。")
        case let .notLanguageCode(code):
            return ("'\(code)' is not a language code (such as ja or en)",
                    "「\(code)」は言語の記号ではありません。ja や en のように書いてください。")
        case let .languageTwice(code):
            return ("language '\(code)' is listed twice", "言語「\(code)」が二度書かれています。一つ消してください。")
        case .endReserved:
            return ("'end' is reserved for finishing the playbook; choose another step id",
                    "「end」は「ここで終わり」の意味で使う名前です。ステップの id には別の名前を付けてください。")
        case let .unknownStepType(type, known):
            return ("unknown step type '\(type)' (one of: \(known.joined(separator: ", ")))",
                    "ステップの種類「\(type)」はありません。\(known.joined(separator: "、")) のどれかにしてください。")
        case let .missingStepKey(step, type, key):
            return ("\(step) (\(type)) is missing the required key '\(key)'",
                    "\(Self.place(step))（\(type)）に必要なキー「\(key)」がありません。書き足してください。")
        case .unsureNextNeedsUnsure:
            return ("'unsure_next' needs 'unsure: true' (otherwise \"not sure\" is never offered)",
                    "「unsure_next」を使うときは「unsure: true」も書いてください（書かないと「わからない」が選べません）。")
        case let .disconnectWithoutCommand(step):
            return ("\(step) has 'action: disconnect' but no 'disconnect_command'",
                    "\(Self.place(step))は「action: disconnect」ですが、「disconnect_command」がありません。切断するコマンドを書いてください。")
        case let .backgroundScanNeedsNext(step):
            return ("\(step) has 'wait: false' but no 'next' (the flow goes on to it at once while the scan runs)",
                    "\(Self.place(step))は「wait: false」ですが、「next」がありません。検査を始めたらすぐに進むステップを「next」に書いてください。")
        case let .backgroundScanWithNextOn(step):
            return ("\(step) has 'wait: false' and 'next_on': a background scan has no verdict to route on yet; put 'next_on' on its 'await' step",
                    "\(Self.place(step))は「wait: false」なので、「next_on」は使えません（この時点では、まだ結果が出ていません）。「next_on」は、この検査を待つ「await」ステップに移してください。")
        case let .awaitNotBackgroundScan(step, target):
            return ("\(step) awaits '\(target)', which is not a scan with 'wait: false'",
                    "\(Self.place(step))が待つ「\(target)」は、「wait: false」の scan ステップではありません。「step:」には、「wait: false」を付けた scan ステップの id を書いてください。")
        case let .backgroundScanWithoutAwait(step):
            return ("\(step) has 'wait: false' but no 'await' step names it (its verdict would never be shown)",
                    "\(Self.place(step))は「wait: false」ですが、この検査を待つ「await」ステップがありません。このままでは結果が表示されません。「type: await」と「step: \(Self.id(step))」を書いたステップを足してください。")
        case let .backgroundScanAwaitedTwice(step, first):
            return ("'\(step)' is already awaited by '\(first)': exactly one 'await' step names a background scan",
                    "ステップ「\(step)」を待つ「await」ステップは、すでにステップ「\(first)」があります。一つの検査を待つ「await」ステップは一つだけにしてください。")
        case let .awaitNotAfterScan(step, scan):
            return ("\(step) cannot be reached after '\(scan)' (an 'await' comes after its scan)",
                    "\(Self.place(step))には、ステップ「\(scan)」のあとに進む道がありません。「await」ステップは、待つ検査のあと（next や next_on でたどった先）に置いてください。")
        case let .verdictDecidedByWizard(verdict):
            return ("an exit code maps to clean, detected or error; '\(verdict)' is decided by the wizard",
                    "終了コードに割り当てられるのは clean、detected、error だけです。「\(verdict)」はウィザードが決めるので、この行を消してください。")
        case let .verdictsNotAMap(found):
            return ("'verdicts' must be a map of exit code → verdict, not \(found.english)",
                    "「verdicts」は「終了コード: 結果」の形で書いてください（いまは\(found.japanese)です）。")
        case let .combinatorAlone(combinator):
            return ("'\(combinator)' stands alone in a condition (write the other parts inside its list)",
                    "「\(combinator)」のある条件には、ほかのキー（step など）を一緒に書けません。ほかの条件は「\(combinator)」の下のリストに入れてください。")
        case .conditionNeedsStep:
            return ("a condition needs 'step' with 'is', 'in' or 'not' (or 'all' / 'any')",
                    "条件には「step」と、「is」「in」「not」のどれか一つ（または「all」「any」）が必要です。")
        case .conditionOneTest:
            return ("a condition on a step needs exactly one of 'is', 'in' or 'not'",
                    "一つの条件に書けるのは「is」「in」「not」のどれか一つだけです。")

        case let .plainTextManyLanguages(name, languages):
            return ("\(name) is a plain string, but this playbook has \(languages.count) languages "
                    + "(\(languages.joined(separator: ", "))): write it as a map, one entry per language",
                    "\(Self.textName(name))が言語を分けずに書かれていますが、このプレイブックは \(languages.count) 言語"
                    + "（\(languages.joined(separator: "、"))）です。言語ごとに「ja: …」「en: …」と分けて書いてください。")
        case let .missingTranslation(name, language):
            return ("\(name) has no '\(language)' translation",
                    "\(Self.textName(name))に「\(language)」の文がありません。「\(language): …」を書き足してください。")
        case let .languageNotListed(name, language, languages):
            return ("\(name) has a '\(language)' text, but '\(language)' is not in this playbook's languages "
                    + "(\(languages.joined(separator: ", ")))",
                    "\(Self.textName(name))に「\(language)」の文がありますが、「\(language)」はこのプレイブックの languages"
                    + "（\(languages.joined(separator: "、"))）にありません。languages に足すか、この文を消してください。")
        case .unclosedPlaceholder:
            return ("'{{' without a closing '}}'", "「{{」を閉じる「}}」がありません。「}}」を書き足してください。")
        case let .placeholderNoStep(placeholder, step):
            return ("unknown placeholder '{{\(placeholder)}}': there is no step '\(step)'",
                    "差し込み「{{\(placeholder)}}」が使えません。ステップ「\(step)」がありません。")
        case let .placeholderNotInput(placeholder, step):
            return ("unknown placeholder '{{\(placeholder)}}': step '\(step)' is not an input step",
                    "差し込み「{{\(placeholder)}}」が使えません。ステップ「\(step)」は入力（input）のステップではありません。")
        case let .placeholderNoField(placeholder, step, field):
            return ("unknown placeholder '{{\(placeholder)}}': step '\(step)' has no field '\(field)'",
                    "差し込み「{{\(placeholder)}}」が使えません。ステップ「\(step)」に入力欄「\(field)」がありません。")
        case let .placeholderNoContact(placeholder, contact):
            return ("unknown placeholder '{{\(placeholder)}}': there is no contact '\(contact)'",
                    "差し込み「{{\(placeholder)}}」が使えません。連絡先「\(contact)」がありません。")
        case let .placeholderContactField(placeholder):
            return ("unknown placeholder '{{\(placeholder)}}': a contact placeholder ends in .name, .phone or .email",
                    "差し込み「{{\(placeholder)}}」が使えません。連絡先の差し込みの最後は .name、.phone、.email のどれかです。")
        case let .unknownPlaceholder(placeholder, known):
            return ("unknown placeholder '{{\(placeholder)}}' (known: \(known.joined(separator: ", ")))",
                    "差し込み「{{\(placeholder)}}」はありません。使えるのは \(known.joined(separator: "、")) です。")
        case let .duplicateStepID(id, firstLine):
            return ("duplicate step id '\(id)' (first used at line \(firstLine))",
                    "ステップの id「\(id)」が二度使われています（最初は \(firstLine) 行目）。別の id にしてください。")
        case let .duplicateValue(what, value, step, firstLine):
            let jaWhat = ["field id": "入力欄の id", "command name": "コマンドの名前"][what] ?? "値"
            return ("duplicate \(what) '\(value)' in step '\(step)' (first used at line \(firstLine))",
                    "ステップ「\(step)」で\(jaWhat)「\(value)」が二度使われています（最初は \(firstLine) 行目）。")
        case let .startUnknown(id, suggestion):
            return ("'start' names an unknown step '\(id)'" + Self.didYouMean(suggestion),
                    "「start」に書かれたステップ「\(id)」がありません。" + Self.didYouMeanJa(suggestion))
        case let .unknownContact(id, known):
            return ("unknown contact '\(id)' (defined: \(known.isEmpty ? "none" : known.joined(separator: ", ")); "
                    + "add it to contacts.yaml or the playbook's 'contacts:')",
                    "連絡先「\(id)」がありません" + (known.isEmpty ? "（連絡先が一つも登録されていません）。" : "（あるのは \(known.joined(separator: "、"))）。")
                    + "contacts.yaml かプレイブックの「contacts:」に書き足してください。")
        case let .contactTwice(id, step, already):
            return ("contact '\(id)' is listed again in the 'fallback' of step '\(step)' (already \(already)): "
                    + "the employee would call the same person twice",
                    "連絡先「\(id)」がステップ「\(step)」の「fallback」にもう一度あります。従業員が同じ人に二度電話することになります。どちらか一方を消してください。")
        case let .targetUnknown(key, step, id, suggestion):
            return ("'\(key)' of step '\(step)' names an unknown step '\(id)'" + Self.didYouMean(suggestion),
                    "ステップ「\(step)」の「\(key)」に書かれたステップ「\(id)」がありません。" + Self.didYouMeanJa(suggestion))
        case let .placeholderInCommand(placeholder):
            return ("'{{\(placeholder)}}' cannot be used in a command (only {{home}}, {{report.dir}} and "
                    + "{{evidence.dir}}: nothing typed by the employee may reach a command)",
                    "コマンドには「{{\(placeholder)}}」を使えません。使えるのは {{home}}、{{report.dir}}、{{evidence.dir}} だけです"
                    + "（従業員が入力したものをコマンドに渡さないためです）。")
        case let .conditionUnknownStep(id, suggestion):
            return ("the condition names an unknown step '\(id)'" + Self.didYouMean(suggestion),
                    "条件に書かれたステップ「\(id)」がありません。" + Self.didYouMeanJa(suggestion))
        case let .conditionOnNoAnswer(step, type):
            let article = "aeiou".contains(type.first ?? "x") ? "an" : "a"
            return ("step '\(step)' is \(article) \(type) step: it has no answer a condition can test",
                    "ステップ「\(step)」は \(type) のステップで、条件で調べられる答えがありません。")
        case let .conditionImpossible(step, value, possible):
            return ("step '\(step)' can never answer '\(value)' (possible: \(possible.joined(separator: ", ")))",
                    "ステップ「\(step)」の答えが「\(value)」になることはありません（なりうるのは \(possible.joined(separator: "、"))）。")
        case let .unreachable(step):
            return ("step '\(step)' can never be reached from the start",
                    "ステップ「\(step)」には、最初からどう進んでもたどり着きません。")
        case let .noEnd(step):
            return ("no end can be reached from step '\(step)': the employee would be stuck in a loop",
                    "ステップ「\(step)」から先、どう進んでも終わりにたどり着きません。従業員が同じところを回り続けてしまいます。")

        case let .contactsNotAMap(found):
            return ("'contacts' must be a map of contact id → contact, not \(found.english)",
                    "「contacts」の下には、連絡先の名前（id）ごとにその内容を字下げして書いてください（いまは\(found.japanese)です）。")
        case let .contactFieldMisindented(key, owner):
            let en = owner.map { "to contact '\($0)'" } ?? "to a contact"
            let ja = owner.map { "連絡先「\($0)」" } ?? "連絡先"
            return ("'\(key)' here looks mis-indented: it belongs \(en), not beside the contact ids "
                    + "(indent it like that contact's 'name')",
                    "「\(key)」の字下げがずれているようです。\(ja)の項目なので、その連絡先の「name」と同じ深さに字下げしてください。")
        case let .contactNeedsWay(id):
            return ("contact '\(id)' needs at least one of 'phone', 'email' or 'url'",
                    "連絡先「\(id)」に連絡手段がありません。「phone」「email」「url」のどれかを書いてください。")
        case let .badVerifiedDate(value):
            return ("'verified' must be a date written YYYY-MM-DD, not \"\(value)\"",
                    "「verified」は 2026-04-01 のように 年-月-日 の形で書いてください（いまは「\(value)」です）。")
        case let .contactVerifiedOld(id, date, days):
            return ("contact '\(id)' was last verified on \(date), \(days) days ago; check it and update 'verified'",
                    "連絡先「\(id)」を最後に確かめたのは \(date)（\(days) 日前）です。いまも正しいか確かめて、「verified」の日付を更新してください。")
        case let .contactNotVerified(id, today):
            return ("contact '\(id)' has no 'verified' date; check it and add 'verified: \(today)'",
                    "連絡先「\(id)」に確認した日（verified）がありません。内容を確かめて「verified: \(today)」を書き足してください。")
        case let .contactPlaceholder(id, marker):
            return ("contact '\(id)' still looks like a placeholder ('\(marker)'); fill in the real details",
                    "連絡先「\(id)」がまだ仮の値（「\(marker)」）のままです。本当の連絡先を書いてください。")
        case .fileMissing:
            return ("the file does not exist", "ファイルがありません。ファイル名と場所を確かめてください。")
        case let .fileUnreachable(reason):
            return ("the file cannot be reached (\(reason))", "ファイルにたどり着けません（\(reason)）。")
        case .fileIsDirectory:
            return ("the file is a directory, not a playbook file", "これはフォルダーで、プレイブックのファイルではありません。")
        case .fileNotReadable:
            return ("the file cannot be read (permissions?)", "ファイルを読めません。読み取りの権限を確かめてください。")
        case .fileNotRegular:
            return ("the file is not a regular file (a FIFO or a device is never read)",
                    "ふつうのファイルではありません（FIFO やデバイスは読みません）。")
        case .directoryEmpty:
            return ("the directory holds no playbook files (*.yaml, *.yml), or cannot be read",
                    "このフォルダーにはプレイブックのファイル（*.yaml、*.yml）がないか、フォルダーを読めません。")
        case let .duplicatePlaybookID(id, other):
            return ("duplicate playbook id '\(id)' (also used by \(other))",
                    "プレイブックの id「\(id)」は \(other) でも使われています。どちらかの id を変えてください。")
        case let .writableByOthers(path):
            return ("the file can be changed by other users (group or others may write it); run: chmod go-w \(path)",
                    "このファイルはほかの利用者も書き換えられます。「chmod go-w \(path)」を実行して、書き換えられないようにしてください。")
        }
    }
}
