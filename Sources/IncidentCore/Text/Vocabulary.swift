import Foundation

/// The wizard's own words in Japanese and English: buttons, hints, answers as the employee saw them.
/// Playbook text comes from the playbook; everything the program itself says comes from here.
public struct Vocabulary: Sendable {
    public let language: String

    public init(language: String) {
        self.language = language == "ja" ? "ja" : "en"
    }

    public var isJapanese: Bool { language == "ja" }

    public func callAsFunction(_ key: Key) -> String {
        let pair = Self.pair(key)
        return isJapanese ? pair.ja : pair.en
    }

    /// A list joined as the language writes it.
    public func list(_ items: [String]) -> String {
        items.joined(separator: isJapanese ? "、" : ", ")
    }

    public func confirm(_ answer: ConfirmAnswer) -> String {
        switch answer {
        case .yes: return self(.yes)
        case .no: return self(.no)
        case .unsure: return self(.unsure)
        }
    }

    public func verdict(_ verdict: ScanVerdict) -> String {
        switch verdict {
        case .clean: return self(.verdictClean)
        case .detected: return self(.verdictDetected)
        case .error: return self(.verdictError)
        case .unavailable: return self(.verdictUnavailable)
        case .cancelled: return self(.verdictCancelled)
        }
    }

    public enum Key: Sendable, Hashable {
        case yes, no, unsure, none
        case verdictClean, verdictDetected, verdictError, verdictUnavailable, verdictCancelled
        case disconnected, connected, reached, notReached
        case pressEnter, chooseNumber, answerYesNo, answerYesNoUnsure, checklistHint, checklistRequireAll
        case checklistRequireAny, inputHint, inputRequired, inputTooLong, back, help, quit, quitAsk
        case quitSaved, invalidAnswer, stepOf, networkHint, networkConnected, networkDisconnected
        case networkCantDisconnect, evidenceAsk, evidenceFiles, scanRunning, scanFinished, collectRunning
        case notifyHint, notifySpokeWith, notifyNoAnswerNext, notifyLater, contactPhone, contactEmail
        case contactURL, contactHours, finished, drill, noHelp, endOfInput, programMissing
        case openElsewhereTitle, openElsewhere, moreAbove, moreBelow
        case moreWithHelp, allWithHelp, enlargeWindow, continueButton, continueFields, checking, attachField
        case recentFilesPick, recentFilesNumber, helpClose, cancelScanAsk, recorded, noMoreContacts, emptyLineEnds
        case drillEnterContinues, scanCancelHint, noScannerForOS, cancellingScan, cancelScanAgain, menuQuestion
        case resumeQuestion, stepTimesTitle, stepTimesTotal
        // The footer's words beside its keys
        case keyContinue, keyChoose, keyTick, keyNextField, keyNext, keyCheckAgain, keyCannotDisconnect
        case keyContinueDrill, keyPickFile, keyCancel, keyDone, keyReached, keyNoAnswer, keyLater
    }

    /// A typed yes, no or not-sure, in either language and in full-width letters too (ｙ, ＹＥＳ,
    /// はい, いいえ, わからない); nil for anything else.
    public static func typedAnswer(_ line: String) -> ConfirmAnswer? {
        switch line.precomposedStringWithCompatibilityMapping.trimmingCharacters(in: .whitespaces).lowercased() {
        case "y", "yes", "はい": return .yes
        case "n", "no", "いいえ": return .no
        case "u", "unsure", "not sure", "わからない": return .unsure
        default: return nil
        }
    }

    /// One line about an attached mail: its subject and how many attachments were listed.
    public func mailSummary(_ mail: MailSummary) -> String {
        let subject = mail.subject ?? "—"
        return isJapanese ? "メール「\(subject)」：ヘッダーと添付ファイル \(mail.attachments.count) 件を記録しました（開いていません）。"
                          : "Mail \"\(subject)\": headers and \(mail.attachments.count) attachment(s) recorded (not opened)."
    }

