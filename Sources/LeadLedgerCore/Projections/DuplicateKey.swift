import Foundation
import LeadDomain

/// What makes leads duplicates of each other: a normalized phone or a lower-cased e-mail.
public struct DuplicateKey: Sendable, Hashable, Comparable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable, Comparable {
        case email
        case phone
        public static func < (a: Kind, b: Kind) -> Bool { a.rawValue < b.rawValue }
    }

    public var kind: Kind
    /// Digits (`PhoneNumber.normalize`) or `EmailAddress.normalize`.
    public var value: String

    public init(kind: Kind, value: String) {
        self.kind = kind
        self.value = value
    }

    public static func < (a: DuplicateKey, b: DuplicateKey) -> Bool { (a.kind, a.value) < (b.kind, b.value) }

    /// The keys of a lead.
    public static func keys(of lead: LeadState) -> Set<DuplicateKey> {
        var keys = Set<DuplicateKey>()
        for phone in lead.phones where !phone.digits.isEmpty { keys.insert(DuplicateKey(kind: .phone, value: phone.digits)) }
        for email in lead.emails {
            let normalized = EmailAddress.normalize(email)
            if !normalized.isEmpty { keys.insert(DuplicateKey(kind: .email, value: normalized)) }
        }
        return keys
    }
}

/// A group of live leads sharing a key.
public struct DuplicateGroup: Sendable, Hashable {
    public var key: DuplicateKey
    /// Lead ids in canonical (`LeadKey`) order.
    public var leadIds: [UUID]
}

/// Orders groups largest first, then by key; also the cursor of the group list.
public struct DuplicateGroupCursor: Sendable, Hashable, Comparable, Codable {
    /// Negated size, so ascending order is largest first.
    public var negatedSize: Int
    public var key: DuplicateKey

    public static func < (a: DuplicateGroupCursor, b: DuplicateGroupCursor) -> Bool {
        (a.negatedSize, a.key) < (b.negatedSize, b.key)
    }
}

public struct DuplicateGroupPage: Sendable, Hashable {
    public var groups: [DuplicateGroup]
    public var next: DuplicateGroupCursor?
    /// Number of groups in all.
    public var total: Int
}
