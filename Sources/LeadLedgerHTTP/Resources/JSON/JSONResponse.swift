import Foundation
import Hummingbird

/// Encodes API resources: camelCase keys as declared, sorted, so answers are byte-stable.
enum JSONResponse {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    static func make(
        _ value: some Encodable, status: HTTPResponse.Status = .ok, etag: EntityTag? = nil, logPosition: UInt64? = nil
    ) throws -> Response {
        let data = try encoder.encode(value)
        return response(ByteBuffer(bytes: data), status: status, etag: etag, logPosition: logPosition)
    }

    /// The same bytes as the `Encodable` overload, written directly (`JSONBytesWriter`): the lead list, the
    /// lead answer of every lead command.
    static func make(
        _ value: some JSONWritable, status: HTTPResponse.Status = .ok, etag: EntityTag? = nil,
        logPosition: UInt64? = nil
    ) -> Response {
        let body = written(value).withUnsafeBytes { ByteBuffer(bytes: $0) }
        return response(body, status: status, etag: etag, logPosition: logPosition)
    }

    /// The JSON of a writable resource.
    static func bytes(_ value: some JSONWritable) -> [UInt8] { written(value).bytes }

    private static func written(_ value: some JSONWritable) -> JSONBytesWriter {
        var json = JSONBytesWriter(capacity: 4096)
        value.write(to: &json)
        return json
    }

    private static func response(
        _ body: ByteBuffer, status: HTTPResponse.Status, etag: EntityTag?, logPosition: UInt64?
    ) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        var response = Response(status: status, headers: headers, body: .init(byteBuffer: body))
        response.setVersioning(etag: etag, logPosition: logPosition)
        return response
    }
}

/// A page of a listing: `{items, nextCursor, total?}`.
struct PageResource<Item: Encodable & Sendable>: Encodable, Sendable {
    var items: [Item]
    /// `null` on the last page.
    var nextCursor: String?
    var total: Int?

    enum CodingKeys: String, CodingKey { case items, nextCursor, total }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(items, forKey: .items)
        try container.encode(nextCursor, forKey: .nextCursor)
        try container.encodeIfPresent(total, forKey: .total)
    }
}
