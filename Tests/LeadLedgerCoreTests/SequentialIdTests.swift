import Foundation
import Testing

@testable import LeadLedgerCore

@Suite("Sequential ids of a bulk write")
struct SequentialIdTests {
    let actor = UUID(uuidString: "0F2B7C4E-1D3A-4B5C-8D6E-7F8091A2B3C4")!

    private func bytes(_ id: UUID) -> [UInt8] { withUnsafeBytes(of: id.uuid) { Array($0) } }

    @Test("ids of one key sort by sequence, are distinct per event index, and are valid RFC 9562 version 8 ids")
    func sortsBySequence() {
        let sequences: [UInt32] = [0, 1, 2, 15, 16, 255, 256, 65_535, 65_536, 1_000_000, .max - 1, .max]
        let ids = sequences.map { EventIdentity.sequentialId(actor: actor, key: "import:a", sequence: $0, index: 0) }
        for (a, b) in zip(ids, ids.dropFirst()) {
            #expect(bytes(a).lexicographicallyPrecedes(bytes(b)), "\(a) should sort before \(b)")
        }
        for id in ids {
            #expect(bytes(id)[6] >> 4 == 8, "version nibble")
            #expect(bytes(id)[8] >> 6 == 0b10, "variant bits")
        }
        // One row's events share the ordering prefix but are different ids.
        let events = (0..<4).map { EventIdentity.sequentialId(actor: actor, key: "import:a", sequence: 7, index: $0) }
        #expect(Set(events).count == 4)
        // Stable: the same inputs give the same id (what makes re-running a batch recognisable).
        #expect(EventIdentity.sequentialId(actor: actor, key: "import:a", sequence: 7, index: 2) == events[2])
    }

    @Test("different keys or actors land in different regions")
    func keysSeparate() {
        let a = EventIdentity.sequentialId(actor: actor, key: "import:a", sequence: 1, index: 0)
        let b = EventIdentity.sequentialId(actor: actor, key: "import:b", sequence: 1, index: 0)
        let c = EventIdentity.sequentialId(actor: UUID(), key: "import:a", sequence: 1, index: 0)
        #expect(a != b && a != c && b != c)
        #expect(Array(bytes(a)[0..<3]) != Array(bytes(b)[0..<3]))
        // Distinct from the per-key derived ids used for single writes.
        #expect(a != EventIdentity.eventId(actor: actor, key: "import:a", streamIndex: 0, eventIndex: 0))
    }
}
