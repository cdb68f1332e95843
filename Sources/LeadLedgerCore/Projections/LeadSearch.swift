import Foundation
import LeadDomain

/// How leads are cut into search tokens and how a search text becomes query tokens; the one place of these rules.
///
/// Lead tokens: the words (runs of letters and digits) of the folded (`SearchText.fold`) full name and company;
/// each e-mail both whole (folded) and cut into words; and separately the normalized digits of each phone.
/// Query: if the whole text looks like a phone number (only digits, spaces and `+-().`, at least 4 digits) it is
/// one phone token; otherwise each whitespace-separated word is folded and cut like lead text (a word with an
/// `@` stays whole, to match a whole e-mail). Every query token must match (AND):
/// - a text token matches a lead token it is a prefix of (`"žem"` finds `"Žemaitė"`);
/// - a phone token matches a phone whose digits start with it, or (4 digits or more) end with it — the
///   "last digits" lookup of an incoming call — and also any text token it prefixes.
public enum LeadSearch {
    public enum QueryToken: Sendable, Hashable {
        case text(String)
        case phone(String)
    }

    /// Text tokens of a lead.
    public static func textTokens(of lead: LeadState) -> Set<String> {
        var tokens = Set<String>()
        forEachTextToken(of: lead, nameKey: nameKey(of: lead)) { tokens.insert($0) }
        return tokens
    }

    /// Phone digits of a lead (empty numbers dropped).
    public static func phoneTokens(of lead: LeadState) -> Set<String> {
        Set(lead.phones.map(\.digits).filter { !$0.isEmpty })
    }

    /// Phone digits back to front: the key of the "last digits" (suffix) lookup.
    static func reversedDigits(_ digits: String) -> String { String(decoding: digits.utf8.reversed(), as: UTF8.self) }

    /// The folded full name, the `name` sort key.
    public static func nameKey(of lead: LeadState) -> String { SearchText.fold(lead.fullName) }

    /// The tokens of a search text (empty: no search).
    public static func queryTokens(_ q: String) -> [QueryToken] {
        let trimmed = q.trimmedWhitespace
        guard !trimmed.isEmpty else { return [] }
        if isPhoneLike(trimmed) { return [.phone(PhoneNumber.normalize(trimmed))] }
        var result: [QueryToken] = []
        for word in SearchText.fold(trimmed).split(separator: " ") {
            if word.contains("@") {
                result.append(.text(String(word)))
                continue
            }
            var parts = Set<String>()
            forEachWord(String(word)) { parts.insert($0) }
            for part in parts.sorted() {
                result.append(part.allSatisfy(\.isASCIIDigit) && part.count >= 3 ? .phone(part) : .text(part))
            }
        }
        return result
    }

    static func isPhoneLike(_ text: String) -> Bool {
        var digits = 0
        for scalar in text.unicodeScalars {
            switch scalar {
            case "0"..."9": digits += 1
            case " ", "+", "-", "(", ")", ".": continue
            default: return false
            }
        }
        return digits >= 4
    }

    /// Calls `body` with each word of `text`: each maximal run of letters and numbers (ASCII answered without
    /// the Unicode property tables), cut straight from the UTF-8 bytes.
    static func forEachWord(_ text: String, _ body: (String) -> Void) {
        var text = text
        text.withUTF8 { utf8 in
            let n = utf8.count
            var start = -1
            var i = 0
            while i < n {
                let b0 = utf8[i]
                let length: Int
                let isWord: Bool
                if b0 < 0x80 {
                    length = 1
                    isWord = (b0 >= 0x61 && b0 <= 0x7A) || (b0 >= 0x41 && b0 <= 0x5A) || (b0 >= 0x30 && b0 <= 0x39)
                } else {
                    // Valid UTF-8 (a Swift string): the lead byte gives the length.
                    var value: UInt32
                    if b0 >= 0xF0 {
                        length = 4
                        value = UInt32(b0 & 0x07)
                    } else if b0 >= 0xE0 {
                        length = 3
                        value = UInt32(b0 & 0x0F)
                    } else {
                        length = 2
                        value = UInt32(b0 & 0x1F)
                    }
                    for k in 1..<length { value = value << 6 | UInt32(utf8[i + k] & 0x3F) }
                    let scalar = Unicode.Scalar(value) ?? " "
                    isWord = scalar.properties.isAlphabetic || scalar.properties.numericType != nil
                }
                if isWord {
                    if start < 0 { start = i }
                } else if start >= 0 {
                    body(String(decoding: UnsafeBufferPointer(rebasing: utf8[start..<i]), as: UTF8.self))
                    start = -1
                }
                i += length
            }
            if start >= 0 { body(String(decoding: UnsafeBufferPointer(rebasing: utf8[start..<n]), as: UTF8.self)) }
        }
    }