    /// Why a file the employee named cannot be attached.
    public enum FileRefusal: Sendable, Equatable {
        case missing
        /// `kind`: directory, FIFO (named pipe), device, socket or special file.
        case notRegular(kind: String)
        /// Sizes in MiB, as `EvidenceStore` rounds them.
        case tooLarge(size: String, limit: String)
        /// The system's reason (from `strerror`), as it gives it.
        case unreadable(String)
        case cannotStore(String)
    }

    /// "PATH: no such file" and its kin, in the session's language.
    public func fileRefusal(_ path: String, _ refusal: FileRefusal) -> String {
        switch (refusal, isJapanese) {
        case (.missing, false): return "\(path): no such file"
        case (.missing, true): return "\(path)：ファイルが見つかりません"
        case (.notRegular(let kind), false): return "\(path): is a \(kind), only ordinary files can be attached"
        case (.notRegular(let kind), true):
            let name = ["directory": "フォルダー", "FIFO (named pipe)": "名前付きパイプ（FIFO）", "device": "デバイス",
                        "socket": "ソケット"][kind] ?? "特殊なファイル"
            return "\(path)：\(name)です。添付できるのは普通のファイルだけです"
        case let (.tooLarge(size, limit), false): return "\(path): is too large (\(size) MiB; the limit is \(limit) MiB)"
        case let (.tooLarge(size, limit), true): return "\(path)：大きすぎます（\(size) MiB、上限は \(limit) MiB）"
        case (.cannotStore(let reason), false): return "\(path): the copy could not be written (\(reason))"
        case (.cannotStore(let reason), true): return "\(path)：コピーを保存できませんでした（\(reason)）"
        case (.unreadable(let reason), false): return "\(path): cannot be read (\(reason))"
        case (.unreadable(let reason), true): return "\(path)：読み取れません（\(reason)）"
        }
    }

    /// Why a file could not be attached, with what to do next.
    public func refusal(_ reason: String) -> String {
        isJapanese ? "このファイルは添付できません：\(reason)。別のファイルを入力するか、空のまま Enter で次へ進めます。"
                   : "This file cannot be attached: \(reason). Type another path, or press Enter on an empty line to go on."
    }

    /// The drill's note on the network screen.
    public func drillNetwork(wouldRun: Bool) -> String {
        switch (isJapanese, wouldRun) {
        case (true, true): return "訓練：本番ではここでネットワークを切るコマンドが動きます。訓練では何も変えません。Enter で次へ進めます。"
        case (true, false): return "訓練：本番ではここでネットワークを切ります。訓練では切らなくてかまいません。Enter で次へ進めます。"
        case (false, true): return "DRILL: in a real incident a command would disconnect the PC here. A drill changes nothing. Enter continues."
        case (false, false): return "DRILL: in a real incident you would disconnect now. In a drill you need not. Enter continues."
        }
    }

    /// The drill's note on the scan screen.
    public var drillScan: String {
        isJapanese ? "訓練：スキャンするのは、訓練用の無害なテストファイルだけです。"
                   : "DRILL: only a harmless test file is scanned, made for this drill."
    }

