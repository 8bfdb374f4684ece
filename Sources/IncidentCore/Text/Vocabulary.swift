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
        case .interrupted: return self(.verdictInterrupted)
        }
    }

    /// A background scan's one-line status for every screen's header (`product.md`, "Background
    /// work"): 「ウイルス検査中 61%」 while it runs, what it found once it has ended.
    public func backgroundStatus(percent: Int?, found: Bool, verdict: ScanVerdict?) -> String {
        if let verdict {
            return verdict == .detected ? self(.backgroundFound) : self(.backgroundDone) + self.verdict(verdict)
        }
        if found { return self(.backgroundFound) }
        guard let percent else { return self(.backgroundRunning) }
        return isJapanese ? "ウイルス検査中 \(percent)%" : "Virus check \(percent) %"
    }

    /// `{{scan.STEP}}` while the scan runs, for a script read aloud: 「検査中（61%）、今のところ何も見つかっていません」.
    /// `followed`: the wizard reads the scanner's results as they come (else it cannot say what was found so far).
    public func scanState(percent: Int?, found: Bool, followed: Bool) -> String {
        let figure = percent.map { isJapanese ? "（\($0)%）" : " (\($0) %)" } ?? ""
        if !followed { return self(.scanStateRunning) }
        if found { return isJapanese ? "検査中\(figure)、ウイルスの可能性があるものが見つかっています" : "running\(figure), something has been found" }
        return isJapanese ? "検査中\(figure)、今のところ何も見つかっていません" : "running\(figure), nothing found so far"
    }

    public enum Key: Sendable, Hashable {
        case yes, no, unsure, none
        case verdictClean, verdictDetected, verdictError, verdictUnavailable, verdictCancelled, verdictInterrupted
        // Background scans
        case backgroundRunning, backgroundFound, backgroundDone, scanStateRunning, scanSaidInterrupted
        case endScanRunning, endScanStopAsk, awaitRerunAsk
        case disconnected, connected, reached, notReached, drillDisconnected, notAnswered
        case deadlineDoesNotApply
        case pressEnter, chooseNumber, answerYesNo, answerYesNoUnsure, checklistHint, checklistRequireAll
        case checklistRequireAny, inputHint, inputRequired, inputTooLong, back, help, quit, quitAsk
        case quitSaved, invalidAnswer, stepOf, networkHint, networkConnected, networkDisconnected
        case networkCantDisconnect, evidenceAsk, evidenceFiles, scanRunning, collectRunning
        case notifyHint, notifySpokeWith, notifyNoAnswerNext, notifyLater, contactPhone, contactEmail
        case contactURL, contactHours, finished, drill, noHelp, endOfInput, programMissing
        case openElsewhereTitle, openElsewhere, moreAbove, moreBelow
        case moreWithHelp, moreWithF1, allWithHelp, enlargeWindow, continueButton, continueFields, checking, attachField
        case recentFilesPick, recentFilesNumber, helpClose, cancelScanAsk, recorded, noMoreContacts, emptyLineEnds
        case drillEnterContinues, scanCancelHint, noScannerForOS, cancellingScan, cancelScanAgain, menuQuestion
        case resumeQuestion, abandonQuestion, stepTimesTitle, stepTimesTotal
        // The footer's words beside its keys
        case keyContinue, keyChoose, keyTick, keyNextField, keyNext, keyCheckAgain, keyCannotDisconnect
        case keyContinueDrill, keyPickFile, keyCancel, keyDone, keyReached, keyNoAnswer, keyLater, keySent, keyCannotSend
        case keyStop
        // The critical screens
        case chooseFirst, notifyKeys, leaveAsk, importantMark, notifyHintEmail, notifyCallNow, notifyWriteNow
        case notifyFromOtherDevice, notifySayThis, notifyWriteThis
        case cancelCollectAsk, cancelCollectAgain, cancellingCollect, collectFinished, collectPartly
        case scanSaidClean, scanSaidDetected, scanSaidError, scanSaidUnavailable, scanSaidCancelled
        case scanTimedOut, scanCouldNotStart, scanNoWorry, detailsBehindHelp, detailsTitle, helpScroll
        // The hand-off
        case keyQR, qrTakePhoto
        // Keys typed ahead, keys that do nothing
        case readFirst, networkNotYet, keyNotHere, allWithF1, keyNewline
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

    /// An RFC 3339 time as a person reads it aloud, in its own local time: `12月2日 15:09` /
    /// `15:09, 2 December`. Anything else is returned as it is.
    public func spokenTime(_ rfc3339: String) -> String {
        let digits = Array(rfc3339.utf8)
        func number(_ from: Int, _ count: Int) -> Int? {
            guard digits.count >= from + count else { return nil }
            var value = 0
            for byte in digits[from..<(from + count)] {
                guard (0x30...0x39).contains(byte) else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            return value
        }
        guard digits.count >= 16, digits[4] == 0x2D, digits[10] == 0x54, let month = number(5, 2), let day = number(8, 2),
              let hour = number(11, 2), let minute = number(14, 2), (1...12).contains(month) else { return rfc3339 }
        let clock = "\(hour):" + (minute < 10 ? "0" : "") + "\(minute)"
        if isJapanese { return "\(month)月\(day)日 \(clock)" }
        let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                      "November", "December"]
        return "\(clock), \(day) \(months[month - 1])"
    }

    /// The check code line (shown only on the notify card and the last screen).
    public func checkCode(_ code: String) -> String {
        isJapanese ? "確認コード：\(code)" : "Check code: \(code)"
    }

    /// What the check code is for, under it where it is shown: on the notify card to read out at
    /// the end of the call (or add to the e-mail), on the last screen to give when asked.
    public func checkCodeWhy(onCall: Bool = true, byEmail: Bool = false) -> String {
        switch (isJapanese, onCall, byEmail) {
        case (true, true, true):
            return "この番号を、メールの最後に書き添えてください。この記録が正しいことを、管理者があとで確かめるための番号です。"
        case (true, true, false):
            return "この番号を、電話の最後に相手に読み上げてください。この記録が正しいことを、管理者があとで確かめるための番号です。"
        case (true, false, _):
            return "この記録の確認コードです。電話で伝えた番号と違っていても、問題ありません。管理者に聞かれたら、伝えてください。"
        case (false, true, true):
            return "Add this code at the end of the e-mail: it lets the administrator check later that this record is genuine."
        case (false, true, false):
            return "Read this code out at the end of the call: it lets the administrator check later that this record is genuine."
        case (false, false, _):
            return "This record's check code. It may differ from the one you read out on the phone; that is fine. Give it to the administrator if asked."
        }
    }

    /// The window is too small for the QR code: how large it must be.
    public func qrTooSmall(width: Int, height: Int) -> String {
        isJapanese ? "QR コードを表示するには、ウィンドウを \(width)×\(height) 以上に大きくしてください。"
                   : "Please enlarge the window to at least \(width)×\(height) to show the QR code."
    }

    /// The notify screen's heading once the chain has moved on: whom to reach now, and how.
    public func nextContact(_ name: String, emailOnly: Bool) -> String {
        switch (isJapanese, emailOnly) {
        case (true, false): return "次は、\(name)に電話してください"
        case (true, true): return "次は、\(name)にメールを送ってください"
        case (false, false): return "Now call \(name)"
        case (false, true): return "Now write to \(name)"
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
        case let (.tooLarge(size, limit), true): return "\(path)：大きすぎます（\(size) MB、上限は \(limit) MB）"
        case (.cannotStore(let reason), false): return "\(path): the copy could not be written (\(reason))"
        case (.cannotStore(let reason), true): return "\(path)：コピーを保存できませんでした（\(reason)）"
        case (.unreadable(let reason), false): return "\(path): cannot be read (\(reason))"
        case (.unreadable(let reason), true): return "\(path)：読み取れません（\(reason)）"
        }
    }

    /// One line about attached EmoCheck output: what it found.
    public func emocheckSummary(_ result: EmoCheckResult) -> String {
        switch (isJapanese, result.infected) {
        case (true, true?): return "EmoCheck の結果を記録しました：Emotet が見つかっています（\(result.processes.count) 件）。"
        case (true, false?): return "EmoCheck の結果を記録しました：Emotet は見つかっていません。"
        case (true, nil): return "EmoCheck の結果を記録しました。"
        case (false, true?): return "EmoCheck result recorded: Emotet was found (\(result.processes.count) process(es))."
        case (false, false?): return "EmoCheck result recorded: Emotet was not found."
        case (false, nil): return "EmoCheck result recorded."
        }
    }

    /// Why a file could not be attached, with what to do next.
    public func refusal(_ reason: String) -> String {
        isJapanese ? "このファイルは添付できません：\(reason)。別のファイルを入力するか、空のまま Enter で次へ進めます。"
                   : "This file cannot be attached: \(reason). Type another path, or press Enter on an empty line to go on."
    }

    /// The drill's note on the network screen: the drill rehearses the disconnected path, so the
    /// employee finds the cable and the Wi-Fi switch instead of using them.
    public func drillNetwork(wouldRun: Bool) -> String {
        switch (isJapanese, wouldRun) {
        case (true, true):
            return "訓練：何も変えません。本番では、ここで自動的に切り離します。LAN ケーブルの差し込み口と、Wi-Fi をオフにする場所だけ確かめて、Enter で次へ進んでください。"
        case (true, false):
            return "訓練：実際には切り離しません。LAN ケーブルの差し込み口と、Wi-Fi をオフにする場所だけ確かめて、Enter で次へ進んでください。"
        case (false, true):
            return "DRILL: in a real incident a command would disconnect the PC here. A drill changes nothing: just find where the LAN cable plugs in and where the Wi-Fi switch is, then press Enter."
        case (false, false):
            return "DRILL: in a real incident you would unplug the cable and turn Wi-Fi off now. In a drill you do not: just find where the cable plugs in and where the Wi-Fi switch is, then press Enter."
        }
    }

    /// The drill's note on the scan screen.
    public var drillScan: String {
        isJapanese ? "訓練：ウイルス検査で調べるのは、訓練用の無害なテストファイルだけです。"
                   : "DRILL: only a harmless test file is scanned, made for this drill."
    }

    /// A drill's scan screen, when the real scan would not work (`ScanReadiness`).
    public func drillScanRealFails(_ problem: ScanProblem) -> String {
        switch problem {
        case .notInstalled(let program):
            return isJapanese ? "注意：本番では「\(program)」が入っていないため、ウイルス検査ができません。管理者に伝えてください。"
                              : "NOTE: a real scan would not work: \(program) is not installed. Tell the administrator."
        case .daemonNotAnswering(let program):
            return isJapanese ? "注意：本番では「\(program)」の相手の ClamAV デーモンが動いていないため、ウイルス検査ができません。管理者に伝えてください。"
                              : "NOTE: a real scan would not work: the ClamAV daemon \(program) needs is not running. Tell the administrator."
        }
    }

    /// The built-in emergency card (product.md, "Never a dead end"): what to do now when the
    /// playbook cannot be used. `admin`: the administrator's name and number from `contacts.yaml`
    /// when it can be trusted, else the employee is sent to the printed list.
    /// `noRecord`: shown because nothing at all can be written on this PC (the playbook is fine);
    /// `fallback`: the card's own record went to the private fallback (`reportsFallbackNote`).
    public func emergencyCard(admin: (name: String, phone: String)?, noRecord: Bool = false,
                              fallback: [String] = []) -> (title: String, lines: [String]) {
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
                noRecord ? "この対応の記録を、このパソコンのどこにも保存できません。そのため、いつもの案内画面の代わりに、この画面を表示しています。電話では、このことも管理者にお伝えください。"
                    : "いつもの案内画面を表示できないため、代わりにこの画面を表示しています。電話では、このことも管理者にお伝えください。",
            ] + (fallback.isEmpty ? [] : [""] + fallback))
        }
        return ("Stay calm and do these four things now", [
            "1. Keep the PC switched on. Do not shut it down.",
            "2. Unplug the network (LAN) cable and turn Wi-Fi off.",
            "3. Do not forward or delete the suspicious e-mail.",
            call,
            "",
            noRecord ? "Nothing can be saved on this PC, not even in your own folder, so this card is shown instead of the usual step-by-step guide. Please tell the administrator this when you call."
                : "The usual step-by-step guide cannot be shown, so this card is shown instead. Please tell the administrator this when you call.",
        ] + (fallback.isEmpty ? [] : [""] + fallback))
    }

    /// The record is not where it should go but in the employee's private fallback folder: said
    /// on the first screen and on the last (product.md, "Never a dead end"). `wanted`: the usual
    /// reports folder; `folder`: where the record is now.
    public func reportsFallbackNote(wanted: String, folder: String) -> [String] {
        isJapanese ? ["記録を、いつもの保存先（\(wanted)）に保存できませんでした。代わりに、このパソコンの次の場所に保存しています。入力した内容は消えません。",
                      folder, "管理者に、この場所を伝えてください。"]
                   : ["Your record could not be saved in the usual place (\(wanted)), so it is kept on this PC instead, in the folder below. Nothing you enter is lost.",
                      folder, "Please tell the administrator where it is."]
    }

    /// The menu's entry for an unfinished record (`started`: RFC 3339, said as a time).
    public func resumeOption(started: String, playbookID: String) -> String {
        isJapanese ? "途中で止まっている対応の続きをする（\(spokenTime(started)) に開始、\(playbookID)）"
                   : "Continue the response you stopped (started \(spokenTime(started)), \(playbookID))"
    }

    /// Under "continue?": when it started, and that the answers are kept.
    public func resumeDetail(started: String) -> String {
        isJapanese ? "\(spokenTime(started)) に始めた対応です。ここまでの回答は保存されています。"
                   : "You started it at \(spokenTime(started)). Your answers so far are saved."
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

    /// A count with thousands separated (the same in both languages: 12,345).
    public func number(_ value: Int) -> String {
        let digits = String(abs(value))
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return value < 0 ? "-" + out : out
    }

    /// A followed scan's count while it runs: files checked of those to check, and the
    /// percentage; while the files are still being counted, only those checked.
    public func scanCount(done: Int, total: Int?, percent: Int?) -> String {
        guard let total, let percent else {
            return isJapanese ? "\(number(done))件を調べました（総数を確認中）"
                              : "\(number(done)) files checked (still counting how many there are)"
        }
        return isJapanese ? "\(number(total))件中\(number(done))件を調べました（\(percent)%）"
                          : "\(number(done)) of \(number(total)) files checked (\(percent) %)"
    }

    /// Under the verdict: every file checked (a scan that reached its verdict), or how many of
    /// those counted.
    public func scanChecked(done: Int, total: Int, complete: Bool) -> String {
        if complete, done >= total {
            return isJapanese ? "\(number(done))件をすべて調べました。" : "All \(number(done)) files were checked."
        }
        return isJapanese ? "\(number(total))件中\(number(done))件を調べました。" : "\(number(done)) of \(number(total)) files were checked."
    }

    /// The time a followed scan still needs, as a person would say it: hours and ten minutes from
    /// an hour on, minutes from two minutes, a minute and ten seconds, seconds to the nearest five,
    /// and "almost done" under ten seconds.
    public func scanTimeLeft(seconds: Int) -> String {
        let ja = isJapanese
        switch seconds {
        case 3600...:
            let tens = (seconds + 300) / 600
            let (hours, minutes) = (tens / 6, tens % 6 * 10)
            if minutes == 0 { return ja ? "あと\(hours)時間ほどかかります" : "About \(hours) hour\(hours == 1 ? "" : "s") left" }
            return ja ? "あと\(hours)時間\(minutes)分ほどかかります" : "About \(hours) hour\(hours == 1 ? "" : "s") \(minutes) minutes left"
        case 120...:
            let minutes = min(59, (seconds + 30) / 60)
            return ja ? "あと\(minutes)分ほどかかります" : "About \(minutes) minutes left"
        case 60...:
            let rest = min(50, (seconds - 60 + 5) / 10 * 10)
            if rest == 0 { return ja ? "あと1分ほどかかります" : "About a minute left" }
            return ja ? "あと1分\(rest)秒ほどかかります" : "About 1 minute \(rest) seconds left"
        case 58...:  // would round to 60 seconds: say a minute
            return ja ? "あと1分ほどかかります" : "About a minute left"
        case 10...:
            let rounded = (seconds + 2) / 5 * 5
            return ja ? "あと\(rounded)秒ほどかかります" : "About \(rounded) seconds left"
        default:
            return ja ? "まもなく終わります" : "Almost done"
        }
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
        case .verdictUnavailable: return ("ウイルス対策ソフトなし", "scanner not available")
        case .verdictCancelled: return ("中止", "cancelled")
        case .verdictInterrupted: return ("途中で中断", "interrupted")
        case .backgroundRunning: return ("ウイルス検査中", "Virus check running")
        case .backgroundFound: return ("ウイルス検査：ウイルスの疑いあり。電源は切らずに、このまま進んでください", "Virus check: possible virus found. Keep the PC on and carry on.")
        case .backgroundDone: return ("ウイルス検査：", "Virus check: ")
        case .scanStateRunning: return ("検査中（結果はまだ出ていません）", "running (no result yet)")
        case .scanSaidInterrupted: return ("ウィザードが終了したため、ウイルス検査は途中で終わりました。",
                                           "The virus check stopped part-way because the wizard stopped.")
        case .endScanRunning: return ("ウイルス検査は、まだ続いています。終わるまで、このウィンドウを開いたままにしてください。結果は自動で記録されます。",
                                      "The virus check is still running. Please keep this window open until it ends; the result is recorded automatically.")
        case .endScanStopAsk: return ("ウイルス検査は、まだ続いています。検査を中止して、画面を閉じますか？ (y/n)", "The virus check is still running. Stop it and close? (y/n)")
        case .awaitRerunAsk: return ("前回のウイルス検査は、途中で止まったままです。もう一度、最初から検査しますか？ 長いと1時間ほどかかります。しなくても、管理者があとで調べます。",
                                     "The last virus check stopped part-way. Run it again from the start? It can take up to about an hour. If you don't, the administrator will check later.")
        case .disconnected: return ("切り離し済み", "disconnected")
        case .connected: return ("まだつながっている", "still connected")
        case .drillDisconnected: return ("訓練のため、切り離したことにして進めました", "drill: carried on as if disconnected")
        case .notAnswered: return ("未回答", "not answered")
        case .deadlineDoesNotApply: return ("（この記録では該当しません）", " (does not apply to this record)")
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
        case .networkHint: return ("1 = もう一度確認する、2 = 切り離せない", "1 = check again, 2 = I can't disconnect")
        case .networkConnected: return ("まだネットワークにつながっています：", "Still connected:")
        case .networkDisconnected: return ("ネットワークから切り離されています。", "The PC is disconnected from the network.")
        case .networkCantDisconnect: return ("切り離せない", "I can't disconnect")
        case .evidenceAsk: return ("写真を撮りましたか？ (y/n)", "Did you take the photo? (y/n)")
        case .evidenceFiles: return ("添付するファイルのパスを1行に1つ入力してください（空のまま Enter で次へ進みます）。",
                                     "Type the path of a file to attach, one per line (an empty line ends).")
        case .scanRunning: return ("ウイルス検査中です。しばらくお待ちください…", "Scanning. Please wait…")
        case .collectRunning: return ("情報を集めています…", "Collecting information…")
        case .notifyHint: return ("1 = つながった、2 = 出ない（次の連絡先へ）、3 = あとでかけ直す",
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
        case .moreWithF1: return ("…（続きは F1 キー）", "… (more with F1)")
        case .allWithHelp: return ("…（全文は ? キーで表示）", "… (press ? to see all)")
        case .enlargeWindow: return ("ウィンドウを大きくしてください（40×12 以上）", "Please enlarge the window (at least 40×12)")
        case .continueButton: return ("次へ", "Continue")
        case .continueFields: return ("続ける", "Continue")
        case .checking: return ("確認しています…", "Checking…")
        case .attachField: return ("添付するファイルのパス（なければ空のまま Enter）", "Path of a file to attach (Enter on an empty line to go on)")
        case .recentFilesPick: return ("最近のファイル（↑↓ で選んで Enter で添付）：", "Recent files (↑↓ to pick, Enter to attach):")
        case .recentFilesNumber: return ("最近のファイル（番号を入力すると添付します）：", "Recent files (type a number to attach one):")
        case .helpClose: return ("（何かキーを押すと閉じます）", "(press any key to close)")
        case .cancelScanAsk: return ("ウイルス検査を中止しますか？ (y/n)", "Cancel the scan? (y/n)")
        case .recorded: return ("記録しました。", "Recorded.")
        case .noMoreContacts: return ("これ以上の連絡先はありません。3 を押して、あとでかけ直してください。",
                                      "There are no more contacts. Press 3 and call again later.")
        case .emptyLineEnds: return ("（空のまま Enter で次へ進みます）", " (an empty line ends)")
        case .drillEnterContinues: return ("、Enter = 次へ（訓練）", ", Enter = continue (drill)")
        case .scanCancelHint: return ("（中止するには Ctrl-C を2回押します）", "(Ctrl-C twice cancels it)")
        case .noScannerForOS: return ("このパソコンで使うウイルス対策ソフトが設定されていません。", "No scanner is set for this operating system.")
        case .cancellingScan: return ("ウイルス検査を中止しています…", "Cancelling the scan…")
        case .cancelScanAgain: return ("ウイルス検査を中止しますか？ 10 秒以内にもう一度 Ctrl-C を押すと中止します。",
                                       "Cancel the scan? Press Ctrl-C again within 10 seconds to cancel it.")
        case .menuQuestion: return ("いまの状況は、どれに近いですか？ 1つ選んでください。", "Which is closest to what happened? Choose one.")
        case .resumeQuestion: return ("途中で止まっている対応があります。続きから再開しますか？",
                                      "A response was stopped part-way. Continue where you left off?")
        case .abandonQuestion: return ("新しく始めます。前の記録は閉じてもよいですか？ 閉じても記録は消えずに残ります。次からは、続きの案内が出なくなります。",
                                       "A new response starts now. May the earlier record be closed? It is kept, and you will not be asked about it again.")
        case .stepTimesTitle: return ("各手順にかかった時間（訓練の振り返り用）：", "Time taken per step (for the training review):")
        case .stepTimesTotal: return ("  合計 ", "  Total ")
        case .readFirst: return ("大切な内容です。まず、画面をお読みください。",
                                 "This is important: please read the screen first.")
        case .networkNotYet: return ("まだネットワークにつながっています。LAN ケーブルを抜き、Wi-Fi をオフにしてから、もう一度 Enter を押してください。",
                                     "The PC is still connected. Unplug the LAN cable and turn Wi-Fi off, then press Enter again.")
        case .keyNotHere: return ("そのキーは、この画面では使えません。使えるキー：", "That key does nothing here. Keys you can use: ")
        case .allWithF1: return ("…（全文は F1 キーで表示）", "… (press F1 to see all)")
        case .keyNewline: return ("改行（空の行なら次へ）", "new line (empty line: next)")
        case .keyQR: return ("QR コード", "QR code")
        case .qrTakePhoto: return ("この QR コードをスマートフォンで撮影してください（何かキーで閉じます）",
                                   "Take a photo of this code with your phone. (Press any key to close.)")
        case .keySent: return ("送った", "sent")
        case .keyCannotSend: return ("送れない", "can't send")
        case .keyStop: return ("中止", "stop")
        case .chooseFirst: return ("まだ選ばれていません。当てはまるものの番号を入力してください。",
                                   "Nothing is chosen yet. Type the number of the answer that fits.")
        case .notifyKeys: return ("1、2、3 のどれかの番号で答えてください。", "Please answer with 1, 2 or 3.")
        case .leaveAsk: return ("前の画面に戻りますか？ 入力した内容は消えずに残ります。(y/n)",
                                "Go back to the previous screen? What you typed is kept. (y/n)")
        case .importantMark: return ("【重要】", "Important:")
        case .notifyHintEmail: return ("1 = メールを送った、2 = 送れない（次の連絡先へ）、3 = あとで送る",
                                       "1 = I sent the e-mail, 2 = I can't (next contact), 3 = later")
        case .notifyCallNow: return ("電話する相手：", "Call now: ")
        case .notifyWriteNow: return ("メールを送る相手：", "Write to: ")
        case .notifyFromOtherDevice: return ("このパソコンではなく、スマートフォンなど別の機器から送ってください。",
                                             "Write from another device, such as a smartphone, not from this PC.")
        case .notifySayThis: return ("電話では、次のように伝えてください：", "On the phone, say:")
        case .notifyWriteThis: return ("メールには、次のように書いてください：", "In the e-mail, write:")
        case .cancelCollectAsk: return ("情報の収集を中止しますか？ (y/n)", "Stop collecting the information? (y/n)")
        case .cancelCollectAgain: return ("情報の収集を中止しますか？ 10 秒以内にもう一度 Ctrl-C を押すと中止します。",
                                          "Stop collecting the information? Press Ctrl-C again within 10 seconds to stop it.")
        case .cancellingCollect: return ("情報の収集を中止しています…", "Stopping the collection…")
        case .collectFinished: return ("情報の収集が終わりました。", "The information has been collected.")
        case .collectPartly: return ("一部の情報は集められませんでしたが、このまま進んで大丈夫です。",
                                     "Some of it could not be collected. That is all right: please go on.")
        case .scanSaidClean: return ("ウイルスは見つかりませんでした。", "No virus was found.")
        case .scanSaidDetected: return ("ウイルスの可能性があるものが見つかりました。", "Something that may be a virus was found.")
        case .scanSaidError: return ("ウイルス検査を最後まで行えませんでした。", "The scan could not be completed.")
        case .scanSaidUnavailable: return ("ウイルス検査を行えませんでした。", "The scan could not be run.")
        case .scanSaidCancelled: return ("ウイルス検査を中止しました。", "The scan was cancelled.")
        case .scanTimedOut: return ("時間がかかりすぎたため、途中で止めました。", "It took too long and was stopped.")
        case .scanCouldNotStart: return ("ウイルス対策ソフトを起動できませんでした。", "The scanner could not be started.")
        case .scanNoWorry: return ("大丈夫です。管理者があとで調べます。", "That is all right: the administrator will check later.")
        case .detailsBehindHelp: return ("詳しい結果（管理者向け）は、? キーで見られます。",
                                         "The full result (for the administrator) is behind the ? key.")
        case .detailsTitle: return ("詳しい結果（管理者向け）：", "The full result (for the administrator):")
        case .helpScroll: return ("（↑↓ キーで続きを読めます。ほかのキーを押すと閉じます）", "(↑↓ scrolls; any other key closes)")
        case .keyContinue: return ("次へ", "continue")
        case .keyChoose: return ("選ぶ", "choose")
        case .keyTick: return ("チェック", "tick")
        case .keyNextField: return ("次の欄", "next field")
        case .keyNext: return ("次へ", "next")
        case .keyCheckAgain: return ("再確認", "check again")
        case .keyCannotDisconnect: return ("切り離せない", "I can't")
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
