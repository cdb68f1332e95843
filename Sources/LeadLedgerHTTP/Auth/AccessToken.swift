import Crypto

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Access token format and hashing, in one place.
///
/// A token is `llt_` followed by 32 random bytes in base64url (no padding): 47 characters.
/// Only ``hash(_:)`` of it is ever stored.
///
/// ```swift
/// let token = AccessToken.generate()        // shown to the user once
/// let stored = AccessToken.hash(token)      // kept in the log/projection
/// ```
public enum AccessToken {
    public static let prefix = "llt_"

    /// A fresh token from the system's cryptographic random source.
    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return prefix + Base64URL.encode(bytes)
    }

    /// Lowercase hex SHA-256 of the token's UTF-8 bytes.
    public static func hash(_ token: String) -> String {
        let digest = SHA256.hash(data: Array(token.utf8))
        return digest.map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    /// Whether a string has the shape of a token (prefix, length, alphabet): cheap rejection before a lookup.
    public static func isWellFormed(_ token: String) -> Bool {
        guard token.hasPrefix(prefix), token.utf8.count == prefix.utf8.count + 43 else { return false }
        return token.utf8.dropFirst(prefix.utf8.count).allSatisfy(Base64URL.isAlphabetByte)
    }
}
