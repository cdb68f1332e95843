import Foundation
import Synchronization

/// Values a reader decoded from the store, by id and the stream version stored with them: a lookup that finds the
/// same version reuses the decoded value instead of decoding the record again (a list page decodes the same
/// recently changed leads over and over). Never stale: the version is read from the reader's own transaction,
/// and a record changes only with its version. Bounded: emptied when it reaches `capacity` entries.
final class DecodedCache<Value: Sendable>: Sendable {
    private let entries = Mutex<[UUID: (version: UInt64, value: Value)]>([:])
    let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    func value(_ id: UUID, version: UInt64, decode: () throws -> Value) rethrows -> Value {
        if let hit = entries.withLock({ $0[id] }), hit.version == version { return hit.value }
        let value = try decode()
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[id] = (version, value)
        }
        return value
    }
}
