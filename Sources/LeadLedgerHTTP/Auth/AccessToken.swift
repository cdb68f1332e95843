import LeadLedgerCore

/// The shape of an access token, for cheap rejection before a lookup.
///
/// Generating and hashing tokens is the core's (`APITokenHash`): one implementation, used by the bootstrap,
/// the admin routes and ``BearerAuthMiddleware``.
public enum AccessToken {
    /// `llt_` followed by 43 base64url characters (32 bytes, no padding).
    public static func isWellFormed(_ token: String) -> Bool {
        let prefix = APITokenHash.prefix
        guard token.hasPrefix(prefix), token.utf8.count == prefix.utf8.count + 43 else { return false }
        return token.utf8.dropFirst(prefix.utf8.count).allSatisfy(Base64URL.isAlphabetByte)
    }
}
