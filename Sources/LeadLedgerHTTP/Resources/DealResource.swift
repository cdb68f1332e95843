import Foundation
import LeadDomain

/// The JSON form of a deal: its state, with the probability in force (its own or its stage's).
struct DealResource: Encodable, Sendable {
    var id: String
    var name: String
    var amount: String
    var currency: String
    var stage: String
    var outcome: String
    /// The chance of winning in force.
    var probability: Int64
    /// The deal's own probability, absent when it follows the stage's.
    var ownProbability: Int64?
    var expectedCloseAt: String?
    var responsible: String
    var leadId: String?
    var customerId: String?
    var lostReason: String?
    var closedAt: String?
    var deleted: Bool
    var tasks: [LeadResource.TaskResource]
    var createdBy: String
    var createdAt: String
    var updatedBy: String
    var updatedAt: String
    var version: UInt64

    init(_ deal: DealState, settings: SettingsState) {
        id = deal.id.lowercased
        name = deal.name
        amount = deal.amount
        currency = deal.currency
        stage = deal.stage
        outcome = deal.outcome.rawValue
        probability = deal.probability(in: settings)
        ownProbability = deal.probability
        expectedCloseAt = ISOTime.string(deal.expectedCloseAt)
        responsible = deal.responsible.lowercased
        leadId = deal.leadId?.lowercased
        customerId = deal.customerId?.lowercased
        lostReason = deal.lostReason
        closedAt = ISOTime.string(deal.closedAt)
        deleted = deal.deleted
        tasks = deal.tasks.map(LeadResource.TaskResource.init)
        createdBy = deal.createdBy.lowercased
        createdAt = ISOTime.string(deal.createdAt)
        updatedBy = deal.updatedBy.lowercased
        updatedAt = ISOTime.string(deal.updatedAt)
        version = deal.version
    }
}

/// A list of deals (a lead's card).
struct DealListResource: Encodable, Sendable {
    var items: [DealResource]
}

struct CreateDealRequest: Decodable, Sendable {
    var name: String
    var amount: String
    var currency: String
    var stage: String?
    var probability: Int64?
    var expectedCloseAt: String?
    var responsible: UUID?
    var leadId: UUID?
    var customerId: UUID?
}

/// Only the fields present change; `null` clears `probability` (back to the stage's), `expectedCloseAt`,
/// `leadId` and `customerId`.
struct DealPatchRequest: Decodable, Sendable {
    var name: String?
    var amount: String?
    var currency: String?
    var probability: Int64??
    var expectedCloseAt: String??
    var responsible: UUID?
    var leadId: UUID??
    var customerId: UUID??

    enum CodingKeys: String, CodingKey {
        case name, amount, currency, probability, expectedCloseAt, responsible, leadId, customerId
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decodeIfPresent(String.self, forKey: .name)
        amount = try c.decodeIfPresent(String.self, forKey: .amount)
        currency = try c.decodeIfPresent(String.self, forKey: .currency)
        responsible = try c.decodeIfPresent(UUID.self, forKey: .responsible)
        probability = try c.decodeExplicit(Int64.self, forKey: .probability)
        expectedCloseAt = try c.decodeExplicit(String.self, forKey: .expectedCloseAt)
        leadId = try c.decodeExplicit(UUID.self, forKey: .leadId)
        customerId = try c.decodeExplicit(UUID.self, forKey: .customerId)
    }
}

struct DealStageRequest: Decodable, Sendable {
    var stage: String
}

/// The stage a win, loss or reopening ends on (the first active one of its kind when absent), and a loss's reason.
struct DealOutcomeRequest: Decodable, Sendable {
    var stage: String?
    var reason: String?
}

struct DefineDealStageRequest: Decodable, Sendable {
    var key: String
    var name: String
    var probability: Int64
    var kind: DealStageKind
}

struct DealStageProbabilityRequest: Decodable, Sendable {
    var probability: Int64
}
