import Foundation
import IncidentCore
import Testing

/// Deadlines and documents (issue 30) end to end: counted in the session's time zone from when the
/// incident was noticed, in report.md and report.json, drafted by `report DIR --document`, carried
/// by the TheHive case, and never on the employee's screens.
@Suite(.serialized) struct DeadlineCLITests {
    static let playbook = """
        playbook: 1
        id: deadline-test
        title: Deadline test
        languages: [en]
        contacts:
          boss: {name: The Boss, phone: "03-1111-2222", email: boss@example.test, verified: 2026-12-01}
        steps:
          - id: what
            type: choice
            title: What happened?
            options:
              - {value: opened, label: I opened it}
              - {value: not-opened, label: I did not open it}
          - id: form
            type: input
            title: About the mail
            fields:
              - {id: noticed, label: When did you notice?}
              - {id: sender, label: Sender}
              - {id: subject, label: Subject}
          - {id: net, type: network, title: Disconnect}
          - {id: scan, type: scan, title: Scan, command: [/bin/sh, -c, "exit 0"], verdicts: {0: clean}}
          - {id: call, type: notify, title: Call, contact: boss}
          - {id: done, type: end, title: Done}
        deadlines:
          - {id: soon, title: SOON-DEADLINE-TITLE, after: 3d, when: {step: what, is: opened}, note: SOON-NOTE, url: "https://example.test/soon"}
          - {id: later, title: LATER-DEADLINE-TITLE, after: 30d}
          - {id: never, title: NEVER-DEADLINE-TITLE, after: 1d, when: {step: what, is: not-opened}}
        documents:
          - id: draft
            title: DRAFT-TITLE
            body: |
              host {{host.name}} user {{user.name}} id {{session.id}} started {{session.started}} now {{now}} dir {{report.dir}}
              what {{answer.what}} noticed {{answer.form.noticed}} call {{answer.call}}
              contact {{contact.boss.name}} {{contact.boss.phone}} {{contact.boss.email}}
              scan {{scan.scan}} soon {{deadline.soon}} never {{deadline.never}} off {{network.disconnected_at}}
              from {{mail.from}} subject {{mail.subject}}
              [TO FILL] the rest
          - {id: notice, title: NOTICE-TITLE, for: admin, when: {step: what, is: not-opened}, body: NOTICE-BODY}

        """

