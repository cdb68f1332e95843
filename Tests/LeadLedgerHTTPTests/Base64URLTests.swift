import Foundation
import Testing

@testable import LeadLedgerHTTP

@Suite("base64url")
struct Base64URLTests {
    @Test("encoding is RFC 4648 base64url without padding, as Foundation's base64 with - _ and no =")
    func matchesFoundation() {
        var random = SeededRandom(seed: 7)
        for length in 0..<200 {
            let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            let reference = Data(bytes).base64EncodedString()
                .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                .replacingOccurrences(of: "=", with: "")
            #expect(Base64URL.encode(bytes) == reference, "length \(length)")
            #expect(Base64URL.decode(reference) == bytes, "length \(length)")
        }
        #expect(Base64URL.encode([0xFB, 0xFF]) == "-_8")
    }

    @Test("a non-canonical or foreign string does not decode")
    func rejects() {
        #expect(Base64URL.decode("-_9") == nil)  // unused low bits set
        #expect(Base64URL.decode("ab+/") == nil)
        #expect(Base64URL.decode("abc=") == nil)
        #expect(Base64URL.decode("a") == nil)
    }
}
