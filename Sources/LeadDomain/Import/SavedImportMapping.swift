/// An import mapping saved in the settings under a name, so that a regular import (the same export of another
/// system every week) names it instead of sending it: columns by name, and the mode and key it runs with unless
/// the import names its own.
public struct SavedImportMapping: Sendable, Hashable, Codable {
    /// The most mappings the settings keep.
    public static let maxSaved = 100

    public var name: String
    /// Column → field path, sorted by column.
    public var columns: [ImportColumn]
    public var mode: ImportMode?
    /// `email`, `phone` or `customFields.<key>`.
    public var key: String?

    public init(name: String, columns: [ImportColumn], mode: ImportMode? = nil, key: String? = nil) {
        self.name = name
        self.columns = columns
        self.mode = mode
        self.key = key
    }

    /// The columns as a mapping.
    public var mapping: ImportMapping { ImportMapping(stored: columns) }
}
