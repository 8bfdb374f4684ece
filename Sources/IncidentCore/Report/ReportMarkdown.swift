/// `report.md`: for the IT consultant, in the session language — summary first, then the
/// timeline, answers, evidence, scanner output and the integrity line.
public enum ReportMarkdown {
    /// What the consultant looks up first: the mail's addresses (and whether Reply-To differs from
    /// From), the IP addresses of its Received chain, the attachments' names and hashes, EmoCheck's
    /// findings, and this PC's own addresses. Only what the journal holds.
    static func indicators(_ report: Report, _ t: (String, String) -> String) -> [String] {
        var rows: [(String, String)] = []
        // No mail attached: what the employee typed in the mail form, marked as typed.
        if !report.evidence.contains(where: { $0.email != nil }), let typed = report.typedMail {
            let mark = ConsultantWords.text(.asTyped, report.language)
            if let from = typed.from { rows.append((t("差出人（From）", "Sender (From)"), from + mark)) }
            if let subject = typed.subject { rows.append((t("件名", "Subject"), subject + mark)) }
        }
        for line in report.evidence {
            if let mail = line.email {
                if let from = mail.from { rows.append((t("差出人（From）", "Sender (From)"), from)) }
                if let replyTo = mail.replyTo {
                    let differs = MailIndicators.address(replyTo).lowercased() != mail.from.map { MailIndicators.address($0).lowercased() }
                    rows.append(("Reply-To", replyTo + (differs ? t("（From と異なる）", " (differs from From)") : "")))
                }
                if let subject = mail.subject { rows.append((t("件名", "Subject"), subject)) }
                if let id = mail.messageID { rows.append(("Message-ID", id)) }
                let ips = MailIndicators.receivedIPs(mail)
                if !ips.isEmpty { rows.append((t("Received の IP アドレス", "Received-chain IPs"), ips.joined(separator: ", "))) }
                for attachment in mail.attachments {
                    rows.append((t("メールの添付ファイル", "Mail attachment"), "\(attachment.name) — sha256 `\(attachment.sha256)`"))
                }
            }
            if let emocheck = line.emocheck, emocheck.infected == true {
                for process in emocheck.processes {
                    rows.append(("EmoCheck", [process.name, process.imagePath, process.registryKey].compactMap { $0 }.joined(separator: " — ")))
                }
            }
            rows.append((t("証拠ファイル", "Evidence file"), "\(line.file.name) — sha256 `\(line.file.sha256)`"))
        }
        if !report.remoteAddresses.isEmpty {
            rows.append((t("通信先（収集した接続の一覧から）", "Remote addresses (from the collected connections)"),
                         report.remoteAddresses.joined(separator: ", ")))
        }
        let addresses = report.host.interfaces.flatMap { interface in interface.addresses.map { "\($0) (\(interface.name))" } }
        if !addresses.isEmpty { rows.append((t("このパソコンのアドレス", "This PC's addresses"), addresses.joined(separator: ", "))) }
        guard !rows.isEmpty else { return [] }
        var out = ["## " + t("指標（まず確認すること）", "Indicators (look these up first)"), "", "| | |", "|---|---|"]
        for (key, value) in rows { out.append("| \(cell(key)) | \(cell(value)) |") }
        out.append("")
        return out
    }


