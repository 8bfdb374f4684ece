import Foundation
import IncidentCore
import Testing

/// The sender as RFC 5322 reads it (`product.md`, "The sender"): comments and quoted display
/// names never become the address. Checked against Python's `email.utils.parseaddr` (another
/// implementation) on a corpus of hostile headers.
@Suite struct SenderTests {
    static let corpus = [
        "attacker@evil.example (Sato <sato@partner.example>)",
        "Sato <sato@partner.example>",
        "\"Sato <sato@partner.example>\" <attacker@evil.example>",
        "\"Yamada, Taro\" <taro@yamada-shoji.example.jp>",
        "taro@yamada-shoji.example.jp",
        "<x@evil.example>",
        "Sato (comment <sato@partner.example>) <attacker@evil.example>",
        "\"\\\"quoted\\\" <fake@partner.example>\" <real@evil.example>",
        "attacker@evil.example (nested (Sato <sato@partner.example>) comment)",
        "Friends: a@one.example, b@two.example;",
        "=?UTF-8?B?5L2Q6Jek?= <sato@partner.example>",
        "a@one.example, b@two.example",
        "\"sato@partner.example\" <attacker@evil.example>",
        "佐藤 <sato@partner.example>",
        "(Sato <sato@partner.example>) attacker@evil.example",
        "attacker@evil.example (\\) <sato@partner.example>)",
    ]

    @Test func theAddressIsWhatPythonsEmailReads() throws {
        let out = try Wizard.temporaryDirectory().appendingPathComponent("expected.json")
        let input = try JSONSerialization.data(withJSONObject: Self.corpus)
        let run = try Wizard.python(["-c", """
            import json, sys
            from email.utils import parseaddr
            headers = json.loads(sys.argv[1])
            json.dump([parseaddr(h)[1] for h in headers], open(sys.argv[2], 'w'))
            """, String(decoding: input, as: UTF8.self), out.path])
        #expect(run.status == 0, "\(run.errors)")
        let expected = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: out)) as? [String])
        for (header, address) in zip(Self.corpus, expected) {
            #expect(MailIndicators.address(header) == address, "\(header)")
        }
        // The attacker, never the innocent partner named in a comment or a display name.
        #expect(MailIndicators.address("attacker@evil.example (Sato <sato@partner.example>)") == "attacker@evil.example")
        #expect(MailIndicators.displayName("\"Yamada, Taro\" <taro@yamada-shoji.example.jp>") == "Yamada, Taro")
        // A display name decoded from encoded words that carries an address of its own.
        let decoded = MailMessage.parse(Data("From: =?UTF-8?B?\(Data("Sato <sato@partner.example>".utf8).base64EncodedString())?= <attacker@evil.example>\r\nSubject: x\r\n\r\nbody\r\n".utf8))
        #expect(MailIndicators.address(try #require(decoded.from)) == "attacker@evil.example", "\(decoded.from ?? "")")
    }
}
