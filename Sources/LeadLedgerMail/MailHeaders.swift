import Foundation
import LeadDomain

/// One header field as the message has it: the name and the unfolded value (raw: encoded words not decoded).
public struct MailHeader: Sendable, Hashable {
    public var name: String
    public var value: String
}

/// A MIME entity: its header fields and its body (still transfer-encoded).
struct MIMEEntity {
    var headers: [MailHeader]
    var body: ArraySlice<UInt8>

    static let maxHeaders = 1_000

    /// The first field named `name` (any case).
    func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// Splits `bytes` at the first empty line (CRLF or LF line ends) and unfolds the header lines (RFC 5322 §2.2.3).
    /// A line before the empty line that is neither `Name: value` nor a continuation is `malformedHeader`; an mbox
    /// `From ` line opening the message is skipped. No empty line: all header, no body.
    static func parse(_ bytes: ArraySlice<UInt8>) throws(MailParseError) -> MIMEEntity {
        var headers: [MailHeader] = []
        var pending: (name: String, value: [UInt8])?
        var index = bytes.startIndex
        var lineNumber = 0
        func flush() {
            if let field = pending { headers.append(MailHeader(name: field.name, value: headerText(field.value))) }
            pending = nil
        }
        while index < bytes.endIndex {
            lineNumber += 1
            let end = bytes[index...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.endIndex
            var line = bytes[index..<end]
            index = end < bytes.endIndex ? end + 1 : end
            if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
            if line.isEmpty {
                flush()
                return MIMEEntity(headers: headers, body: bytes[index...])
            }
            if line.first == UInt8(ascii: " ") || line.first == UInt8(ascii: "\t") {
                guard pending != nil else { throw .malformedHeader(line: lineNumber) }
                pending!.value.append(contentsOf: line)
                continue
            }
            if lineNumber == 1, line.starts(with: Array("From ".utf8)) { continue }
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { throw .malformedHeader(line: lineNumber) }
            var name = line[line.startIndex..<colon]
            while name.last == UInt8(ascii: " ") || name.last == UInt8(ascii: "\t") { name = name.dropLast() }  // obsolete "Name :"
            guard !name.isEmpty, name.allSatisfy({ $0 > 32 && $0 < 127 }) else { throw .malformedHeader(line: lineNumber) }
            flush()
            guard headers.count < maxHeaders else { throw .tooManyHeaders(limit: maxHeaders) }
            pending = (String(decoding: name, as: UTF8.self), Array(line[(colon + 1)...]))
        }
        flush()
        return MIMEEntity(headers: headers, body: bytes[bytes.endIndex...])
    }

    /// A header value's bytes as text: UTF-8 (RFC 6532 allows it raw), anything else read as Latin-1 rather than
    /// lost; whitespace runs from folding made one space, ends trimmed.
    private static func headerText(_ bytes: [UInt8]) -> String {
        let text = String(validating: bytes, as: UTF8.self) ?? String(bytes.map { Character(Unicode.Scalar($0)) })
        return text.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }

    /// `Content-Type`: the lowercased `type/subtype` (default `text/plain`, RFC 2045 §5.2) and its parameters.
    var contentType: (type: String, parameters: [String: String]) {
        guard let value = header("Content-Type") else { return ("text/plain", [:]) }
        let (type, parameters) = MIMEParameters.parse(value)
        return (type.contains("/") ? type : "text/plain", parameters)
    }

    /// `Content-Disposition`: the lowercased disposition (`inline`, `attachment`) and its parameters.
    var disposition: (kind: String?, parameters: [String: String]) {
        guard let value = header("Content-Disposition") else { return (nil, [:]) }
        let (kind, parameters) = MIMEParameters.parse(value)
        return (kind.isEmpty ? nil : kind, parameters)
    }

    /// The body with its `Content-Transfer-Encoding` undone.
    func decodedBody(part: String) throws(MailParseError) -> [UInt8] {
        let encoding = (header("Content-Transfer-Encoding") ?? "7bit").trimmedWhitespace.lowercased()
        switch encoding {
        case "7bit", "8bit", "binary", "": return Array(body)
        case "quoted-printable": return QuotedPrintable.decode(body)
        case "base64":
            guard let bytes = Base64Body.decode(body) else { throw .invalidBase64(part: part) }
            return bytes
        default: throw .unknownTransferEncoding(encoding)
        }
    }
}

/// `type/subtype; name=value; name="quoted value"` (RFC 2045 §5.1), with RFC 2231's extended (`name*=utf-8''%D0%98`)
/// and continued (`name*0=`, `name*1*=`) parameters, and RFC 2047 encoded words in a value (not allowed, but what
/// many mail programs write for file names).
enum MIMEParameters {
    static func parse(_ value: String) -> (value: String, parameters: [String: String]) {
        var pieces: [String] = []
        var current = ""
        var quoted = false
        var escaped = false
        var comment = 0
        for character in value {
            if escaped {
                current.append(character)
                escaped = false
            } else if quoted {
                if character == "\\" { escaped = true } else if character == "\"" { quoted = false } else { current.append(character) }
            } else if comment > 0 {
                if character == "(" { comment += 1 } else if character == ")" { comment -= 1 }
            } else {
                switch character {
                case "\"": quoted = true
                case "(": comment = 1
                case ";":
                    pieces.append(current)
                    current = ""
                default: current.append(character)
                }
            }
        }
        pieces.append(current)
        let head = pieces.removeFirst().trimmedWhitespace.lowercased()

        var simple: [String: String] = [:]
        var sections: [String: [(index: Int, extended: Bool, value: String)]] = [:]
        for piece in pieces {
            guard let equals = piece.firstIndex(of: "=") else { continue }
            var name = String(piece[..<equals]).trimmedWhitespace.lowercased()
            let text = String(piece[piece.index(after: equals)...]).trimmedWhitespace
            var extended = false
            if name.hasSuffix("*") {
                extended = true
                name.removeLast()
            }
            if let star = name.firstIndex(of: "*"), let number = Int(name[name.index(after: star)...]) {
                sections[String(name[..<star]), default: []].append((number, extended, text))
            } else if extended {
                sections[name, default: []].append((0, true, text))
            } else if simple[name] == nil {
                simple[name] = text
            }
        }
        var parameters = simple.mapValues { EncodedWords.decode($0) }
        for (name, parts) in sections {
            var charset = "utf-8"
            var bytes: [UInt8] = []
            for (offset, part) in parts.sorted(by: { $0.index < $1.index }).enumerated() {
                var text = Substring(part.value)
                if offset == 0, part.extended {
                    // charset'language'value
                    let fields = text.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
                    if fields.count == 3 {
                        if !fields[0].isEmpty { charset = String(fields[0]) }
                        text = fields[2]
                    }
                }
                bytes += part.extended ? percentDecoded(text) : Array(text.utf8)
            }
            parameters[name] = (try? MailCharset.decode(bytes, charset: charset)) ?? String(decoding: bytes, as: UTF8.self)
        }
        return (head, parameters)
    }

