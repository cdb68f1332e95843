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

/// An e-mail that came into a mailbox about a lead (`EmailReceived`), as its card lists it (the text is in the
/// lead's history).
public struct LeadEmail: Sendable, Hashable, Codable, Identifiable {
    public var id: UUID
    public var mailbox: String
    public var messageId: String
    public var from: String
    public var subject: String
    public var sentAt: Timestamp?
    public var at: Timestamp

    public init(id: UUID, mailbox: String, messageId: String, from: String, subject: String, sentAt: Timestamp?, at: Timestamp) {
        self.id = id
        self.mailbox = mailbox
        self.messageId = messageId
        self.from = from
        self.subject = subject
        self.sentAt = sentAt
        self.at = at
    }
}
