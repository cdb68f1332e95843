import Foundation
import Testing

@testable import LeadDomain

@Suite("Deals: budgets, stages, outcomes")
struct DealTests {
    static let dealId = Fixture.id(0xdea1)
    static let customerId = Fixture.id(0xc057)

    static func related(lead: LeadState? = nil, customer: Bool = false) -> RelatedStates {
        var related = RelatedStates(leads: lead.map { [$0] } ?? [])
        if customer {
            related.customers[customerId] = CustomerState(
                registered: CustomerRegistered(
                    customerId: customerId, kind: .company, fullName: "UAB Rasa", phones: [], emails: [], at: Fixture.t0, by: Fixture.admin))
        }
        return related
    }

    /// A deal created on the fixture lead, with its events applied.
    static func deal(_ input: DealInput? = nil) throws -> DealState {
        let lead = try Fixture.lead()
        let input = input ?? DealInput(name: "CRM licences", amount: "1200.50", currency: "eur", leadId: lead.id)
        let decision = try DealDecider.decide(
            nil, .create(dealId: dealId, input), context: Fixture.context(), related: related(lead: lead))
        return try #require(DealState.replay(decision.events))
    }

    static func run(_ command: DealCommand, on deal: inout DealState, settings: SettingsState = .defaults) throws -> [DomainEvent] {
        let decision = try DealDecider.decide(deal, command, context: Fixture.context(settings, at: 120))
        #expect(decision.streams.allSatisfy { $0.streamID == StreamID.deal(deal.id) })
        deal = decision.events.reduce(deal) { DealState.evolve($0, $1)! }
        return decision.events
    }

    static func fields(_ error: DomainError?) -> [String: FieldError.Code] {
        Dictionary((error?.fieldErrors ?? []).map { ($0.field, $0.code) }, uniquingKeysWith: { a, _ in a })
    }

    @Test("a quick deal: name and budget; the first open stage, its probability, the author responsible")
    func quickDeal() throws {
        let deal = try Self.deal()
        #expect(deal.name == "CRM licences" && deal.amount == "1200.5" && deal.currency == "EUR")
        #expect(deal.stage == "qualification" && deal.outcome == .open)
        #expect(deal.probability(in: .defaults) == 10)
        #expect(deal.responsible == Fixture.manager && deal.leadId == Fixture.leadId && deal.version == 1)
    }

    @Test("amounts are canonical decimals; anything else is refused")
    func amounts() {
        #expect(DealAmount.canonical("0012.3400") == "12.34")
        #expect(DealAmount.canonical("0") == "0" && DealAmount.canonical("0.0") == "0")
        #expect(DealAmount.canonical("999999999999999.9999") == "999999999999999.9999")
        for bad in ["", "-1", "+1", "1e3", "1,5", "1.", ".5", "1.23456", "1000000000000000", "1 000", "٣"] {
            #expect(DealAmount.canonical(bad) == nil, "\(bad)")
        }
        #expect(DealAmount.decimal("12.34") == Decimal(string: "12.34"))
    }

    @Test("bad input names each field and decides nothing")
    func badInput() throws {
        let lead = try Fixture.lead()
        var deleted = lead
        try Fixture.apply(.delete(reason: nil), to: &deleted)
        let cases: [(DealInput, RelatedStates, [String: FieldError.Code])] = [
            (DealInput(name: " ", amount: "-5", currency: "EURO", stage: "won", probability: 101, leadId: lead.id),
             Self.related(lead: lead),
             ["name": .required, "amount": .invalidValue, "currency": .unknownCurrency, "stage": .unknownDealStage,
              "probability": .outOfRange]),
            (DealInput(name: "X", amount: "1", currency: "XYZ", leadId: lead.id), Self.related(lead: lead), ["currency": .unknownCurrency]),
            (DealInput(name: "X", amount: "1", currency: "EUR"), .none, ["leadId": .required]),
            (DealInput(name: "X", amount: "1", currency: "EUR", leadId: lead.id), Self.related(lead: deleted), ["leadId": .conflict]),
            (DealInput(name: "X", amount: "1", currency: "EUR", leadId: lead.id), .none, ["leadId": .notFound]),
            (DealInput(name: "X", amount: "1", currency: "EUR", customerId: Self.customerId), .none, ["customerId": .notFound]),
            (DealInput(name: "X", amount: "1", currency: "EUR", stage: "nope", customerId: Self.customerId),
             Self.related(customer: true), ["stage": .unknownDealStage]),
        ]
        for (input, related, expected) in cases {
            let error = Fixture.error { () throws(DomainError) in
                try DealDecider.decide(nil, .create(dealId: Self.dealId, input), context: Fixture.context(), related: related)
            }
            #expect(error?.code == .validationFailed)
            #expect(Self.fields(error) == expected, "\(input)")
        }
        let forCustomer = try DealDecider.decide(
            nil, .create(dealId: Self.dealId, DealInput(name: "X", amount: "1", currency: "usd", customerId: Self.customerId)),
            context: Fixture.context(), related: Self.related(customer: true))
        #expect(forCustomer.events.count == 1)
    }

