import Foundation
import HashTreeCollections

/// An inverted index: for each key, the set of lead ids carrying it.
///
/// Backed by persistent hash trees, so a projection value that is copied for a reader and then mutated by the
/// writer shares almost all of its structure (an update copies O(log n) nodes, not the index). Empty sets are
/// removed, so two indexes holding the same memberships are equal however they got there.
public struct KeyedSets<Key: Hashable & Sendable>: Sendable, Equatable {
    var sets: TreeDictionary<Key, TreeSet<UUID>> = [:]

    public init() {}

    /// The leads carrying `key` (empty when none).
    public subscript(key: Key) -> TreeSet<UUID> { sets[key] ?? [] }

    public func count(_ key: Key) -> Int { sets[key]?.count ?? 0 }

    public var keys: [Key] { Array(sets.keys) }

    /// Every key with its set (hash order: sort before writing out).
    public var entries: TreeDictionary<Key, TreeSet<UUID>> { sets }

    /// Returns true when the set of `key` went from empty to one member.
    @discardableResult
    public mutating func insert(_ id: UUID, for key: Key) -> Bool {
        var created = false
        sets[key, default: []].insert(id)
        if sets[key]?.count == 1 { created = true }
        return created
    }

    /// Returns true when the set of `key` became empty (and was dropped).
    @discardableResult
    public mutating func remove(_ id: UUID, for key: Key) -> Bool {
        guard var set = sets[key] else { return false }
        set.remove(id)
        if set.isEmpty {
            sets[key] = nil
            return true
        }
        sets[key] = set
        return false
    }

    /// Moves `id` from the keys in `old` to the keys in `new`, touching only the difference.
    public mutating func replace(_ id: UUID, from old: Set<Key>, to new: Set<Key>) {
        guard old != new else { return }
        for key in old where !new.contains(key) { remove(id, for: key) }
        for key in new where !old.contains(key) { insert(id, for: key) }
    }
}