    /// The playbook's deadlines, counted from when the incident was noticed: due time in the
    /// session's time zone, what it is, whether it applies, its note and link; all estimates.
    static func deadlines(_ report: Report, _ t: (String, String) -> String) -> [String] {
        guard let noticed = report.noticed, !report.deadlines.isEmpty else { return [] }
        let context = PlaceholderContext(language: report.language, hostName: report.host.name, userName: report.host.user,
                                         sessionID: report.incidentID, sessionStarted: report.started, contacts: report.contacts)
        func render(_ text: LocalizedText?) -> String { context.render(text, playbook: report.playbook, answers: report.answers) }
        var out = ["## " + t("期限（目安）", "Deadlines (estimates)"), ""]
        let from: String
        switch noticed.source {
        case .sessionStarted:
            from = t("この対応を始めた時刻（発覚した時刻の入力なし）", "when this response started (no time of discovery was entered)")
        case .typed(let typed):
            from = t("本人が入力した発覚時刻「\(typed)」", "the time of discovery the person entered, \"\(typed)\"")
        case .unreadable(let typed):
            from = t("この対応を始めた時刻（入力された発覚時刻「\(typed)」は日時として読めませんでした）",
                     "when this response started (the time of discovery entered, \"\(typed)\", could not be read as a date and time)")
        case .later(let typed):
            from = t("この対応を始めた時刻（入力された発覚時刻「\(typed)」が対応の開始より後のため使いませんでした）",
                     "when this response started (the time of discovery entered, \"\(typed)\", is later than the start and was not used)")
        }
        out.append(t("起点（発覚）: ", "Counted from (noticed): ") + "**\(DeadlineClock.readable(noticed.time))** — " + cell(from))
        out.append("")
        out.append(t("いずれも見込み（estimate）です。時刻はこの記録のタイムゾーン、日数は暦日で数えています（営業日の計算はしていません）。起算日の扱いなどは、備考と参照先で確かめてください。",
                     "Every date is an estimate: times are in this record's time zone and days are calendar days (no business-day arithmetic). Check how the days are counted against the note and link."))
        out.append("")
        out.append("| " + t("期限（見込み）", "Due (estimate)") + " | " + t("内容", "What") + " | " + t("該当", "Applies")
                   + " | " + t("備考", "Note") + " | " + t("参照先", "Link") + " |")
        out.append("|---|---|---|---|---|")
        for line in report.deadlines {
            let applies = line.applies ? t("該当", "applies")
                : t("該当しない（この記録の回答では条件が成り立たない）", "does not apply (its condition does not hold on this record's answers)")
            out.append("| \(DeadlineClock.readable(line.due)) (\(line.deadline.after.value)) | \(cell(render(line.deadline.title))) | \(cell(applies)) | "
                       + "\(cell(line.deadline.note.map(render) ?? "—")) | \(cell(line.deadline.url ?? "—")) |")
        }
        out.append("")
        return out
    }

    /// The documents the playbook drafts from this record, and the command that prints each.
    static func documents(_ report: Report, _ t: (String, String) -> String) -> [String] {
        let entries = DocumentDraft.list(report)
        guard !entries.isEmpty else { return [] }
        var out = ["## " + t("下書きできる文書", "Documents drafted from this record"), ""]
        for entry in entries {
            let command = "`incident-wizard report <" + t("このフォルダー", "this folder") + "> --document \(entry.id)`"
            out.append("- \(cell(entry.title)) (" + t("作成: ", "for: ") + entry.audience.rawValue + ") — "
                       + (entry.applies ? command : t("この記録では該当しない", "does not apply to this record")))
        }
        out.append("")
        return out
    }

