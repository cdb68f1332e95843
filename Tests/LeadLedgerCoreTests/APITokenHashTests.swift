import Foundation
import LeadLedgerCore
import Testing

@Suite("API token hash")
struct APITokenHashTests {
    @Test("a token's hash is the lowercase hex SHA-256 of its UTF-8 bytes")
    func knownVectors() {
        #expect(APITokenHash.sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(APITokenHash.sha256Hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(APITokenHash.sha256Hex("llt_ąž") == "5a9ffad33246ffe11e0fa871b9f0a0ba3ef25aa71fb0be02db7daf499202d689")
    }

    @Test("generated tokens hash to 64 lowercase hex digits")
    func generated() {
        for _ in 0..<200 {
            let hash = APITokenHash.sha256Hex(APITokenHash.generate())
            #expect(hash.utf8.count == 64)
            #expect(hash.allSatisfy { "0123456789abcdef".contains($0) })
        }
    }
}
