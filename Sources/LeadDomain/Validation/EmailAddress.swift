import Foundation

/// E-mail validation and normalization, in one place.
public enum EmailAddress {
    /// The form used for matching: trimmed and lowercased.
    public static func normalize(_ text: String) -> String {
        text.trimmedWhitespace.lowercased()
    }

    /// A pragmatic RFC 5321-ish check: one `@`, a non-empty local part of at most 64 characters without spaces,
    /// a domain of dot-separated labels (letters, digits, hyphens, not starting or ending with a hyphen) with at
    /// least one dot, at most 254 characters in all. Non-ASCII letters are allowed (internationalized mail).
    public static func isValid(_ text: String) -> Bool {
        let address = text.trimmedWhitespace
        guard address.count <= 254 else { return false }
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return false }
        let local = parts[0]
        let domain = parts[1]
        guard !local.isEmpty, local.count <= 64, !local.hasPrefix("."), !local.hasSuffix("."),
            !local.contains("..")
        else { return false }
        guard local.unicodeScalars.allSatisfy({ localAllowed.contains($0) }) else { return false }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2 else { return false }
        for label in labels {
            guard !label.isEmpty, label.count <= 63, !label.hasPrefix("-"), !label.hasSuffix("-"),
                label.unicodeScalars.allSatisfy({ labelAllowed.contains($0) })
            else { return false }
        }
        return labels.last.map { $0.count >= 2 } ?? false
    }

    // Built once: a union of character sets costs more than the rest of the check (every create validates).
    private static let localAllowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "!#$%&'*+-/=?^_`{|}~."))
    private static let labelAllowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-"))
}