    public static func render(_ report: Report) -> String {
        let ja = report.language == "ja"
        let words = Vocabulary(language: report.language)
        func t(_ japanese: String, _ english: String) -> String { ja ? japanese : english }
        let none = "—"
        var out: [String] = []
        if report.drill {
            out.append("> **\(t("訓練（DRILL）: これは訓練の記録です。実際のインシデントではありません。", "DRILL: this is a training record, not a real incident."))**")
            out.append("")
        }
        out.append("# " + t("インシデント報告", "Incident report") + (report.drill ? " (DRILL)" : "") + ": " + cell(report.playbook.title.resolved(report.language)))
        out.append("")
        out += indicators(report, t)
        out.append("## " + t("概要", "Summary"))
        out.append("")
        var summary: [(String, String)] = [
            (t("インシデント ID", "Incident ID"), report.incidentID),
            (t("状態", "Status"), report.finished ? t("完了", "finished") + (report.outcome.map { " (\($0))" } ?? "")
                : report.abandoned ? t("閉じられた（完了せずに、新しい対応が始められた）", "closed without finishing (a new response was started)")
                : t("途中（未完了）", "in progress (not finished)")),
            (t("担当者（ユーザー）", "Person (user)"), report.host.person),
            (t("パソコン", "PC"), "\(report.host.name) — \(report.host.os), kernel \(report.host.kernel)"),
            (t("タイムゾーン", "Time zone"), report.host.timezone),
            (t("開始", "Started"), report.started),
            (t("終了", "Finished"), report.finishedAt ?? none),
            (t("プレイブック", "Playbook"), "\(report.playbookID) \(report.playbookRevision ?? "") (sha256 \(report.playbookSHA256.prefix(16))…)"),
        ]
        if let fallback = report.reportsFallback {
            summary.append((t("記録の保存先", "Where this record is kept"),
                            t("利用者の予備フォルダー \(fallback.directory)（いつもの保存先 \(fallback.wanted) は使えませんでした: \(fallback.detail)）",
                              "the user's private fallback folder \(fallback.directory) (the reports folder \(fallback.wanted) could not be used: \(fallback.detail))")))
        }
        if let first = report.steps.first(where: { $0.type == "choice" && $0.answer != nil }) {
            summary.append((t("何が起きたか", "What happened"), first.shown))
        }
        for step in report.steps {
            switch step.answer {
            case .network(let outcome)?:
                summary.append((t("ネットワーク切断", "Network disconnected"),
                                outcome.disconnected ? t("切断を確認: ", "confirmed at ") + outcome.checkedAt
                                    : t("切断できず（", "not disconnected (") + outcome.method.rawValue + t("）", ")")))
            // An await step repeats its scan's verdict (unless it ran the scan again itself).
            case .scan?  where step.repeatsItsScan(in: report):
                break
            case .scan(let outcome)?:
                let detections = report.commands.last { $0.step == step.id }?.detections.count ?? 0
                summary.append((t("スキャン結果", "Scan verdict"), words.verdict(outcome.verdict) + " (\(outcome.verdict.rawValue))"
                                + (detections > 0 ? t("、検出 \(detections) 件", ", \(detections) detection(s)") : "")))
            case .notify(let outcome)?:
                let name = outcome.reached.flatMap { report.contacts[$0]?.name.resolved(report.language) } ?? outcome.reached
                summary.append((t("連絡", "Notified"), name.map { "\($0)" + (outcome.spokeWith.isEmpty ? "" : " (\(outcome.spokeWith))") + t(" に連絡: ", " at ") + outcome.at }
                                ?? t("連絡つかず（あとでかけ直す）: ", "not reached (call later): ") + outcome.at))
                if !outcome.attempts.isEmpty {
                    let tries = outcome.attempts.map { attempt in
                        let who = report.contacts[attempt.contact]?.name.resolved(report.language) ?? attempt.contact
                        let result: String
                        switch attempt.result {
                        case .reached: result = t("つながった", "reached")
                        case .noAnswer: result = t("応答なし", "no answer")
                        case .later: result = t("あとでかけ直す", "call later")
                        }
                        return "\(who) (\(result), \(attempt.at))"
                    }
                    summary.append((t("連絡の試み", "Attempts"), tries.joined(separator: t("、", "; "))))
                }
            default:
                break
            }
        }
        out.append("| | |")
        out.append("|---|---|")
        for (key, value) in summary { out.append("| \(cell(key)) | \(cell(value)) |") }
        out.append("")
        out += deadlines(report, t)
        out += documents(report, t)
        out.append("## " + t("経過", "Timeline"))
        out.append("")
        out.append("| " + t("時刻", "Time") + " | " + t("出来事", "What happened") + " |")
        out.append("|---|---|")
        for line in report.story {
            let what: String
            switch line.kind {
            case .started: what = t("対応を開始", "Response started")
            case .answered: what = t("回答", "Answered")
            case .back: what = t("前の手順に戻った", "Went back")
            case .attempt: what = t("連絡を試みた", "Tried to reach")
            case .attached: what = t("証拠を添付", "Evidence attached")
            case .refused: what = t("添付できなかったファイル", "File not attached")
            case .scanned: what = t("スキャン結果", "Scan result")
            case .collected: what = t("情報を収集", "Information collected")
            case .suspended: what = t("中断", "Stopped")
            case .resumed: what = t("再開", "Resumed")
            case .finished: what = t("完了", "Finished")
            case .abandoned: what = t("この記録を閉じた（新しく始めた）", "Closed this record (started afresh)")
            }
            out.append("| \(line.time) | \(cell(what + (line.detail.isEmpty ? "" : ": " + line.detail))) |")
        }
        out.append("")
        out.append("## " + t("回答", "Answers"))
        out.append("")
        out.append("| " + t("手順", "Step") + " | " + t("質問", "Question") + " | " + t("回答", "Answer") + " | " + t("回答時刻", "Answered") + " |")
        out.append("|---|---|---|---|")
        for step in report.steps {
            // Answers replaced after going back, struck through and marked, before the one that counts.
            for earlier in step.superseded {
                out.append("| \(step.id) | \(cell(step.title)) | ~~\(cell(earlier.shown.isEmpty ? "✓" : earlier.shown))~~ "
                           + t("（戻って回答し直した）", "(superseded: answered again after going back)") + " | \(earlier.time) |")
            }
            let answer = step.skipped ? t("（省略）", "(skipped)") : (step.answer == nil ? none : (step.shown.isEmpty ? "✓" : step.shown))
            out.append("| \(step.id) | \(cell(step.title)) | \(cell(answer)) | \(step.answered ?? none) |")
        }
        out.append("")
        if report.drill, !report.stepTimes.isEmpty {
            out.append("## " + t("手順ごとの時間（訓練）", "Time per step (drill)"))
            out.append("")
            out.append("| " + t("手順", "Step") + " | " + t("時間", "Time") + " |")
            out.append("|---|---|")
            for line in report.stepTimes { out.append("| \(line.step) | \(StepTimes.format(milliseconds: line.milliseconds)) |") }
            out.append("")
        }
        out.append("## " + t("証拠", "Evidence"))
        out.append("")
        if report.evidence.isEmpty {
            out.append(t("（なし）", "(none)"))
        } else {
            out.append("| " + t("ファイル", "File") + " | SHA-256 | " + t("サイズ", "Size") + " | " + t("元", "Source") + " |")
            out.append("|---|---|---|---|")
            for line in report.evidence {
                out.append("| \(cell(line.file.name)) | `\(line.file.sha256)` | \(line.file.size) | \(cell(line.file.source)) |")
            }
        }
        for reason in report.refusedEvidence { out.append("- " + t("受け付けなかったファイル: ", "Refused: ") + cell(reason)) }
        out.append("")
        for line in report.evidence {
            guard let result = line.emocheck else { continue }
            out.append("### EmoCheck: " + cell(line.file.name))
            out.append("")
            let verdict = result.infected.map { $0 ? t("**Emotet を検知**", "**Emotet detected**") : t("検知なし", "not detected") }
                ?? t("不明", "unknown")
            out.append(t("結果: ", "Result: ") + verdict + " — " + t("スキャン時刻 ", "scanned ") + cell(result.scanTime ?? "—")
                       + t("（現地時刻）、ホスト ", " (local time), host ") + cell(result.hostname ?? "—") + ", EmoCheck " + cell(result.version ?? "—"))
            if !result.processes.isEmpty {
                out.append("")
                out.append("| " + t("プロセス名", "Process") + " | PID | " + t("イメージパス", "Image path") + " | " + t("レジストリキー", "Registry key") + " |")
                out.append("|---|---|---|---|")
                for process in result.processes {
                    out.append("| \(cell(process.name ?? "—")) | \(cell(process.id ?? "—")) | \(cell(process.imagePath ?? "—")) | \(cell(process.registryKey ?? "—")) |")
                }
            }
            out.append("")
        }
        for line in report.evidence {
            guard let mail = line.email else { continue }
            out.append("### " + t("メールのヘッダー: ", "Mail headers: ") + cell(line.file.name))
            out.append("")
            out.append("| " + t("項目", "Header") + " | " + t("値", "Value") + " |")
            out.append("|---|---|")
            let rows: [(String, String?)] = [("From", mail.from), ("Reply-To", mail.replyTo), ("To", mail.to), ("Subject", mail.subject),
                                             ("Date", mail.date), ("Message-ID", mail.messageID)]
            for (name, value) in rows { out.append("| \(name) | \(cell(value ?? none)) |") }
            for (index, hop) in mail.received.enumerated() { out.append("| Received \(index + 1) | \(cell(hop)) |") }
            out.append("")
            if !mail.attachments.isEmpty {
                out.append("| " + t("添付ファイル", "Attachment") + " | " + t("種類", "Type") + " | " + t("サイズ", "Size") + " | SHA-256 |")
                out.append("|---|---|---|---|")
                for attachment in mail.attachments {
                    out.append("| \(cell(attachment.name)) | \(cell(attachment.contentType)) | \(attachment.size) | `\(attachment.sha256)` |")
                }
                out.append("")
            }
        }
        let scans = report.commands.filter { $0.verdict != nil || !$0.detections.isEmpty }
        if !scans.isEmpty {
            out.append("## " + t("スキャナーの出力（抜粋）", "Scanner output (excerpt)"))
            for command in scans {
                out.append("")
                out.append("`\(cell(command.argv.joined(separator: " ")))` — \(command.verdict ?? "") "
                           + (command.exitCode.map { "exit \($0)" } ?? command.failure.map(cell) ?? ""))
                out.append("")
                out.append("```")
                for line in command.detections + (command.detections.isEmpty ? command.tail : []) {
                    out.append(Sanitizer.neutralise(line, keepNewlines: false).replacingOccurrences(of: "```", with: "ˋˋˋ"))
                }
                out.append("```")
            }
            out.append("")
        }
        out.append("## " + t("記録の全件（journal.jsonl）", "Every journal event (journal.jsonl)"))
        out.append("")
        out.append("| " + t("時刻", "Time") + " | " + t("出来事", "Event") + " | " + t("内容", "Detail") + " |")
        out.append("|---|---|---|")
        for line in report.timeline { out.append("| \(line.time) | \(line.event) | \(cell(line.detail)) |") }
        out.append("")
        out.append("## " + t("完全性", "Integrity"))
        out.append("")
        out.append(t("記録: ", "Journal: ") + "\(report.journalEntries) " + t("件", "entries") + ", " + t("最後のハッシュ", "last hash") + " `\(report.journalLastHash)`"
                   + (CheckCode.of(hash: report.journalLastHash).map { t("、確認コード ", ", check code ") + "**\($0)**" } ?? ""))
        out.append("")
        out.append(t("確認方法: `incident-wizard verify <このフォルダー>` を実行してください。手作業では、journal.jsonl の各行の `prev` が前の行（改行を含む）の SHA-256 と一致すること（`sed -n 'Np' journal.jsonl | sha256sum`）、evidence/ のファイルの SHA-256 が上の表と一致することを確かめます。",
                     "To verify: run `incident-wizard verify <this folder>`. By hand: each line's `prev` in journal.jsonl is the SHA-256 of the line before it, newline included (`sed -n 'Np' journal.jsonl | sha256sum`), and the files in evidence/ have the SHA-256 listed above."))
        return out.joined(separator: "\n") + "\n"
    }

