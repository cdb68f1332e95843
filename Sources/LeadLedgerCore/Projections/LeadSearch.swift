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
        textTokens(of: lead, nameKey: nameKey(of: lead))
    }

    /// Text tokens of a lead whose folded name is already known.
    static func textTokens(of lead: LeadState, nameKey: String) -> Set<String> {
        var tokens = Set<String>()
        addWords(nameKey, to: &tokens)
        if let company = lead.company { addWords(SearchText.fold(company), to: &tokens) }
        for email in lead.emails {
            let folded = SearchText.fold(EmailAddress.normalize(email))
            if !folded.isEmpty { tokens.insert(folded) }
            addWords(folded, to: &tokens)
        }
        return tokens
    }

    /// Phone digits of a lead (empty numbers dropped).
    public static func phoneTokens(of lead: LeadState) -> Set<String> {
        Set(lead.phones.map(\.digits).filter { !$0.isEmpty })
    }

    /// The folded full name, the `name` sort key.
    public static func nameKey(of lead: LeadState) -> String { SearchText.fold(lead.fullName) }

    /// The tokens of a search text (empty: no search).
    public static func queryTokens(_ q: String) -> [QueryToken] {
        let trimmed = q.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return [] }
        if isPhoneLike(trimmed) { return [.phone(PhoneNumber.normalize(trimmed))] }
        var result: [QueryToken] = []
        for word in SearchText.fold(trimmed).split(separator: " ") {
            if word.contains("@") {
                result.append(.text(String(word)))
                continue
            }
            var parts = Set<String>()
            addWords(String(word), to: &parts)
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

    /// A letter or a number (ASCII answered without the Unicode property tables).
    @inline(__always)
    private static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if v < 0x80 { return (v >= 0x61 && v <= 0x7A) || (v >= 0x41 && v <= 0x5A) || (v >= 0x30 && v <= 0x39) }
        return scalar.properties.isAlphabetic || scalar.properties.numericType != nil
    }

    private static func addWords(_ folded: String, to tokens: inout Set<String>) {
        var current = String.UnicodeScalarView()
        for scalar in folded.unicodeScalars {
            if isWordScalar(scalar) {
                current.append(scalar)
            } else if !current.isEmpty {
                tokens.insert(String(current))
                current = String.UnicodeScalarView()
            }
        }
        if !current.isEmpty { tokens.insert(String(current)) }
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
