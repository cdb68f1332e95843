import Foundation

/// The rules of deals: a budget is a valid amount in a currency in use, a stage is an active stage of the
/// right kind, a deal belongs to a lead that is neither deleted nor merged and/or to an existing customer,
/// and only open deals move between stages.
public enum DealDecider {
    /// Decides the events of `command` on the deal in `state` (`nil`: it does not exist).
    public static func decide(
        _ state: DealState?, _ command: DealCommand, context c: DecisionContext, related: RelatedStates = .none
    ) throws(DomainError) -> Decision {
        let events = try events(state, command, c, related)
        guard let id = state?.id ?? command.createdId else { return Decision() }
        return Decision(streamID: StreamID.deal(id), events: events)
    }

    private static func events(
        _ state: DealState?, _ command: DealCommand, _ c: DecisionContext, _ related: RelatedStates
    ) throws(DomainError) -> [DomainEvent] {
        let s = c.settings
        var v = FieldValidator(limits: s.fieldLimits)
        if case .create(let dealId, let input) = command {
            if state != nil { throw DomainError(.alreadyExists, "A deal with id \(dealId) already exists") }
            let name = v.text(input.name, field: "name", limit: s.fieldLimits.name, required: true) ?? ""
            let amount = Self.amount(input.amount, &v)
            let currency = Self.currency(input.currency, &v)
            let stage = input.stage ?? s.activeDealStages.first { $0.kind == .open }?.key ?? ""
            if s.activeDealStage(stage)?.kind != .open {
                v.add("stage", .unknownDealStage, "stage must be an active open deal stage (\(openStages(s)))")
            }
            if let p = input.probability { probability(p, &v) }
            related.checkAdmin(input.responsible, field: "responsible", &v)
            if input.leadId == nil && input.customerId == nil {
                v.add("leadId", .required, "a deal belongs to a lead, a customer or both: give leadId or customerId")
            }
            owners(leadId: input.leadId, customerId: input.customerId, related, &v)
            try v.check()
            return [
                .dealCreated(
                    DealCreated(
                        dealId: dealId, name: name, amount: amount, currency: currency, stage: stage,
                        probability: input.probability, expectedCloseAt: input.expectedCloseAt,
                        responsible: input.responsible ?? c.actor, leadId: input.leadId, customerId: input.customerId,
                        at: c.now, by: c.actor))
            ]
        }
        guard let deal = state else { throw DomainError(.dealNotFound, "The deal does not exist") }
        if deal.deleted, command != .restore { throw DomainError(.dealDeleted, "The deal is deleted; restore it first") }
        let (at, by, id) = (c.now, c.actor, deal.id)
        switch command {
        case .create: return []  // handled above
        case .update(let patch):
            var changes = DealFieldChanges()
            if let name = patch.name {
                changes.name = .between(deal.name, v.text(name, field: "name", limit: s.fieldLimits.name, required: true) ?? "")
            }
            if let amount = patch.amount { changes.amount = .between(deal.amount, Self.amount(amount, &v)) }
            if let currency = patch.currency { changes.currency = .between(deal.currency, Self.currency(currency, &v)) }
            if let p = patch.probability {
                if let p { probability(p, &v) }
                changes.probability = .between(deal.probability, p)
            }
            if let close = patch.expectedCloseAt { changes.expectedCloseAt = .between(deal.expectedCloseAt, close) }
            if let responsible = patch.responsible {
                related.checkAdmin(responsible, field: "responsible", &v)
                changes.responsible = .between(deal.responsible, responsible)
            }
            let leadId = patch.leadId ?? deal.leadId
            let customerId = patch.customerId ?? deal.customerId
            if let l = patch.leadId { changes.leadId = .between(deal.leadId, l) }
            if let cu = patch.customerId { changes.customerId = .between(deal.customerId, cu) }
            if leadId == nil && customerId == nil {
                v.add("leadId", .required, "a deal belongs to a lead, a customer or both")
            }
            owners(leadId: patch.leadId ?? nil, customerId: patch.customerId ?? nil, related, &v)
            try v.check()
            guard !changes.isEmpty else { return [] }
            return [.dealUpdated(DealUpdated(dealId: id, changes: changes, at: at, by: by))]
        case .moveStage(let stage):
            guard deal.outcome == .open else {
                throw DomainError(.dealClosed, "The deal is \(deal.outcome.rawValue); reopen it to move it")
            }
            guard s.activeDealStage(stage)?.kind == .open else {
                throw .validation([
                    FieldError(field: "stage", code: .unknownDealStage, message: "stage must be an active open deal stage (\(openStages(s)))")
                ])
            }
            guard stage != deal.stage else { return [] }
            return [.dealStageMoved(DealStageMoved(dealId: id, from: deal.stage, to: stage, at: at, by: by))]
        case .win(let stage):
            let target = try closingStage(stage, kind: .won, s)
            if deal.outcome == .won && deal.stage == target { return [] }
            guard deal.outcome == .open else { throw DomainError(.dealClosed, "The deal is lost; reopen it first") }
            return [.dealWon(DealWon(dealId: id, from: deal.stage, to: target, at: at, by: by))]
        case .lose(let stage, let reason):
            let target = try closingStage(stage, kind: .lost, s)
            let reason = v.text(reason, field: "reason", limit: s.fieldLimits.comment, multiline: true)
            try v.check()
            if deal.outcome == .lost && deal.stage == target && deal.lostReason == reason { return [] }
            guard deal.outcome == .open else { throw DomainError(.dealClosed, "The deal is \(deal.outcome.rawValue); reopen it first") }
            return [.dealLost(DealLost(dealId: id, from: deal.stage, to: target, reason: reason, at: at, by: by))]
        case .reopen(let stage):
            guard deal.outcome != .open else { throw DomainError(.dealClosed, "The deal is open") }
            let target = try closingStage(stage, kind: .open, s)
            return [.dealReopened(DealReopened(dealId: id, from: deal.stage, to: target, at: at, by: by))]
        case .delete(let reason):
            let reason = v.text(reason, field: "reason", limit: s.fieldLimits.comment, multiline: true)
            try v.check()
            return [.dealDeleted(DealDeleted(dealId: id, reason: reason, at: at, by: by))]
        case .restore:
            guard deal.deleted else { return [] }
            return [.dealRestored(DealRestored(dealId: id, at: at, by: by))]
        case .task(let command):
            // Won and lost deals keep their follow-up work (a delivery to plan, a lost client to call back).
            return try TaskRules.decide(deal.tasks, command, c, related, owner: "deal").map {
                [$0.dealEvent(id, at: at, by: by)]
            } ?? []
        }
    }