    /// Text made safe inside a Markdown table cell: no control characters, no pipes breaking the
    /// row, line breaks (a multi-line answer) as `<br>`.
    static func cell(_ text: String) -> String {
        let clean = Sanitizer.neutralise(text).trimmingCharacters(in: .newlines)
        // A one-line value with angle brackets (`Sato <sato@example.jp>`) reads the same raw and
        // rendered as a code span; otherwise `<` is escaped with a backslash (never an entity
        // that shows as `&lt;` in the raw file), and every line break is `<br>`.
        if clean.contains("<") || clean.contains(">"), !clean.contains("\n"), !clean.contains("`") {
            return "`" + clean.replacingOccurrences(of: "|", with: "\\|") + "`"
        }
        return clean.replacingOccurrences(of: "|", with: "\\|")
            .replacingOccurrences(of: "<", with: "\\<").replacingOccurrences(of: "\n", with: "<br>")
    }
}

/// The consultant's words outside report.md itself (drafted documents, the exports' deadline
/// lists, `report --document`), kept beside the report's own: the employee's are all in Vocabulary.
public enum ConsultantWords {
    public enum Key: Sendable {
        case asTyped, drillDraft, deadlinesTitle, dueEstimate, countedFrom, deadlinesGroup, draftsCategory
        case doesNotApply, applies, documentDoesNotApply, writtenBy, noDocuments
        case afterNoticed(String), summaryHead(String)
    }

