import Foundation
import LeadDomain
import NIOPosix
import Testing

@testable import LeadLedgerMessages

/// What Python's `email` package reads in a message: the decoded headers and each text part.
private let readMessage = """
    import sys, json, email, email.policy
    m = email.message_from_bytes(sys.stdin.buffer.read(), policy=email.policy.default)
    parts = {p.get_content_type(): p.get_content() for p in m.walk() if not p.is_multipart()}
    print(json.dumps({"subject": str(m["subject"]), "from": str(m["from"]), "to": str(m["to"]),
                      "messageId": m["message-id"], "date": str(m["date"]), "parts": parts,
                      "defects": [str(d) for d in m.defects]}))
    """

private func read(_ bytes: Data) throws -> [String: Any] {
    let out = try python(readMessage, input: bytes)
    return try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any], "\(out)")
}

@Suite("Outgoing e-mail: MIME composed, read back by Python's email package")
struct OutgoingEmailTests {
    let email = OutgoingEmail(
        fromAddress: "sales@example.ru", fromName: "Отдел продаж", toAddress: "ivan@example.ru", toName: "Иван \"Ваня\" Петров",
        subject: "Иван, осеннее предложение для ООО «Ромашка» — скидка 20% на всё, что вы давно хотели купить",
        text: "Здравствуйте, Иван!\n.\nСтрока с точкой:\n.начало\n" + String(repeating: "длинная строка ", count: 20) + "\nконец ",
        html: "<p>Здравствуйте, <b>Иван</b> &amp; co!</p>", messageId: "<m1.l1@example.ru>",
        date: Timestamp(microseconds: 1_796_425_974_000_000))

    @Test("headers and both parts decode to what was given; lines stay within 78 characters")
    func roundTrip() throws {
        let bytes = email.encoded()
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.split(separator: "\r\n", omittingEmptySubsequences: false).allSatisfy { $0.utf8.count <= 78 })
        #expect(bytes.allSatisfy { $0 < 0x80 }, "7-bit clean")
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"), "CRLF only")
        let message = try read(Data(bytes))
        #expect(message["subject"] as? String == email.subject)
        #expect(message["from"] as? String == "Отдел продаж <sales@example.ru>")
        #expect(message["to"] as? String == "\"Иван \\\"Ваня\\\" Петров\" <ivan@example.ru>")
        #expect(text.contains("From: =?utf-8?B?"))
        #expect(message["messageId"] as? String == "<m1.l1@example.ru>")
        #expect(message["date"] as? String == "Fri, 04 Dec 2026 23:12:54 +0000")
        let parts = try #require(message["parts"] as? [String: String])
        // MIME text is CRLF on the wire, and Python answers it so.
        #expect(parts["text/plain"]?.replacingOccurrences(of: "\r\n", with: "\n") == email.text!)
        #expect(parts["text/html"] == email.html!)
        #expect((message["defects"] as? [String])?.isEmpty == true)
    }

    @Test("a text-only message is one text/plain part")
    func textOnly() throws {
        var plain = email
        plain.html = nil
        plain.subject = "Plain ASCII subject"
        let encoded = String(decoding: plain.encoded(), as: UTF8.self)
        #expect(encoded.contains("Subject: Plain ASCII subject\r\n"))
        #expect(encoded.contains("Content-Type: text/plain; charset=utf-8\r\n"))
        #expect(!encoded.contains("multipart"))
        let parts = try #require(try read(Data(plain.encoded()))["parts"] as? [String: String])
        #expect(parts.keys.sorted() == ["text/plain"])
    }

    @Test("dot-stuffing doubles a leading dot, ends lines with CRLF and closes with a lone dot")
    func dotStuffing() {
        let stuffed = SMTPSession.dotStuffed(Array("a\n.b\r\n..c\nd".utf8))
        #expect(String(decoding: stuffed, as: UTF8.self) == "a\r\n..b\r\n...c\r\nd\r\n.\r\n")
    }
}

@Suite("SMTP sessions against a real server (aiosmtpd): STARTTLS, AUTH, replies", .serialized)
struct SMTPSessionTests {
    static let password = "s3cret pass"

