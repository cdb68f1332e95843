/// What an import does with a row: only create leads, only update the lead its key finds, or both.
public enum ImportMode: String, Sendable, Hashable, Codable, CaseIterable {
    /// Every row makes a new lead; a row whose e-mail or phone is already a live lead's is reported as a duplicate.
    case create
    /// Every row updates the lead its key finds; a row whose key finds none is reported.
    case update
    /// A row updates the lead its key finds, or makes a new one.
    case upsert
}

/// The format of an import's file.
public enum ImportFormat: String, Sendable, Hashable, Codable, CaseIterable {
    /// RFC 4180 CSV with a header row.
    case csv
    /// A JSON array of objects.
    case json
    /// One JSON object per line.
    case ndjson
    /// An Excel workbook (Office Open XML).
    case xlsx
}
