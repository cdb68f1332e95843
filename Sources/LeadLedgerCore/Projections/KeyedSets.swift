import Foundation
import HashTreeCollections

/// An inverted index: for each key, the set of lead ids carrying it.
///
/// Backed by persistent hash trees, so a projection value that is copied for a reader and then mutated by the
/// writer shares almost all of its structure (an update copies O(log n) nodes, not the index). Most keys of the
/// search and duplicate indexes belong to one lead, so a key with one member stores the id inline instead of a
/// set. Empty keys are removed, so two indexes holding the same memberships are equal however they got there.
public struct KeyedSets<Key: Hashable & Sendable>: Sendable, Equatable {
    /// One id inline, or a set of two or more (never fewer: the form is canonical, so equality is structural).
    enum Members: Sendable, Equatable {
        case one(UUID)
        case many(TreeSet<UUID>)

        var count: Int {
            switch self {
            case .one: 1
            case .many(let set): set.count
            }
        }

        func contains(_ id: UUID) -> Bool {
            switch self {
            case .one(let member): member == id
            case .many(let set): set.contains(id)
            }
        }

        /// Adds `id` (in place: the set is uniquely referenced while it changes).
        mutating func insert(_ id: UUID) {
            switch self {
            case .one(let other):
                if other != id { self = .many([other, id]) }
            case .many(var set):
                self = .one(id)  // drop this enum's reference so `set` is unique and grows in place
                set.insert(id)
                self = .many(set)
            }
        }

        /// Removes `id` from a set of two or more (back to `.one` when one member is left).
        mutating func remove(_ id: UUID) {
            guard case .many(var set) = self else { return }
            self = .one(id)
            set.remove(id)
            self = set.count == 1 ? .one(set.first!) : .many(set)
        }
    }

    var sets: TreeDictionary<Key, Members> = [:]

    public init() {}

    /// The leads carrying `key` (empty when none).
    public subscript(key: Key) -> TreeSet<UUID> {
        switch sets[key] {
        case nil: []
        case .one(let id): [id]
        case .many(let set): set
        }
    }

    public func count(_ key: Key) -> Int { sets[key]?.count ?? 0 }

    public func contains(_ id: UUID, for key: Key) -> Bool { sets[key]?.contains(id) ?? false }

    /// Visits the leads carrying `key` without building a set.
    public func forEachMember(of key: Key, _ body: (UUID) -> Void) {
        switch sets[key] {
        case nil: return
        case .one(let id): body(id)
        case .many(let set): for id in set { body(id) }
        }
    }

    public var keys: [Key] { Array(sets.keys) }

    /// Adds `id` under `key`; returns true when the key had no member before.
    ///
    /// One hash and one descent of the tree: the members are changed in place where they are stored (a set read
    /// out of the tree, even through a pattern binding, is shared with it, and inserting into a shared persistent
    /// set copies the nodes on its path). Bulk builds of the indexes with many keys call this too: inserting
    /// straight into the tree costs less than grouping into a `[Key: [UUID]]` first, which allocated an array per
    /// key (most search and duplicate keys have one lead) and hashed every key twice.
    @discardableResult
    public mutating func insert(_ id: UUID, for key: Key) -> Bool {
        var isNew = false
        sets.updateValue(forKey: key, default: { isNew = true; return .one(id) }()) { members in
            if !isNew { members.insert(id) }
        }
        return isNew
    }

    /// Removes `id` from `key`; returns true when the key lost its last member (and was dropped).
    @discardableResult
    public mutating func remove(_ id: UUID, for key: Key) -> Bool {
        sets.updateValue(forKey: key) { members in
            switch members {
            case nil: return false
            case .one(let member):
                guard member == id else { return false }
                members = nil
                return true
            case .many:
                members?.remove(id)
                return false
            }
        }
    }

    /// Each key with its number of members (for bulk builds that index the keys by size).
    func forEachKeyCount(_ body: (Key, Int) -> Void) {
        for (key, members) in sets { body(key, members.count) }
    }

    /// Moves `id` from the keys in `old` to the keys in `new`, touching only the difference.
    public mutating func replace(_ id: UUID, from old: Set<Key>, to new: Set<Key>) {
        guard old != new else { return }
        for key in old where !new.contains(key) { remove(id, for: key) }
        for key in new where !old.contains(key) { insert(id, for: key) }
    }
}
