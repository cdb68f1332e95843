import EventLog
import Foundation
import LeadDomain
import Testing
@testable import LeadLedgerCore

@Suite("Command service")
struct CommandServiceTests {
    @Test("a created lead is returned with version 1 and its position, and queries see it at once")
    func createReadYourWrites() async throws {
        let directory = TemporaryDirectory()
        let ledger = try await openLedger(directory.path)
        let id = fixedUUID(1)
        let result = try await ledger.execute(
            .lead(id, .create(leadId: id, LeadInput(fullName: "Jonas Kazlauskas"))), actor: testAdmin)
        #expect(result.streamVersion == 1)
        #expect(result.position == 1)
        #expect(result.state.lead?.fullName == "Jonas Kazlauskas")
        #expect(ledger.appliedPosition >= result.position)
        #expect(try ledger.read { try $0.lead(id)?.fullName } == "Jonas Kazlauskas")
        let recorded = try ledger.log.readStream(StreamID.lead(id))
        #expect(recorded.first?.metadata.actor == testAdmin.uuidString.lowercased())
        #expect(recorded.first?.metadata.correlationId != nil)
        try await ledger.close()
    }

    @Test("a rejected command appends nothing and says why")
    func rejectedAppendsNothing() async throws {
        let directory = TemporaryDirectory()
        let ledger = try await openLedger(directory.path)
        let id = try await createLead(ledger, 1)
        let head = ledger.log.head
        await #expect(throws: DomainError.self) {
            try await ledger.execute(.lead(id, .markStep("no-such-step")), actor: testAdmin)
        }
        await #expect(throws: DomainError.self) {
            try await ledger.execute(
                .lead(fixedUUID(2), .create(leadId: fixedUUID(2), LeadInput(fullName: ""))), actor: testAdmin)
        }
        do {
            try await ledger.execute(.lead(fixedUUID(3), .markStep("contacted")), actor: testAdmin)
            Issue.record("a command on a missing lead must fail")
        } catch let error as DomainError {
            #expect(error.code == .leadNotFound)
        }
        #expect(ledger.log.head == head)
        try await ledger.close()
    }

    @Test("If-Match: a stale expected version is a precondition failure and appends nothing")
    func ifMatch() async throws {
        let directory = TemporaryDirectory()
        let ledger = try await openLedger(directory.path)
        let id = try await createLead(ledger, 1)
        let ok = try await ledger.execute(.lead(id, .markStep("contacted")), actor: testAdmin, expectedVersion: 1)
        #expect(ok.streamVersion == 2)
        let head = ledger.log.head
        do {
            try await ledger.execute(.lead(id, .tag("vip")), actor: testAdmin, expectedVersion: 1)
            Issue.record("expected a precondition failure")
        } catch let error as LedgerError {
            #expect(error.code == .preconditionFailed)
            #expect(error.actualVersion == 2)
            #expect(error.httpStatus == 412)
        }
        #expect(ledger.log.head == head)
        try await ledger.close()
    }

    @Test("an idempotency key answers a retry with the original positions and appends nothing")
    func idempotencyKey() async throws {
        let directory = TemporaryDirectory()
        let ledger = try await openLedger(directory.path)
        let id = fixedUUID(1)
        let command = LedgerCommand.lead(id, .create(leadId: id, LeadInput(fullName: "Emily Carter")))
        let first = try await ledger.execute(command, actor: testAdmin, idempotencyKey: "req-1")
        let head = ledger.log.head
        let retry = try await ledger.execute(command, actor: testAdmin, idempotencyKey: "req-1")
        #expect(retry.replayed)
        #expect(retry.position == first.position)
        #expect(retry.streamVersion == first.streamVersion)
        #expect(retry.appends.map(\.firstPosition) == first.appends.map(\.firstPosition))
        #expect(retry.state == first.state)
        #expect(ledger.log.head == head)
        // Another command later, then a retry of the first: still the original answer.
        try await ledger.execute(.lead(id, .tag("vip")), actor: testAdmin, idempotencyKey: "req-2")
        let late = try await ledger.execute(command, actor: testAdmin, idempotencyKey: "req-1")
        #expect(late.position == first.position && late.streamVersion == 1)
        // Without a key the same create is a conflict.
        await #expect(throws: DomainError.self) { try await ledger.execute(command, actor: testAdmin) }
        try await ledger.close()
    }

    @Test("concurrent commands on one lead both succeed: the loser re-decides on the new state")
    func concurrentRetry() async throws {
        let directory = TemporaryDirectory()
        let ledger = try await openLedger(directory.path)
        let id = try await createLead(ledger, 1)
        async let a = ledger.execute(.lead(id, .tag("alpha")), actor: testAdmin)
        async let b = ledger.execute(.lead(id, .tag("beta")), actor: testAdmin)
        let (ra, rb) = try await (a, b)
        #expect(Set([ra.streamVersion, rb.streamVersion]) == [2, 3])
        let state = try #require(try ledger.lead(id)).state
        #expect(Set(state.tags) == ["alpha", "beta"])
        #expect(try ledger.read { Set(try $0.lead(id)?.tags ?? []) } == ["alpha", "beta"])
        try await ledger.close()
    }

    @Test("many concurrent writers on one lead: every command succeeds or reports a concurrent modification")
    func manyWriters() async throws {
        let directory = TemporaryDirectory()
        let ledger = try await openLedger(directory.path)
        let id = try await createLead(ledger, 1)
        let outcomes = await withTaskGroup(of: Bool.self) { group in
            for n in 0..<16 {
                group.addTask { (try? await ledger.execute(.lead(id, .tag("t\(n)")), actor: testAdmin)) != nil }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        let state = try #require(try ledger.lead(id)).state
        #expect(state.tags.count == outcomes.filter { $0 }.count)
        #expect(state.version == UInt64(1 + state.tags.count))
        try await ledger.close()
    }

    @Test("64 concurrent writers on one lead without an expected version: every command appends, none is refused")
    func sixtyFourWriters() async throws {
        let directory = TemporaryDirectory()
        let ledger = try await openLedger(directory.path)
        let id = try await createLead(ledger, 1)
        let failures = await withTaskGroup(of: Int.self) { group in
            for n in 0..<64 {
                group.addTask { (try? await ledger.execute(.lead(id, .tag("t\(n)")), actor: testAdmin)) == nil ? 1 : 0 }
            }
            return await group.reduce(0, +)
        }
        #expect(failures == 0)
        let state = try #require(try ledger.lead(id)).state
        #expect(state.tags.count == 64)
        #expect(state.version == 65)
        try await ledger.close()
    }

    @Test("a repeated command decides nothing: no append, current version and position")
    func noOp() async throws {
        let directory = TemporaryDirectory()
        let ledger = try await openLedger(directory.path)
        let id = try await createLead(ledger, 1)
        let tagged = try await ledger.execute(.lead(id, .tag("vip")), actor: testAdmin)
        let again = try await ledger.execute(.lead(id, .tag("vip")), actor: testAdmin)
        #expect(again.isNoOp)
        #expect(again.streamVersion == tagged.streamVersion)
        #expect(again.position == ledger.log.head)
        try await ledger.close()
    }

    @Test("merge writes the target and every source in one atomic append")
    func mergeAtomic() async throws {
        let directory = TemporaryDirectory()
        let ledger = try await openLedger(directory.path)
        let target = try await createLead(ledger, 1, phones: ["+370 612 34567"])
        let source = try await createLead(ledger, 2, name: "Jonas", phones: ["+370 612 34567"])
        let result = try await ledger.execute(.lead(target, .merge(sources: [source])), actor: testAdmin)
        #expect(Set(result.appends.map(\.streamId)) == [StreamID.lead(target), StreamID.lead(source)])
        #expect(try ledger.lead(source)?.state.mergedInto == target)
        #expect(try ledger.read { try $0.lead(source)?.mergedInto } == target)
        try await ledger.close()
    }

    @Test("conversion registers the customer and converts the lead atomically")
    func conversion() async throws {
        let directory = TemporaryDirectory()
        let ledger = try await openLedger(directory.path)
        let id = try await createLead(ledger, 1, emails: ["olga@example.com"])
        try await ledger.execute(.lead(id, .markStep("won")), actor: testAdmin)
        let customer = fixedUUID(0xC1)
        let result = try await ledger.execute(.lead(id, .convert(customerId: customer)), actor: testAdmin)
        #expect(result.appends.count == 2)
        #expect(result.state.lead?.converted == true)
        #expect(try ledger.read { try $0.customer(customer)?.fullName } == "Ольга Смирнова")
        try await ledger.close()
    }

    @Test("settings, admin and customer commands go through the same service")
    func otherAggregates() async throws {
        let directory = TemporaryDirectory()
        let ledger = try await openLedger(directory.path)
        let settings = try await ledger.execute(.settings(.defineTag(name: "vip", colour: nil)), actor: testAdmin)
        #expect(settings.state.settings?.tags.count == 1)
        #expect(try ledger.currentSettings().tags.count == 1)
        let admin = fixedUUID(0xA1)
        let created = try await ledger.execute(
            .admin(admin, .create(adminId: admin, name: "Rūta", email: nil, role: "manager", permissions: [])),
            actor: testAdmin)
        #expect(created.state.admin?.name == "Rūta")
        let customer = fixedUUID(0xC2)
        let registered = try await ledger.execute(
            .customer(
                customer,
                .register(CustomerInput(customerId: customer, fullName: "Acme Ltd", company: nil, phones: [], emails: []))),
            actor: testAdmin)
        #expect(registered.streamVersion == 1)
        await #expect(throws: LedgerError.self) {
            try await ledger.execute(
                .admin(fixedUUID(9), .create(adminId: admin, name: "x", email: nil, role: "admin", permissions: [])),
                actor: testAdmin)
        }
        try await ledger.close()
    }

    @Test("a lead as of a position and as of a time")
    func asOf() async throws {
        let directory = TemporaryDirectory()
        let clock = SteppingClock(start: fixtureStart, step: 0)
        let ledger = try await openLedger(directory.path, clock: clock)
        let id = try await createLead(ledger, 1)
        clock.advance(seconds: 3600)
        let marked = try await ledger.execute(.lead(id, .markStep("contacted")), actor: testAdmin)
        clock.advance(seconds: 3600)
        try await ledger.execute(.lead(id, .markStep("qualified")), actor: testAdmin)
        #expect(try ledger.lead(id, asOf: .position(marked.position))?.state.step == "contacted")
        #expect(try ledger.lead(id, asOf: .position(1))?.state.step == "new")
        #expect(try ledger.lead(id, asOf: .time(fixtureStart.adding(seconds: 3601)))?.state.step == "contacted")
        #expect(try ledger.lead(id, asOf: .time(fixtureStart.adding(seconds: -1))) == nil)
        #expect(try ledger.lead(id)?.state.step == "qualified")
        #expect(try ledger.history(of: id, asOf: .position(marked.position)).count == 2)
        let replayDirectory = TemporaryDirectory()
        let then = try ProjectionDatabase(directory: replayDirectory.path)
        try then.catchUp(log: ledger.log, through: .position(marked.position))
        #expect(try then.read { try $0.lead(id)?.step } == "contacted")
        then.close()
        #expect(AsOf(parsing: "2026-11-01") == .time(Timestamp(microseconds: 1_793_577_600_000_000 - 1)))
        #expect(AsOf(parsing: "2026-11-01T09:00:00Z") == .time(fixtureStart))
        #expect(AsOf(parsing: "42") == .position(42))
        #expect(AsOf(parsing: "yesterday") == nil)
        try await ledger.close()
    }

    @Test("the first admin is bootstrapped once, with a token that authenticates by its hash")
    func bootstrap() async throws {
        let directory = TemporaryDirectory()
        let ledger = try await openLedger(directory.path)
        let (adminId, token) = try #require(try await ledger.bootstrapAdminIfNeeded())
        #expect(token.hasPrefix("llt_") && token.count == 4 + 43)
        let hash = APITokenHash.sha256Hex(token)
        #expect(try ledger.read { try $0.authenticate(tokenSHA256: hash, now: fixtureStart.adding(seconds: 3600))?.id } == adminId)
        #expect(try ledger.read { try $0.admin(adminId)?.role } == .admin)
        #expect(try await ledger.bootstrapAdminIfNeeded() == nil)
        try await ledger.close()
    }

    @Test("the event feed pages through the log and renders JSON")
    func eventFeed() async throws {
        let directory = TemporaryDirectory()
        let ledger = try await openLedger(directory.path)
        try await createLead(ledger, 1)
        try await createLead(ledger, 2)
        let page = try ledger.eventFeed(after: 0, limit: 1)
        #expect(page.events.map(\.position) == [1])
        #expect(page.next == 1)
        let json = try JSONSerialization.jsonObject(with: Data(page.jsonBytes())) as? [String: Any]
        let events = try #require(json?["events"] as? [[String: Any]])
        #expect(events.first?["type"] as? String == "LeadCreated")
        #expect((events.first?["payload"] as? [String: Any])?["fullName"] as? String == "Ольга Смирнова")
        #expect(try ledger.eventFeed(after: 2).events.isEmpty)
        try await ledger.close()
    }

    @Test("reopening starts from the projection store's position (nothing to replay) with the same answers")
    func reopen() async throws {
        let directory = TemporaryDirectory()
        var ledger = try await openLedger(directory.path)
        for n in 1...20 { try await createLead(ledger, n) }
        let before = try ledger.read { try $0.goldenJSON() }
        try await ledger.close()
        let store = try ProjectionDatabase(directory: directory.path + "/projections/g1")
        #expect(try store.position() == 20)
        store.close()
        ledger = try await openLedger(directory.path)
        #expect(ledger.appliedPosition == 20)
        #expect(try ledger.read { try $0.goldenJSON() } == before)
        await #expect(throws: LedgerError.self) { try await ledger.close(); try await createLead(ledger, 99) }
    }
}
