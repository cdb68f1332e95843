import EventLog
import Foundation
import LeadDomain
import LeadLedgerCore
import NIOPosix
import Testing

@testable import LeadLedgerMessages

/// A ledger in a temporary directory with an admin, a template and leads; removed afterwards.
final class MailingFixture: Sendable {
    let directory: String
    let ledger: Ledger
    let admin: UUID

    private init(directory: String, ledger: Ledger, admin: UUID) {
        self.directory = directory
        self.ledger = ledger
        self.admin = admin
    }

    static func with(_ body: (MailingFixture) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("leadledger-mailing-\(UUID().uuidString)").path
        let ledger = try await Ledger.open(LedgerConfiguration(dataDirectory: directory + "/data"))
        let admin = try #require(try await ledger.bootstrapAdminIfNeeded()).0
        let fixture = MailingFixture(directory: directory, ledger: ledger, admin: admin)
        try await ledger.execute(
            .settings(
                .saveMessageTemplate(
                    MessageTemplate(
                        key: "offer", name: "Offer", subject: "{{fullName}}, an offer", text: "Hello {{fullName}} from {{company}}",
                        html: "<p>Hello {{fullName}}</p>"))), actor: admin)
        do {
            try await body(fixture)
        } catch {
            try? await ledger.close()
            try? FileManager.default.removeItem(atPath: directory)
            throw error
        }
        try? await ledger.close()
        try? FileManager.default.removeItem(atPath: directory)
    }

    @discardableResult
    func lead(_ name: String, email: String? = nil, phone: String? = nil) async throws -> UUID {
        let id = UUID()
        try await ledger.execute(
            .lead(id, .create(leadId: id, LeadInput(fullName: name, company: "Rasa", phones: phone.map { [$0] } ?? [], emails: email.map { [$0] } ?? []))),
            actor: admin)
        return id
    }

    func relay(_ peer: PeerProcess?, port: Int? = nil, attempts: Int64 = 3) async throws {
        try await ledger.execute(
            .settings(
                .setSMTPRelay(
                    SMTPRelay(
                        host: "127.0.0.1", port: Int64(port ?? peer!.port), security: .none, senderAddress: "sales@example.ru",
                        senderName: "Sales", messagesPerMinute: 6_000, maxAttempts: attempts, retrySeconds: 1))), actor: admin)
    }

    func request(_ ids: [UUID], channel: MessageChannel = .email, template: String = "offer", actionType: String = "email")
        -> MailingRequest
    {
        MailingRequest(
            id: UUID(), channel: channel, template: template, actionType: actionType, selection: .ids(ids), actor: admin,
            canReach: { _ in true })
    }

    var runner: MailingRunner { MailingRunner(ledger: ledger, transports: .live(environment: [:])) }
}

