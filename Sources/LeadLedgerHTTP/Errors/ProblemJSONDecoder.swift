public import Hummingbird

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The request decoder of ``APIRequestContext``: JSON with ISO-8601 dates, where a `DecodingError` becomes a
/// 400 problem naming the bad field's path (`contacts.0.phone`).
///
/// Hummingbird's own `Request.decode` turns decoding errors into a plain-text message; throwing an
/// ``APIError`` from the decoder keeps the field path structured. A body sent as another media type than
/// JSON is a 415; the body is checked against the operation's contract (``APIContract``: unknown fields and
/// disallowed nulls are a 400) in the same parse as it is decoded.
public struct ProblemJSONDecoder: RequestDecoder {
    public init() {}

    public func decode<T: Decodable>(_ type: T.Type, from request: Request, context: some RequestContext) async throws
        -> T
    {
        if let contentType = request.headers[.contentType], !Self.isJSON(contentType) {
            throw APIError(
                .unsupportedMediaType, code: "unsupportedMediaType",
                detail: "The body must be application/json, not \(contentType).")
        }
        let buffer = try await request.body.collect(upTo: context.maxUploadSize)
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let shape = APIContract.operation(for: request, endpointPath: context.endpointPath)?.body
        do {
            guard let shape else { return try decoder.decode(T.self, from: buffer) }
            decoder.userInfo[ContractChecked<T>.shapeKey] = shape
            return try decoder.decode(ContractChecked<T>.self, from: buffer).value
        } catch let error as DecodingError {
            throw APIError(decoding: error)
        }
    }

    /// `application/json`, or a `+json` type, with any parameters (`; charset=utf-8`).
    static func isJSON(_ contentType: String) -> Bool {
        let type = contentType.split(separator: ";", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        return type == "application/json" || (type.hasPrefix("application/") && type.hasSuffix("+json"))
    }
}

/// Decodes `Value` after checking the same JSON against the operation's body shape (passed in `userInfo`).
struct ContractChecked<Value: Decodable>: Decodable {
    static var shapeKey: CodingUserInfoKey { CodingUserInfoKey(rawValue: "leadledger.contract.shape")! }

    var value: Value

    init(from decoder: any Decoder) throws {
        if let shape = decoder.userInfo[Self.shapeKey] as? APIContract.Shape { try APIContract.check(decoder, shape) }
        value = try Value(from: decoder)
    }
}

extension APIError {
    /// 400 for a body that is not the expected JSON, naming the field where reading stopped.
    public init(decoding error: DecodingError) {
        let field: String
        let code: String
        let message: String
        switch error {
        case .keyNotFound(let key, let context):
            field = Self.path(context.codingPath + [key])
            code = "missing"
            message = "This field is required."
        case .valueNotFound(_, let context):
            field = Self.path(context.codingPath)
            code = "missing"
            message = "This field must not be null."
        case .typeMismatch(let type, let context):
            field = Self.path(context.codingPath)
            code = "wrongType"
            message = "Expected \(Self.jsonTypeName(type))."
        case .dataCorrupted(let context):
            field = Self.path(context.codingPath)
            code = context.codingPath.isEmpty ? "malformedJSON" : "invalidValue"
            message = context.codingPath.isEmpty ? "The body is not valid JSON." : "This value cannot be read."
        @unknown default:
            field = ""
            code = "malformedJSON"
            message = "The body cannot be read."
        }
        self.init(
            .badRequest,
            code: "malformedBody",
            detail: message,
            errors: [.init(field: field.isEmpty ? "body" : field, code: code, message: message)]
        )
    }

    static func path(_ codingPath: [any CodingKey]) -> String {
        codingPath.map { key in key.intValue.map(String.init) ?? key.stringValue }.joined(separator: ".")
    }

    /// JSON-level names, so the message does not leak Swift type names.
    static func jsonTypeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type, is Substring.Type: "a string"
        case is Bool.Type: "a boolean"
        case is Int.Type, is Int64.Type, is Int32.Type, is UInt.Type, is UInt64.Type, is UInt32.Type: "an integer"
        case is Double.Type, is Float.Type, is Decimal.Type: "a number"
        case is [Any].Type: "an array"
        default: "a different kind of value"
        }
    }
}
