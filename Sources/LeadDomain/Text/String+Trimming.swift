import Foundation

extension String {
    /// `trimmingCharacters(in: .whitespacesAndNewlines)`, answered without Foundation when neither end is
    /// whitespace (nearly always: stored names, phones and e-mails were trimmed when they were accepted).
    /// Foundation's set is the Unicode `White_Space` property plus U+200B (zero width space, which older Unicode
    /// versions counted as a space separator); a test holds the two to agree on every BMP scalar.
    public var trimmedWhitespace: String {
        guard let first = unicodeScalars.first, let last = unicodeScalars.last else { return self }
        if !Self.mayTrim(first) && !Self.mayTrim(last) { return self }
        return trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @inline(__always)
    private static func mayTrim(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.value < 0x80 { return scalar.value <= 0x20 }
        return scalar.properties.isWhitespace || scalar.value == 0x200B
    }
}