    /// Walks the playbook in plain mode in Tokyo's time zone; the employee says they noticed it on
    /// 30 November at 23:30 (no year: this year's, or last year's if that is still to come).
    func walk() throws -> (stdout: String, folder: URL) {
        let directory = try Wizard.temporaryDirectory()
        let file = directory.appendingPathComponent("deadline-test.yaml")
        try Self.playbook.write(to: file, atomically: true, encoding: .utf8)
        let reports = directory.appendingPathComponent("reports")
        let result = try Wizard.run(["run", file.path, "--plain", "--reports", reports.path],
                                    input: "1\n11/30 23:30\nbob@example.test\nHello invoice\n2\n\n1\nBoss\n\n",
                                    environment: ["HOME": directory.path, "TZ": "Asia/Tokyo"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        return (result.stdout, try Wizard.reportFolder(reports))
    }

    @Test func dueTimesAreCountedInTheSessionsZoneAndListedForTheConsultantOnly() throws {
        let (stdout, folder) = try walk()
        for hidden in ["SOON-DEADLINE-TITLE", "LATER-DEADLINE-TITLE", "NEVER-DEADLINE-TITLE", "SOON-NOTE", "DRAFT-TITLE", "NOTICE-BODY",
                       "Deadlines", "estimate"] {
            #expect(!stdout.contains(hidden), "the employee saw \(hidden): \(stdout)")
        }
        let report = try #require(JSONValue.parse(try Data(contentsOf: folder.appendingPathComponent("report.json"))))
        let deadlines = try #require(report["deadlines"]?.array)
        #expect(deadlines.map { $0["id"]?.string } == ["soon", "later", "never"])
        // 30 November 23:30 in Tokyo (14:30 UTC): 3 days on is 3 December, across the month's end.
        #expect(deadlines[0]["due"]?.string?.hasSuffix("-12-03T23:30:00.000+09:00") == true, "\(deadlines)")
        #expect(deadlines[1]["due"]?.string?.hasSuffix("-12-30T23:30:00.000+09:00") == true, "\(deadlines)")
        #expect(deadlines.map { $0["applies"]?.bool } == [true, true, false])
        #expect(deadlines[0]["title"]?.string == "SOON-DEADLINE-TITLE")
        let schema = try Wizard.python(["-c", """
            import json, sys, jsonschema
            jsonschema.Draft202012Validator(json.load(open(sys.argv[1]))).validate(json.load(open(sys.argv[2])))
            """, Wizard.packageRoot.appendingPathComponent("docs/report.schema.json").path, folder.appendingPathComponent("report.json").path])
        #expect(schema.status == 0, "\(schema.errors)")
        let markdown = try String(contentsOf: folder.appendingPathComponent("report.md"), encoding: .utf8)
        #expect(markdown.contains("## Deadlines (estimates)"))
        #expect(markdown.contains("the time of discovery the person entered, \"11/30 23:30\""))
        #expect(markdown.contains("-12-03 23:30 (+09:00) (3d) | SOON-DEADLINE-TITLE | applies | SOON-NOTE | https://example.test/soon |"), "\(markdown)")
        #expect(markdown.contains("| NEVER-DEADLINE-TITLE | does not apply"), "\(markdown)")
        #expect(markdown.contains("- DRAFT-TITLE (for: consultant) — `incident-wizard report <this folder> --document draft`"))
        #expect(markdown.contains("- NOTICE-TITLE (for: admin) — does not apply to this record"))
        // `report` rebuilds the same.
        let again = try Wizard.run(["report", folder.path])
        #expect(again.stdout == markdown)
        #expect(Wizard.verifyStatus(folder) == 0)
    }

    @Test func documentsAreDraftedFromTheRecordAndListed() throws {
        let (_, folder) = try walk()
        let list = try Wizard.run(["report", folder.path, "--document"])
        #expect(list.status == 0)
        #expect(list.stdout.split(separator: "\n").map(String.init) == [
            "draft\tDRAFT-TITLE\tfor: consultant\tapplies",
            "notice\tNOTICE-TITLE\tfor: admin\tdoes not apply (its condition does not hold on this record)",
        ])
        let draft = try Wizard.run(["report", folder.path, "--document", "draft"])
        #expect(draft.status == 0, "\(draft.stderr)")
        let text = draft.stdout
        #expect(text.hasPrefix("# DRAFT-TITLE\n"))
        #expect(!text.contains("{{") && !text.contains("—"), "a placeholder left unfilled: \(text)")
        #expect(text.contains("what I opened it noticed 11/30 23:30 call The Boss (Boss)"), "\(text)")
        #expect(text.contains("contact The Boss 03-1111-2222 boss@example.test"))
        #expect(text.contains("scan nothing found soon 23:30, 3 December never 23:30, 1 December (does not apply to this record)"), "\(text)")
        #expect(text.contains("off still connected") || text.contains("off ") && text.contains("December"), "\(text)")
        #expect(text.contains("from bob@example.test (as typed) subject Hello invoice (as typed)"))
        #expect(text.contains("dir \(folder.standardizedFileURL.path)"))
        #expect(text.contains("\n[TO FILL] the rest\n"))
        let notApplying = try Wizard.run(["report", folder.path, "--document", "notice"])
        #expect(notApplying.status == 1 && notApplying.stdout.isEmpty)
        #expect(notApplying.stderr.contains("does not apply to this record"))
        let unknown = try Wizard.run(["report", folder.path, "--document", "nope"])
        #expect(unknown.status == 1 && unknown.stderr.contains("it has: draft, notice"), "\(unknown.stderr)")
    }

    @Test(.enabled(if: ExportTests.checkers, "thehive4py and typeguard are installed by the README's test command"))
    func theTheHiveCaseCarriesTheApplyingDeadlinesAsTasksAndTheDraftsAsPages() throws {
        let (_, folder) = try walk()
        let file = try Wizard.temporaryDirectory().appendingPathComponent("case.json")
        let result = try Wizard.run(["export", folder.path, "--format", "thehive-case", "--output", file.path])
        #expect(result.status == 0, "\(result.stderr)")
        try ExportTests().check("thehive-case", file)
        let hive = try #require(JSONValue.parse(try Data(contentsOf: file)))
        let tasks = hive["tasks"]?.array ?? []
        #expect(tasks.map { $0["title"]?.string } == ["SOON-DEADLINE-TITLE", "LATER-DEADLINE-TITLE"])
        let report = try #require(JSONValue.parse(try Data(contentsOf: folder.appendingPathComponent("report.json"))))
        let due = try #require(report["deadlines"]?.array?.first?["due"]?.string)
        #expect(tasks.first?["dueDate"]?.int == StepTimes.milliseconds(due))
        #expect(hive["pages"]?.array?.map { $0["title"]?.string } == ["DRAFT-TITLE"])
        #expect(hive["pages"]?.array?.first?["content"]?.string?.contains("from bob@example.test (as typed)") == true)
    }

