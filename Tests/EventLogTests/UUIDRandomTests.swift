import EventLog
import Foundation
import Testing

@Suite("UUID.random")
struct UUIDRandomTests {
    @Test("random UUIDs are version 4, RFC variant, and distinct")
    func versionVariantAndUniqueness() {
        var seen = Set<UUID>()
        for _ in 0..<20_000 {
            let id = UUID.random()
            let bytes = id.uuid
            #expect(bytes.6 >> 4 == 4)
            #expect(bytes.8 >> 6 == 0b10)
            #expect(Array(id.uuidString)[14] == "4")
            seen.insert(id)
        }
        #expect(seen.count == 20_000)
    }

    @Test("random UUIDs use all the other bits")
    func bitsVary() {
        var ored = [UInt8](repeating: 0, count: 16)
        var anded = [UInt8](repeating: 0xFF, count: 16)
        for _ in 0..<2_000 {
            withUnsafeBytes(of: UUID.random().uuid) { raw in
                for index in 0..<16 {
                    ored[index] |= raw[index]
                    anded[index] &= raw[index]
                }
            }
        }
        for index in 0..<16 {
            let fixed: UInt8 = index == 6 ? 0xF0 : index == 8 ? 0xC0 : 0
            #expect(ored[index] | fixed == 0xFF, "byte \(index) never sets some bits")
            #expect(anded[index] & ~fixed == 0, "byte \(index) always sets some bits")
        }
    }
}
