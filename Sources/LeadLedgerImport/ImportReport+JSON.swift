import Foundation
import LeadDomain

/// The JSON form of an import report, as the HTTP API answers it (`ImportJob` in schemas/openapi.yaml) and the
/// CLI prints it: ids in lowercase, times in ISO 8601, the mapping as `{column: field}`.
extension ImportReport: Encodable {
    private enum Keys: String, CodingKey {
        case id, state, dryRun, format, fileName, sheet, fileBytes, bytesRead, mode, key, mapping, rows, created, updated
        case unchanged, skipped, failed, errors, failure, revert, startedAt, completedAt, position, author
    }

    private struct Failure: Encodable {
        var field: String?
        var row: Int?
        var code: String
        var message: String
    }

    private struct Revert: Encodable {
        var deleted: Int64
        var reverted: Int64
        var conflicts: Int64
        var at: String
        var by: String
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(id.uuidString.lowercased(), forKey: .id)
        try c.encode(state.rawValue, forKey: .state)
        try c.encode(dryRun, forKey: .dryRun)
        try c.encode(format.rawValue, forKey: .format)
        try c.encodeIfPresent(fileName, forKey: .fileName)
        try c.encodeIfPresent(sheet, forKey: .sheet)
        try c.encode(fileBytes, forKey: .fileBytes)
        try c.encode(bytesRead, forKey: .bytesRead)
        try c.encode(mode.rawValue, forKey: .mode)
        try c.encodeIfPresent(key, forKey: .key)
        try c.encode(mapping.columns.mapValues(\.rawValue), forKey: .mapping)
        try c.encode(rows, forKey: .rows)
        try c.encode(created, forKey: .created)
        try c.encode(updated, forKey: .updated)
        try c.encode(unchanged, forKey: .unchanged)
        try c.encode(skipped, forKey: .skipped)
        try c.encode(failed, forKey: .failed)
        try c.encode(errors, forKey: .errors)
        try c.encodeIfPresent(
            failure.map { Failure(field: $0.field, row: $0.row, code: $0.code, message: $0.message) }, forKey: .failure)
        try c.encodeIfPresent(
            revert.map {
                Revert(
                    deleted: $0.deleted, reverted: $0.reverted, conflicts: $0.conflicts, at: $0.at.iso8601,
                    by: $0.by.uuidString.lowercased())
            }, forKey: .revert)
        try c.encode(startedAt.iso8601, forKey: .startedAt)
        try c.encodeIfPresent(completedAt?.iso8601, forKey: .completedAt)
        try c.encodeIfPresent(position, forKey: .position)
        try c.encode(author.uuidString.lowercased(), forKey: .author)
    }

    /// The report as JSON, keys sorted.
    public func jsonBytes() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(self)
    }
}
