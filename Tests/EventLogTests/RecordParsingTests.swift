import Foundation
import Testing

@testable import EventLog

@Suite("Parsing stored records that are damaged")
struct RecordParsingTests {
    /// A record found by fuzz-log-record: compressed, declaring a 4 GiB payload. Decompressing it allocated that
    /// much before the format capped the declared length.
    static let hugeDeclaredPayload = Data(
        base64Encoded:
            "AQEAAAAAAABucwAAoaGhoaGhoaGhoaGhoaGhoaGhoaGhoaGhoaGhoaGhoaGhoaGhoaEAAAAAAAAAAAAAAAAAAAAAAAAAAABucwAAAAAA/////wAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAQABAAAAOwAAZc5NdQAAAA==")!

    @Test("a record declaring a payload over the format's limit is refused as corrupted, before any allocation")
    func hugeDeclaredLength() throws {
        let bytes = [UInt8](Self.hugeDeclaredPayload)
        let key = bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 6, as: UInt64.self).bigEndian }
        #expect(throws: EventLogError.self) {
            try bytes.withUnsafeBytes { try RecordView($0, key: key) }
        }
    }
}