    /// The full-screen interface: no screen of the walk shows a deadline or a document.
    @Test func theFullScreenNeverShowsADeadline() throws {
        let run = try TerminalUITests.Run()
        let file = run.home.appendingPathComponent("deadline-screen.yaml")
        try """
            playbook: 1
            id: deadline-screen
            title: Deadline screen
            languages: [en]
            steps:
              - id: pick
                type: choice
                title: Pick one
                options: [{value: red, label: Red}, {value: blue, label: Blue}]
              - {id: info, type: info, title: An info screen, text: Read this}
              - {id: z, type: end, title: The end screen}
            deadlines:
              - {id: d, title: SCREEN-DEADLINE, after: 72h, note: SCREEN-NOTE, when: {step: pick, is: red}}
            documents:
              - {id: doc, title: SCREEN-DOCUMENT, body: "Due {{deadline.d}}"}

            """.write(to: file, atomically: true, encoding: .utf8)
        try run.tmux.start("\(Tmux.quote(Wizard.binary)) run \(Tmux.quote(file.path)) --reports \(Tmux.quote(run.reports))",
                           environment: run.environment)
        let t = run.tmux
        var screens: [String] = []
        try t.wait(for: "Pick one")
        screens.append(try t.screen())
        try t.send("1")
        try t.wait(for: "An info screen")
        screens.append(try t.screen())
        try t.send("Enter")
        try t.wait(for: "The end screen")
        screens.append(try t.screen())
        try t.send("Enter")
        #expect(try t.waitForExit() == 0)
        for screen in screens {
            #expect(!screen.contains("SCREEN-DEADLINE") && !screen.contains("SCREEN-NOTE") && !screen.contains("SCREEN-DOCUMENT"), "\(screen)")
        }
        let markdown = try String(contentsOfFile: try run.folder() + "/report.md", encoding: .utf8)
        #expect(markdown.contains("SCREEN-DEADLINE"), "the deadline is in the report, for the consultant")
    }

    /// A finished Emotet walk (the attachment opened): the nine-item draft of the PPC report.
    @Test func theEmotetWalkDraftsTheNineItemLeakReport() throws {
        let folder = try ExportTests().folders()[0]
        let list = try Wizard.run(["report", folder.path, "--document"])
        #expect(list.stdout.hasPrefix("ppc-leak-report\t漏えい等報告（速報）の下書き\t作成: admin\t該当"), "\(list.stdout)")
        let draft = try Wizard.run(["report", folder.path, "--document", "ppc-leak-report"])
        #expect(draft.status == 0, "\(draft.stderr)")
        let text = draft.stdout
        let headings = text.split(separator: "\n").filter { $0.hasPrefix("## ") }.map(String.init)
        #expect(headings == ["## 1. 概要", "## 2. 漏えい等が発生し、又は発生したおそれがある個人データの項目",
                             "## 3. 漏えい等が発生し、又は発生したおそれがある個人データに係る本人の数", "## 4. 原因",
                             "## 5. 二次被害又はそのおそれの有無及びその内容", "## 6. 本人への対応の実施状況", "## 7. 公表の実施状況",
                             "## 8. 再発防止のための措置", "## 9. その他参考となる事項"], "\(text)")
        #expect(!text.contains("{{"))
        #expect(text.contains("添付ファイル（Word・Excel・ZIPなど）を開いた"))
        #expect(text.contains("yamada@example-bad.test"), "the sender from the attached .eml")
        #expect(text.contains("社内への連絡: ") && text.contains("(田中)"))
        #expect(text.split(separator: "\n").filter { $0.hasPrefix("【要記入】") }.count >= 9)
        #expect(text.contains("https://www.ppc.go.jp/personalinfo/legal/leakAction/"))
        let report = try #require(JSONValue.parse(Data(try Wizard.run(["report", folder.path, "--format", "json"]).stdout.utf8)))
        #expect(report["deadlines"]?.array?.map { $0["id"]?.string } == ["ppc-preliminary", "ppc-final-30d", "ppc-final-60d"])
        #expect(report["deadlines"]?.array?.allSatisfy { $0["applies"]?.bool == true } == true)
    }

    /// Someone else's mail in the employee's name, nothing opened: the PPC deadlines do not apply,
    /// and the draft is refused.
    @Test func theEmotetDeadlinesDoNotApplyWhenNothingWasOpened() throws {
        let home = try Wizard.temporaryDirectory()
        let result = try Wizard.run(["run", "emotet", "--plain", "--lang", "en", "--reports", home.path + "/r"],
                                    input: "\n1\n", environment: ["HOME": home.path])
        let folder = try Wizard.reportFolder(home.appendingPathComponent("r"))
        #expect(result.status == 3 || result.status == 0)
        let report = try #require(JSONValue.parse(Data(try Wizard.run(["report", folder.path, "--format", "json"]).stdout.utf8)))
        #expect(report["deadlines"]?.array?.map { $0["applies"]?.bool } == [false, false, false])
        let markdown = try Wizard.run(["report", folder.path]).stdout
        #expect(markdown.contains("does not apply (its condition does not hold"))
        #expect(try Wizard.run(["report", folder.path, "--document", "ppc-leak-report"]).status == 1)
    }
}
