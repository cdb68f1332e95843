import Foundation

/// The changed deal fields of an update: only changed fields are present.
public struct DealFieldChanges: Sendable, Hashable, Codable {
    public var name: Change<String>?
    /// The budget's decimal amount (`DealAmount.canonical`).
    public var amount: Change<String>?
    public var currency: Change<String>?
    /// The deal's own probability; `nil` (to) follows the stage's again.
    public var probability: Change<Int64?>?
    public var expectedCloseAt: Change<Timestamp?>?
    public var responsible: Change<UUID>?
    public var leadId: Change<UUID?>?
    public var customerId: Change<UUID?>?

    public init() {}

    /// Whether no field changed.
    public var isEmpty: Bool { self == DealFieldChanges() }
}
