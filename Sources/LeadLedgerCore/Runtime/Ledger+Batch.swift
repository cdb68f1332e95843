import EventLog
import Foundation
import LeadDomain

extension Ledger {
    /// The most events one `executeBatch` appends: below the log's limit for one atomic append.
    public var maxBatchEvents: Int { min(configuration.logOptions.maxBatchEvents, 8_000) }

    /// Executes a prefix of `items` as one atomic append (see `LeadBatchItem`), every event with `correlationId`,
    /// and answers the outcomes of the items it took (at least one unless `items` is empty) and the append's
    /// last position. A refused item appends nothing and the others go in; with `dryRun` nothing is appended.
    /// With `checkStored`, items whose events an earlier run already appended are answered `alreadyStored`.
    ///
    /// Unlike `execute` it does not wait for the projections: call `waitUntilApplied` with the position when a
    /// read must see the batch.
    public func executeBatch(
        _ items: ArraySlice<LeadBatchItem>, actor: UUID, correlationId: UUID, dryRun: Bool = false,
        checkStored: Bool = false
    ) async throws -> (outcomes: [LeadBatchOutcome], position: UInt64?) {
        try enter()
        defer { leave() }
        return try await commands.executeBatch(
            items, actor: actor, correlationId: correlationId, dryRun: dryRun, checkStored: checkStored,
            maxEvents: maxBatchEvents)
    }

    /// Deterministic ids for work a caller names by a key (an import's rows, its leads): the same actor, key
    /// and index always give the same id, so a repeated run finds what the first one stored.
    public static func derivedId(actor: UUID, key: String, index: Int = 0) -> UUID {
        EventIdentity.eventId(actor: actor, key: key, streamIndex: 0, eventIndex: index)
    }

    /// An id derived from (actor, `key`) that sorts by `sequence` among the ids of that key: what a bulk write
    /// gives the leads it creates, so that they are stored side by side.
    public static func sequentialId(actor: UUID, key: String, sequence: UInt32) -> UUID {
        EventIdentity.sequentialId(actor: actor, key: key, sequence: sequence, index: 0)
    }

    /// The correlation id a keyed request gets (`request` tells two requests under one key apart).
    public static func correlationId(actor: UUID, key: String, request: String?) -> UUID {
        EventIdentity.correlationId(actor: actor, key: key, request: request)
    }

    /// Appends one event of a job's own stream (`import-<id>`, `bulk-<id>`, `mailing-<id>`) after `expectedVersion`, with the job's
    /// id as correlation id and `eventId` as its id (a repeated append of the same event is answered, not doubled).
    @discardableResult
    public func appendJobEvent(_ event: DomainEvent, actor: UUID, eventId: UUID, expectedVersion: UInt64) async throws
        -> AppendResult
    {
        try enter()
        defer { leave() }
        let jobId: UUID
        switch StreamID.parse(event.streamID) {
        case .importJob(let id)? where event.kind.streamKind == .import: jobId = id
        case .bulkOperation(let id)? where event.kind.streamKind == .bulk: jobId = id
        case .mailing(let id)? where event.kind.streamKind == .mailing: jobId = id
        default: throw LedgerError(.invalidArgument, "not an import, bulk operation or mailing event")
        }
        let proposed = try Self.proposedEvent(event, id: eventId, actor: actor, correlationId: jobId)
        return try await log.append(
            [proposed], to: event.streamID, expectedVersion: expectedVersion == 0 ? .noStream : .exact(expectedVersion))
    }

    /// `event` as the log stores it: its type, version, time and JSON payload, `actor` and `correlationId` as metadata.
    static func proposedEvent(_ event: DomainEvent, id: UUID, actor: UUID, correlationId: UUID) throws -> ProposedEvent {
        ProposedEvent(
            id: id, type: event.typeName, schemaVersion: event.schemaVersion, recordedAt: event.payload.at.rawValue,
            metadata: EventMetadata(actor: actor.uuidString.lowercased(), correlationId: correlationId),
            payload: try event.encodedPayload())
    }

    /// An import's record, folded from its stream; nil when there is no such import.
    public func importJob(_ id: UUID) throws -> ImportJobRecord? {
        let recorded = try log.readStream(StreamID.importJob(id))
        var job: ImportJobRecord?
        for r in recorded { job = ImportJobRecord.evolve(job, try AppliedEvent(recorded: r).event, position: r.position) }
        job?.version = recorded.last?.streamVersion ?? 0
        return job
    }

    /// Every import's record, newest first (at most `limit`).
    public func importJobs(limit: Int = 100) throws -> [ImportJobRecord] {
        let ids = try log.streamIds(withPrefix: "import-").compactMap { stream -> UUID? in
            if case .importJob(let id)? = StreamID.parse(stream) { id } else { nil }
        }
        return try ids.compactMap(importJob).sorted { ($0.startedAt, $0.id.uuidString) > ($1.startedAt, $1.id.uuidString) }
            .prefix(limit).map { $0 }
    }

    /// Visits the events of the log from `position` through `through` whose correlation id is `correlationId`.
    public func forEachEvent(
        correlatedWith correlationId: UUID, from position: UInt64, through: UInt64,
        _ body: (RecordedEvent, DomainEvent) throws -> Void
    ) throws {
        try log.forEach(after: position > 0 ? position - 1 : 0, through: through) { recorded in
            if recorded.metadata.correlationId == correlationId {
                try body(recorded, try AppliedEvent(recorded: recorded).event)
            }
            return true
        }
    }
}

/// An import as its stream records it.
public struct ImportJobRecord: Sendable, Hashable {
    public var id: UUID
    public var started: ImportStarted
    public var startedAt: Timestamp { started.at }
    /// The log position of `ImportStarted`: the import's row events follow it.
    public var startedPosition: UInt64
    public var completed: ImportCompleted?
    public var completedPosition: UInt64?
    public var reverted: ImportReverted?
    /// The stream's version.
    public var version: UInt64 = 0

    static func evolve(_ job: ImportJobRecord?, _ event: DomainEvent, position: UInt64) -> ImportJobRecord? {
        switch event {
        case .importStarted(let e):
            return ImportJobRecord(id: e.importId, started: e, startedPosition: position)
        case .importCompleted(let e):
            guard var job else { return nil }
            job.completed = e
            job.completedPosition = position
            return job
        case .importReverted(let e):
            guard var job else { return nil }
            job.reverted = e
            return job
        default:
            return job
        }
    }
}
