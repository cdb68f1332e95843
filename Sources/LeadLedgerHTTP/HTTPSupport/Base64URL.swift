#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// base64url without padding (RFC 4648 §5), for tokens and cursors.
enum Base64URL {
    /// Written directly: every page of a listing encodes a cursor, and three `replacingOccurrences` over
    /// Foundation's base64 cost more than the rest of the cursor.
    static func encode(_ bytes: some Sequence<UInt8>) -> String {
        let input = Array(bytes)
        let length = (input.count * 4 + 2) / 3
        return String(unsafeUninitializedCapacity: length) { out in
            var index = 0
            var position = 0
            while position + 3 <= input.count {
                let chunk = UInt32(input[position]) << 16 | UInt32(input[position + 1]) << 8 | UInt32(input[position + 2])
                out[index] = alphabet[Int(chunk >> 18)]
                out[index + 1] = alphabet[Int(chunk >> 12 & 0x3F)]
                out[index + 2] = alphabet[Int(chunk >> 6 & 0x3F)]
                out[index + 3] = alphabet[Int(chunk & 0x3F)]
                index += 4
                position += 3
            }
            switch input.count - position {
            case 2:
                let chunk = UInt32(input[position]) << 16 | UInt32(input[position + 1]) << 8
                out[index] = alphabet[Int(chunk >> 18)]
                out[index + 1] = alphabet[Int(chunk >> 12 & 0x3F)]
                out[index + 2] = alphabet[Int(chunk >> 6 & 0x3F)]
                index += 3
            case 1:
                let chunk = UInt32(input[position]) << 16
                out[index] = alphabet[Int(chunk >> 18)]
                out[index + 1] = alphabet[Int(chunk >> 12 & 0x3F)]
                index += 2
            default:
                break
            }
            return index
        }
    }

    private static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

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
