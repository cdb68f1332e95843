import Crypto
import EventLog
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
    public static func sha256Hex(_ token: String) -> String { sha256Hex(bytes: Array(token.utf8)) }

    /// SHA-256 of `bytes`, lowercase hex (tokens, request fingerprints).
    public static func sha256Hex(bytes: [UInt8]) -> String {
        // Every authenticated request hashes its token: hex by table, not `String(format:)` per byte (~5 µs).
        hex(SHA256.hash(data: bytes))
    }

    /// A digest in lowercase hex (file digests hashed in pieces use it too).
    public static func hex(_ digest: SHA256.Digest) -> String {
        String(unsafeUninitializedCapacity: SHA256.byteCount * 2) { out in
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
        guard try read({ try $0.adminCount() }) == 0 else { return nil }
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

extension Ledger {
    /// Issues an API token to an enabled admin straight through the log, without loading the projections (the
    /// CLI's `token create`; at 10^6 leads, opening a ledger to do it took 42 s and wrote a snapshot on close).
    ///
    /// The admin is `wanted` if given, else the first enabled admin with role `admin` by name then id (the order
    /// of `AdminDirectory.sorted`). Admins are folded from their `admin-` streams; the command goes through the
    /// same decider and append as over HTTP. A running server holds the log's writer lock, so this fails with
    /// `EventLogError.locked` beside one. Returns the token (shown once) and the admin.
    public static func issueToken(
        _ configuration: LedgerConfiguration, admin wanted: UUID?, label: String
    ) async throws -> (token: String, admin: AdminState) {
        let log = try EventLog(directory: configuration.logDirectory, options: configuration.logOptions)
        defer { log.close() }
        let service = CommandService(log: log, clock: configuration.clock)
        var admins: [AdminState] = []
        for stream in try log.streamIds(withPrefix: "admin-") {
            if let admin = try service.load(stream, as: .admin(nil)).state.admin { admins.append(admin) }
        }
        admins.sort { ($0.name, LeadKey($0.id)) < ($1.name, LeadKey($1.id)) }
        let chosen = admins.first { admin in
            guard !admin.disabled else { return false }
            if let wanted { return admin.id == wanted }
            return admin.role == .admin
        }
        guard let chosen else {
            throw LedgerError(.invalidArgument, wanted.map { "no enabled admin \($0.uuidString.lowercased())" } ?? "no enabled admin with role admin")
        }
        let token = APITokenHash.generate()
        _ = try await service.execute(
            .admin(
                chosen.id,
                .issueToken(tokenId: UUID.random(), label: label, sha256: APITokenHash.sha256Hex(token), expiresAt: nil)),
            actor: chosen.id, expectedVersion: nil, idempotencyKey: nil)
        return (token, chosen)
    }
}
