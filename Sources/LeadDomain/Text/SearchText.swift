import Foundation

/// Text folding for search and matching, in one place: the search index and every case-insensitive comparison
/// call `SearchText.fold`.
///
/// Folding lowercases, removes diacritics from Latin letters (Lithuanian `ąčęėįšųūž` → `aceeisuuz`, also
/// `ł` → `l`, `ø` → `o`, `ß` → `ss`) and keeps Cyrillic as Cyrillic lowercase, folding only `ё` → `е` and
/// `й` → `и` (users type them interchangeably). Whitespace runs become one space and the ends are trimmed.
///
/// ```swift
/// SearchText.fold("ŠARŪNAS Žemaitė")   // "sarunas zemaite"
/// SearchText.fold("Ёлкин Йошкар")     // "елкин иошкар"
/// ```
public enum SearchText {
    /// The folded form of `text`.
    public static func fold(_ text: String) -> String {
        var result = String.UnicodeScalarView()
        var pendingSpace = false
        // Decompose (NFD) so diacritics become separate combining marks we can drop.
        for scalar in text.lowercased().decomposedStringWithCanonicalMapping.unicodeScalars {
            if scalar.properties.isWhitespace {
                pendingSpace = !result.isEmpty
                continue
            }
            if scalar.properties.generalCategory == .nonspacingMark { continue }
            if pendingSpace {
                result.append(" ")
                pendingSpace = false
            }
            switch scalar {
            case "ł": result.append("l")
            case "ø": result.append("o")
            case "đ": result.append("d")
            case "ß": result.append(contentsOf: "ss".unicodeScalars)
            case "ı": result.append("i")
            default: result.append(scalar)
            }
        }
        return String(result)
    }

    /// Whether `text` contains `query` once both are folded.
    public static func matches(_ text: String, query: String) -> Bool {
        let needle = fold(query)
        return needle.isEmpty || fold(text).contains(needle)
    }
}