    /// Whether a lead matches one query token exactly as a lookup in the store's search indexes would match it:
    /// a text token by prefix of one of its text tokens; a phone token by prefix of one of its phone numbers' digits
    /// or of a text token, or (4 digits or more) by suffix of a phone number's digits.
    static func matches(_ token: QueryToken, record: LeadRecord) -> Bool {
        var text = record.textTokens
        var phones = record.phoneDigits
        return text.withUTF8 { t in
            phones.withUTF8 { p in matches(token, textTokens: UnsafeRawBufferPointer(t), phoneDigits: UnsafeRawBufferPointer(p)) }
        }
    }

    /// `matches(_:record:)` over a lead's text tokens and phone digits, each joined by "\n" (the bytes a
    /// `LeadRecord` and a `LeadSummary` hold alike).
    static func matches(_ token: QueryToken, textTokens: UnsafeRawBufferPointer, phoneDigits: UnsafeRawBufferPointer) -> Bool {
        switch token {
        case .text(let prefix):
            return hasToken(in: textTokens, withPrefix: prefix)
        case .phone(let digits):
            var found = false
            var query = digits
            query.withUTF8 { q in
                let k = q.count
                forEachSegment(of: phoneDigits) { phone in
                    guard phone.count >= k else { return true }
                    if memcmp(phone.baseAddress!, q.baseAddress!, k) == 0
                        || (k >= 4 && memcmp(phone.baseAddress! + (phone.count - k), q.baseAddress!, k) == 0)
                    {
                        found = true
                        return false
                    }
                    return true
                }
            }
            return found || hasToken(in: textTokens, withPrefix: digits)
        }
    }

    /// Whether one of the tokens joined by "\n" in `joined` starts with `prefix`, as `String.hasPrefix` decides
    /// (like the index). Tokens and query words are folded the same way (no combining marks), so a prefix in
    /// characters is also one in UTF-8 bytes: the bytes are compared first, and only a byte match is confirmed
    /// with `hasPrefix` (which also requires the prefix to end on a character boundary, e.g. inside a Hangul
    /// syllable it does not).
    static func hasToken(in joined: UnsafeRawBufferPointer, withPrefix prefix: String) -> Bool {
        var prefix = prefix
        return prefix.withUTF8 { p in
            let k = p.count
            var found = false
            forEachSegment(of: joined) { token in
                // The first byte before memcmp: most tokens differ there, and a call per token is most of the cost.
                guard token.count >= k, k == 0 || (token[0] == p[0] && memcmp(token.baseAddress!, p.baseAddress!, k) == 0)
                else { return true }
                let whole = String(decoding: token, as: UTF8.self)
                if whole.hasPrefix(String(decoding: p, as: UTF8.self)) {
                    found = true
                    return false
                }
                return true
            }
            return found
        }
    }

    /// Calls `body` with each non-empty segment of bytes joined by "\n" until it returns false.
    private static func forEachSegment(of joined: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) -> Bool) {
        let n = joined.count
        var start = 0
        while start < n {
            var end = start
            while end < n && joined[end] != UInt8(ascii: "\n") { end += 1 }
            if end > start, !body(UnsafeRawBufferPointer(rebasing: joined[start..<end])) { return }
            start = end + 1
        }
    }

    /// The digits of each phone (empty numbers dropped) joined by "\n", in the lead's order.
    static func joinedPhoneDigits(of lead: LeadState) -> String {
        lead.phones.lazy.map(\.digits).filter { !$0.isEmpty }.joined(separator: "\n")
    }

    /// Calls `body` once with each text token of a lead, without building a set: the words of the folded full
    /// name (`nameKey`) and company; each e-mail both whole (folded) and cut into words.
    static func forEachTextToken(of lead: LeadState, nameKey: String, _ body: (String) -> Void) {
        forEachTextToken(nameKey: nameKey, company: lead.company, emails: lead.emails, body)
    }

    /// The text tokens of a name (folded), a company and e-mails: leads and customers are searched alike.
    static func forEachTextToken(nameKey: String, company: String?, emails: [String], _ body: (String) -> Void) {
        var seen: [String] = []
        func emit(_ token: String) {
            if seen.contains(token) { return }
            seen.append(token)
            body(token)
        }
        forEachWord(nameKey, emit)
        if let company { forEachWord(SearchText.fold(company), emit) }
        for email in emails {
            let folded = SearchText.fold(EmailAddress.normalize(email))
            if !folded.isEmpty { emit(folded) }
            forEachWord(folded, emit)
        }
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
