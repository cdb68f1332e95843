import Foundation
import HashTreeCollections
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

/// Groups of live (not deleted, not merged) leads sharing a normalized phone or a lower-cased e-mail.
///
/// Maintained incrementally: key → set of lead ids, and an ordered index of the keys held by two leads or more,
/// largest group first. Listing a page is O(log g + page); a lead's possible duplicates are the union of its
/// keys' sets. The e-mail sets also answer "leads matching a customer by e-mail".
public struct DuplicateIndex: Sendable, Equatable {
    private(set) var byKey = KeyedSets<DuplicateKey>()
    private(set) var groups = SortedIndex<DuplicateGroupCursor>()

    public init() {}

    /// Builds the index from a set of leads in one pass (snapshot loading); equal to updating lead by lead.
    init(bulk leads: some Sequence<LeadState>) {
        for lead in leads where lead.isLive {
            for key in DuplicateKey.keys(of: lead) { byKey.insert(lead.id, for: key) }
        }
        var groupCursors: [DuplicateGroupCursor] = []
        byKey.forEachKeyCount { key, count in
            if count >= 2 { groupCursors.append(DuplicateGroupCursor(negatedSize: -count, key: key)) }
        }
        groups = SortedIndex(groupCursors)
    }

    public mutating func update(from old: LeadState?, to new: LeadState?) {
        if old?.phones == new?.phones && old?.emails == new?.emails && old?.isLive == new?.isLive { return }
        let before = old.flatMap { $0.isLive ? DuplicateKey.keys(of: $0) : nil } ?? []
        let after = new.flatMap { $0.isLive ? DuplicateKey.keys(of: $0) : nil } ?? []
        guard before != after, let id = new?.id ?? old?.id else { return }
        for key in before.subtracting(after) {
            let size = byKey.count(key)
            byKey.remove(id, for: key)
            resize(key, from: size, to: size - 1)
        }
        for key in after.subtracting(before) {
            let size = byKey.count(key)
            byKey.insert(id, for: key)
            resize(key, from: size, to: size + 1)
        }
    }

    private mutating func resize(_ key: DuplicateKey, from old: Int, to new: Int) {
        if old >= 2 { groups.remove(DuplicateGroupCursor(negatedSize: -old, key: key)) }
        if new >= 2 { groups.insert(DuplicateGroupCursor(negatedSize: -new, key: key)) }
    }

    /// Live leads having `key`.
    public func leads(with key: DuplicateKey) -> [UUID] { byKey[key].sorted(by: UUID.canonicalOrder) }

    /// Groups, largest first (then by key), after `cursor`.
    public func groups(after cursor: DuplicateGroupCursor? = nil, limit: Int = 50) -> DuplicateGroupPage {
        let limit = Swift.min(Swift.max(limit, 1), 200)
        var page: [DuplicateGroup] = []
        var last: DuplicateGroupCursor?
        var more = false
        groups.forEach(after: cursor) { entry in
            if page.count == limit {
                more = true
                return false
            }
            page.append(DuplicateGroup(key: entry.key, leadIds: leads(with: entry.key)))
            last = entry
            return true
        }
        return DuplicateGroupPage(groups: page, next: more ? last : nil, total: groups.count)
    }

    /// Other live leads sharing a phone or an e-mail with `lead`, with the keys they share.
    public func possibleDuplicates(of lead: LeadState) -> [(leadId: UUID, keys: [DuplicateKey])] {
        var shared: [UUID: [DuplicateKey]] = [:]
        for key in DuplicateKey.keys(of: lead).sorted() {
            byKey.forEachMember(of: key) { other in if other != lead.id { shared[other, default: []].append(key) } }
        }
        return shared.sorted { UUID.canonicalOrder($0.key, $1.key) }.map { ($0.key, $0.value) }
    }
}
