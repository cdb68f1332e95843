import Crypto
import Foundation
import LeadDomain
import LeadLedgerCore

/// A mailbox of an address header: `"Иван Петров" <ivan@example.com>`, `ivan@example.com (Ivan)`.
public struct MailAddress: Sendable, Hashable {
    public var name: String?
    /// As written, trimmed (compare with `EmailAddress.normalize`).
    public var address: String
}

/// A part of a message that is not its text: what it is called and how big it is, decoded.
public struct MailAttachment: Sendable, Hashable {
    public var fileName: String?
    public var contentType: String
    public var bytes: Int
}

/// An e-mail as intake reads it (RFC 5322 and MIME, RFC 2045–2047 and 2231): sender, subject, Message-Id, date,
/// the text a person reads and what is attached.
///
/// Hand-written: the machine's package set has no RFC 5322/MIME reader (multipart-kit reads only
/// multipart/form-data, without header folding, encoded words, transfer encodings or charsets). Charsets go
/// through the C library's iconv (`MailCharset`), base64 through Foundation.
public struct MailMessage: Sendable {
    public static let maxBytes = 25 << 20
    public static let maxParts = 200
    public static let maxDepth = 8

    public var headers: [MailHeader]
    public var from: MailAddress
    public var replyTo: MailAddress?
    /// Decoded; empty when the message has none.
    public var subject: String
    /// The `Message-Id` without its angle brackets, nil when the message has none.
    public var messageId: String?
    /// The `Date` header, nil when missing or unreadable.
    public var date: Timestamp?
    /// The readable text: the text/plain parts (an HTML-only message's HTML made text), in order, lines ending in LF.
    public var text: String
    public var attachments: [MailAttachment]

    /// What makes a message the same message when it comes again: its Message-Id, or for a message without one
    /// the SHA-256 of its bytes.
    public static func identity(messageId: String?, bytes: some Collection<UInt8>) -> String {
        if let messageId { return messageId }
        return "sha256:" + APITokenHash.hex(SHA256.hash(data: Array(bytes)))
    }

    public static func parse(_ bytes: [UInt8]) throws(MailParseError) -> MailMessage {
        guard bytes.count <= maxBytes else { throw .tooLarge(bytes: bytes.count, limit: maxBytes) }
        let entity = try MIMEEntity.parse(bytes[...])
        guard let fromField = entity.header("From"), let from = MailAddressParser.first(in: fromField) else { throw .noSender }
        var walker = BodyWalker()
        try walker.walk(entity, part: "1", depth: 0)
        let messageId = entity.header("Message-Id").flatMap(Self.messageId)
        return MailMessage(
            headers: entity.headers, from: from, replyTo: entity.header("Reply-To").flatMap(MailAddressParser.first),
            subject: EncodedWords.decode(entity.header("Subject") ?? "").trimmedWhitespace, messageId: messageId,
            date: entity.header("Date").flatMap(MailDate.parse), text: walker.text, attachments: walker.attachments)
    }

    /// `<id@host>` → `id@host`: the first angle-bracketed id, else the trimmed value; at most 998 bytes.
    static func messageId(_ value: String) -> String? {
        var id = value.trimmedWhitespace
        if let open = id.firstIndex(of: "<"), let close = id[open...].firstIndex(of: ">") {
            id = String(id[id.index(after: open)..<close]).trimmedWhitespace
        }
        guard !id.isEmpty, id.utf8.count <= 998, !id.contains(where: \.isWhitespace) else { return nil }
        return id
    }
}

/// Walks the MIME tree: text parts into `text`, everything else into `attachments`. In a multipart/alternative
/// the plain-text version wins, then the HTML one.
private struct BodyWalker {
    var texts: [String] = []
    var attachments: [MailAttachment] = []
    var parts = 0

    var text: String { texts.map { $0.trimmedWhitespace }.filter { !$0.isEmpty }.joined(separator: "\n\n") }

    mutating func walk(_ entity: MIMEEntity, part: String, depth: Int) throws(MailParseError) {
        parts += 1
        guard parts <= MailMessage.maxParts else { throw .tooManyParts(limit: MailMessage.maxParts) }
        guard depth <= MailMessage.maxDepth else { throw .tooDeep(limit: MailMessage.maxDepth) }
        let (type, parameters) = entity.contentType
        let disposition = entity.disposition
        if type.hasPrefix("multipart/") {
            guard let boundary = parameters["boundary"], !boundary.isEmpty, boundary.utf8.count <= 70 + 20 else {
                throw .missingBoundary(part: part)
            }
            let children = try Multipart.split(entity.body, boundary: boundary, part: part)
            if type == "multipart/alternative" {
                let entities = try children.map { (child) throws(MailParseError) in try MIMEEntity.parse(child) }
                let preferred =
                    entities.firstIndex { $0.contentType.type == "text/plain" && $0.disposition.kind != "attachment" }
                    ?? entities.firstIndex { $0.contentType.type == "text/html" } ?? entities.indices.first
                for (index, child) in entities.enumerated() {
                    if index == preferred {
                        try walk(child, part: "\(part).\(index + 1)", depth: depth + 1)
                    } else {
                        parts += 1
                    }
                }
            } else {
                for (index, child) in children.enumerated() {
                    try walk(try MIMEEntity.parse(child), part: "\(part).\(index + 1)", depth: depth + 1)
                }
            }
            return
        }
        let body = try entity.decodedBody(part: part)
        let isText = (type == "text/plain" || type == "text/html") && disposition.kind != "attachment"
        if isText {
            let charset = parameters["charset"] ?? "us-ascii"
            var decoded = try MailCharset.decode(body, charset: charset)
            decoded = decoded.replacingOccurrences(of: "\r\n", with: "\n")
            texts.append(type == "text/html" ? HTMLText.plain(decoded) : decoded)
        } else {
            let name = disposition.parameters["filename"] ?? parameters["name"]
            attachments.append(MailAttachment(fileName: name, contentType: type, bytes: body.count))
        }
    }
}

