import Foundation
import Hummingbird
import LeadDomain
import LeadLedgerCore

/// Typed reading of query parameters; each failure is a problem naming the parameter.
struct QueryReader {
    let parameters: Parameters

    init(_ parameters: Parameters) { self.parameters = parameters }

    func text(_ name: String) -> String? { parameters[name[...]].map(String.init) }

    /// Most values one multi-valued filter takes (`step=a,b` or `step=a&step=b`).
    static let maxValues = 50

    /// A multi-valued parameter: comma-separated and/or repeated; nil when absent. Empty parts are refused.
    func texts(_ name: String) throws -> AnyOf<String>? {
        let raw = parameters.getAll(name)
        guard !raw.isEmpty else { return nil }
        let parts = raw.flatMap { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        guard !parts.contains(where: \.isEmpty) else {
            throw APIError.badRequest(field: name, code: "emptyValue", message: "\(name) has an empty value.")
        }
        guard parts.count <= Self.maxValues else {
            throw APIError.invalid(field: name, code: "tooManyValues", message: "\(name) takes at most \(Self.maxValues) values.")
        }
        return AnyOf(parts)
    }

    /// A multi-valued UUID parameter (see `texts`).
    func uuids(_ name: String) throws -> AnyOf<UUID>? {
        guard let texts = try texts(name) else { return nil }
        return AnyOf(try texts.values.map { raw in
            guard let id = UUID(uuidString: raw) else {
                throw APIError.badRequest(field: name, code: "invalidId", message: "\(name) must be UUIDs (\(raw) is not).")
            }
            return id
        })
    }

    func uuid(_ name: String) throws -> UUID? {
        guard let raw = text(name) else { return nil }
        guard let id = UUID(uuidString: raw) else {
            throw APIError.badRequest(field: name, code: "invalidId", message: "\(name) must be a UUID.")
        }
        return id
    }

    func bool(_ name: String) throws -> Bool? {
        guard let raw = text(name) else { return nil }
        guard let value = Bool(raw) else {
            throw APIError.badRequest(field: name, code: "notABoolean", message: "\(name) must be true or false.")
        }
        return value
    }

    /// A time (`ISOTime.parse`): `dateOnly` says whether a date alone names its start (the lower end of a
    /// range) or its end (the upper end).
    func time(_ name: String, dateOnly: DateOnlyMeaning) throws -> Timestamp? {
        guard let raw = text(name) else { return nil }
        return try ISOTime.parse(raw, field: name, dateOnly: dateOnly, status: .badRequest)
    }

    func choice<T: RawRepresentable & CaseIterable>(_ name: String, of type: T.Type) throws -> T? where T.RawValue == String {
        guard let raw = text(name) else { return nil }
        guard let value = T(rawValue: raw) else {
            let allowed = T.allCases.map(\.rawValue).joined(separator: ", ")
            throw APIError.badRequest(field: name, code: "invalidValue", message: "\(name) must be one of \(allowed).")
        }
        return value
    }

    /// A comma-separated list of choices.
    func list<T: RawRepresentable & CaseIterable>(_ name: String, of type: T.Type) throws -> [T]? where T.RawValue == String {
        guard let raw = text(name) else { return nil }
        return try raw.split(separator: ",").map { part in
            guard let value = T(rawValue: String(part)) else {
                let allowed = T.allCases.map(\.rawValue).joined(separator: ", ")
                throw APIError.badRequest(field: name, code: "invalidValue", message: "\(name) must list values of \(allowed).")
            }
            return value
        }
    }

    /// Parameters whose name starts with `prefix`, e.g. `cf.budget`.
    func prefixed(_ prefix: String) -> [(String, String)] {
        parameters.filter { $0.key.hasPrefix(prefix) }.map { (String($0.key), String($0.value)) }
    }
}
