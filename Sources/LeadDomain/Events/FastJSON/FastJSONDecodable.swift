import Foundation

/// A value `JSONReader` can decode directly, with the same result as its `Decodable` conformance through
/// Foundation's `JSONDecoder`. Payload structs and shared definitions get theirs from tools/generate-events.py
/// (`DomainEvent+FastJSON.swift`); the building blocks are here.
protocol FastJSONDecodable {
    init(fastJSON reader: inout JSONReader) throws(JSONReadError)
}

extension JSONReader {
    /// Reads the value of field `name`, naming the field in any error.
    @inline(__always)
    mutating func field<T: FastJSONDecodable>(_ name: String, _: T.Type) throws(JSONReadError) -> T {
        do throws(JSONReadError) {
            return try T(fastJSON: &self)
        } catch {
            throw error.inField(name)
        }
    }
}

extension String: FastJSONDecodable {
    @inline(__always)
    init(fastJSON reader: inout JSONReader) throws(JSONReadError) { self = try reader.readString() }
}

extension Int64: FastJSONDecodable {
    @inline(__always)
    init(fastJSON reader: inout JSONReader) throws(JSONReadError) { self = try reader.readInt64() }
}

extension Int: FastJSONDecodable {
    @inline(__always)
    init(fastJSON reader: inout JSONReader) throws(JSONReadError) {
        // Int is 64 bits on every platform LeadLedger runs on.
        self = Int(try reader.readInt64())
    }
}

extension Bool: FastJSONDecodable {
    @inline(__always)
    init(fastJSON reader: inout JSONReader) throws(JSONReadError) { self = try reader.readBool() }
}

extension UUID: FastJSONDecodable {
    @inline(__always)
    init(fastJSON reader: inout JSONReader) throws(JSONReadError) { self = try reader.readUUID() }
}

extension Timestamp: FastJSONDecodable {
    @inline(__always)
    init(fastJSON reader: inout JSONReader) throws(JSONReadError) { self.init(rawValue: try reader.readInt64()) }
}

/// `null` is `nil`, as `decodeIfPresent` and `Optional`'s own `Decodable` conformance read it.
extension Optional: FastJSONDecodable where Wrapped: FastJSONDecodable {
    @inline(__always)
    init(fastJSON reader: inout JSONReader) throws(JSONReadError) {
        self = try reader.readNull() ? nil : try Wrapped(fastJSON: &reader)
    }
}

extension Array: FastJSONDecodable where Element: FastJSONDecodable {
    init(fastJSON reader: inout JSONReader) throws(JSONReadError) {
        self = []
        try reader.beginArray()
        var first = true
        while try reader.nextElement(first: &first) {
            do throws(JSONReadError) {
                append(try Element(fastJSON: &reader))
            } catch {
                throw error.atIndex(count)
            }
        }
    }
}

/// A map from string keys; of duplicate keys the first wins and later values are skipped unread, as in Foundation.
extension Dictionary: FastJSONDecodable where Key == String, Value: FastJSONDecodable {
    init(fastJSON reader: inout JSONReader) throws(JSONReadError) {
        self = [:]
        try reader.beginObject()
        var first = true
        while let key = try reader.nextKey(first: &first) {
            let name = key.string
            if self[name] != nil {
                try reader.skipValue()
            } else {
                self[name] = try reader.field(name, Value.self)
            }
        }
    }
}

/// Settings keys, priorities, roles…: a string that must be one of the raw values.
extension FastJSONDecodable where Self: RawRepresentable, RawValue == String {
    @inline(__always)
    init(fastJSON reader: inout JSONReader) throws(JSONReadError) {
        let start = reader.peekOffset()
        let raw = try reader.readString()
        guard let value = Self(rawValue: raw) else {
            throw JSONReadError("`\(raw)` is not a valid \(Self.self)", at: start)
        }
        self = value
    }
}

extension Change: FastJSONDecodable where Value: FastJSONDecodable {
    init(fastJSON reader: inout JSONReader) throws(JSONReadError) {
        var from: Value?
        var to: Value?
        var seen: UInt8 = 0
        try reader.beginObject()
        var first = true
        while let key = try reader.nextKey(first: &first) {
            if key == "from", seen & 1 == 0 {
                seen |= 1
                from = try reader.field("from", Value.self)
            } else if key == "to", seen & 2 == 0 {
                seen |= 2
                to = try reader.field("to", Value.self)
            } else {
                try reader.skipValue()
            }
        }
        // `Value` may itself be optional (`Change<String?>`): the key must be present, its value may be null.
        guard seen & 1 != 0, let from else { throw reader.missing("from") }
        guard seen & 2 != 0, let to else { throw reader.missing("to") }
        self.init(from: from, to: to)
    }
}

extension CustomFieldValue: FastJSONDecodable {
    /// `{"type": "int", "value": 5000}` with the keys in any order: the value is read once the type is known.
    init(fastJSON reader: inout JSONReader) throws(JSONReadError) {
        var type: CustomFieldType?
        var valueMark: Int?
        var seenType = false
        try reader.beginObject()
        var first = true
        while let key = try reader.nextKey(first: &first) {
            if key == "type", !seenType {
                seenType = true
                type = try reader.field("type", CustomFieldType.self)
            } else if key == "value", valueMark == nil {
                valueMark = try reader.markAndSkipValue()
            } else {
                try reader.skipValue()
            }
        }
        guard let type else { throw reader.missing("type") }
        guard let valueMark else { throw reader.missing("value") }
        self = try reader.readValue(at: valueMark) { (reader: inout JSONReader) throws(JSONReadError) in
            switch type {
            case .string: .string(try reader.field("value", String.self))
            case .int: .int(try reader.field("value", Int64.self))
            case .list: .list(try reader.field("value", String.self))
            case .text: .text(try reader.field("value", String.self))
            case .flag: .flag(try reader.field("value", Bool.self))
            case .url: .url(try reader.field("value", String.self))
            case .date: .date(try reader.field("value", String.self))
            }
        }
    }
}