/// The body parts of a multipart (RFC 2046 §5.1.1): between `--boundary` lines, up to `--boundary--`. The line break
/// before a delimiter belongs to it; the preamble and epilogue are dropped.
enum Multipart {
    static func split(_ body: ArraySlice<UInt8>, boundary: String, part: String) throws(MailParseError) -> [ArraySlice<UInt8>] {
        let delimiter = Array(("--" + boundary).utf8)
        var parts: [ArraySlice<UInt8>] = []
        var partStart: Int?
        var index = body.startIndex
        while index < body.endIndex {
            let lineEnd = body[index...].firstIndex(of: UInt8(ascii: "\n")) ?? body.endIndex
            let line = body[index..<lineEnd]
            if line.starts(with: delimiter) {
                let after = line.dropFirst(delimiter.count)
                let closing = after.starts(with: [UInt8(ascii: "-"), UInt8(ascii: "-")])
                let padding = closing ? after.dropFirst(2) : after
                if padding.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\r") }) {
                    if let start = partStart {
                        var end = index
                        if end > start, body[end - 1] == UInt8(ascii: "\n") { end -= 1 }
                        if end > start, body[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                        parts.append(body[start..<max(start, end)])
                    }
                    if closing { return parts }
                    partStart = lineEnd < body.endIndex ? lineEnd + 1 : lineEnd
                }
            }
            index = lineEnd < body.endIndex ? lineEnd + 1 : lineEnd
        }
        throw .unterminatedMultipart(part: part)
    }
}

/// Address headers: the first mailbox of a list (`From`, `Reply-To`), with its display name decoded.
enum MailAddressParser {
    static func first(in value: String) -> MailAddress? {
        // Groups ("Sales: a@x, b@y;") and lists: the first element that holds an address.
        for element in split(value) {
            if let address = mailbox(element) { return address }
        }
        return nil
    }

    /// Splits at commas outside quotes, comments and angle brackets.
    private static func split(_ value: String) -> [String] {
        var elements: [String] = []
        var current = ""
        var quoted = false, escaped = false, angle = false
        var comment = 0
        for character in value {
            current.append(character)
            if escaped { escaped = false; continue }
            if quoted {
                if character == "\\" { escaped = true } else if character == "\"" { quoted = false }
                continue
            }
            switch character {
            case "\"": quoted = true
            case "(": comment += 1
            case ")": comment = max(0, comment - 1)
            case "<": angle = true
            case ">": angle = false
            case "," where comment == 0 && !angle:
                current.removeLast()
                elements.append(current)
                current = ""
            default: break
            }
        }
        elements.append(current)
        return elements
    }

    private static func mailbox(_ element: String) -> MailAddress? {
        var text = element.trimmedWhitespace
        if let colon = text.firstIndex(of: ":"), !text[..<colon].contains("<"), !text[..<colon].contains("\"") {
            text = String(text[text.index(after: colon)...]).trimmedWhitespace  // "Group: a@x"
        }
        if text.hasSuffix(";") { text.removeLast() }
        if let open = text.lastIndex(of: "<"), let close = text[open...].firstIndex(of: ">") {
            let address = String(text[text.index(after: open)..<close]).trimmedWhitespace
            guard address.contains("@") else { return nil }
            return MailAddress(name: displayName(String(text[..<open])), address: address)
        }
        // addr-spec with an optional comment: ivan@example.com (Ivan Petrov)
        var comment: String?
        if let open = text.firstIndex(of: "("), let close = text.lastIndex(of: ")"), open < close {
            comment = String(text[text.index(after: open)..<close])
            text = String(text[..<open] + text[text.index(after: close)...]).trimmedWhitespace
        }
        guard text.contains("@"), !text.contains(" ") else { return nil }
        return MailAddress(name: comment.flatMap(displayName), address: text)
    }

    /// Unquotes (`"Petrov, Ivan"`), unescapes and decodes encoded words; nil when nothing is left.
    private static func displayName(_ raw: String) -> String? {
        var text = raw.trimmedWhitespace
        if text.count >= 2, text.hasPrefix("\""), text.hasSuffix("\"") {
            text = String(text.dropFirst().dropLast())
            var unescaped = ""
            var escaped = false
            for character in text {
                if !escaped && character == "\\" { escaped = true; continue }
                escaped = false
                unescaped.append(character)
            }
            text = unescaped
        }
        text = EncodedWords.decode(text).trimmedWhitespace
        return text.isEmpty ? nil : text
    }
}

