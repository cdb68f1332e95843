import Foundation

/// An incoming call taken on a lead (`CallReceived`), as its card lists it.
public struct LeadCall: Sendable, Hashable, Codable, Identifiable {
    public var id: UUID
    /// As the phone system sent it.
    public var number: String
    /// International form, digits only.
    public var digits: String
    public var takenBy: UUID?
    public var at: Timestamp

    public init(id: UUID, number: String, digits: String, takenBy: UUID?, at: Timestamp) {
        self.id = id
        self.number = number
        self.digits = digits
        self.takenBy = takenBy
        self.at = at
    }
}
