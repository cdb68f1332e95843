#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// base64url without padding (RFC 4648 §5), for tokens and cursors.
enum Base64URL {
    static func encode(_ bytes: some Sequence<UInt8>) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// `nil` for anything outside the alphabet, padding included, or an impossible length.
    static func decode(_ string: String) -> [UInt8]? {
        guard string.utf8.allSatisfy(isAlphabetByte), string.utf8.count % 4 != 1 else { return nil }
        var base64 = string.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.utf8.count % 4) % 4)
        guard let data = Data(base64Encoded: base64) else { return nil }
        // Reject non-canonical encodings (unused low bits set), so one value has exactly one cursor string.
        guard encode(data) == string else { return nil }
        return Array(data)
    }

    static func isAlphabetByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"):
            true
        default:
            false
        }
    }
}
