@testable import EventLog
import Foundation
import Synchronization
import Testing

@Suite("UUIDv7 event ids", .timeLimit(.minutes(1)))
struct UUIDv7Tests {
    static func bytes(_ id: UUID) -> [UInt8] { withUnsafeBytes(of: id.uuid) { Array($0) } }

    static func timestamp(_ id: UUID) -> UInt64 {
        bytes(id)[0..<6].reduce(0) { $0 << 8 | UInt64($1) }
    }

    @Test("version 7, RFC 9562 variant, the current Unix time in milliseconds")
    func layout() {
        let before = UInt64(Date().timeIntervalSince1970 * 1000)
        let id = UUID.v7()
        let after = UInt64(Date().timeIntervalSince1970 * 1000)
        let b = Self.bytes(id)
        #expect(b[6] >> 4 == 7)
        #expect(b[8] >> 6 == 0b10)
        #expect(id.uuidString.count == 36 && Array(id.uuidString)[14] == "7")
        let ms = Self.timestamp(id)
        #expect(ms >= before && ms <= after + 1)
    }

    @Test("strictly increasing in byte order, also from many threads at once")
    func monotonic() async {
        var previous = Self.bytes(UUID.v7())
        for _ in 0..<100_000 {
            let next = Self.bytes(UUID.v7())
            #expect(previous.lexicographicallyPrecedes(next))
            previous = next
        }
        let all = await withTaskGroup(of: [UUID].self) { group in
            for _ in 0..<8 { group.addTask { (0..<10_000).map { _ in UUID.v7() } } }
            return await group.reduce(into: [UUID]()) { $0 += $1 }
        }
        #expect(Set(all).count == all.count)
    }

    @Test("a frozen or backward clock still gives increasing ids; an exhausted counter borrows the next ms")
    func frozenAndBackwardClock() {
        final class FakeClock: Sendable {
            let milliseconds = Mutex<UInt64>(1_700_000_000_000)
        }
        let fake = FakeClock()
        let generator = UUIDv7Generator(now: { fake.milliseconds.withLock { $0 } })
        var previous = Self.bytes(generator.next())
        // 10,000 ids in one millisecond: more than the 12-bit counter holds, so the timestamp moves on.
        for step in 0..<10_000 {
            if step == 5_000 { fake.milliseconds.withLock { $0 -= 10_000 } }  // the wall clock steps back 10 s
            let id = generator.next()
            let next = Self.bytes(id)
            #expect(previous.lexicographicallyPrecedes(next))
            #expect(next[6] >> 4 == 7 && next[8] >> 6 == 0b10)
            previous = next
        }
        let last = Self.timestamp(UUID(uuid: previous.withUnsafeBytes { $0.loadUnaligned(as: uuid_t.self) }))
        #expect(last > 1_700_000_000_000 && last < 1_700_000_000_010)
        fake.milliseconds.withLock { $0 = 1_800_000_000_000 }
        #expect(Self.timestamp(generator.next()) == 1_800_000_000_000)
    }

    @Test("ProposedEvent ids default to UUIDv7")
    func defaultId() {
        let event = ProposedEvent(type: "LeadCreated", recordedAt: 0, metadata: EventMetadata(actor: "a"), payload: [])
        #expect(Self.bytes(event.id)[6] >> 4 == 7)
    }
}
