import Hummingbird

/// What each operation of `schemas/openapi.yaml` accepts, as the server enforces it: its query parameters and
/// the shape of its JSON body. The tables (`APIContract+Operations.swift`) are generated from the same
/// description as the document, so the server refuses exactly what the document does not allow:
/// - an unknown query parameter (`overdue=true`) or an empty one (`status=`) is a 400 naming it, instead of a
///   silently unfiltered answer;
/// - an unknown body field (`name` for `fullName`), at any depth, is a 400 naming its path;
/// - `null` where the document does not allow it (`PATCH {"fullName": null}`) is a 400 naming the field,
///   instead of a no-op.
enum APIContract {
    struct Operation: Sendable {
        /// Query parameter names the operation reads.
        let query: Set<String>
        /// Prefixes of parameter families (`cf.` for custom field filters).
        let queryPrefixes: [String]
        /// The body's shape; `nil` when the operation takes no body.
        let body: Shape?
    }

    struct Field: Sendable {
        let nullable: Bool
        let shape: Shape
    }

    indirect enum Shape: Sendable {
        /// Not checked further here (strings, numbers, booleans: their decoding checks them).
        case any
        case array(Shape)
        /// An object with these fields; keys not among them must match `others` (`nil`: none are allowed).
        case object(fields: [String: Field], others: Field?)
    }

    /// The operation `request` was routed to (HEAD answers as GET).
    static func operation(for request: Request, endpointPath: String?) -> Operation? {
        guard let endpointPath else { return nil }
        let method = request.method == .head ? "GET" : request.method.rawValue
        return operations[method + " " + RouteTable.normalize(endpointPath)]
    }

    /// Refuses unknown and empty query parameters.
    static func checkQuery(_ parameters: Parameters, of operation: Operation) throws {
        for (name, value) in parameters {
            let key = String(name)
            guard operation.query.contains(key) || operation.queryPrefixes.contains(where: { key.hasPrefix($0) }) else {
                let known = operation.query.sorted().joined(separator: ", ")
                throw APIError.badRequest(
                    field: key, code: "unknownParameter",
                    message: known.isEmpty
                        ? "\(key) is not a parameter of this operation, which takes none."
                        : "\(key) is not a parameter of this operation (it takes \(known)).")
            }
            if value.isEmpty {
                throw APIError.badRequest(field: key, code: "emptyValue", message: "\(key) has no value; leave it out instead.")
            }
        }
    }

    /// Walks a JSON value as `shape` allows it, throwing a 400 at the first unknown key or disallowed null.
    static func check(_ decoder: any Decoder, _ shape: Shape, path: String = "") throws {
        switch shape {
        case .any:
            return
        case .array(let element):
            guard case .object = element else { return }
            var items = try decoder.unkeyedContainer()
            var index = 0
            while !items.isAtEnd {
                let itemPath = path + "[\(index)]"
                if try items.decodeNil() { throw mustNotBeNull(itemPath) }
                try check(try items.superDecoder(), element, path: itemPath)
                index += 1
            }
        case .object(let fields, let others):
            let object = try decoder.container(keyedBy: AnyKey.self)
            for key in object.allKeys {
                let keyPath = path.isEmpty ? key.stringValue : path + "." + key.stringValue
                let field: Field
                if let known = fields[key.stringValue] {
                    field = known
                } else if let others {
                    field = others
                } else {
                    throw APIError.badRequest(
                        field: keyPath, code: "unknownField", message: "\(keyPath) is not a field of this body.")
                }
                if try object.decodeNil(forKey: key) {
                    if field.nullable { continue }
                    throw mustNotBeNull(keyPath)
                }
                try check(try object.superDecoder(forKey: key), field.shape, path: keyPath)
            }
        }
    }

    private static func mustNotBeNull(_ path: String) -> APIError {
        APIError.badRequest(
            field: path, code: "mustNotBeNull",
            message: "\(path) must not be null; leave it out to keep it, or send an empty value to clear it.")
    }

    /// Any JSON object key.
    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
