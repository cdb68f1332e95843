import Foundation

/// A pull reader of JSON bytes, made for replaying event payloads: it reads objects key by key straight into the
/// generated payload initializers (`init(fastJSON:)`), without building an intermediate tree.
///
/// It accepts and rejects what Foundation's `JSONDecoder` (swift-foundation, Linux) accepts and rejects for the same
/// `Decodable` types, including its lenient corners, because the two decoders must agree on every stored payload:
/// - a leading UTF-8 byte order mark; a trailing comma before `}` or `]`;
/// - the first of duplicate keys wins;
/// - keys and decoded strings are strict (escapes, control characters, UTF-8, surrogate pairs), while values that
///   are skipped (unknown keys, later duplicates) are only scanned for their end, as Foundation's scanner does;
/// - an integer may be written as a decimal or exponent number (`1.0`, `1e2`) if its value is exactly integral.
///
/// The reader borrows the bytes: use it inside `withUnsafeBytes` and let nothing escape.
struct JSONReader {
    private let bytes: UnsafeRawBufferPointer
    /// The offset of the next byte to read.
    private(set) var offset: Int

    /// How deep `skipValue` may nest before it gives up (Foundation's limit is 512 too).
    private static let maximumDepth = 512

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
        self.offset = 0
    }

    /// Decodes a whole payload: one `T`, optionally preceded by a byte order mark, and nothing but whitespace after.
    static func decode<T: FastJSONDecodable>(_: T.Type, from payload: [UInt8]) throws(JSONReadError) -> T {
        // `Array.withUnsafeBytes` only rethrows untyped errors: carry ours out beside the result.
        var failure: JSONReadError?
        let value: T? = payload.withUnsafeBytes { buffer in
            var reader = JSONReader(buffer)
            do throws(JSONReadError) {
                reader.skipByteOrderMark()
                let value = try T(fastJSON: &reader)
                try reader.expectEnd()
                return value
            } catch {
                failure = error
                return nil
            }
        }
        guard let value else { throw failure! }
        return value
    }

    // MARK: - Bytes and whitespace

    @inline(__always)
    private func byte(at index: Int) -> UInt8 { index < bytes.count ? bytes[index] : 0 }

    /// Skips whitespace and returns the next byte without consuming it (0 at the end of the input).
    @inline(__always)
    mutating func peek() -> UInt8 {
        while offset < bytes.count {
            let b = bytes[offset]
            if b == UInt8(ascii: " ") || b == UInt8(ascii: "\n") || b == UInt8(ascii: "\r") || b == UInt8(ascii: "\t") {
                offset += 1
            } else {
                return b
            }
        }
        return 0
    }

    /// Skips whitespace and returns the offset of the next value (for error messages about that value).
    mutating func peekOffset() -> Int {
        _ = peek()
        return offset
    }

    mutating func skipByteOrderMark() {
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { offset = 3 }
    }

    mutating func expectEnd() throws(JSONReadError) {
        if peek() != 0 || offset != bytes.count { throw error("unexpected data after the JSON value") }
    }

    func error(_ message: String) -> JSONReadError { JSONReadError(message, at: offset) }

    /// "expected string, found number".
    func mismatch(_ expected: String) -> JSONReadError {
        let found: String
        switch byte(at: offset) {
        case UInt8(ascii: "\""): found = "string"
        case UInt8(ascii: "{"): found = "object"
        case UInt8(ascii: "["): found = "array"
        case UInt8(ascii: "t"), UInt8(ascii: "f"): found = "bool"
        case UInt8(ascii: "n"): found = "null"
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): found = "number"
        case 0 where offset >= bytes.count: found = "end of input"
        default: found = "invalid JSON"
        }
        return error("expected \(expected), found \(found)")
    }

    /// A required field that was absent.
    func missing(_ field: String) -> JSONReadError { error("missing required field `\(field)`") }

    // MARK: - Objects and arrays

    /// Consumes the `{` of an object.
    @inline(__always)
    mutating func beginObject() throws(JSONReadError) {
        guard peek() == UInt8(ascii: "{") else { throw mismatch("object") }
        offset += 1
    }

    /// Reads the next key of the object begun with `beginObject` (and its `:`), or `nil` after the closing `}`.
    /// `first` is the caller's state: `true` before the first member.
    @inline(__always)
    mutating func nextKey(first: inout Bool) throws(JSONReadError) -> JSONKey? {
        var b = peek()
        if b == UInt8(ascii: "}") {
            offset += 1
            return nil
        }
        if first {
            first = false
        } else {
            guard b == UInt8(ascii: ",") else { throw error("expected `,` or `}` in object") }
            offset += 1
            b = peek()
            if b == UInt8(ascii: "}") {  // trailing comma, as Foundation allows
                offset += 1
                return nil
            }
        }
        guard b == UInt8(ascii: "\"") else { throw error("expected a key string in object") }
        let token = try scanString(strict: true)
        guard peek() == UInt8(ascii: ":") else { throw error("expected `:` after key") }
        offset += 1
        // Validate escapes and UTF-8 now, as Foundation does for every key of an object it decodes.
        if token.escaped || token.nonASCII { _ = try unescape(token) }
        return JSONKey(raw: UnsafeRawBufferPointer(rebasing: bytes[token.start..<token.end]), escaped: token.escaped)
    }

    /// Consumes the `[` of an array.
    @inline(__always)
    mutating func beginArray() throws(JSONReadError) {
        guard peek() == UInt8(ascii: "[") else { throw mismatch("array") }
        offset += 1
    }

    /// Whether another element follows in the array begun with `beginArray` (consumes the `,` or the closing `]`).
    @inline(__always)
    mutating func nextElement(first: inout Bool) throws(JSONReadError) -> Bool {
        var b = peek()
        if b == UInt8(ascii: "]") {
            offset += 1
            return false
        }
        if first {
            first = false
            return true
        }
        guard b == UInt8(ascii: ",") else { throw error("expected `,` or `]` in array") }
        offset += 1
        b = peek()
        if b == UInt8(ascii: "]") {  // trailing comma, as Foundation allows
            offset += 1
            return false
        }
        return true
    }

    /// Reads a value that `readValue` is to read later (a tagged union's payload read before its tag is known):
    /// skips it and returns where it starts.
    mutating func markAndSkipValue() throws(JSONReadError) -> Int {
        _ = peek()
        let start = offset
        try skipValue()
        return start
    }

    /// Reads the value that starts at `mark` (from `markAndSkipValue`), then returns to where the reader was.
    mutating func readValue<T>(
        at mark: Int, _ read: (inout JSONReader) throws(JSONReadError) -> T
    ) throws(JSONReadError) -> T {
        let saved = offset
        offset = mark
        defer { offset = saved }
        return try read(&self)
    }

    // MARK: - Scalars

    /// Consumes `null` and returns `true`, or returns `false` at any other value.
    @inline(__always)
    mutating func readNull() throws(JSONReadError) -> Bool {
        guard peek() == UInt8(ascii: "n") else { return false }
        try literal("null")
        return true
    }

    mutating func readBool() throws(JSONReadError) -> Bool {
        switch peek() {
        case UInt8(ascii: "t"):
            try literal("true")
            return true
        case UInt8(ascii: "f"):
            try literal("false")
            return false
        default: throw mismatch("bool")
        }
    }

    private mutating func literal(_ word: StaticString) throws(JSONReadError) {
        let count = word.utf8CodeUnitCount
        guard offset + count <= bytes.count,
            memcmp(bytes.baseAddress! + offset, word.utf8Start, count) == 0
        else { throw error("invalid literal") }
        offset += count
    }

    mutating func readString() throws(JSONReadError) -> String {
        guard peek() == UInt8(ascii: "\"") else { throw mismatch("string") }
        let token = try scanString(strict: true)
        let raw = UnsafeRawBufferPointer(rebasing: bytes[token.start..<token.end])
        if !token.escaped {
            if !token.nonASCII { return String(decoding: raw, as: UTF8.self) }
            guard let text = String(validating: raw, as: UTF8.self) else {
                throw JSONReadError("invalid UTF-8 in string", at: token.start)
            }
            return text
        }
        let decoded = try unescape(token)
        return String(decoding: decoded, as: UTF8.self)
    }

    /// Reads a UUID string in the 36-character form (hex digits in either case), as `UUID(uuidString:)` does.
    mutating func readUUID() throws(JSONReadError) -> UUID {
        guard peek() == UInt8(ascii: "\"") else { throw mismatch("UUID string") }
        let start = offset
        // The usual case: 36 hex digits and dashes, then the closing quote.
        if start + 37 < bytes.count, bytes[start + 37] == UInt8(ascii: "\""), let uuid = parseUUID(at: start + 1) {
            offset = start + 38
            return uuid
        }
        let token = try scanString(strict: true)
        if !token.escaped, token.end - token.start == 36, let uuid = parseUUID(at: token.start) { return uuid }
        // Escapes or an unusual form: let Foundation decide, exactly as the reference decoder does.
        offset = start
        let text = try readString()
        guard let uuid = UUID(uuidString: text) else {
            throw JSONReadError("invalid UUID string", at: start)
        }
        return uuid
    }

    /// Parses `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` (36 bytes at `start`, either case), or `nil`.
    @inline(__always)
    private func parseUUID(at start: Int) -> UUID? {
        let p = bytes.baseAddress!.assumingMemoryBound(to: UInt8.self) + start
        guard p[8] == UInt8(ascii: "-"), p[13] == UInt8(ascii: "-"), p[18] == UInt8(ascii: "-"),
            p[23] == UInt8(ascii: "-")
        else { return nil }
        var invalid: UInt8 = 0
        @inline(__always) func byte(_ i: Int) -> UInt8 {
            let high = Self.hexValue(p[i])
            let low = Self.hexValue(p[i + 1])
            invalid |= high | low
            return high &<< 4 | low
        }
        let uuid = (
            byte(0), byte(2), byte(4), byte(6), byte(9), byte(11), byte(14), byte(16), byte(19), byte(21), byte(24),
            byte(26), byte(28), byte(30), byte(32), byte(34)
        )
        return invalid < 16 ? UUID(uuid: uuid) : nil
    }

    /// The value of a hex digit, or 255.
    @inline(__always)
    private static func hexValue(_ b: UInt8) -> UInt8 {
        let digit = b &- UInt8(ascii: "0")
        if digit < 10 { return digit }
        let letter = (b | 0x20) &- UInt8(ascii: "a")
        return letter < 6 ? letter &+ 10 : 255
    }

    /// Reads an integer. Plain integers are parsed with overflow checks; a decimal or exponent form is accepted if
    /// its value is exactly integral and in range, as Foundation does.
    mutating func readInt64() throws(JSONReadError) -> Int64 {
        let first = peek()
        guard first == UInt8(ascii: "-") || (first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9")) else {
            throw mismatch("integer")
        }
        let start = offset
        let end = scanNumberToken()
        var index = start
        let negative = bytes[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        let digitsStart = index
        // Accumulate negatively so Int64.min is reachable.
        var value: Int64 = 0
        var plain = true
        while index < end {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit < 10 else {
                plain = false
                break
            }
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (next, o2) = times10.subtractingReportingOverflow(Int64(digit))
            if o1 || o2 { throw JSONReadError("number out of range of Int64", at: start) }
            value = next
            index += 1
        }
        let digitCount = index - digitsStart
        guard digitCount > 0, !(digitCount > 1 && bytes[digitsStart] == UInt8(ascii: "0")) else {
            throw JSONReadError("invalid number", at: start)
        }
        if plain {
            if negative { return value }
            guard value != Int64.min else { throw JSONReadError("number out of range of Int64", at: start) }
            return -value
        }
        return try integralValue(start: start, end: end, fractionStart: index)
    }

    /// A number with a fraction or exponent read as an Int64 (`1.0`, `1e2`, `9.223372036854775e18`), the way
    /// Foundation reads it: accepted if its `Double` is an integer in range, its value then taken from the decimal
    /// digits (truncated toward zero), and refused if that value's magnitude exceeds `Int64.max`.
    private func integralValue(start: Int, end: Int, fractionStart: Int) throws(JSONReadError) -> Int64 {
        let negative = bytes[start] == UInt8(ascii: "-")
        var significant: [UInt8] = []  // the digits of the mantissa, without the point
        for i in (negative ? start + 1 : start)..<fractionStart { significant.append(bytes[i] &- UInt8(ascii: "0")) }
        var index = fractionStart
        var scale = 0  // the value is significant × 10^scale
        if bytes[index] == UInt8(ascii: ".") {
            index += 1
            let digits = index
            while index < end, bytes[index] &- UInt8(ascii: "0") < 10 {
                significant.append(bytes[index] &- UInt8(ascii: "0"))
                scale -= 1
                index += 1
            }
            guard index > digits else { throw JSONReadError("invalid number", at: start) }
        }
        if index < end, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            var exponentNegative = false
            if index < end, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                exponentNegative = bytes[index] == UInt8(ascii: "-")
                index += 1
            }
            let digits = index
            var exponent = 0
            while index < end, bytes[index] &- UInt8(ascii: "0") < 10 {
                exponent = min(exponent * 10 + Int(bytes[index] &- UInt8(ascii: "0")), 1_000_000)
                index += 1
            }
            guard index > digits else { throw JSONReadError("invalid number", at: start) }
            scale += exponentNegative ? -exponent : exponent
        }
        guard index == end else { throw JSONReadError("invalid number", at: start) }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
        guard let double = Double(text), Int64(exactly: double) != nil else {
            throw JSONReadError("number is not an Int64", at: start)
        }
        // Drop the fraction digits the scale cuts off.
        while scale < 0, !significant.isEmpty {
            significant.removeLast()
            scale += 1
        }
        var value: Int64 = 0  // accumulated negatively; its magnitude must fit Int64.max for either sign
        for digit in significant {
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (next, o2) = times10.subtractingReportingOverflow(Int64(digit))
            if o1 || o2 { throw JSONReadError("number out of range of Int64", at: start) }
            value = next
        }
        if value != 0 {
            for _ in 0..<max(scale, 0) {
                let (next, overflow) = value.multipliedReportingOverflow(by: 10)
                if overflow { throw JSONReadError("number out of range of Int64", at: start) }
                value = next
            }
        }
        guard value != Int64.min else { throw JSONReadError("number out of range of Int64", at: start) }
        return negative ? value : -value
    }

    /// Consumes the characters a number may be made of (as Foundation's scanner does) and returns its end.
    @inline(__always)
    private mutating func scanNumberToken() -> Int {
        while offset < bytes.count {
            switch bytes[offset] {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."),
                UInt8(ascii: "e"), UInt8(ascii: "E"):
                offset += 1
            default: return offset
            }
        }
        return offset
    }

    // MARK: - Strings

    /// Where a string's content lies (between the quotes) and what decoding it needs.
    struct StringToken {
        var start: Int
        var end: Int
        var escaped: Bool
        var nonASCII: Bool
    }

    /// Consumes a string (at its opening quote). Strict: no raw control characters. Escapes are validated by
    /// `unescape`, UTF-8 too; without `strict` only the end is found, as Foundation scans values it skips.
    @inline(__always)
    private mutating func scanString(strict: Bool) throws(JSONReadError) -> StringToken {
        let start = offset + 1
        var index = start
        var escaped = false
        var nonASCII = false
        let count = bytes.count
        let base = bytes.baseAddress!  // not empty: the opening quote is there
        while true {
            // Eight bytes at a time while none of them is a quote, a backslash, a control character or (until the
            // first one is seen) a non-ASCII byte; the byte loop below decides about the one that stopped it.
            let highBits: UInt64 = nonASCII ? 0 : 0x8080_8080_8080_8080
            while index + 8 <= count {
                let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                var special =
                    Self.hasZeroByte(word ^ 0x2222_2222_2222_2222) | Self.hasZeroByte(word ^ 0x5C5C_5C5C_5C5C_5C5C)
                if strict { special |= (word &- 0x2020_2020_2020_2020) & ~word & 0x8080_8080_8080_8080 }
                if special | (word & highBits) != 0 { break }
                index += 8
            }
            guard index < count else { break }
            let b = base.load(fromByteOffset: index, as: UInt8.self)
            if b == UInt8(ascii: "\"") {
                offset = index + 1
                return StringToken(start: start, end: index, escaped: escaped, nonASCII: nonASCII)
            }
            if b == UInt8(ascii: "\\") {
                escaped = true
                index += 2
                continue
            }
            if b < 0x20, strict { throw JSONReadError("unescaped control character in string", at: index) }
            if b >= 0x80 { nonASCII = true }
            index += 1
        }
        throw JSONReadError("unterminated string", at: offset)
    }

    /// Whether any byte of `word` is zero (exact, though not which one).
    @inline(__always)
    private static func hasZeroByte(_ word: UInt64) -> UInt64 {
        (word &- 0x0101_0101_0101_0101) & ~word & 0x8080_8080_8080_8080
    }

    /// The UTF-8 bytes a string token stands for, with escapes resolved and UTF-8 validated.
    private func unescape(_ token: StringToken) throws(JSONReadError) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(token.end - token.start)
        var index = token.start
        while index < token.end {
            let b = bytes[index]
            guard b == UInt8(ascii: "\\") else {
                out.append(b)
                index += 1
                continue
            }
            let escape = bytes[index + 1]
            index += 2
            switch escape {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escape)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4(at: index, end: token.end)
                index += 4
                if scalar >= 0xD800, scalar < 0xDC00 {
                    guard index + 1 < token.end, bytes[index] == UInt8(ascii: "\\"),
                        bytes[index + 1] == UInt8(ascii: "u")
                    else { throw JSONReadError("unpaired high surrogate in \\u escape", at: index) }
                    let low = try hex4(at: index + 2, end: token.end)
                    guard low >= 0xDC00, low < 0xE000 else {
                        throw JSONReadError("unpaired high surrogate in \\u escape", at: index)
                    }
                    index += 6
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if scalar >= 0xDC00, scalar < 0xE000 {
                    throw JSONReadError("unpaired low surrogate in \\u escape", at: index)
                }
                appendUTF8(scalar, to: &out)
            default:
                throw JSONReadError("invalid escape in string", at: index - 2)
            }
        }
        if token.nonASCII, !Self.isValidUTF8(out) {
            throw JSONReadError("invalid UTF-8 in string", at: token.start)
        }
        return out
    }

    /// The whole buffer read as the inside of a validated string (for `JSONKey`).
    fileprivate func unescapedKey() throws(JSONReadError) -> [UInt8] {
        try unescape(StringToken(start: 0, end: bytes.count, escaped: true, nonASCII: true))
    }

    private func hex4(at index: Int, end: Int) throws(JSONReadError) -> UInt32 {
        guard index + 4 <= end else { throw JSONReadError("invalid \\u escape", at: index) }
        var value: UInt32 = 0
        for i in index..<index + 4 {
            let digit = Self.hexValue(bytes[i])
            guard digit < 16 else { throw JSONReadError("invalid \\u escape", at: index) }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    private func appendUTF8(_ scalar: UInt32, to out: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            out.append(UInt8(scalar))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | scalar >> 6))
            out.append(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | scalar >> 12))
            out.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            out.append(UInt8(0x80 | scalar & 0x3F))
        default:
            out.append(UInt8(0xF0 | scalar >> 18))
            out.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            out.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            out.append(UInt8(0x80 | scalar & 0x3F))
        }
    }

    private static func isValidUTF8(_ bytes: [UInt8]) -> Bool {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }

    // MARK: - Skipping

    /// Skips one value of any kind, as leniently as Foundation's scanner (see the type's documentation).
    mutating func skipValue() throws(JSONReadError) {
        try skipValue(depth: 0)
    }

    private mutating func skipValue(depth: Int) throws(JSONReadError) {
        guard depth < Self.maximumDepth else { throw error("JSON nested too deeply") }
        switch peek() {
        case UInt8(ascii: "\""):
            _ = try scanString(strict: false)
        case UInt8(ascii: "{"):
            offset += 1
            var first = true
            while true {
                var b = peek()
                if b == UInt8(ascii: "}") { break }
                if !first {
                    guard b == UInt8(ascii: ",") else { throw error("expected `,` or `}` in object") }
                    offset += 1
                    b = peek()
                    if b == UInt8(ascii: "}") { break }
                }
                first = false
                guard b == UInt8(ascii: "\"") else { throw error("expected a key string in object") }
                _ = try scanString(strict: false)
                guard peek() == UInt8(ascii: ":") else { throw error("expected `:` after key") }
                offset += 1
                try skipValue(depth: depth + 1)
            }
            offset += 1
        case UInt8(ascii: "["):
            offset += 1
            var first = true
            while try nextElement(first: &first) {
                try skipValue(depth: depth + 1)
            }
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            _ = scanNumberToken()
        default:
            throw mismatch("a value")
        }
    }
}

/// An object key as read by `JSONReader`: the bytes between the quotes, already validated; `escaped` if they hold
/// escapes still to be resolved (rare: then comparisons decode them). Valid only while the reader's bytes are.
struct JSONKey {
    let raw: UnsafeRawBufferPointer
    let escaped: Bool

    /// Whether the key is `name` (compared as UTF-8 bytes, after unescaping).
    @inline(__always)
    static func == (key: JSONKey, name: StaticString) -> Bool {
        let count = name.utf8CodeUnitCount
        if key.escaped { return key.decoded.elementsEqual(UnsafeBufferPointer(start: name.utf8Start, count: count)) }
        return key.raw.count == count && (count == 0 || memcmp(key.raw.baseAddress!, name.utf8Start, count) == 0)
    }

    /// The key as a string (for map keys).
    var string: String {
        escaped ? String(decoding: decoded, as: UTF8.self) : String(decoding: raw, as: UTF8.self)
    }

    /// The key's bytes with escapes resolved (the key was validated when read).
    private var decoded: [UInt8] {
        (try? JSONReader(raw).unescapedKey()) ?? []
    }
}
