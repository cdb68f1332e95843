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
        storage.appendKey(name, comma: needsComma)
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
        storage.appendQuoted(value)
        needsComma = true
    }

    /// An id as its lowercase string (`UUID.lowercased`).
    mutating func uuid(_ id: UUID) {
        separate()
        storage.appendQuoted(id)
        needsComma = true
    }

    /// A time as its ISO-8601 string (`Timestamp.iso8601`).
    mutating func time(_ time: Timestamp) {
        separate()
        storage.appendQuoted(time)
        needsComma = true
    }

    mutating func integer(_ value: some BinaryInteger) {
        separate()
        storage.appendUnescaped(String(value))
        needsComma = true
    }

    mutating func bool(_ value: Bool) {
        separate()
        storage.append(value ? "true" : "false")
        needsComma = true
    }

    mutating func null() {
        separate()
        storage.append("null")
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

    // The writer's compound appends live here, as methods of the storage, so that the writer calls each with one
    // direct call: written as closures over the writer's `storage` (`name.withUTF8Buffer { storage.append($0) }`),
    // each retained and released the storage, a tenth of a list page's CPU.

    /// `,"name":` (without the comma when `comma` is false); `name` needs no escaping.
    func appendKey(_ name: StaticString, comma: Bool) {
        let length = name.utf8CodeUnitCount
        if capacity - count < length + 4 { grow(toHold: length + 4) }
        if comma {
            base[count] = UInt8(ascii: ",")
            count += 1
        }
        base[count] = UInt8(ascii: "\"")
        (base + count + 1).initialize(from: name.utf8Start, count: length)
        base[count + 1 + length] = UInt8(ascii: "\"")
        base[count + 2 + length] = UInt8(ascii: ":")
        count += length + 3
    }

    /// A literal that needs no escaping (`true`, `null`).
    func append(_ word: StaticString) {
        append(UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount))
    }

    /// `value` as a JSON string: quoted, with `"`, `\` and the control characters escaped.
    func appendQuoted(_ value: String) {
        append(UInt8(ascii: "\""))
        if value.utf8.withContiguousStorageIfAvailable({ appendEscaped($0) }) == nil {
            // Only a string bridged from elsewhere is not contiguous; native ones (small ones too) always are.
            Array(value.utf8).withUnsafeBufferPointer { appendEscaped($0) }
        }
        append(UInt8(ascii: "\""))
    }

    /// Text that needs no escaping, unquoted (a number's digits).
    func appendUnescaped(_ text: String) {
        if text.utf8.withContiguousStorageIfAvailable({ append($0) }) == nil {
            for byte in text.utf8 { append(byte) }
        }
    }

    /// An id, quoted (a UUID's lowercase form needs no escaping).
    func appendQuoted(_ id: UUID) {
        append(UInt8(ascii: "\""))
        id.withLowercasedBytes { append($0) }
        append(UInt8(ascii: "\""))
    }

    /// A time's ISO-8601 form, quoted (it needs no escaping).
    func appendQuoted(_ time: Timestamp) {
        append(UInt8(ascii: "\""))
        time.withISO8601Bytes { append($0) }
        append(UInt8(ascii: "\""))
    }

    private func appendEscaped(_ utf8: UnsafeBufferPointer<UInt8>) {
        var runStart = 0
        for index in utf8.indices {
            let byte = utf8[index]
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
            append(UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
            appendEscape(byte)
            runStart = index + 1
        }
        append(UnsafeBufferPointer(rebasing: utf8[runStart...]))
    }

    /// `"`, `\` and the control characters, spelled as Foundation's writer spells them.
    private func appendEscape(_ byte: UInt8) {
        append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""): append(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): append(UInt8(ascii: "\\"))
        case 0x08: append(UInt8(ascii: "b"))
        case 0x09: append(UInt8(ascii: "t"))
        case 0x0A: append(UInt8(ascii: "n"))
        case 0x0C: append(UInt8(ascii: "f"))
        case 0x0D: append(UInt8(ascii: "r"))
        default:
            let hex: StaticString = "0123456789abcdef"
            append(UInt8(ascii: "u"))
            append(UInt8(ascii: "0"))
            append(UInt8(ascii: "0"))
            append(hex.utf8Start[Int(byte >> 4)])
            append(hex.utf8Start[Int(byte & 0x0F)])
        }
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
