import EventLog
import Foundation
import LeadLedgerCore

/// The current projections for an offline command: the newest valid snapshot plus the log's tail
/// (a full replay when there is no usable snapshot).
func currentProjections(_ log: EventLog, _ options: DataOptions) throws -> Projections {
    guard var projections = options.snapshots.loadNewest(atMost: log.head) else { return try Replayer.projections(log: log) }
    try Replayer.catchUp(&projections, log: log)
    return projections
}

/// Projections' golden JSON as one object `{ "<projection>": …, … }`, keys sorted.
func combinedGoldenJSON(_ projections: Projections) -> String {
    let parts = projections.goldenJSON().sorted { $0.key < $1.key }
    var out = "{\n"
    for (index, part) in parts.enumerated() {
        let body = part.value.utf8String.replacingOccurrences(of: "\n", with: "\n  ")
        out += "  \"\(part.key)\" : \(body)\(index == parts.count - 1 ? "" : ",")\n"
    }
    return out + "}"
}
