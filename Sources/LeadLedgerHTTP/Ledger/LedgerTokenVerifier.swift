import LeadLedgerCore

/// Verifies bearer tokens against the ledger: the token's SHA-256 is looked up among the admins' live tokens.
/// Unknown, revoked and expired tokens and disabled admins all answer `nil` (a 401).
public struct LedgerTokenVerifier: AccessTokenVerifier {
    let reads: LedgerReads

    public init(ledger: Ledger) {
        reads = LedgerReads(ledger: ledger)
    }

    public func principal(forTokenHash tokenHash: String) async throws -> Principal? {
        guard let (admin, token) = try reads.admin(forTokenHash: tokenHash) else { return nil }
        return Principal(admin: admin, tokenId: token.id)
    }
}