    private static func amount(_ text: String, _ v: inout FieldValidator) -> String {
        guard let canonical = DealAmount.canonical(text) else {
            v.add(
                "amount", .invalidValue,
                "amount must be a non-negative decimal with at most \(DealAmount.maxIntegerDigits) digits before "
                    + "and \(DealAmount.maxFractionDigits) after the point")
            return "0"
        }
        return canonical
    }

    private static func currency(_ code: String, _ v: inout FieldValidator) -> String {
        let upper = code.trimmingCharacters(in: .whitespaces).uppercased()
        if !DealAmount.currencies.contains(upper) {
            v.add("currency", .unknownCurrency, "currency must be an ISO 4217 code in use (EUR, USD, …)")
        }
        return upper
    }

    private static func probability(_ p: Int64, _ v: inout FieldValidator) {
        if !(0...100).contains(p) { v.add("probability", .outOfRange, "probability must be 0–100") }
    }

    /// The lead must exist and be neither deleted nor merged; the customer must exist.
    private static func owners(leadId: UUID?, customerId: UUID?, _ related: RelatedStates, _ v: inout FieldValidator) {
        if let leadId {
            if let lead = related.leads[leadId] {
                if lead.deleted || lead.mergedInto != nil { v.add("leadId", .conflict, "the lead is deleted or merged") }
            } else {
                v.add("leadId", .notFound, "leadId names no lead (\(leadId.uuidString.lowercased()))")
            }
        }
        if let customerId {
            if let customer = related.customers[customerId] {
                if customer.deleted { v.add("customerId", .conflict, "the customer is deleted") }
            } else {
                v.add("customerId", .notFound, "customerId names no customer (\(customerId.uuidString.lowercased()))")
            }
        }
    }

    /// The active stage of `kind` named `key`, or the first one when `key` is nil.
    private static func closingStage(_ key: String?, kind: DealStageKind, _ s: SettingsState) throws(DomainError) -> String {
        let candidates = s.activeDealStages.filter { $0.kind == kind }
        if let key {
            guard candidates.contains(where: { $0.key == key }) else {
                throw .validation([
                    FieldError(
                        field: "stage", code: .unknownDealStage,
                        message: "stage must be an active \(kind.rawValue) deal stage (\(candidates.map(\.key).joined(separator: ", ")))")
                ])
            }
            return key
        }
        guard let first = candidates.first else {
            throw .validation([FieldError(field: "stage", code: .unknownDealStage, message: "no active \(kind.rawValue) deal stage")])
        }
        return first.key
    }

    private static func openStages(_ s: SettingsState) -> String {
        s.activeDealStages.filter { $0.kind == .open }.map(\.key).joined(separator: ", ")
    }
}

extension DealCommand {
    /// The id of the deal a create command makes.
    var createdId: UUID? {
        if case .create(let id, _) = self { return id }
        return nil
    }
}
