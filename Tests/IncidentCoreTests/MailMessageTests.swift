import Foundation
import Testing
@testable import IncidentCore

/// Reading a suspicious `.eml` as data: headers (RFC 2047 words in ISO-2022-JP and UTF-8), the
/// Received chain, and the attachments' names (RFC 2231 and encoded words) with their SHA-256.
@Suite struct MailMessageTests {
    static let fixture = TestPaths.fixtures.appendingPathComponent("mail/suspicious-invoice.eml")
    static let wordAttachment = "398e7370e070e7b0ab8ac03529b56ea12a5ac12c90ae39257f1e35a13c51cf03"
    static let memoAttachment = "bc1ea2a18adda28241885de08993e4a19cd7baed08fd526e41ba6e4ef589a517"

    @Test func headersOfAJapaneseEmotetStyleMail() throws {
        let mail = MailMessage.parse(try Data(contentsOf: Self.fixture))
        #expect(mail.from == "山田 太郎（株式会社サンプル商事） <yamada@example-bad.test>")
        #expect(mail.replyTo == "<invoice-desk@another-bad.test>")
        #expect(mail.to == "佐藤 様 <sato@customer.example.jp>")
        #expect(mail.subject == "請求書の送付について")
        #expect(mail.date == "Sun, 29 Nov 2026 09:11:55 +0900")
        #expect(mail.messageID == "<20261129001155.77F1A2B3C4@mail.example-bad.test>")
        #expect(mail.received.count == 2)
        #expect(mail.received.first?.hasPrefix("from mail.example-bad.test (mail.example-bad.test [203.0.113.45]) by mx.customer.example.jp") == true)
        #expect(mail.received.last?.contains("[198.51.100.7]") == true)
    }

    @Test func attachmentsAreNamedAndHashedNotOpened() throws {
        let mail = MailMessage.parse(try Data(contentsOf: Self.fixture))
        #expect(mail.attachments == [
            MailSummary.Attachment(name: "請求書_1129.doc", contentType: "application/msword", size: 61, sha256: Self.wordAttachment),
            MailSummary.Attachment(name: "メモ.txt", contentType: "text/plain", size: 27, sha256: Self.memoAttachment),
        ])
    }

    @Test func encodedWords() {
        #expect(MailMessage.decodeWords("=?UTF-8?Q?caf=C3=A9_au_lait?=") == "café au lait")
        #expect(MailMessage.decodeWords("=?UTF-8?B?44GC?= =?UTF-8?B?44GE?=") == "あい")
        #expect(MailMessage.decodeWords("plain =?bogus?X?zz?= text") == "plain =?bogus?X?zz?= text")
        #expect(MailMessage.decodeWords("=?shift_jis?B?gqA=?=") == "あ")
    }

    @Test func whatCannotBeReadIsLeftOutNeverACrash() {
        #expect(MailMessage.parse(Data()) == MailSummary())
        #expect(MailMessage.parse(Data([0xFF, 0xFE, 0x00, 0x0A, 0x0A])).attachments.isEmpty)
        // A multipart that never closes, a boundary-less multipart, and a deep nesting bomb.
        let open = "Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Disposition: attachment; filename=a.bin\n\nabc"
        #expect(MailMessage.parse(Data(open.utf8)).attachments.map(\.name) == ["a.bin"])
        #expect(MailMessage.parse(Data("Content-Type: multipart/mixed\n\nbody".utf8)).attachments.isEmpty)
        var nested = ""
        for level in 0..<5000 { nested += "Content-Type: multipart/mixed; boundary=b\(level)\n\n--b\(level)\n" }
        nested += "Content-Disposition: attachment; filename=deep.bin\n\nx\n"
        #expect(MailMessage.parse(Data(nested.utf8)).attachments.isEmpty)
    }

    @Test func theSummaryRoundTripsThroughTheJournal() throws {
        let mail = MailMessage.parse(try Data(contentsOf: Self.fixture))
        #expect(MailSummary(json: mail.json) == mail)
    }
}
