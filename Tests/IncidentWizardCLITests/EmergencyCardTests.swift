import Foundation
import IncidentCore
import Testing

/// Never a dead end: a broken or missing playbook, or a broken contacts.yaml, gives the employee
/// the card built into the binary, in their language, journaled; then exit 2 and the diagnostics.
@Suite(.serialized) struct EmergencyCardTests {
    /// A playbooks directory with the shipped playbooks, the administrator's own contacts, and
    /// `emotet.yaml` (optionally) broken by a mistyped `next:`.
    static func directory(breakEmotet: Bool, breakContacts: Bool = false) throws -> URL {
        let root = try Wizard.temporaryDirectory()
        let playbooks = root.appendingPathComponent("playbooks")
        try FileManager.default.createDirectory(at: playbooks, withIntermediateDirectories: true)
        for name in ["emotet.yaml", "spoofed-mail.yaml", "readiness.yaml"] {
            var text = try String(contentsOf: Wizard.playbooks.appendingPathComponent(name), encoding: .utf8)
            if name == "emotet.yaml", breakEmotet {
                let range = try #require(text.range(of: "next: not-opened-leave"))
                text.replaceSubrange(range, with: "next: not-opened-leav")
            }
            try text.write(to: playbooks.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        try """
            contacts:
              admin:
                name: {ja: 情報システム担当 鈴木, en: Suzuki (IT)}
                phone: "03-1234-5678"
                verified: \(breakContacts ? "2026-13-45" : "2026-11-01")
              consultant:
                name: {ja: 顧問 佐藤, en: Sato (consultant)}
                phone: "03-8765-4321"
                verified: 2026-11-01
              ipa-soudan:
                name: {ja: IPA, en: IPA}
                email: anshin@example.jp
                verified: 2026-11-01
              ipa-anshin:
                name: {ja: IPA 安心相談窓口, en: IPA helpline}
                phone: "03-5978-7509"
                verified: 2026-11-01
              police:
                name: {ja: 警察, en: Police}
                phone: "#9110"
                verified: 2026-11-01

            """.write(to: playbooks.appendingPathComponent("contacts.yaml"), atomically: true, encoding: .utf8)
        return root
    }

    func start(_ t: Tmux, _ arguments: String, root: URL, language: String) throws {
        try t.start("\(Tmux.quote(Wizard.binary)) \(arguments) --playbooks \(Tmux.quote(root.path + "/playbooks")) --reports \(Tmux.quote(root.path + "/reports"))",
                    environment: ["HOME": root.path, "LANG": language, "TERM": "xterm-256color"])
    }

    /// The one emergency folder, checked: finished at once, `emergency.card` with what was shown.
    func expectRecorded(_ root: URL, shown: String) throws {
        let folder = try Wizard.reportFolder(root.appendingPathComponent("reports"))
        #expect(folder.lastPathComponent.hasSuffix("-emergency"))
        let journal = Journal.read(try Data(contentsOf: folder.appendingPathComponent("journal.jsonl")))
        #expect(journal.problems.isEmpty)
        #expect(journal.entries.map(\.event) == ["session.started", "emergency.card", "session.finished"])
        #expect(journal.entries[1]["shown"]?.string == shown)
        #expect(Wizard.verifyStatus(folder) == 0)
    }

    @Test(arguments: ["ja_JP.UTF-8", "C.UTF-8"])
    func aBrokenPlaybookGivesTheCardWithTheAdministratorsNumber(_ language: String) throws {
        try #require(Tmux.available, "tmux is needed (the README's test command installs it)")
        let root = try Self.directory(breakEmotet: true)
        let t = Tmux()
        try start(t, "run emotet", root: root, language: language)
        let japanese = language.hasPrefix("ja")
        try t.wait(for: japanese ? "落ち着いて、次の4つのことをしてください" : "Stay calm and do these four things now")
        let card = try t.screen()
        #expect(card.contains("03-1234-5678"), "\(card)")
        #expect(card.contains(japanese ? "情報システム担当 鈴木" : "Suzuki (IT)"))
        #expect(card.contains(japanese ? "電源は切らずに" : "Keep the PC switched on"))
        #expect(card.contains(japanese ? "転送も削除もしないで" : "Do not forward or delete"))
        try t.send("Enter")
        #expect(try t.waitForExit() == 2)
        let after = try t.screen(history: true)
        #expect(after.contains("names an unknown step 'not-opened-leav'"), "\(after)")
        try expectRecorded(root, shown: "admin-number")
    }

    @Test(arguments: ["ja_JP.UTF-8", "C.UTF-8"])
    func aBrokenContactsFileGivesTheCardWithThePrintedList(_ language: String) throws {
        try #require(Tmux.available, "tmux is needed (the README's test command installs it)")
        let root = try Self.directory(breakEmotet: false, breakContacts: true)
        let t = Tmux()
        try start(t, "run emotet", root: root, language: language)
        let japanese = language.hasPrefix("ja")
        try t.wait(for: japanese ? "配られた連絡先の紙" : "printed contact list")
        let card = try t.screen()
        #expect(!card.contains("03-1234-5678"), "a number from a broken file was shown: \(card)")
        try t.send("Enter")
        #expect(try t.waitForExit() == 2)
        try expectRecorded(root, shown: "printed-list")
    }

    /// A missing playbook (the administrator renamed it) is no dead end either.
    @Test func aMissingPlaybookGivesTheCard() throws {
        let root = try Self.directory(breakEmotet: false)
        let result = try Wizard.run(["run", "emotet-2026", "--plain", "--playbooks", root.path + "/playbooks", "--reports", root.path + "/reports"],
                                    environment: ["HOME": root.path, "LANG": "ja_JP.UTF-8"])
        #expect(result.status == 2)
        #expect(result.stdout.contains("落ち着いて、次の4つのことをしてください") && result.stdout.contains("03-1234-5678"), "\(result.stdout)")
        #expect(result.stderr.contains("no playbook 'emotet-2026'"))
        try expectRecorded(root, shown: "admin-number")
    }

    /// The menu lists both employee playbooks, the broken one marked; it starts neither by
    /// itself; choosing the broken one gives the card.
    @Test(arguments: ["ja_JP.UTF-8", "C.UTF-8"])
    func theMenuMarksTheBrokenPlaybookAndStartsNeither(_ language: String) throws {
        try #require(Tmux.available, "tmux is needed (the README's test command installs it)")
        let root = try Self.directory(breakEmotet: true)
        let t = Tmux()
        try start(t, "", root: root, language: language)
        let japanese = language.hasPrefix("ja")
        try t.wait(for: japanese ? "どれに近いですか" : "Which is closest to what happened?")
        let menu = try t.screen()
        #expect(menu.contains(japanese ? "（いまは使えません" : "(not available right now"), "\(menu)")
        #expect(menu.contains(japanese ? "自分の名前で" : "in my name"), "\(menu)")
        #expect(try t.exitStatus() == nil)
        try t.send("1")
        try t.wait(for: japanese ? "落ち着いて、次の4つのことをしてください" : "Stay calm and do these four things now")
        try t.send("Enter")
        #expect(try t.waitForExit() == 2)
        try expectRecorded(root, shown: "admin-number")
    }
}
