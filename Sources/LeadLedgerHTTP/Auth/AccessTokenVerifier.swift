/// Looks up who holds an access token, by the token's SHA-256 hash (`APITokenHash.sha256Hex`): tokens are
/// stored hashed and never compared in clear.
///
/// The core implements it over the admin projection; return `nil` for an unknown or revoked token.
public protocol AccessTokenVerifier: Sendable {
    func principal(forTokenHash tokenHash: String) async throws -> Principal?
}