    static func tlsPeer(_ extra: [String] = []) throws -> (PeerProcess, String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("leadledger-smtp-\(UUID().uuidString)")
        let peer = try PeerProcess.start(
            "smtp_peer.py", ["--starttls", directory.appendingPathComponent("tls").path, "--auth", "crm:\(password)"] + extra,
            directory: directory)
        return (peer, directory.appendingPathComponent("tls/cert.pem").path)
    }

    func configuration(_ peer: PeerProcess, ca: String, password: String = SMTPSessionTests.password) -> SMTPClientConfiguration {
        SMTPClientConfiguration(
            host: "localhost", port: peer.port, security: .starttls, username: "crm", password: password, caFile: ca,
            replyTimeout: .seconds(10))
    }

    @Test("STARTTLS and AUTH, then messages on one session: accepted, deferred (451) and refused (550)")
    func sends() async throws {
        let (peer, ca) = try Self.tlsPeer(["--defer", "later@example.ru:1", "--reject", "nobody@example.ru"])
        defer { peer.stop() }
        let session = try await SMTPSession.open(configuration(peer, ca: ca), group: MultiThreadedEventLoopGroup.singleton)
        let message = OutgoingEmail(
            fromAddress: "sales@example.ru", toAddress: "ivan@example.ru", subject: "Hi", text: ".\nline", html: nil,
            messageId: "<a@example.ru>", date: Timestamp(microseconds: 0)).encoded()
        guard case .accepted(let reply) = await session.send(from: "sales@example.ru", to: "ivan@example.ru", message: message) else {
            Issue.record("not accepted")
            return
        }
        #expect(reply.code == 250)
        guard case .transient(let why) = await session.send(from: "sales@example.ru", to: "later@example.ru", message: message) else {
            Issue.record("451 is transient")
            return
        }
        #expect(why.hasPrefix("451"))
        guard case .permanent(let refused) = await session.send(from: "sales@example.ru", to: "nobody@example.ru", message: message)
        else {
            Issue.record("550 is permanent")
            return
        }
        #expect(refused.code == 550)
        // The session goes on after failures (RSET), and the deferred address is taken the second time.
        guard case .accepted = await session.send(from: "sales@example.ru", to: "later@example.ru", message: message) else {
            Issue.record("the retry is accepted")
            return
        }
        await session.close()
        #expect(peer.recipients == ["ivan@example.ru", "later@example.ru"])
        let first = try read(try peer.message("1.eml"))
        #expect((first["parts"] as? [String: String])?["text/plain"]?.replacingOccurrences(of: "\r\n", with: "\n") == ".\nline\n", "the leading dot survived stuffing (the body ends with its line end)")
    }

    @Test("a wrong password, an untrusted certificate, a relay without STARTTLS and a closed port are session errors")
    func refusals() async throws {
        let (peer, ca) = try Self.tlsPeer()
        defer { peer.stop() }
        let group = MultiThreadedEventLoopGroup.singleton
        await #expect(throws: SMTPSessionError.self) {
            _ = try await SMTPSession.open(configuration(peer, ca: ca, password: "wrong"), group: group)
        }
        var untrusted = configuration(peer, ca: ca)
        untrusted.caFile = nil  // the system's roots do not know the peer's self-signed certificate
        await #expect(throws: (any Error).self) { _ = try await SMTPSession.open(untrusted, group: group) }

        let plain = try PeerProcess.start("smtp_peer.py")
        defer { plain.stop() }
        do {
            _ = try await SMTPSession.open(
                SMTPClientConfiguration(host: "127.0.0.1", port: plain.port, security: .starttls), group: group)
            Issue.record("a relay without STARTTLS must be refused")
        } catch let error as SMTPSessionError {
            #expect(error.message.contains("STARTTLS"))
            #expect(!error.transient)
        }
        let closedPort = plain.port
        plain.stop()
        do {
            _ = try await SMTPSession.open(SMTPClientConfiguration(host: "127.0.0.1", port: closedPort, security: .none), group: group)
            Issue.record("a closed port must fail")
        } catch let error as SMTPSessionError {
            #expect(error.transient)
        }
    }
}
