import Foundation
import LeadDomain

/// One e-mail to send, composed as RFC 5322 + MIME: UTF-8 throughout, headers with non-ASCII text as RFC 2047
/// encoded words, bodies in quoted-printable, `multipart/alternative` when there is both a text and an HTML body.
///
/// The package set has no MIME writer (multipart-kit writes form-data only), and the format is small: this is it.
public struct OutgoingEmail: Sendable, Hashable {
    public var fromAddress: String
    public var fromName: String?
    public var toAddress: String
    public var toName: String?
    public var subject: String
    public var text: String?
    public var html: String?
    /// With its angle brackets: `<local@domain>`.
    public var messageId: String
    public var date: Timestamp

    public init(
        fromAddress: String, fromName: String? = nil, toAddress: String, toName: String? = nil, subject: String,
        text: String?, html: String?, messageId: String, date: Timestamp
    ) {
        self.fromAddress = fromAddress
        self.fromName = fromName
        self.toAddress = toAddress
        self.toName = toName
        self.subject = subject
        self.text = text
        self.html = html
        self.messageId = messageId
        self.date = date
    }

    /// The message's bytes: CRLF line ends, lines of at most 78 characters in headers and 76 in bodies.
    public func encoded() -> [UInt8] {
        var out = ""
        func header(_ name: String, _ value: String) { out += "\(name): \(value)\r\n" }
        header("Date", Self.date(date))
        header("From", Self.mailbox(fromName, fromAddress, used: "From: ".utf8.count))
        header("To", Self.mailbox(toName, toAddress, used: "To: ".utf8.count))
        header("Subject", Self.headerText(subject, used: "Subject: ".utf8.count))
        header("Message-ID", messageId)
        header("MIME-Version", "1.0")
        // Bulk mail by a machine (RFC 3834): auto-responders should not answer it.
        header("Auto-Submitted", "auto-generated")
        header("Precedence", "bulk")
        switch (text, html) {
        case (let text?, let html?):
            let boundary = "=_ll_" + messageId.utf8.reduce(into: UInt64(14_695_981_039_346_656_037)) { h, b in
                h = (h ^ UInt64(b)) &* 1_099_511_628_211
            }.description
            header("Content-Type", "multipart/alternative; boundary=\"\(boundary)\"")
            out += "\r\n"
            // The CRLF before a delimiter belongs to the delimiter (RFC 2046 §5.1.1), not to the part.
            out += "--\(boundary)\r\n" + Self.part("text/plain", text) + "\r\n"
            out += "--\(boundary)\r\n" + Self.part("text/html", html) + "\r\n"
            out += "--\(boundary)--\r\n"
        case (nil, let html?):
            out += Self.part("text/html", html)
        case (let text, nil):
            out += Self.part("text/plain", text ?? "")
        }
        return Array(out.utf8)
    }

    /// A body part's headers, a blank line and its quoted-printable body (SMTP's DATA adds the final line end).
    static func part(_ type: String, _ body: String) -> String {
        "Content-Type: \(type); charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
            + quotedPrintable(body)
    }

    /// `Name <address>`, the name quoted or encoded as needed; the bare address without a name.
    static func mailbox(_ name: String?, _ address: String, used: Int) -> String {
        guard let name, !name.isEmpty else { return address }
        let clean = name.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
        if clean.unicodeScalars.allSatisfy({ $0.isASCII && $0.value >= 0x20 && $0.value < 0x7F }) {
            let escaped = clean.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            if used + escaped.utf8.count + address.utf8.count + 5 <= 78 { return "\"\(escaped)\" <\(address)>" }
            return "\"\(escaped)\"\r\n <\(address)>"
        }
        return encodedWords(clean, used: used) + "\r\n <\(address)>"
    }

    /// Header text: as it is when it is printable ASCII that fits, else RFC 2047 `B` encoded words, folded.
    static func headerText(_ text: String, used: Int) -> String {
        let clean = text.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
        if clean.unicodeScalars.allSatisfy({ $0.isASCII && $0.value >= 0x20 && $0.value < 0x7F }),
            used + clean.utf8.count <= 78, !clean.contains("=?")
        {
            return clean
        }
        return encodedWords(clean, used: used)
    }

    /// RFC 2047 encoded words (`=?utf-8?B?…?=`) of at most 75 characters each, split between characters (never
    /// inside one), separated by folding white space.
    static func encodedWords(_ text: String, used: Int) -> String {
        // 75 characters less `=?utf-8?B?` and `?=` leave 63 for base64: 45 bytes of UTF-8. The first word shares
        // its line with the header's name, so it gets what is left of 78.
        func capacity(_ characters: Int) -> Int { max(3, (characters - 12) / 4 * 3) }
        var maxBytes = capacity(min(75, 78 - used))
        var words: [String] = []
        var chunk: [UInt8] = []
        for character in text {
            let bytes = Array(String(character).utf8)
            if chunk.count + bytes.count > maxBytes, !chunk.isEmpty {
                defer { maxBytes = capacity(75) }
                words.append("=?utf-8?B?" + Data(chunk).base64EncodedString() + "?=")
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty || words.isEmpty { words.append("=?utf-8?B?" + Data(chunk).base64EncodedString() + "?=") }
        return words.joined(separator: "\r\n ")
    }

    /// Quoted-printable (RFC 2045 §6.7) of UTF-8 text: line ends become CRLF, lines are at most 76 characters
    /// with soft breaks, `=`, controls, non-ASCII bytes, a trailing space or tab and a leading `.` are encoded.
    static func quotedPrintable(_ text: String) -> String {
        let normalized = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        let hex = Array("0123456789ABCDEF".utf8)
        var lines: [String] = []
        for line in normalized.split(separator: "\n", omittingEmptySubsequences: false) {
            let bytes = Array(line.utf8)
            var out: [UInt8] = []
            var width = 0
            for (index, byte) in bytes.enumerated() {
                let last = index == bytes.count - 1
                let literal =
                    (byte >= 0x21 && byte <= 0x7E && byte != 0x3D && !(byte == 0x2E && width == 0))
                    || ((byte == 0x20 || byte == 0x09) && !last)
                let piece: [UInt8] = literal ? [byte] : [0x3D, hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
                // Keep one column for the soft break's `=`.
                if width + piece.count > 75 {
                    out += [0x3D, 0x0D, 0x0A]
                    width = 0
                    if piece == [0x2E] {  // a `.` that now opens a line is encoded too
                        out += [0x3D, 0x32, 0x45]
                        width = 3
                        continue
                    }
                }
                out += piece
                width += piece.count
            }
            lines.append(String(decoding: out, as: UTF8.self))
        }
        return lines.joined(separator: "\r\n")
    }

    /// An RFC 5322 date in UTC: `Fri, 04 Dec 2026 23:12:54 +0000`.
    static func date(_ time: Timestamp) -> String {
        let t = time.utc
        let seconds = time.rawValue / 1_000_000 - (time.rawValue % 1_000_000 < 0 ? 1 : 0)
        let days = (seconds - (t.hour * 3_600 + t.minute * 60 + t.second)) / 86_400
        let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][Int(((days % 7) + 7) % 7)]  // 1970-01-01 was a Thursday
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(weekday), \(two(t.day)) \(months[Int(t.month - 1)]) \(t.year) \(two(t.hour)):\(two(t.minute)):\(two(t.second)) +0000"
    }
}