    /// The built-in emergency card (product.md, "Never a dead end"): what to do now when the
    /// playbook cannot be used. `admin`: the administrator's name and number from `contacts.yaml`
    /// when it can be trusted, else the employee is sent to the printed list.
    public func emergencyCard(admin: (name: String, phone: String)?) -> (title: String, lines: [String]) {
        let call: String
        if let admin {
            call = isJapanese ? "4. 管理者に電話してください：\(admin.name)　\(admin.phone)"
                              : "4. Call the administrator: \(admin.name), \(admin.phone)"
        } else {
            call = isJapanese ? "4. 管理者に電話してください。電話番号は、配られた連絡先の紙に書いてあります。"
                              : "4. Call the administrator. The number is on the printed contact list you were given."
        }
        if isJapanese {
            return ("落ち着いて、次の4つのことをしてください", [
                "1. パソコンの電源は切らずに、そのままにしてください。",
                "2. LAN ケーブルを抜き、Wi-Fi をオフにしてください。",
                "3. 怪しいメールは、転送も削除もしないでください。",
                call,
                "",
                "いつもの案内画面を表示できないため、代わりにこの画面を表示しています。電話では、このことも管理者にお伝えください。",
            ])
        }
        return ("Stay calm and do these four things now", [
            "1. Keep the PC switched on. Do not shut it down.",
            "2. Unplug the network (LAN) cable and turn Wi-Fi off.",
            "3. Do not forward or delete the suspicious e-mail.",
            call,
            "",
            "The usual step-by-step guide cannot be shown, so this card is shown instead. Please tell the administrator this when you call.",
        ])
    }

    /// The menu's entry for an unfinished session.
    public func resumeOption(started: String, playbookID: String) -> String {
        isJapanese ? "中断したセッションを再開する（\(started) 開始、\(playbookID)）"
                   : "Resume the unfinished session (started \(started), \(playbookID))"
    }

    /// Under "resume?": when it started, and that the answers are kept.
    public func resumeDetail(started: String) -> String {
        isJapanese ? "\(started) に始めたセッションです。ここまでの回答は保存されています。"
                   : "It was started \(started). Its answers so far are saved."
    }

    /// Plain mode's "resume?" in one line.
    public func resumeQuestionPlain(started: String) -> String {
        isJapanese ? "\(started) に始めた、終わっていないセッションがあります。続きから再開しますか？ (y/n)"
                   : "There is an unfinished session started \(started). Resume it? (y/n)"
    }

    /// What is still connected, as the employee reads it: `kind` is `wifi`, `wired` or another.
    public func stillConnected(kind: String, name: String, addresses: String) -> String {
        switch (kind, isJapanese) {
        case ("wifi", true): return "Wi-Fi（\(name)）がまだオンです（\(addresses)）"
        case ("wifi", false): return "Wi-Fi \(name) is still on (\(addresses))"
        case ("wired", true): return "LAN ケーブル（\(name)）がまだつながっています（\(addresses)）"
        case ("wired", false): return "The LAN cable (\(name)) is still plugged in (\(addresses))"
        case (_, true): return "ネットワーク接続 \(name) がまだ有効です（\(addresses)）"
        case (_, false): return "The network connection \(name) is still on (\(addresses))"
        }
    }

    /// A scenario the menu lists but cannot run (its playbook is broken).
    public func brokenScenario(_ title: String) -> String {
        isJapanese ? "\(title)（いまは使えません。選ぶと、まずすることを表示します）"
                   : "\(title) (not available right now; choose it to see what to do first)"
    }

    /// "The program X is not installed", for the employee (the journal keeps the technical text).
    public func programMissing(_ program: String) -> String {
        self(.programMissing).replacingOccurrences(of: "%@", with: program)
    }

