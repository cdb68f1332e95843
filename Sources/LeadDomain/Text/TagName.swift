/// Tag name rules, in one place: names are trimmed, at most 50 characters, and compared case-folded.
public enum TagName {
    /// The longest tag name.
    public static let maxLength = 50

    /// The stored form: surrounding whitespace trimmed.
    public static func clean(_ name: String) -> String { name.trimmedWhitespace }

    /// The comparison key: trimmed and folded (`SearchText.fold`), so `"VIP"`, `" vip "` and `"Vip"` are one tag.
    public static func key(_ name: String) -> String { SearchText.fold(clean(name)) }
}
