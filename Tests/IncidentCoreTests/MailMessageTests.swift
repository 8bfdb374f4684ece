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

    /// The edges of RFC 2047 as the reader has always taken them: what is not a whole word stays
    /// as it was written, whitespace goes only between two words.
    @Test func trickyEncodedWords() {
        #expect(MailMessage.decodeWords("=?UTF-8?B?44GC?=\t =?UTF-8?Q?=E3=81=84?= x =?UTF-8?B?44GG?=") == "あい x う")
        #expect(MailMessage.decodeWords("a=?UTF-8?B?44GC?=b") == "aあb")
        #expect(MailMessage.decodeWords("=?") == "=?")
        #expect(MailMessage.decodeWords("x =?UTF-8?B?44GC") == "x =?UTF-8?B?44GC")
        #expect(MailMessage.decodeWords("=?UTF-8?B?44GC?") == "=?UTF-8?B?44GC?")
        #expect(MailMessage.decodeWords("==?UTF-8?B?44GC?==") == "=あ=")
        #expect(MailMessage.decodeWords("=?=?UTF-8?B?44GC?=") == "=?あ")
        #expect(MailMessage.decodeWords("=?a?b?c =?UTF-8?B?44GC?=") == "=?a?b?c あ")
        #expect(MailMessage.decodeWords("=?bogus?X?zz?= =?UTF-8?B?44GC?=") == "=?bogus?X?zz?= あ")
        #expect(MailMessage.decodeWords("=?UTF-8?B?44GC?= =?bogus?X?zz?=") == "あ =?bogus?X?zz?=")
        #expect(MailMessage.decodeWords("=?UTF-8?B?44GC?=  plain   =?UTF-8?B?44GE?=") == "あ plain い")
        // Padding left off, lower-case encoding, language tag, and an empty word.
        #expect(MailMessage.decodeWords("=?utf-8?b?44GC44GE?=") == "あい")
        #expect(MailMessage.decodeWords("=?UTF-8?B?44GC44G?=") == MailMessage.decodeWords("=?UTF-8?B?44GC44G=?="))
        #expect(MailMessage.decodeWords("=?ISO-2022-JP?B?GyRCJCIbKEI=?==?ISO-2022-JP?B?GyRCJCQbKEI=?=") == "あい")
        #expect(MailMessage.decodeWords("=?UTF-8?B??=x") == "x")
        #expect(MailMessage.decodeWords("no words at all\there") == "no words at all here")
        // A combining mark right after `?=` no longer hides the word (the old reader compared
        // whole characters, and `=` with a mark on it is not `=`).
        #expect(MailMessage.decodeWords("=?UTF-8?B?44GL?=\u{3099}") == "か\u{3099}")
    }

    /// A 10 MB folded header is read in one pass; what is kept of it is capped, and marked.
    @Test func aHugeFoldedHeaderIsReadAndItsKeptTextCapped() {
        let word = "=?UTF-8?B?6KuL5rGC5pu4?="   // 請求書
        var mail = "From: a@example.test\r\nSubject: \(word)"
        for _ in 0..<20_000 { mail += "\r\n \(word) =?UTF-8?Q?=E3=81=AE?=" }
        mail += "\r\nDate: Mon, 7 Dec 2026 09:00:00 +0900\r\n"
        for number in 0..<150 { mail += "Received: from hop\(number)\r\n" }
        mail += "\r\nbody\r\n"
        let summary = MailMessage.parse(Data(mail.utf8))
        let subject = summary.subject ?? ""
        #expect(subject.hasPrefix("請求書請求書の請求書の"))
        #expect(subject.count == MailMessage.maximumKeptCharacters + 1 && subject.hasSuffix("…"))
        #expect(summary.date == "Mon, 7 Dec 2026 09:00:00 +0900")
        #expect(summary.received.count == MailMessage.maximumReceived)
        #expect(summary.received.last == "from hop99")
        // A field longer than the read limit is cut there, the rest skipped, the next one read.
        let long = "Subject: " + String(repeating: "x", count: MailMessage.maximumFieldBytes + 10) + "\nFrom: b@example.test\n\n"
        let cut = MailMessage.parse(Data(long.utf8))
        #expect(cut.from == "b@example.test")
        #expect(cut.subject?.hasSuffix("x…") == true)
    }

    /// A mail saved under any name is known by its first lines; other files are not taken for one.
    @Test func aMailIsRecognisedByItsContent() throws {
        #expect(MailMessage.looksLikeMail(try Data(contentsOf: Self.fixture)))
        #expect(MailMessage.looksLikeMail(Data("From: a@b.test\r\nSubject: x\r\n\r\nbody".utf8)))
        #expect(MailMessage.looksLikeMail(Data("From sender Mon Dec  7 09:00:00 2026\nReceived: from x\n\tby y\nFrom: a@b.test\nDate: now\n\n".utf8)))
        // The header need not end inside what was read.
        #expect(MailMessage.looksLikeMail(Data(("Received: x\nFrom: a@b.test\nSubject: " + String(repeating: "y", count: 70_000)).utf8)))
        #expect(!MailMessage.looksLikeMail(Data()))
        #expect(!MailMessage.looksLikeMail(Data("From: a@b.test\n\n".utf8)))
        #expect(!MailMessage.looksLikeMail(Data("Subject: x\nDate: y\n\n".utf8)))
        #expect(!MailMessage.looksLikeMail(Data("from: me\nsubject: yaml\n  nested: value\nlist:\n- item\n".utf8)))
        #expect(!MailMessage.looksLikeMail(Data("Dear customer,\nFrom: a@b.test\nSubject: x\n\n".utf8)))
        #expect(!MailMessage.looksLikeMail(Data(" From: a@b.test\nSubject: x\n\n".utf8)))
        #expect(!MailMessage.looksLikeMail(Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0x0A, 0x0A])))
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