    @Test("open deals move between open stages; won and lost ones only by reopening")
    func outcomes() throws {
        var deal = try Self.deal()
        #expect(try Self.run(.moveStage("proposal"), on: &deal).count == 1)
        #expect(deal.stage == "proposal" && deal.probability(in: .defaults) == 40)
        #expect(try Self.run(.moveStage("proposal"), on: &deal).isEmpty)  // a repeat changes nothing
        let wrongKind = Fixture.error { () throws(DomainError) in try DealDecider.decide(deal, .moveStage("won"), context: Fixture.context()) }
        #expect(Self.fields(wrongKind) == ["stage": .unknownDealStage])
        _ = try Self.run(.lose(stage: nil, reason: "Too expensive"), on: &deal)
        #expect(deal.outcome == .lost && deal.stage == "lost" && deal.lostReason == "Too expensive")
        #expect(deal.probability(in: .defaults) == 0 && deal.closedAt != nil)
        let moving = Fixture.error { () throws(DomainError) in try DealDecider.decide(deal, .moveStage("proposal"), context: Fixture.context()) }
        #expect(moving?.code == .dealClosed)
        let winning = Fixture.error { () throws(DomainError) in try DealDecider.decide(deal, .win(stage: nil), context: Fixture.context()) }
        #expect(winning?.code == .dealClosed)
        _ = try Self.run(.reopen(stage: "negotiation"), on: &deal)
        #expect(deal.outcome == .open && deal.stage == "negotiation" && deal.lostReason == nil && deal.closedAt == nil)
        _ = try Self.run(.win(stage: nil), on: &deal)
        #expect(deal.outcome == .won && deal.stage == "won" && deal.probability(in: .defaults) == 100)
        #expect(try Self.run(.win(stage: nil), on: &deal).isEmpty)
        let open = try Self.deal()
        let reopenOpen = Fixture.error { () throws(DomainError) in
            try DealDecider.decide(open, .reopen(stage: nil), context: Fixture.context())
        }
        #expect(reopenOpen?.code == .dealClosed)
    }

    @Test("updates record only changed fields; an own probability overrides the stage's until cleared")
    func updates() throws {
        var deal = try Self.deal()
        let events = try Self.run(.update(DealPatch(name: "CRM licences", amount: "1500", probability: .some(55))), on: &deal)
        guard case .dealUpdated(let e) = try #require(events.first) else { Issue.record("not an update"); return }
        #expect(e.changes.name == nil && e.changes.amount?.to == "1500" && e.changes.probability?.to == 55)
        #expect(deal.probability(in: .defaults) == 55)
        _ = try Self.run(.update(DealPatch(probability: .some(nil))), on: &deal)
        #expect(deal.probability(in: .defaults) == 10)
        let orphan = Fixture.error { () throws(DomainError) in
            try DealDecider.decide(deal, .update(DealPatch(leadId: .some(nil))), context: Fixture.context())
        }
        #expect(Self.fields(orphan) == ["leadId": .required])
        #expect(try Self.run(.update(DealPatch(amount: "1500.00")), on: &deal).isEmpty)
    }

    @Test("a deleted deal refuses everything but restore, which brings it back as it was")
    func deleteRestore() throws {
        var deal = try Self.deal()
        let before = deal
        _ = try Self.run(.delete(reason: "duplicate"), on: &deal)
        #expect(deal.deleted)
        let update = Fixture.error { () throws(DomainError) in
            try DealDecider.decide(deal, .update(DealPatch(name: "Y")), context: Fixture.context())
        }
        #expect(update?.code == .dealDeleted)
        _ = try Self.run(.restore, on: &deal)
        #expect(!deal.deleted && deal.name == before.name && deal.stage == before.stage && deal.version == before.version + 2)
        #expect(try Self.run(.restore, on: &deal).isEmpty)
    }

    @Test("deal stages: define, rename, reprice, reorder, retire; the last stage of a kind stays")
    func stages() throws {
        let settings = try Fixture.settings([
            .defineDealStage(key: "demo", name: "Demo", probability: 25, kind: .open),
            .renameDealStage(key: "proposal", name: "Offer sent"),
            .setDealStageProbability(key: "proposal", probability: 45),
            .reorderDealStages(["demo", "qualification", "proposal", "negotiation", "won", "lost"]),
            .retireDealStage(key: "qualification"),
        ])
        #expect(settings.activeDealStages.map(\.key) == ["demo", "proposal", "negotiation", "won", "lost"])
        #expect(settings.activeDealStage("proposal")?.name == "Offer sent")
        #expect(settings.activeDealStage("proposal")?.probability == 45)
        let context = Fixture.context(settings, actor: Fixture.admin)
        for (command, code) in [
            (SettingsCommand.retireDealStage(key: "won"), FieldError.Code.lastStep),
            (.defineDealStage(key: "demo", name: "Other", probability: 5, kind: .open), .duplicate),
            (.defineDealStage(key: "late", name: "Late", probability: 120, kind: .open), .outOfRange),
            (.setDealStageProbability(key: "qualification", probability: 5), .unknownDealStage),
            (.reorderDealStages(["won", "lost"]), .notAPermutation),
        ] {
            let error = Fixture.error { () throws(DomainError) in try SettingsDecider.decide(settings, command, context: context) }
            #expect(error?.fieldErrors.first?.code == code, "\(command)")
        }
        // A deal on a retired stage keeps it; new deals start on the first active open stage.
        let lead = try Fixture.lead()
        let created = try DealDecider.decide(
            nil, .create(dealId: Self.dealId, DealInput(name: "X", amount: "1", currency: "EUR", leadId: lead.id)),
            context: Fixture.context(settings), related: Self.related(lead: lead))
        #expect(DealState.replay(created.events)?.stage == "demo")
    }

