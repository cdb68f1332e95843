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
///
/// A writer is used linearly, by one caller: copies of it share their bytes.
struct JSONBytesWriter {
    private let storage: JSONByteStorage
    /// A value was written in the current array or object: the next one needs a comma.
    private var needsComma = false

    init(capacity: Int = 256) {
        storage = JSONByteStorage(capacity: capacity)
    }

    /// The JSON written so far (a copy).
    var bytes: [UInt8] { storage.withUnsafeBytes { Array($0) } }

    /// Lends the JSON written so far, without copying it.
    func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try storage.withUnsafeBytes(body)
    }

    // MARK: - Containers

    mutating func beginObject() {
        separate()
        storage.append(UInt8(ascii: "{"))
        needsComma = false
    }

    mutating func endObject() {
        storage.append(UInt8(ascii: "}"))
        needsComma = true
    }

    mutating func beginArray() {
        separate()
        storage.append(UInt8(ascii: "["))
        needsComma = false
    }

    mutating func endArray() {
        storage.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// An object key; `name` must need no escaping (the resources' own property names).
    mutating func key(_ name: StaticString) {
        separate()
        storage.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { storage.append($0) }
        storage.append(UInt8(ascii: "\""))
        storage.append(UInt8(ascii: ":"))
        needsComma = false
    }

    /// An object key known only at run time (a dictionary's), escaped like any string.
    mutating func dynamicKey(_ name: String) {
        string(name)
        storage.append(UInt8(ascii: ":"))
        needsComma = false
    }

    // MARK: - Values

    mutating func string(_ value: String) {
        separate()
        storage.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { utf8 in
            var runStart = 0
            for index in utf8.indices {
                let byte = utf8[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                storage.append(UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                escape(byte)
                runStart = index + 1
            }
            storage.append(UnsafeBufferPointer(rebasing: utf8[runStart...]))
        }
        storage.append(UInt8(ascii: "\""))
        needsComma = true
    }

    /// An id as its lowercase string (`UUID.lowercased`).
    mutating func uuid(_ id: UUID) {
        unescapedString { storage in id.withLowercasedBytes { storage.append($0) } }
    }

    /// A time as its ISO-8601 string (`Timestamp.iso8601`).
    mutating func time(_ time: Timestamp) {
        unescapedString { storage in time.withISO8601Bytes { storage.append($0) } }
    }

    /// A string whose bytes `write` appends and that needs no escaping (ids, times).
    private mutating func unescapedString(_ write: (JSONByteStorage) -> Void) {
        separate()
        storage.append(UInt8(ascii: "\""))
        write(storage)
        storage.append(UInt8(ascii: "\""))
        needsComma = true
    }

    mutating func integer(_ value: some BinaryInteger) {
        separate()
        var text = String(value)
        text.withUTF8 { storage.append($0) }
        needsComma = true
    }

    mutating func bool(_ value: Bool) {
        separate()
        let word: StaticString = value ? "true" : "false"
        word.withUTF8Buffer { storage.append($0) }
        needsComma = true
    }

    mutating func null() {
        separate()
        let word: StaticString = "null"
        word.withUTF8Buffer { storage.append($0) }
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
        if needsComma { storage.append(UInt8(ascii: ",")) }
    }

    /// `"`, `\` and the control characters, spelled as Foundation's writer spells them.
    private mutating func escape(_ byte: UInt8) {
        storage.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""): storage.append(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): storage.append(UInt8(ascii: "\\"))
        case 0x08: storage.append(UInt8(ascii: "b"))
        case 0x09: storage.append(UInt8(ascii: "t"))
        case 0x0A: storage.append(UInt8(ascii: "n"))
        case 0x0C: storage.append(UInt8(ascii: "f"))
        case 0x0D: storage.append(UInt8(ascii: "r"))
        default:
            let hex: StaticString = "0123456789abcdef"
            storage.append(UInt8(ascii: "u"))
            storage.append(UInt8(ascii: "0"))
            storage.append(UInt8(ascii: "0"))
            storage.append(hex.utf8Start[Int(byte >> 4)])
            storage.append(hex.utf8Start[Int(byte & 0x0F)])
        }
    }
}

/// A resource that writes its own JSON, byte-identical to its `Encodable` form under `JSONResponse.encoder`
/// (which `JSONResponse.make` then skips).
protocol JSONWritable: Encodable {
    func write(to json: inout JSONBytesWriter)
}

/// The writer's growing buffer. Appending is a bounds check and a copy: `Array.append` also checked that the array
/// was uniquely referenced and went through generic collection copying on every call, which made up a fifth of a
/// list page's CPU once the rest was direct.
final class JSONByteStorage {
    private var base: UnsafeMutablePointer<UInt8>
    private var count = 0
    private var capacity: Int

    init(capacity: Int) {
        self.capacity = Swift.max(capacity, 64)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    @inline(__always)
    func append(_ byte: UInt8) {
        if count == capacity { grow(toHold: 1) }
        base[count] = byte
        count += 1
    }

    @inline(__always)
    func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        if capacity - count < bytes.count { grow(toHold: bytes.count) }
        (base + count).initialize(from: source, count: bytes.count)
        count += bytes.count
    }

    func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: base, count: count))
    }

    private func grow(toHold extra: Int) {
        let newCapacity = Swift.max(capacity * 2, count + extra)
        let new = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        new.initialize(from: base, count: count)
        base.deallocate()
        base = new
        capacity = newCapacity
    }
}
