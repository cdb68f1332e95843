import EventLog
import Foundation
import LeadDomain

/// A command addressed to one aggregate: what `Ledger.execute` takes.
///
/// ```swift
/// try await ledger.execute(.lead(id, .create(leadId: id, input)), actor: adminId)
/// try await ledger.execute(.lead(id, .markStep("qualified")), actor: adminId, expectedVersion: 3)
/// try await ledger.execute(.settings(.defineTag(name: "vip", colour: nil)), actor: adminId)
/// ```
public enum LedgerCommand: Sendable, Hashable {
    /// A lead command on lead `id` (for `.create` the id must be the command's `leadId`).
    case lead(UUID, LeadCommand)
    /// A customer command on customer `id` (for `.register` the id must be the command's `customerId`).
    case customer(UUID, CustomerCommand)
    /// A deal command on deal `id` (for `.create` the id must be the command's `dealId`).
    case deal(UUID, DealCommand)
    /// An admin command on admin `id` (for `.create` the id must be the command's `adminId`).
    case admin(UUID, AdminCommand)
    case settings(SettingsCommand)

    /// The stream of the aggregate the command targets (every non-empty decision writes to it).
    public var streamId: String {
        switch self {
        case .lead(let id, _): StreamID.lead(id)
        case .customer(let id, _): StreamID.customer(id)
        case .deal(let id, _): StreamID.deal(id)
        case .admin(let id, _): StreamID.admin(id)
        case .settings: StreamID.settings
        }
    }

    /// The id inside a create command that must match the addressed id.
    var createdId: UUID? {
        switch self {
        case .lead(_, .create(let leadId, _)): leadId
        case .customer(_, .register(let input)): input.customerId
        case .deal(_, .create(let dealId, _)): dealId
        case .admin(_, .create(let adminId, _, _, _, _)): adminId
        default: nil
        }
    }

    var addressedId: UUID? {
        switch self {
        case .lead(let id, _), .customer(let id, _), .deal(let id, _), .admin(let id, _): id
        case .settings: nil
        }
    }
}

/// The state of an aggregate after a command (nil inside when it does not exist).
public enum AggregateState: Sendable, Hashable {
    case lead(LeadState?)
    case customer(CustomerState?)
    case deal(DealState?)
    case admin(AdminState?)
    case settings(SettingsState)

    public var lead: LeadState? { if case .lead(let state) = self { state } else { nil } }
    public var customer: CustomerState? { if case .customer(let state) = self { state } else { nil } }
    public var deal: DealState? { if case .deal(let state) = self { state } else { nil } }
    public var admin: AdminState? { if case .admin(let state) = self { state } else { nil } }
    public var settings: SettingsState? { if case .settings(let state) = self { state } else { nil } }
}

/// What `Ledger.execute` answers: the target aggregate's new state, its stream version (the ETag), and the
/// log position the answer reflects (the projections have applied it when `execute` returns).
public struct CommandResult: Sendable, Hashable {
    /// The target aggregate's stream, e.g. `lead-<uuid>`.
    public var streamId: String
    public var state: AggregateState
    /// The target stream's version (0 = no stream): use as the ETag.
    public var streamVersion: UInt64
    /// The last log position of the command's events; for a no-op, the head when it was decided.
    public var position: UInt64
    /// One result per stream appended (target and others, e.g. merge sources); empty for a no-op.
    public var appends: [AppendResult]
    /// The events the command decided (empty for a no-op).
    public var events: [DomainEvent]
    /// True when the answer comes from an earlier execution with the same idempotency key.
    public var replayed: Bool

    /// Whether the command changed nothing.
    public var isNoOp: Bool { appends.isEmpty }
}