    private static func percentDecoded(_ text: Substring) -> [UInt8] {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%"), let high = iterator.next(), let low = iterator.next(),
                let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)
            {
                bytes.append(value)
            } else {
                bytes.append(byte)
            }
        }
        return bytes
    }
}

/// RFC 2047 encoded words (`=?koi8-r?B?8NLJ18XU?=`, `=?utf-8?Q?=D0=98?=`) in a header value. Whitespace between
/// two encoded words is dropped (§6.2); a word with a charset the C library does not know is left as it is.
enum EncodedWords {
    static func decode(_ text: String) -> String {
        guard text.contains("=?") else { return text }
        var output = ""
        var pendingSpace = ""
        var lastWasEncoded = false
        var rest = Substring(text)
        while !rest.isEmpty {
            if rest.hasPrefix("=?"), let (decoded, after) = word(rest) {
                if !lastWasEncoded { output += pendingSpace }
                output += decoded
                pendingSpace = ""
                lastWasEncoded = true
                rest = after
                continue
            }
            let character = rest.removeFirst()
            if character == " " || character == "\t" {
                pendingSpace.append(character)
                continue
            }
            output += pendingSpace
            pendingSpace = ""
            output.append(character)
            lastWasEncoded = false
        }
        return output + pendingSpace
    }

