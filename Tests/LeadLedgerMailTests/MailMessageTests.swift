import Foundation
import LeadDomain
import Testing

@testable import LeadLedgerMail

/// The fixtures written by Python's `email` package (Fixtures/make-fixtures.py) and by hand.
func fixture(_ name: String) throws -> [UInt8] {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/" + name)
    return [UInt8](try Data(contentsOf: url))
}

@Suite("Reading e-mails: RFC 5322 and MIME")
struct MailMessageTests {
    @Test("KOI8-R: quoted-printable body with a soft line break, KOI8-R encoded words in the subject and sender")
    func koi8r() throws {
        let message = try MailMessage.parse(try fixture("koi8r-plain.eml"))
        #expect(message.from == MailAddress(name: "Иван Петров", address: "ivan.petrov@example.ru"))
        #expect(message.subject == "Заявка на подключение")
        #expect(message.text == "Здравствуйте!\nХотим заказать подключение для офиса.\nИван")
        #expect(message.messageId == "koi8r-1@mail.example.ru")
        #expect(message.date == Timestamp(iso8601: "2026-12-04T07:15:00Z"))
    }

    @Test("Windows-1251 multipart/alternative: the base64 plain part is the text, not the HTML twin")
    func cp1251Alternative() throws {
        let message = try MailMessage.parse(try fixture("cp1251-alternative.eml"))
        #expect(message.subject == "Заявка с сайта")
        #expect(message.from.name == "Сайт" && message.from.address == "noreply@site.example.ru")
        #expect(message.text.hasPrefix("Новая заявка с сайта\nИмя: Ольга Смирнова\nТелефон: 8 (912) 345-67-89"))
        #expect(!message.text.contains("<p>") && message.attachments.isEmpty)
        #expect(message.date == Timestamp(iso8601: "2026-12-04T08:00:00Z"))  // no seconds, a (MSK) comment
    }

    @Test("UTF-8 multipart/mixed: the text part, and the attachment with its RFC 2231 file name and decoded size")
    func mixedWithAttachment() throws {
        let message = try MailMessage.parse(try fixture("utf8-mixed-attachment.eml"))
        #expect(message.from.name == "Rūta Kazlauskienė")
        #expect(message.subject == "Užklausa dėl kainos")
        #expect(message.text == "Labas! Prašome atsiųsti pasiūlymą.\nRūta Kazlauskienė, UAB Rasa")
        #expect(message.attachments == [MailAttachment(fileName: "pasiūlymas.pdf", contentType: "application/pdf", bytes: 17)])
    }

    @Test("LF line ends, a folded subject, a quoted display name with a comma, an HTML-only body made text")
    func htmlOnly() throws {
        let bytes = try fixture("no-message-id.eml")
        let message = try MailMessage.parse(bytes)
        #expect(message.from == MailAddress(name: "Smith, John", address: "john.smith@example.com"))
        #expect(message.subject == "Need a quote & prices")
        #expect(message.text == "Hello team,\n\nCall me: +1 555 0100 & ask for John")  // paragraphs a blank line apart
        #expect(message.messageId == nil)
        #expect(MailMessage.identity(messageId: nil, bytes: bytes).hasPrefix("sha256:"))
        #expect(message.date == Timestamp(iso8601: "2026-12-04T04:30:00Z"))
    }

    @Test("broken messages are refused with a reason: truncated multipart, unknown charset, no sender, bad header, bad base64")
    func refused() throws {
        func code(_ bytes: [UInt8]) -> String? {
            do {
                _ = try MailMessage.parse(bytes)
                return nil
            } catch { return error.code }
        }
        #expect(code(try fixture("truncated-multipart.eml")) == "unterminatedMultipart")
        #expect(code(try fixture("unknown-charset.eml")) == "unknownCharset")
        #expect(code(Array("Subject: hi\r\n\r\nbody".utf8)) == "noSender")
        #expect(code(Array("From: a@b.example\r\nthis is not a header\r\n\r\nbody".utf8)) == "malformedHeader")
        #expect(code(Array("From: a@b.example\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!not base64!!!".utf8)) == "invalidBase64")
        #expect(code(Array("From: a@b.example\r\nContent-Type: multipart/mixed\r\n\r\n--x\r\n".utf8)) == "missingBoundary")
        #expect(code(Array("From: a@b.example\r\nContent-Transfer-Encoding: x-uuencode\r\n\r\nbegin".utf8)) == "unknownTransferEncoding")
        #expect(code([UInt8](repeating: 65, count: MailMessage.maxBytes + 1)) == "tooLarge")
    }

    @Test("encoded words: B and Q, adjacent words joined without the space between, text between kept")
    func encodedWords() {
        #expect(EncodedWords.decode("=?utf-8?Q?Ol=C5=A1a_?= =?utf-8?B?0JjQstCw0L0=?=") == "Olša Иван")
        #expect(EncodedWords.decode("Re: =?koi8-r?B?8NLJ18XU?= world") == "Re: Привет world")
        #expect(EncodedWords.decode("=?unknown-cs?Q?x?= plain") == "=?unknown-cs?Q?x?= plain")
        #expect(EncodedWords.decode("a =?iso-8859-1?q?caf=E9?=") == "a café")
    }

    @Test("quoted-printable: =XX bytes, soft breaks, a lone = kept, trailing spaces dropped")
    func quotedPrintable() {
        let decoded = QuotedPrintable.decode(ArraySlice("caf=C3=A9 =\r\nau lait=\nx = y   \r\nz=".utf8))
        #expect(String(decoding: decoded, as: UTF8.self) == "café au laitx = y\r\nz")
    }

    @Test("addresses: angle form, bare with a comment, groups, lists; nothing without an @")
    func addresses() {
        #expect(MailAddressParser.first(in: "ivan@example.ru (Ivan Petrov)") == MailAddress(name: "Ivan Petrov", address: "ivan@example.ru"))
        #expect(MailAddressParser.first(in: "Sales: <a@x.example>, b@y.example;") == MailAddress(name: nil, address: "a@x.example"))
        #expect(MailAddressParser.first(in: "\"Doe, Jane\" <jane@x.example>, bob@y.example")?.address == "jane@x.example")
        #expect(MailAddressParser.first(in: "undisclosed-recipients:;") == nil)
    }
}