    public static func text(_ key: Key, _ language: String) -> String {
        let (ja, en): (String, String)
        switch key {
        case .asTyped: (ja, en) = ("（本人の入力）", " (as typed)")
        case .drillDraft: (ja, en) = ("訓練（DRILL）: 訓練の記録から作成した下書きです。提出しないでください。",
                                      "DRILL: drafted from a training record; do not submit it.")
        case .deadlinesTitle: (ja, en) = ("期限（見込み）", "Deadlines (estimates)")
        case .dueEstimate: (ja, en) = ("期限（見込み）: ", "Due (estimate): ")
        case .countedFrom: (ja, en) = ("起点（発覚）: ", "Counted from (noticed): ")
        case .deadlinesGroup: (ja, en) = ("期限", "deadlines")
        case .draftsCategory: (ja, en) = ("下書き", "drafts")
        case .doesNotApply: (ja, en) = ("（この記録では該当しない）", " (does not apply to this record)")
        case .applies: (ja, en) = ("該当", "applies")
        case .documentDoesNotApply: (ja, en) = ("該当しない（この記録では条件が成り立たない）",
                                                "does not apply (its condition does not hold on this record)")
        case .writtenBy: (ja, en) = ("作成: ", "for: ")
        case .noDocuments: (ja, en) = ("このプレイブックには文書の下書きがありません。", "The playbook drafts no documents.")
        case .afterNoticed(let after): (ja, en) = ("（発覚から \(after)）", " (\(after) after it was noticed)")
        case .summaryHead(let noticed): (ja, en) = ("期限（見込み、発覚 \(noticed) から暦日で計算）",
                                                    "Deadlines (estimates, noticed \(noticed), calendar days)")
        }
        return language == "ja" ? ja : en
    }
}
