import Foundation
import Testing

/// A mailing under a real `leadledger serve` sending to a real SMTP server (aiosmtpd, `tools/peers/smtp_peer.py`),
/// killed with SIGKILL in the middle: after the restart every lead got its message exactly once, except at most the
/// one in flight at the kill, which is recorded in doubt and not resent.
@Suite("Mailing under a live server killed mid-send", .serialized)
struct MailingKillTests {
    /// The SMTP peer in its own process; what it accepted is in `<directory>/received.jsonl`.
    final class SMTPPeer: @unchecked Sendable {
        let process = Process()
        let directory: String
        let port: Int

        init(arguments: [String]) throws {
            directory = CLITests.temporaryData() + "-smtp"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let output = directory + "/peer.out"
            _ = FileManager.default.createFile(atPath: output, contents: nil)
            let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent("tools/peers/smtp_peer.py").path
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", script, "--out", directory] + arguments
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
            process.standardOutput = handle
            process.standardError = handle
            try process.run()
            for _ in 0..<400 {
                let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
                if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("READY ") }), let port = Int(line.dropFirst(6)) {
                    self.port = port
                    return
                }
                Thread.sleep(forTimeInterval: 0.05)
            }
            kill(process.processIdentifier, SIGKILL)
            throw CLITests.CLIError(message: "the SMTP peer did not start")
        }

        /// One entry per accepted message: its recipients.
        var recipients: [String] {
            let text = (try? String(contentsOfFile: directory + "/received.jsonl", encoding: .utf8)) ?? ""
            return text.split(separator: "\n").flatMap { line -> [String] in
                let json = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                return (json?["to"] as? [String]) ?? []
            }
        }

        func stop() {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            try? FileManager.default.removeItem(atPath: directory)
        }
    }

    static func json(_ answer: (status: Int, body: String)) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: Any]) ?? [:]
    }

    @Test("SIGKILL in the middle of a mailing: after the restart no message is sent twice and none is lost", .timeLimit(.minutes(3)))
    func killMidSend() throws {
        // A slow relay (0.1 s before it answers the data) widens the window a kill can fall into.
        let peer = try SMTPPeer(arguments: ["--delay", "0.1"])
        defer { peer.stop() }
        let data = CLITests.temporaryData()
        defer { try? FileManager.default.removeItem(atPath: data) }
        var server = try ServerStoreTests.Server(data: data)
        let token = try #require(server.token)
        let base = server.base
        let request = ServerStoreTests.Server.request

        var emails: [String: String] = [:]  // lead id → address
        for n in 0..<40 {
            let address = "lead\(n)@example.ru"
            let created = try request("POST", base + "/v1/leads", token, #"{"fullName":"Lead \#(n)","emails":["\#(address)"]}"#)
            #expect(created.status == 201)
            emails[try #require(Self.json(created)["id"] as? String)] = address
        }
        #expect(
            try request(
                "PUT", base + "/v1/settings/smtp-relay", token,
                #"{"host":"127.0.0.1","port":\#(peer.port),"security":"none","senderAddress":"sales@example.ru","messagesPerMinute":6000}"#
            ).status == 200)
        #expect(
            try request("PUT", base + "/v1/settings/message-templates/offer", token, #"{"name":"Offer","subject":"Hi {{fullName}}","text":"Hello"}"#)
                .status == 200)
        let ids = emails.keys.sorted().map { "\"\($0)\"" }.joined(separator: ",")
        let started = try request("POST", base + "/v1/mailings", token, #"{"channel":"email","template":"offer","ids":[\#(ids)]}"#)
        #expect(started.status == 202, "\(started.body)")
        let id = try #require(Self.json(started)["id"] as? String)

        while peer.recipients.count < 12 { Thread.sleep(forTimeInterval: 0.01) }
        server.kill()
        let atKill = peer.recipients.count
        #expect(atKill < 40, "the kill fell in the middle of the mailing")

        server = try ServerStoreTests.Server(data: data)
        var mailing: [String: Any] = [:]
        for _ in 0..<600 {
            mailing = Self.json(try request("GET", server.base + "/v1/mailings/\(id)", token, nil))
            if mailing["state"] as? String == "completed" { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        server.stop()
        #expect(mailing["state"] as? String == "completed", "\(mailing)")

        let received = peer.recipients
        #expect(received.count == Set(received).count, "no message was sent twice: \(received.sorted())")
        let failures = (mailing["failures"] as? [[String: Any]]) ?? []
        #expect(failures.allSatisfy { $0["code"] as? String == "inDoubt" }, "\(failures)")
        let inDoubt = Set(failures.compactMap { $0["leadId"] as? String })
        #expect(inDoubt.count <= 1, "only the message in flight at the kill is in doubt")
        #expect(mailing["inDoubt"] as? Int == inDoubt.count)
        #expect(mailing["sent"] as? Int == 40 - inDoubt.count)
        // Every lead not in doubt got its message; an in-doubt one may have too (the relay had it), but only once.
        let missing = Set(emails.values).subtracting(received)
        #expect(missing.isSubset(of: Set(inDoubt.compactMap { emails[$0] })), "lost: \(missing)")
    }
}
