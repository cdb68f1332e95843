import Foundation

/// An entry that is more than text: it has an action type, an admin who does it, or a planned time.
/// Actions can be pinned to the top of the lead card and completed.
public struct LeadAction: Sendable, Hashable, Codable, Identifiable {
    public var id: UUID
    public var step: String
    public var text: String
    /// Key of an action type from settings (call, meeting...), if given.
    public var actionType: String?
    /// The admin who is to do (or did) the action, if given.
    public var admin: UUID?
    public var plannedAt: Timestamp?
    public var pinned: Bool
    public var completed: Bool
    public var createdBy: UUID
    public var createdAt: Timestamp

    public init(
        id: UUID, step: String, text: String, actionType: String?, admin: UUID?, plannedAt: Timestamp?,
        pinned: Bool = false, completed: Bool = false, createdBy: UUID, createdAt: Timestamp
    ) {
        self.id = id
        self.step = step
        self.text = text
        self.actionType = actionType
        self.admin = admin
        self.plannedAt = plannedAt
        self.pinned = pinned
        self.completed = completed
        self.createdBy = createdBy
        self.createdAt = createdAt
    }
}
