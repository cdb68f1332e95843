import Foundation

/// A phone number as typed (for display) with its normalized digits (for matching and search).
///
/// ```swift
/// let phone = PhoneNumber(typed: "+370 (612) 34-567")
/// phone.digits        // "37061234567"
/// phone.hasPlus       // true
/// phone.isValid       // true: 5–15 digits
/// ```
public struct PhoneNumber: Sendable, Hashable, Codable {
    /// What the user typed, trimmed.
    public var typed: String
    /// Only the ASCII digits of `typed`, in order: the form used for matching and duplicate detection.
    public var digits: String
    /// Whether the typed form starts with `+` (an international number).
    public var hasPlus: Bool

    /// A phone number from what the user typed; `digits` and `hasPlus` are derived from it.
    public init(typed: String) {
        let trimmed = typed.trimmedWhitespace
        self.typed = trimmed
        self.digits = PhoneNumber.normalize(trimmed)
        self.hasPlus = trimmed.hasPrefix("+")
    }

    /// Digits only: every character that is not an ASCII digit is dropped (`"+370 612-34"` → `"37061234"`).
    /// The one phone normalization of the system: search, duplicates and validation all call it.
    public static func normalize(_ text: String) -> String {
        String(decoding: text.utf8.filter { $0 >= 48 && $0 <= 57 }, as: UTF8.self)
    }

    /// The fewest and most digits a phone number may have (E.164 allows at most 15).
    public static let digitRange = 5...15

    /// Whether the number has 5–15 digits and contains nothing but digits, spaces, `+` (first only), `-`, `.`,
    /// `(`, `)` and `/`.
    public var isValid: Bool {
        guard PhoneNumber.digitRange.contains(digits.count) else { return false }
        for (offset, scalar) in typed.unicodeScalars.enumerated() {
            switch scalar {
            case "0"..."9", " ", "-", ".", "(", ")", "/": continue
            case "+" where offset == 0: continue
            default: return false
            }
        }
        return true
    }
}