/// The `Date` header (RFC 5322 §3.3): `[Fri,] 4 Dec 2026 10:00[:00] +0300`, with the obsolete zone names
/// (`GMT`, `UT`, `EST`…) and a trailing comment (`(MSK)`); read by making it ISO 8601 for `Timestamp`'s parser.
enum MailDate {
    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    private static let zones = [
        "ut": "+00:00", "gmt": "+00:00", "z": "+00:00", "est": "-05:00", "edt": "-04:00", "cst": "-06:00",
        "cdt": "-05:00", "mst": "-07:00", "mdt": "-06:00", "pst": "-08:00", "pdt": "-07:00",
    ]

    static func parse(_ value: String) -> Timestamp? {
        var text = value
        if let open = text.firstIndex(of: "(") { text = String(text[..<open]) }
        if let comma = text.firstIndex(of: ",") { text = String(text[text.index(after: comma)...]) }
        let tokens = text.split(whereSeparator: \.isWhitespace).map(String.init)
        guard tokens.count >= 4, let day = Int(tokens[0]), (1...31).contains(day),
            let month = months.firstIndex(of: tokens[1].lowercased().prefix(3).description), var year = Int(tokens[2])
        else { return nil }
        if tokens[2].count == 2 { year += year < 50 ? 2000 : 1900 }  // obsolete two-digit years (§4.3)
        let time = tokens[3].split(separator: ":").compactMap { Int($0) }
        guard time.count == 2 || time.count == 3, (0...23).contains(time[0]), (0...59).contains(time[1]) else { return nil }
        let second = time.count == 3 ? min(time[2], 59) : 0
        var zone = "+00:00"  // no zone: read as UTC ("-0000" means the same, §3.3)
        if tokens.count > 4 {
            let raw = tokens[4]
            if let named = zones[raw.lowercased()] {
                zone = named
            } else if raw.count == 5, let sign = raw.first, sign == "+" || sign == "-", Int(raw.dropFirst()) != nil {
                zone = "\(sign)\(raw.dropFirst().prefix(2)):\(raw.suffix(2))"
            }
        }
        func pad(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        let iso = "\(pad(year, 4))-\(pad(month + 1, 2))-\(pad(day, 2))T\(pad(time[0], 2)):\(pad(time[1], 2)):\(pad(second, 2))\(zone)"
        return Timestamp(iso8601: iso)
    }
}

/// An HTML body made readable text: scripts and styles dropped, block ends made line breaks, tags removed,
/// character references decoded, blank runs collapsed. (No HTML reader is in the machine's package set; a lead
/// note needs the words, not a faithful rendering.)
enum HTMLText {
    private static let entities: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": " ", "laquo": "«", "raquo": "»",
        "mdash": "—", "ndash": "–", "hellip": "…", "copy": "©", "reg": "®", "euro": "€", "shy": "",
    ]
    private static let breaking: Set<String> = ["br", "p", "div", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol"]

    static func plain(_ html: String) -> String {
        var output = ""
        var index = html.startIndex
        var skipUntil: String?
        while index < html.endIndex {
            let character = html[index]
            if character == "<", let close = html[index...].firstIndex(of: ">") {
                let tag = html[html.index(after: index)..<close]
                let name = tag.drop(while: { $0 == "/" }).prefix(while: { $0.isLetter || $0.isNumber }).lowercased()
                let isEnd = tag.hasPrefix("/")
                if let waiting = skipUntil {
                    if isEnd && name == waiting { skipUntil = nil }
                } else if !isEnd && (name == "script" || name == "style" || name == "head") {
                    skipUntil = name
                } else if breaking.contains(name) {
                    output.append("\n")
                }
                index = html.index(after: close)
                continue
            }
            index = html.index(after: index)
            if skipUntil != nil { continue }
            if character == "&", let semicolon = html[index...].prefix(12).firstIndex(of: ";") {
                let name = String(html[index..<semicolon])
                if let decoded = reference(name) {
                    output += decoded
                    index = html.index(after: semicolon)
                    continue
                }
            }
            output.append(character == "\n" || character == "\r\n" || character == "\t" ? " " : character)
        }
        // collapse spaces on each line and runs of blank lines
        var lines: [String] = []
        for line in output.split(separator: "\n", omittingEmptySubsequences: false) {
            let clean = line.split(separator: " ").joined(separator: " ")
            if clean.isEmpty && (lines.last?.isEmpty ?? true) { continue }
            lines.append(clean)
        }
        return lines.joined(separator: "\n").trimmedWhitespace
    }

    private static func reference(_ name: String) -> String? {
        if name.hasPrefix("#") {
            let digits = name.dropFirst()
            let value = digits.lowercased().hasPrefix("x") ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits)
            return value.flatMap(Unicode.Scalar.init).map { String(Character($0)) }
        }
        return entities[name.lowercased()]
    }
}