    /// A switch, not a dictionary: nothing to build at first use (on the way to the first screen),
    /// and a key without words does not compile.
    private static func pair(_ key: Key) -> (ja: String, en: String) {
        switch key {
        case .yes: return ("はい", "yes")
        case .no: return ("いいえ", "no")
        case .unsure: return ("わからない", "not sure")
        case .none: return ("なし", "none")
        case .verdictClean: return ("検出なし", "nothing found")
        case .verdictDetected: return ("検出あり", "something found")
        case .verdictError: return ("エラー", "scanner error")
        case .verdictUnavailable: return ("スキャナーなし", "scanner not available")
        case .verdictCancelled: return ("中止", "cancelled")
        case .disconnected: return ("切断済み", "disconnected")
        case .connected: return ("接続中", "still connected")
        case .reached: return ("連絡がついた", "reached")
        case .notReached: return ("連絡がつかない", "not reached")
        case .pressEnter: return ("Enter キーで次へ進みます。", "Press Enter to continue.")
        case .chooseNumber: return ("番号を入力して Enter を押してください。", "Type a number and press Enter.")
        case .answerYesNo: return ("y（はい）または n（いいえ）を入力してください。", "Type y (yes) or n (no).")
        case .answerYesNoUnsure: return ("y（はい）、n（いいえ）、u（わからない）のどれかを入力してください。",
                                         "Type y (yes), n (no) or u (not sure).")
        case .checklistHint: return ("当てはまる項目の番号をスペース区切りで入力してください（なければ空のまま Enter）。",
                                     "Type the numbers of the items that apply, separated by spaces (or just Enter for none).")
        case .checklistRequireAll: return ("すべての項目を確認してください。", "Please tick every item.")
        case .checklistRequireAny: return ("少なくとも一つ選んでください。", "Please tick at least one item.")
        case .inputHint: return ("入力して Enter を押してください。", "Type your answer and press Enter.")
        case .inputRequired: return ("この項目は必須です。", "This field is required.")
        case .inputTooLong: return ("長すぎます。最大文字数：", "Too long. Maximum characters: ")
        case .back: return ("戻る", "back")
        case .help: return ("ヘルプ", "help")
        case .quit: return ("中断", "quit")
        case .quitAsk: return ("中断しますか？ここまでの回答は保存されています。(y/n)",
                               "Quit? Your answers so far are saved. (y/n)")
        case .quitSaved: return ("中断しました。もう一度起動すると続きから再開できます。",
                                 "Stopped. Run the wizard again to continue where you left off.")
        case .invalidAnswer: return ("その答えは使えません。", "That answer is not available here.")
        case .stepOf: return ("手順", "Step")
        case .networkHint: return ("1 = もう一度確認する、2 = 切断できない", "1 = check again, 2 = I can't disconnect")
        case .networkConnected: return ("まだ接続されています：", "Still connected:")
        case .networkDisconnected: return ("ネットワークから切断されています。", "The PC is disconnected from the network.")
        case .networkCantDisconnect: return ("切断できない", "I can't disconnect")
        case .evidenceAsk: return ("写真を撮りましたか？ (y/n)", "Did you take the photo? (y/n)")
        case .evidenceFiles: return ("添付するファイルのパスを1行に1つ入力してください（空行で終了）。",
                                     "Type the path of a file to attach, one per line (an empty line ends).")
        case .scanRunning: return ("スキャン中です。しばらくお待ちください…", "Scanning. Please wait…")
        case .scanFinished: return ("スキャンが終わりました：", "The scan has finished:")
        case .collectRunning: return ("情報を集めています…", "Collecting information…")
        case .notifyHint: return ("1 = 連絡がついた、2 = 応答なし（次の連絡先へ）、3 = あとでかける",
                                  "1 = reached them, 2 = no answer (next contact), 3 = call later")
        case .notifySpokeWith: return ("話した相手の名前：", "Who did you speak with?")
        case .notifyNoAnswerNext: return ("次の連絡先：", "Next contact:")
        case .notifyLater: return ("あとでかける", "call later")
        case .contactPhone: return ("電話", "Phone")
        case .contactEmail: return ("メール", "E-mail")
        case .contactURL: return ("URL", "URL")
        case .contactHours: return ("受付時間", "Hours")
        case .finished: return ("終了しました。", "Finished.")
        case .drill: return ("訓練", "DRILL")
        case .noHelp: return ("この画面にはヘルプはありません。", "There is no help for this screen.")
        case .endOfInput: return ("入力が終わりました。回答は保存されています。", "Input ended. Your answers are saved.")
        case .moreWithHelp: return ("…（続きは ? キー）", "… (more with ?)")
        case .allWithHelp: return ("…（全文は ? キー）", "… (all of it with ?)")
        case .enlargeWindow: return ("ウィンドウを大きくしてください（40×12 以上）", "Please enlarge the window (at least 40×12)")
        case .continueButton: return ("次へ", "Continue")
        case .continueFields: return ("続ける", "Continue")
        case .checking: return ("確認しています…", "Checking…")
        case .attachField: return ("添付するファイルのパス（なければ空のまま Enter）", "Path of a file to attach (Enter on an empty line to go on)")
        case .recentFilesPick: return ("最近のファイル（↑↓ で選んで Enter で添付）：", "Recent files (↑↓ to pick, Enter to attach):")
        case .recentFilesNumber: return ("最近のファイル（番号を入力すると添付します）：", "Recent files (type a number to attach one):")
        case .helpClose: return ("（何かキーを押すと閉じます）", "(press any key to close)")
        case .cancelScanAsk: return ("スキャンを中止しますか？ (y/n)", "Cancel the scan? (y/n)")
        case .recorded: return ("記録しました。", "Recorded.")
        case .noMoreContacts: return ("これ以上の連絡先はありません。3 を押して、あとでかけ直してください。",
                                      "There are no more contacts. Press 3 and call again later.")
        case .emptyLineEnds: return ("（空行で終了）", " (an empty line ends)")
        case .drillEnterContinues: return ("、Enter = 次へ（訓練）", ", Enter = continue (drill)")
        case .scanCancelHint: return ("（中止するには Ctrl-C を2回押します）", "(Ctrl-C twice cancels it)")
        case .noScannerForOS: return ("この OS 用のスキャナーが設定されていません。", "No scanner is set for this operating system.")
        case .cancellingScan: return ("スキャンを中止しています…", "Cancelling the scan…")
        case .cancelScanAgain: return ("スキャンを中止しますか？ 10 秒以内にもう一度 Ctrl-C を押すと中止します。",
                                       "Cancel the scan? Press Ctrl-C again within 10 seconds to cancel it.")
        case .menuQuestion: return ("何が起きましたか？ 当てはまるものを選んでください。", "What happened? Choose the closest one.")
        case .resumeQuestion: return ("終わっていないセッションがあります。続きから再開しますか？", "There is an unfinished session. Resume it?")
        case .stepTimesTitle: return ("各手順にかかった時間（訓練の振り返り用）：", "Time taken per step (for the training review):")
        case .stepTimesTotal: return ("  合計 ", "  Total ")
        case .keyContinue: return ("次へ", "continue")
        case .keyChoose: return ("選ぶ", "choose")
        case .keyTick: return ("チェック", "tick")
        case .keyNextField: return ("次の欄", "next field")
        case .keyNext: return ("次へ", "next")
        case .keyCheckAgain: return ("再確認", "check again")
        case .keyCannotDisconnect: return ("切断できない", "I can't")
        case .keyContinueDrill: return ("次へ（訓練）", "continue (drill)")
        case .keyPickFile: return ("ファイルを選ぶ", "pick a file")
        case .keyCancel: return ("中止", "cancel")
        case .keyDone: return ("決定", "done")
        case .keyReached: return ("つながった", "reached")
        case .keyNoAnswer: return ("出ない", "no answer")
        case .keyLater: return ("あとで", "later")
        case .moreAbove: return ("↑ 上にも続きがあります（↑ キー）", "↑ more above (↑ key)")
        case .moreBelow: return ("↓ 下にも続きがあります（↓ キー）", "↓ more below (↓ key)")
        case .openElsewhereTitle: return ("別のウィンドウで開いています", "Already open in another window")
        case .openElsewhere: return ("この記録は、別のウィンドウで入力している途中です。そちらのウィンドウで続けてください。"
                                     + "このウィンドウは、Enter キーを押して閉じてかまいません。",
                                     "You are already filling in this record in another window. Please continue there. "
                                     + "You can close this window by pressing Enter.")
        case .programMissing: return ("このパソコンには %@ が入っていません。大丈夫です。管理者があとで調べます。",
                                      "%@ is not installed on this PC. That is all right: the administrator will check later.")
        }
    }
}