@Suite("Mailings: one message per lead through a real SMTP server, recorded on the log", .serialized)
struct MailingTests {
    @Test("sends to every lead with an e-mail; retries 451, stops on 550, reports leads without one; each sent message is an action")
    func sendsAndRecords() async throws {
        let peer = try PeerProcess.start("smtp_peer.py", ["--defer", "later@example.ru:1", "--reject", "gone@example.ru"])
        defer { peer.stop() }
        try await MailingFixture.with { f in
            try await f.relay(peer)
            let ivan = try await f.lead("Иван Петров", email: "ivan@example.ru")
            let later = try await f.lead("Later", email: "later@example.ru")
            let gone = try await f.lead("Gone", email: "gone@example.ru")
            let silent = try await f.lead("No Mail", phone: "+37061234567")
            let started = try await f.runner.start(f.request([ivan, later, gone, silent, UUID()]))
            #expect(started.recipients == [ivan, later, gone])
            #expect(started.started.refused == 2)
            #expect(Set(started.started.refusals.map(\.code)) == ["noAddress", "notFound"])
            #expect(started.started.refusals.first { $0.code == "noAddress" }?.leadId == silent)

            let done = try await f.runner.run(started.id)
            #expect(done.state == .completed)
            #expect(done.sent == 2)
            #expect(done.failed == 1)
            #expect(done.failures.map(\.code) == ["permanent"])
            #expect(done.failures.first?.leadId == gone)
            #expect(peer.recipients.sorted() == ["ivan@example.ru", "later@example.ru"])

            // The message, as the relay got it: rendered for the lead, with our Message-Id.
            let received = peer.records("received.jsonl").first { ($0["to"] as? [String]) == ["ivan@example.ru"] }
            #expect(received?["messageId"] as? String == "<\(started.id.uuidString.lowercased()).\(ivan.uuidString.lowercased())@example.ru>")
            let eml = String(decoding: try peer.message(try #require(received?["file"] as? String)), as: UTF8.self)
            #expect(eml.contains("Subject: =?utf-8?B?"))
            #expect(eml.contains("To: =?utf-8?B?"))

            // The lead records it as a completed action of the chosen type, and its history says so.
            let card = try #require(try f.ledger.lead(ivan)?.state)
            let action = try #require(card.actions.last)
            #expect(action.actionType == "email")
            #expect(action.completed)
            #expect(action.text == "E-mail to ivan@example.ru: Иван Петров, an offer")
            var sent: [MessageSent] = []
            try f.ledger.log.forEach { recorded in
                if case .messageSent(let e) = try AppliedEvent(recorded: recorded).event {
                    sent.append(e)
                    #expect(recorded.metadata.correlationId == started.id)
                }
                return true
            }
            #expect(Set(sent.map(\.leadId)) == [ivan, later])
            #expect(sent.first { $0.leadId == ivan }?.text == "Hello Иван Петров from Rasa")

            // Running it again sends nothing.
            let again = try await f.runner.run(started.id)
            #expect(again.sent == 2)
            #expect(peer.recipients.count == 2)
        }
    }

    @Test("two mailings at once share the relay's pace: messagesPerMinute holds for the relay, not per mailing")
    func sharedThrottle() async throws {
        let peer = try PeerProcess.start("smtp_peer.py")
        defer { peer.stop() }
        try await MailingFixture.with { f in
            try await f.ledger.execute(
                .settings(
                    .setSMTPRelay(
                        SMTPRelay(
                            host: "127.0.0.1", port: Int64(peer.port), security: .none, senderAddress: "sales@example.ru",
                            messagesPerMinute: 600, maxAttempts: 1, retrySeconds: 1))), actor: f.admin)
            var sets: [[UUID]] = [[], []]
            for n in 0..<8 { sets[n % 2].append(try await f.lead("L\(n)", email: "l\(n)@example.ru")) }
            let runner = f.runner
            let first = try await runner.start(f.request(sets[0]))
            let second = try await runner.start(f.request(sets[1]))
            let clock = ContinuousClock()
            let start = clock.now
            async let a = runner.run(first.id)
            async let b = runner.run(second.id)
            let (doneA, doneB) = try await (a, b)
            let elapsed = clock.now - start
            #expect(doneA.sent == 4 && doneB.sent == 4)
            #expect(peer.recipients.count == 8)
            // Eight sends 100 ms apart on one relay: at least 0.7 s, whichever mailing each belongs to.
            #expect(elapsed >= .milliseconds(700), "\(elapsed)")
        }
    }

    @Test("a manager's mailing skips a lead that left their reach, and pauses when they lose messages.send")
    func authorReach() async throws {
        let peer = try PeerProcess.start("smtp_peer.py")
        defer { peer.stop() }
        try await MailingFixture.with { f in
            try await f.relay(peer)
            let manager = UUID()
            try await f.ledger.execute(
                .admin(manager, .create(adminId: manager, name: "Max", email: nil, role: "manager", permissions: ["messages.send"])),
                actor: f.admin)
            var leads: [UUID] = []
            for n in 0..<3 {
                let id = UUID()
                try await f.ledger.execute(
                    .lead(id, .create(leadId: id, LeadInput(fullName: "L\(n)", emails: ["l\(n)@example.ru"], responsible: manager))),
                    actor: f.admin)
                leads.append(id)
            }
            var request = f.request(leads)
            request.actor = manager
            request.canReach = { $0.isOwnedOrWatched(by: manager) }
            let started = try await f.runner.start(request)
            #expect(started.recipients == leads)
            // After the start, one lead goes to somebody else.
            try await f.ledger.execute(.lead(leads[1], .assign(f.admin)), actor: f.admin)
            let done = try await f.runner.run(started.id)
            #expect(done.sent == 2)
            #expect(done.failures.map(\.leadId) == [leads[1]])
            #expect(peer.recipients.sorted() == ["l0@example.ru", "l2@example.ru"])

            let second = try await f.runner.start({ var r = request; r.id = UUID(); r.selection = .ids([leads[0]]); return r }())
            try await f.ledger.execute(.admin(manager, .setPermissions([])), actor: f.admin)
            let paused = try await f.runner.run(second.id)
            #expect(paused.state == .paused)
            #expect(paused.pausedReason == "the admin who started the mailing may no longer send messages")
            #expect(peer.recipients.count == 2)
        }
    }

    @Test("an unreachable relay pauses the mailing with nothing recorded as sent; resume goes on and sends each once")
    func pausesAndResumes() async throws {
        try await MailingFixture.with { f in
            let down = try PeerProcess.start("smtp_peer.py")
            let port = down.port
            down.stop()
            try await f.relay(nil, port: port)
            let a = try await f.lead("A", email: "a@example.ru")
            let b = try await f.lead("B", email: "b@example.ru")
            let started = try await f.runner.start(f.request([a, b]))
            let paused = try await f.runner.run(started.id)
            #expect(paused.state == .paused)
            #expect(paused.pausedReason?.contains("cannot connect") == true)
            #expect(paused.sent == 0)
            #expect(paused.status[a] == .pending)

            let peer = try PeerProcess.start("smtp_peer.py")
            defer { peer.stop() }
            try await f.relay(peer)
            // A paused mailing does not run until it is resumed.
            #expect(try await f.runner.run(started.id).state == .paused)
            _ = try await f.runner.resume(started.id, actor: f.admin)
            let done = try await f.runner.run(started.id)
            #expect(done.state == .completed)
            #expect(done.sent == 2)
            #expect(peer.recipients.sorted() == ["a@example.ru", "b@example.ru"])
            await #expect(throws: BulkError.self) { _ = try await f.runner.resume(started.id, actor: f.admin) }
        }
    }

    @Test("a dispatch a crash left without an outcome is recorded in doubt and never resent")
    func inDoubtAfterCrash() async throws {
        let peer = try PeerProcess.start("smtp_peer.py")
        defer { peer.stop() }
        try await MailingFixture.with { f in
            try await f.relay(peer)
            let a = try await f.lead("A", email: "a@example.ru")
            let b = try await f.lead("B", email: "b@example.ru")
            let started = try await f.runner.start(f.request([a, b]))
            // What a run killed between the intent and the relay's answer leaves behind.
            try await f.ledger.appendMailingEvents(
                [(.messageDispatched(
                    MessageDispatched(mailingId: started.id, leadId: a, attempt: 1, to: "a@example.ru", messageId: "<x@example.ru>",
                                      at: f.ledger.configuration.clock.now(), by: f.admin)), "\(a):dispatched:1")],
                mailingId: started.id, actor: f.admin, expectedVersion: started.version)
            let done = try await f.runner.run(started.id)
            #expect(done.state == .completed)
            #expect(done.status[a] == .failed(code: "inDoubt"))
            #expect(done.inDoubt == 1)
            #expect(done.sent == 1)
            #expect(peer.recipients == ["b@example.ru"])
        }
    }

    @Test("bad requests are refused before anything is appended, naming the field")
    func refusals() async throws {
        try await MailingFixture.with { f in
            let a = try await f.lead("A", email: "a@example.ru")
            let before = f.ledger.log.head
            func code(_ request: MailingRequest) async -> String? {
                do {
                    _ = try await f.runner.start(request)
                    return nil
                } catch let error as BulkError {
                    return "\(error.field):\(error.code)"
                } catch {
                    return "\(error)"
                }
            }
            #expect(await code(f.request([a])) == "channel:notConfigured")
            try await f.relay(nil, port: 25)
            #expect(await code(f.request([a], template: "nope")) == "template:unknownTemplate")
            #expect(await code(f.request([a], actionType: "nope")) == "actionType:unknownActionType")
            #expect(await code(f.request([])) == "ids:emptySelection")
            let silent = try await f.lead("B", phone: "+37061234567")
            #expect(await code(f.request([silent])) == "ids:noRecipients")
            #expect(await code(f.request([silent], channel: .sms)) == "channel:notConfigured")
            let position = f.ledger.log.head
            // Only the relay setting and the lead were appended.
            #expect(position == before + 2)
        }
    }

    @Test("an SMS gateway nobody listens on pauses the mailing, nothing sent; an address a command line cannot hold fails alone")
    func unreachableGateway() async throws {
        try await MailingFixture.with { f in
            let closed = try PeerProcess.start("http_peer.py")
            let port = closed.port
            closed.stop()
            try await f.ledger.execute(
                .settings(.setSMSGateway(SMSGateway(url: "http://127.0.0.1:\(port)/send?to={{to}}&text={{text}}", method: .GET))),
                actor: f.admin)
            let a = try await f.lead("A", phone: "+37061234567")
            let started = try await f.runner.start(f.request([a], channel: .sms))
            let paused = try await f.runner.run(started.id)
            #expect(paused.state == .paused, "\(paused.pausedReason ?? "")")
            #expect(paused.pausedReason?.contains("cannot reach the SMS gateway") == true)
            #expect(paused.sent == 0 && paused.failed == 0)
            #expect(paused.status[a] == .deferred(attempt: 1, retryAt: paused.status[a].flatMap {
                if case .deferred(_, let at) = $0 { at } else { nil } } ?? Timestamp(microseconds: 0)))
        }
        let peer = try PeerProcess.start("smtp_peer.py")
        defer { peer.stop() }
        let session = try await SMTPSession.open(
            SMTPClientConfiguration(host: "127.0.0.1", port: peer.port, security: .none), group: MultiThreadedEventLoopGroup.singleton)
        guard case .permanent(let reply) = await session.send(from: "a@example.ru", to: "x@example.ru>\r\nRCPT TO:<y@example.ru", message: [])
        else {
            Issue.record("a smuggled command must be refused")
            return
        }
        #expect(reply.code == 501)
        await session.close()
        #expect(peer.recipients.isEmpty)
    }

    @Test("SMS through an HTTP gateway: the number in international form, 503 retried, 400 stopped, auth header sent")
    func sms() async throws {
        let gateway = try PeerProcess.start(
            "http_peer.py", ["--fail", "+37061234567:1", "--reject", "+37069999999", "--token", "Bearer t0ken"])
        defer { gateway.stop() }
        try await MailingFixture.with { f in
            try await f.ledger.execute(.settings(.setPhoneCountry("LT")), actor: f.admin)
            try await f.ledger.execute(
                .settings(
                    .setSMSGateway(
                        SMSGateway(
                            url: "http://127.0.0.1:\(gateway.port)/send?to={{to}}", method: .POST, body: "text={{text}}&from={{from}}",
                            authHeader: "Authorization", authVariable: "LEADLEDGER_TEST_SMS", from: "Rasa", successContains: "OK",
                            messagesPerMinute: 6_000, maxAttempts: 3, retrySeconds: 1))), actor: f.admin)
            let a = try await f.lead("Šarūnas", phone: "8 612 34567")
            let b = try await f.lead("Rejected", phone: "+370 699 99999")
            let runner = MailingRunner(ledger: f.ledger, transports: .live(environment: ["LEADLEDGER_TEST_SMS": "Bearer t0ken"]))
            let started = try await runner.start(f.request([a, b], channel: .sms, actionType: "call"))
            let done = try await runner.run(started.id)
            #expect(done.state == .completed)
            #expect(done.sent == 1)
            #expect(done.failures.map(\.code) == ["permanent"])
            let requests = gateway.records("requests.jsonl")
            #expect(requests.map { $0["to"] as? String } == ["+37061234567", "+37069999999", "+37061234567"])
            #expect(requests.map { $0["status"] as? Int } == [503, 400, 200])
            #expect((requests.last?["body"] as? String) == "text=Hello%20%C5%A0ar%C5%ABnas%20from%20Rasa&from=Rasa")
            let action = try #require(try f.ledger.lead(a)?.state.actions.last)
            #expect(action.actionType == "call")
            #expect(action.text == "SMS to +37061234567: Hello Šarūnas from Rasa")
        }
    }
}
