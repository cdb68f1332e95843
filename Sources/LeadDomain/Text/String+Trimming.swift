import Foundation

extension String {
    /// `trimmingCharacters(in: .whitespacesAndNewlines)`, answered without Foundation when neither end is
    /// whitespace (nearly always: stored names, phones and e-mails were trimmed when they were accepted).
    /// Foundation's set is the Unicode `White_Space` property, which the fast check uses.
    public var trimmedWhitespace: String {
        guard let first = unicodeScalars.first, let last = unicodeScalars.last else { return self }
        if !first.properties.isWhitespace && !last.properties.isWhitespace { return self }
        return trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
