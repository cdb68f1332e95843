import Crypto
import Foundation
import LeadDomain

/// API tokens: `llt_` + 32 random bytes in base64url (no padding). Only the SHA-256 (lowercase hex) of the
/// whole token string, prefix included, is stored (`TokenIssued.sha256`); authentication hashes the presented
/// bearer token with `APITokenHash.sha256Hex` and looks the hash up in the projections.
public enum APITokenHash {
    public static let prefix = "llt_"

    /// A new random token.
    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let base64 = Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        return prefix + base64
    }

    /// SHA-256 of the token's UTF-8 bytes, lowercase hex.
    public static func sha256Hex(_ token: String) -> String {
        // Every authenticated request hashes its token: hex by table, not `String(format:)` per byte (~5 µs).
        let digest = SHA256.hash(data: Array(token.utf8))
        return String(unsafeUninitializedCapacity: SHA256.byteCount * 2) { out in
            var index = 0
            for byte in digest {
                out[index] = hexDigits[Int(byte >> 4)]
                out[index + 1] = hexDigits[Int(byte & 0x0F)]
                index += 2
            }
            return index
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
}

extension Ledger {
    /// When no admin exists yet, creates one (role `admin`, every permission) and issues it a token; returns
    /// the admin id and the one-time token to print once. Returns nil when an admin exists.
    ///
    /// The first admin is its own actor (there is nobody else to be).
    public func bootstrapAdminIfNeeded(name: String = "Administrator") async throws -> (adminId: UUID, token: String)? {
        // One bootstrap at a time within the process (a concurrent caller gets nil).
        guard !bootstrapping.exchange(true, ordering: .acquiringAndReleasing) else { return nil }
        defer { bootstrapping.store(false, ordering: .releasing) }
        guard read({ $0.admins.admins.isEmpty }) else { return nil }
        let adminId = UUID()
        let token = APITokenHash.generate()
        _ = try await execute(
            .admin(
                adminId,
                .create(
                    adminId: adminId, name: name, email: nil, role: AdminRole.admin.rawValue,
                    permissions: Permission.allCases.map(\.rawValue))),
            actor: adminId)
        _ = try await execute(
            .admin(
                adminId,
                .issueToken(tokenId: UUID(), label: "bootstrap", sha256: APITokenHash.sha256Hex(token), expiresAt: nil)),
            actor: adminId)
        return (adminId, token)
    }
}