    @Test("a deal's tasks follow the lead task rules on the deal stream; a won deal keeps them, a deleted deal refuses")
    func dealTasks() throws {
        var deal = try Self.deal()
        let taskId = Fixture.id(0x7a5c)
        let due = Fixture.t0.adding(seconds: 86_400)
        let added = try Self.run(
            .task(.add(TaskInput(taskId: taskId, taskType: "meeting", description: " Present the offer ", responsible: Fixture.admin, due: due))),
            on: &deal)
        #expect(added == [
            .dealTaskAdded(
                DealTaskAdded(
                    dealId: deal.id, taskId: taskId, taskType: "meeting", description: "Present the offer",
                    responsible: Fixture.admin, due: due, at: Fixture.t0.adding(seconds: 120), by: Fixture.manager))
        ])
        #expect(deal.tasks.map(\.id) == [taskId] && deal.tasks[0].createdBy == Fixture.manager && deal.version == 2)
        // A repeated id, an unchanged edit and closing twice decide nothing.
        #expect(try Self.run(.task(.add(TaskInput(taskId: taskId, taskType: "meeting", description: "Other"))), on: &deal).isEmpty)
        #expect(try Self.run(.task(.update(taskId, TaskPatch(description: "Present the offer"))), on: &deal).isEmpty)
        #expect(try Self.run(.task(.update(taskId, TaskPatch(due: .some(nil)))), on: &deal).map(\.kind) == [.dealTaskUpdated])
        #expect(deal.tasks[0].due == nil)
        #expect(try Self.run(.task(.reassign(taskId, to: nil)), on: &deal).map(\.kind) == [.dealTaskReassigned])
        #expect(deal.tasks[0].responsible == nil)
        // Won: the follow-up stays and can still be closed and reopened.
        _ = try Self.run(.win(stage: nil), on: &deal)
        #expect(try Self.run(.task(.close(taskId)), on: &deal).map(\.kind) == [.dealTaskClosed])
        #expect(try Self.run(.task(.close(taskId)), on: &deal).isEmpty)
        #expect(deal.tasks[0].closed)
        #expect(try Self.run(.task(.reopen(taskId)), on: &deal).map(\.kind) == [.dealTaskReopened])
        #expect(deal.tasks[0].closed == false)
        // Refusals name the field; an unknown task is a 404 naming `taskId`.
        let snapshot = deal
        let invalid = Fixture.error { () throws(DomainError) in
            try DealDecider.decide(
                snapshot, .task(.add(TaskInput(taskId: Fixture.id(2), taskType: "juggling", description: " "))),
                context: Fixture.context())
        }
        #expect(invalid?.fieldCodes == ["taskType": "unknownTaskType", "description": "required"])
        let missing = Fixture.error { () throws(DomainError) in
            try DealDecider.decide(snapshot, .task(.close(Fixture.id(99))), context: Fixture.context())
        }
        #expect(missing?.code == .taskNotFound && missing?.fieldErrors.map(\.field) == ["taskId"])
        #expect(try Self.run(.task(.delete(taskId)), on: &deal).map(\.kind) == [.dealTaskDeleted])
        #expect(deal.tasks.isEmpty)
        #expect(try Self.run(.task(.delete(taskId)), on: &deal).isEmpty)
        // A deleted deal takes no task commands until it is restored.
        _ = try Self.run(.delete(reason: nil), on: &deal)
        let deleted = deal
        let refused = Fixture.error { () throws(DomainError) in
            try DealDecider.decide(
                deleted, .task(.add(TaskInput(taskId: Fixture.id(3), taskType: "meeting", description: "x"))),
                context: Fixture.context())
        }
        #expect(refused?.code == .dealDeleted)
    }

    @Test("a lead or a deal holds at most CountLimits.tasks tasks")
    func taskLimit() throws {
        var deal = try Self.deal()
        deal.tasks = (0..<CountLimits.tasks).map {
            LeadTask(id: Fixture.id(10_000 + $0), taskType: "meeting", description: "t", responsible: nil, due: nil, createdBy: Fixture.admin, createdAt: Fixture.t0)
        }
        let full = deal
        let error = Fixture.error { () throws(DomainError) in
            try DealDecider.decide(
                full, .task(.add(TaskInput(taskId: Fixture.id(1), taskType: "meeting", description: "one more"))),
                context: Fixture.context())
        }
        #expect(error?.fieldCodes == ["taskId": "tooMany"])
    }
}
