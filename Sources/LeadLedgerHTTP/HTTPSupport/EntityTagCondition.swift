/// The value of an `If-Match` or `If-None-Match` header: `*` or a list of entity tags.
public enum EntityTagCondition: Sendable, Hashable {
    case any
    case tags([EntityTag])

    /// Parses the header's field values (several header lines are one comma-separated list).
    /// Returns `nil` for a malformed value: unquoted tags, stray characters, an empty list.
    public static func parse(_ fieldValues: [String]) -> EntityTagCondition? {
        var tags: [EntityTag] = []
        var sawStar = false
        for value in fieldValues {
            var rest = Substring(value)
            while true {
                rest = rest.drop { $0 == " " || $0 == "\t" || $0 == "," }
                if rest.isEmpty { break }
                if rest.first == "*" {
                    sawStar = true
                    rest = rest.dropFirst()
                } else {
                    var weak = false
                    if rest.hasPrefix("W/") {
                        weak = true
                        rest = rest.dropFirst(2)
                    }
                    guard rest.first == "\"" else { return nil }
                    rest = rest.dropFirst()
                    guard let close = rest.firstIndex(of: "\"") else { return nil }
                    let opaque = rest[..<close]
                    guard opaque.unicodeScalars.allSatisfy({ $0.value >= 0x21 && $0.value <= 0x7E && $0 != "\"" })
                    else {
                        return nil
                    }
                    tags.append(EntityTag(String(opaque), weak: weak))
                    rest = rest[rest.index(after: close)...]
                }
                // After an element only whitespace and then a comma or the end may follow.
                rest = rest.drop { $0 == " " || $0 == "\t" }
                guard rest.isEmpty || rest.first == "," else { return nil }
            }
        }
        if sawStar { return tags.isEmpty ? .any : nil }  // `*` never appears in a list
        return tags.isEmpty ? nil : .tags(tags)
    }

    /// `If-Match` semantics: strong comparison; `*` matches any existing resource.
    public func matchesForIfMatch(_ current: EntityTag?) -> Bool {
        switch self {
        case .any: current != nil
        case .tags(let tags): current.map { current in tags.contains { $0.strongMatches(current) } } ?? false
        }
    }

    /// `If-None-Match` semantics: weak comparison; `*` matches any existing resource.
    public func matchesForIfNoneMatch(_ current: EntityTag?) -> Bool {
        switch self {
        case .any: current != nil
        case .tags(let tags): current.map { current in tags.contains { $0.weakMatches(current) } } ?? false
        }
    }
}
