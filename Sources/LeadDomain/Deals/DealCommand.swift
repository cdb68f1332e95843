import Foundation

/// What a new deal is made of. Only `name` and `amount` are required (the NCRM "quick deal"): the currency
/// defaults to the caller's choice, the stage to the first open one, the responsible to the author.
public struct DealInput: Sendable, Hashable {
    public var name: String
    /// A decimal amount (`DealAmount`), as typed.
    public var amount: String
    public var currency: String
    public var stage: String?
    public var probability: Int64?
    public var expectedCloseAt: Timestamp?
    public var responsible: UUID?
    public var leadId: UUID?
    public var customerId: UUID?

    public init(
        name: String, amount: String, currency: String, stage: String? = nil, probability: Int64? = nil,
        expectedCloseAt: Timestamp? = nil, responsible: UUID? = nil, leadId: UUID? = nil, customerId: UUID? = nil
    ) {
        self.name = name
        self.amount = amount
        self.currency = currency
        self.stage = stage
        self.probability = probability
        self.expectedCloseAt = expectedCloseAt
        self.responsible = responsible
        self.leadId = leadId
        self.customerId = customerId
    }
}

/// A partial update of a deal: `nil` leaves a field as it is. For the optional fields, `.some(nil)` clears
/// them (the probability then follows the stage again; a deal keeps at least a lead or a customer).
public struct DealPatch: Sendable, Hashable {
    public var name: String?
    public var amount: String?
    public var currency: String?
    public var probability: Int64??
    public var expectedCloseAt: Timestamp??
    public var responsible: UUID?
    public var leadId: UUID??
    public var customerId: UUID??

    public init(
        name: String? = nil, amount: String? = nil, currency: String? = nil, probability: Int64?? = nil,
        expectedCloseAt: Timestamp?? = nil, responsible: UUID? = nil, leadId: UUID?? = nil, customerId: UUID?? = nil
    ) {
        self.name = name
        self.amount = amount
        self.currency = currency
        self.probability = probability
        self.expectedCloseAt = expectedCloseAt
        self.responsible = responsible
        self.leadId = leadId
        self.customerId = customerId
    }
}

/// Commands on deals, decided by `DealDecider`.
public enum DealCommand: Sendable, Hashable {
    case create(dealId: UUID, DealInput)
    case update(DealPatch)
    /// Move an open deal to another open stage.
    case moveStage(String)
    /// Win the deal: it enters `stage` (a won stage), by default the first active one.
    case win(stage: String?)
    /// Lose the deal: it enters `stage` (a lost stage), by default the first active one.
    case lose(stage: String?, reason: String?)
    /// Reopen a won or lost deal on `stage` (an open stage), by default the first active one.
    case reopen(stage: String?)
    case delete(reason: String?)
    case restore
    /// Add, edit, reassign, close, reopen or delete a task on the deal (`TaskRules`).
    case task(TaskCommand)

    /// The leads the command names (they must exist and not be deleted or merged).
    public var relatedLeadIds: [UUID] {
        switch self {
        case .create(_, let input): input.leadId.map { [$0] } ?? []
        case .update(let patch): (patch.leadId ?? nil).map { [$0] } ?? []
        default: []
        }
    }

    /// The customers the command names (they must exist).
    public var relatedCustomerIds: [UUID] {
        switch self {
        case .create(_, let input): input.customerId.map { [$0] } ?? []
        case .update(let patch): (patch.customerId ?? nil).map { [$0] } ?? []
        default: []
        }
    }

    /// The admins the command names (they must exist and be enabled).
    public var relatedAdminIds: [UUID] {
        switch self {
        case .create(_, let input): input.responsible.map { [$0] } ?? []
        case .update(let patch): patch.responsible.map { [$0] } ?? []
        case .task(let command): command.relatedAdminIds
        default: []
        }
    }
}
