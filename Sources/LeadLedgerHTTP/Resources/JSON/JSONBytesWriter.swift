import Foundation
import LeadDomain

/// Writes JSON text byte for byte as `JSONResponse.encoder` (Foundation's `JSONEncoder` with `.sortedKeys` and
/// `.withoutEscapingSlashes`) would, for the resources on hot paths (`JSONWritable`).
///
/// Foundation's encoder boxes every value into a tree and sorts each object's keys at run time: about 15 µs
/// per lead summary on Linux. A writer appends bytes directly; the caller writes keys already in the order
/// `.sortedKeys` gives (UTF-8 byte order, so `B` before `a`) and omits `nil` optionals as synthesized
/// `Encodable` does. `JSONWriterTests` holds every conformance to byte equality with `JSONEncoder`.
///
/// ```swift
/// var json = JSONBytesWriter()
/// json.beginObject()
/// json.key("id"); json.string(id)
/// json.key("name", ifPresent: name)
/// json.endObject()
/// ```
struct JSONBytesWriter {
    private(set) var bytes: [UInt8] = []
    /// A value was written in the current array or object: the next one needs a comma.
    private var needsComma = false

    init(capacity: Int = 256) {
        bytes.reserveCapacity(capacity)
    }

    // MARK: - Containers

    mutating func beginObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
    }

    mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    mutating func beginArray() {
        separate()
        bytes.append(UInt8(ascii: "["))
        needsComma = false
    }

    mutating func endArray() {
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// An object key; `name` must need no escaping (the resources' own property names).
    mutating func key(_ name: StaticString) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    /// An object key known only at run time (a dictionary's), escaped like any string.
    mutating func dynamicKey(_ name: String) {
        string(name)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    // MARK: - Values

    mutating func string(_ value: String) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { utf8 in
            var runStart = 0
            for index in utf8.indices {
                let byte = utf8[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                escape(byte)
                runStart = index + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
        }
        bytes.append(UInt8(ascii: "\""))
        needsComma = true
    }

    /// An id as its lowercase string (`UUID.lowercased`), which needs no escaping.
    mutating func uuid(_ id: UUID) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        id.appendLowercased(to: &bytes)
        bytes.append(UInt8(ascii: "\""))
        needsComma = true
    }

    /// A time as its ISO-8601 string (`Timestamp.iso8601`), which needs no escaping.
    mutating func time(_ time: Timestamp) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        time.appendISO8601(to: &bytes)
        bytes.append(UInt8(ascii: "\""))
        needsComma = true
    }

    mutating func integer(_ value: some BinaryInteger) {
        separate()
        bytes.append(contentsOf: String(value).utf8)
        needsComma = true
    }

    mutating func bool(_ value: Bool) {
        separate()
        if value {
            bytes.append(contentsOf: [UInt8(ascii: "t"), UInt8(ascii: "r"), UInt8(ascii: "u"), UInt8(ascii: "e")])
        } else {
            bytes.append(contentsOf: [
                UInt8(ascii: "f"), UInt8(ascii: "a"), UInt8(ascii: "l"), UInt8(ascii: "s"), UInt8(ascii: "e"),
            ])
        }
        needsComma = true
    }

    mutating func null() {
        separate()
        bytes.append(contentsOf: [UInt8(ascii: "n"), UInt8(ascii: "u"), UInt8(ascii: "l"), UInt8(ascii: "l")])
        needsComma = true
    }

    mutating func strings(_ values: [String]) {
        beginArray()
        for value in values { string(value) }
        endArray()
    }

    mutating func value(_ value: some JSONWritable) {
        value.write(to: &self)
    }

    mutating func array(_ values: [some JSONWritable]) {
        beginArray()
        for value in values { value.write(to: &self) }
        endArray()
    }

    // MARK: - Keyed shorthands (a `nil` optional is omitted, as synthesized `Encodable` does)

    mutating func key(_ name: StaticString, _ value: String) {
        key(name)
        string(value)
    }

    mutating func key(_ name: StaticString, ifPresent value: String?) {
        guard let value else { return }
        key(name)
        string(value)
    }

    mutating func key(_ name: StaticString, ifPresent value: UUID?) {
        guard let value else { return }
        key(name)
        uuid(value)
    }

    mutating func key(_ name: StaticString, _ value: Bool) {
        key(name)
        bool(value)
    }

    mutating func key(_ name: StaticString, _ value: [String]) {
        key(name)
        strings(value)
    }

    // MARK: - Private

    private mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
    }

    /// `"`, `\` and the control characters, spelled as Foundation's writer spells them.
    private mutating func escape(_ byte: UInt8) {
        bytes.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""): bytes.append(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\"))
        case 0x08: bytes.append(UInt8(ascii: "b"))
        case 0x09: bytes.append(UInt8(ascii: "t"))
        case 0x0A: bytes.append(UInt8(ascii: "n"))
        case 0x0C: bytes.append(UInt8(ascii: "f"))
        case 0x0D: bytes.append(UInt8(ascii: "r"))
        default:
            let hex: [UInt8] = Array("0123456789abcdef".utf8)
            bytes.append(contentsOf: [
                UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)],
            ])
        }
    }
}

/// A resource that writes its own JSON, byte-identical to its `Encodable` form under `JSONResponse.encoder`
/// (which `JSONResponse.make` then skips).
protocol JSONWritable: Encodable {
    func write(to json: inout JSONBytesWriter)
}
