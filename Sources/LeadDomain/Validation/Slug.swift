/// Settings keys (steps, sources, action types, task types, custom fields) are slugs: `[a-z0-9][a-z0-9-]{0,63}`.
public enum Slug {
    /// Whether `key` is a valid slug.
    public static func isValid(_ key: String) -> Bool {
        let scalars = Array(key.unicodeScalars)
        guard (1...64).contains(scalars.count) else { return false }
        for (index, scalar) in scalars.enumerated() {
            switch scalar {
            case "a"..."z", "0"..."9": continue
            case "-" where index > 0: continue
            default: return false
            }
        }
        return true
    }
}