    /// One encoded word at the start of `text` and what follows it.
    private static func word(_ text: Substring) -> (String, Substring)? {
        let body = text.dropFirst(2)
        let fields = body.split(separator: "?", maxSplits: 2, omittingEmptySubsequences: false)
        guard fields.count == 3, fields[1].count == 1, let close = fields[2].range(of: "?=") else { return nil }
        let charset = fields[0].split(separator: "*").first.map(String.init) ?? ""  // RFC 2231 §5: charset*language
        let encoded = fields[2][..<close.lowerBound]
        guard !charset.isEmpty, !encoded.contains(" ") else { return nil }
        let bytes: [UInt8]?
        switch fields[1].uppercased() {
        case "B": bytes = Base64Body.decode(ArraySlice(encoded.utf8))
        case "Q": bytes = QuotedPrintable.decode(ArraySlice(encoded.utf8), underscoreIsSpace: true)
        default: bytes = nil
        }
        guard let bytes, let decoded = try? MailCharset.decode(bytes, charset: charset) else { return nil }
        return (decoded, fields[2][close.upperBound...])
    }
}

/// Quoted-printable (RFC 2045 §6.7): `=XX` is a byte, `=` at a line's end a soft break. A `=` not followed by two
/// hex digits is kept as it is (the RFC's advice to decoders); trailing whitespace on a line is dropped.
enum QuotedPrintable {
    static func decode(_ bytes: ArraySlice<UInt8>, underscoreIsSpace: Bool = false) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "=") {
                var next = index + 1
                // soft line break: "=" then optional whitespace, then CRLF or LF
                while next < bytes.endIndex, bytes[next] == UInt8(ascii: " ") || bytes[next] == UInt8(ascii: "\t") { next += 1 }
                if next < bytes.endIndex, bytes[next] == UInt8(ascii: "\r") { next += 1 }
                if next < bytes.endIndex, bytes[next] == UInt8(ascii: "\n") {
                    index = next + 1
                    continue
                }
                if next == bytes.endIndex {
                    index = next
                    continue
                }
                if index + 2 < bytes.endIndex, let high = hex(bytes[index + 1]), let low = hex(bytes[index + 2]) {
                    output.append(high << 4 | low)
                    index += 3
                    continue
                }
                output.append(byte)
                index += 1
            } else if underscoreIsSpace && byte == UInt8(ascii: "_") {
                output.append(UInt8(ascii: " "))
                index += 1
            } else if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                while let last = output.last, last == UInt8(ascii: " ") || last == UInt8(ascii: "\t") { output.removeLast() }
                output.append(byte)
                index += 1
            } else {
                output.append(byte)
                index += 1
            }
        }
        return output
    }

    private static func hex(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        default: nil
        }
    }
}

/// A base64 body (RFC 2045 §6.8) through Foundation's decoder: line breaks and spaces are skipped, missing
/// padding is restored; any other character outside the alphabet makes it invalid (nil).
enum Base64Body {
    static func decode(_ bytes: ArraySlice<UInt8>) -> [UInt8]? {
        var clean: [UInt8] = []
        clean.reserveCapacity(bytes.count)
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "+"), UInt8(ascii: "/"), UInt8(ascii: "="):
                clean.append(byte)
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: "\n"):
                continue
            default:
                return nil
            }
        }
        while clean.last == UInt8(ascii: "=") { clean.removeLast() }
        guard !clean.contains(UInt8(ascii: "=")), clean.count % 4 != 1 else { return nil }
        clean += Array(repeating: UInt8(ascii: "="), count: (4 - clean.count % 4) % 4)
        return Data(base64Encoded: Data(clean)).map { Array($0) }
    }
}
