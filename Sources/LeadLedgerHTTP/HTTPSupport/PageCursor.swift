import Crypto

#if canImport(FoundationEssentials)
    public import FoundationEssentials
#else
    public import Foundation
#endif

/// An opaque keyset-pagination cursor: the sort key and id of the last row of a page.
///
/// Encoded as base64url of `version byte ‖ JSON payload ‖ 8-byte SHA-256 check`. The payload names a
/// `scope` (e.g. `"leads:updatedAt-desc"`), so a cursor from one listing or sort order is rejected by another.
/// The check catches garbage and edited cursors; it is not a secret MAC, and need not be: a forged cursor only
/// moves the start of a page the caller may read anyway, since visibility is applied by the query.
///
/// ```swift
/// let next = PageCursor(scope: "leads:name", key: lastRow.name, id: lastRow.id).encoded()
/// let after = try PageCursor<String>.decode(query: request.uri.queryParameters["cursor"], scope: "leads:name")
/// ```
public struct PageCursor<Key: Codable & Sendable & Hashable>: Sendable, Hashable {
    public var scope: String
    public var key: Key
    public var id: String

    public init(scope: String, key: Key, id: String) {
        self.scope = scope
        self.key = key
        self.id = id
    }

    public init(scope: String, key: Key, id: UUID) {
        self.init(scope: scope, key: key, id: id.uuidString.lowercased())
    }

    static var formatVersion: UInt8 { 1 }
    private static var checkLength: Int { 8 }

    private struct Payload: Codable {
        var s: String
        var k: Key
        var i: String
    }

    public func encoded() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // Encoding a Codable key into JSON only fails for values JSON cannot hold (NaN); a bug in the caller.
        guard let json = try? encoder.encode(Payload(s: scope, k: key, i: id)) else {
            preconditionFailure("cursor key \(key) is not representable in JSON")
        }
        return Self.encoded(payload: Array(json))
    }

    /// The cursor text of a JSON payload `{"i":…,"k":…,"s":…}`.
    static func encoded(payload json: [UInt8]) -> String {
        var bytes = [formatVersion]
        bytes.reserveCapacity(1 + json.count + checkLength)
        bytes += json
        bytes += check(bytes)
        return Base64URL.encode(bytes)
    }

    /// Decodes a cursor from the `cursor` query parameter: `nil` if absent, a 400 problem naming `cursor` if it
    /// is garbage, was edited, is of an unknown format version or belongs to another scope.
    public static func decode(query value: String?, scope: String) throws -> PageCursor? {
        guard let value else { return nil }
        guard let cursor = decode(value), cursor.scope == scope else {
            throw APIError.badRequest(
                field: "cursor",
                code: "invalidCursor",
                message: "The cursor is not one this listing issued; start again without it."
            )
        }
        return cursor
    }

    /// `nil` for anything that is not a cursor this codec produced.
    public static func decode(_ string: String) -> PageCursor? {
        guard string.utf8.count <= 4096, let bytes = Base64URL.decode(string),
            bytes.count > 1 + checkLength, bytes[0] == formatVersion
        else { return nil }
        let body = Array(bytes.dropLast(checkLength))
        guard Array(bytes.suffix(checkLength)) == check(body) else { return nil }
        guard let payload = try? JSONDecoder().decode(Payload.self, from: Data(body.dropFirst())) else { return nil }
        return PageCursor(scope: payload.s, key: payload.k, id: payload.i)
    }

    private static func check(_ bytes: [UInt8]) -> [UInt8] {
        Array(SHA256.hash(data: Array("leadledger.cursor".utf8) + bytes).prefix(checkLength))
    }
}

extension PageCursor where Key: JSONWritable {
    /// The same payload written by `JSONBytesWriter` instead of a `JSONEncoder` made for each cursor, which was 5% of
    /// a list page and more of a kanban board (a cursor per column). `decode` reads both.
    func encoded() -> String {
        var json = JSONBytesWriter(capacity: 160)
        json.beginObject()
        json.key("i", id)
        json.key("k")
        json.value(key)
        json.key("s", scope)
        json.endObject()
        return Self.encoded(payload: json.bytes)
    }
}
