import EventLog
import Foundation
import LeadDomain

/// Which leads a bulk operation takes: explicit ids, or every lead a list query answers (read at one log
/// position, so the set is stable while the operation runs).
public enum BulkSelection: Sendable {
    case ids([UUID])
    /// The query (its `visibleTo` already the caller's reach) and its text as the caller sent it.
    case query(LeadQuery, text: String)
}

/// A bulk operation's request: what to do, to which leads, as whom, and which leads the caller may change.
public struct BulkRequest: Sendable {
    public var id: UUID
    public var operation: BulkOperation
    public var selection: BulkSelection
    public var actor: UUID
    public var canChange: @Sendable (LeadState) -> Bool

    public init(
        id: UUID, operation: BulkOperation, selection: BulkSelection, actor: UUID,
        canChange: @escaping @Sendable (LeadState) -> Bool
    ) {
        self.id = id
        self.operation = operation
        self.selection = selection
        self.actor = actor
        self.canChange = canChange
    }
}

/// A bulk operation as its stream records it, or as it runs.
public struct BulkReport: Sendable, Hashable {
    public enum State: String, Sendable, Hashable { case running, completed, reverted }

    public var id: UUID
    public var state: State
    public var operation: BulkOperation
    public var filter: String?
    public var leads: Int
    /// Leads gone through so far.
    public var done = 0
    public var applied = 0
    public var unchanged = 0
    public var refused = 0
    public var refusals: [BulkRefusal] = []
    public var revert: BulkOperationReverted?
    public var startedAt: Timestamp
    public var completedAt: Timestamp?
    public var author: UUID
    /// The log position of its last event so far.
    public var position: UInt64?
    /// Where its stream's events and its lead events lie: from `startedPosition` through `completedPosition`.
    var startedPosition: UInt64 = 0
    var completedPosition: UInt64?
    var version: UInt64 = 0

    public init(
        id: UUID, state: State, operation: BulkOperation, filter: String?, leads: Int, startedAt: Timestamp, author: UUID
    ) {
        self.id = id
        self.state = state
        self.operation = operation
        self.filter = filter
        self.leads = leads
        self.startedAt = startedAt
        self.author = author
    }
}

/// What `Ledger.startBulk` found: an operation that already ran, or one ready to go through its leads.
public enum BulkStart: Sendable {
    case finished(BulkReport)
    case ready(PreparedBulk)
}

/// A bulk operation started (its `BulkOperationStarted` appended) with the leads it takes, in order.
public struct PreparedBulk: Sendable {
    public let request: BulkRequest
    public let ids: [UUID]
    let settings: SettingsState
    let resuming: Bool
    /// The report so far: the set's size, the ids refused at selection.
    public let report: BulkReport
}

/// Why a bulk operation cannot run: a located error for the caller (the request is refused whole, nothing appended).
public struct BulkError: Error, Sendable, Hashable, CustomStringConvertible {
    public var field: String
    public var code: String
    public var message: String
    public var description: String { "\(field): \(code): \(message)" }

    public init(field: String, code: String, message: String) {
        self.field = field
        self.code = code
        self.message = message
    }
}

extension Ledger {
    /// Most leads one bulk operation takes through a filter, and most explicit ids (larger sets: use a filter).
    public static let maxBulkLeads = 200_000
    public static let maxBulkIds = 10_000
    /// Refusals its completion event keeps.
    static let maxBulkRefusals = 1_000

    /// The leads `selection` names, in order, read in one transaction at one log position. Ids that are not
    /// leads the caller may change are refused (`notFound`, whether or not they exist: nothing is revealed).
    public func selectBulk(_ request: BulkRequest) throws -> (ids: [UUID], refusals: [BulkRefusal], position: UInt64) {
        try selectLeads(request.selection, limit: Self.maxBulkLeads, canChange: request.canChange)
    }

    /// The leads `selection` names, in order, at one log position: given ids the caller may change (the others
    /// refused, `notFound`), or every lead the query answers (at most `limit`, else `tooMany` on `filter`).
    public func selectLeads(_ selection: BulkSelection, limit: Int, canChange: (LeadState) -> Bool) throws
        -> (ids: [UUID], refusals: [BulkRefusal], position: UInt64)
    {
        try read { view in
            var ids: [UUID] = []
            var refusals: [BulkRefusal] = []
            switch selection {
            case .ids(let given):
                var seen = Set<UUID>()
                for id in given where seen.insert(id).inserted {
                    guard let lead = try view.record(id)?.state, canChange(lead) else {
                        refusals.append(
                            BulkRefusal(leadId: id, code: "notFound", message: "no lead \(id.uuidString.lowercased()) you can change"))
                        continue
                    }
                    ids.append(id)
                }
            case .query(var query, _):
                query.limit = 1_000
                query.includeTotal = false
                query.after = nil
                let now = configuration.clock.now()
                while true {
                    let page = try view.leads(query, now: now)
                    ids += page.records.map(\.state.id)
                    guard ids.count <= limit else {
                        throw BulkError(
                            field: "filter", code: "tooMany", message: "the filter selects more than \(limit) leads; narrow it")
                    }
                    guard let next = page.next else { break }
                    query.after = next
                }
            }
            return (ids, refusals, view.position)
        }
    }

    /// Runs a bulk operation: `startBulk`, then `continueBulk`.
    public func runBulk(_ request: BulkRequest, progress: @Sendable (BulkReport) -> Void = { _ in }) async throws -> BulkReport {
        switch try await startBulk(request) {
        case .finished(let report): return report
        case .ready(let prepared): return try await continueBulk(prepared, progress: progress)
        }
    }

    /// Checks the operation, reads its set and appends `BulkOperationStarted` (throws `BulkError` for a bad
    /// operation or an empty set, appending nothing). A repeat of a completed operation is `finished`; one a
    /// restart interrupted is `ready` again, and its done leads will be recognised and skipped.
    public func startBulk(_ request: BulkRequest) async throws -> BulkStart {
        let earlier = try bulkOperation(request.id)
        if let earlier, earlier.state != .running { return .finished(earlier) }
        let settings = try currentSettings()
        let now = configuration.clock.now()
        let problems = request.operation.problems(settings: settings, now: now)
        if let first = problems.first { throw BulkError(field: first.field, code: first.code.rawValue, message: first.message) }
        let (ids, refusals, position) = try selectBulk(request)
        var filter: String?
        if case .query(_, let text) = request.selection { filter = text }
        guard !ids.isEmpty || !refusals.isEmpty else {
            throw BulkError(
                field: filter == nil ? "ids" : "filter", code: "emptySelection",
                message: filter == nil ? "no lead ids were given" : "the filter matches no lead you can change")
        }
        var report = BulkReport(
            id: request.id, state: .running, operation: request.operation, filter: filter, leads: ids.count + refusals.count,
            startedAt: now, author: request.actor)
        report.refused = refusals.count
        report.refusals = Array(refusals.prefix(Self.maxBulkRefusals))
        report.done = refusals.count
        if let earlier {
            report.startedAt = earlier.startedAt
            report.version = earlier.version
            report.position = earlier.position
        } else {
            let started = BulkOperationStarted(
                bulkId: request.id, operation: request.operation, filter: filter, leads: Int64(report.leads),
                position: Int64(position), at: now, by: request.actor)
            let result = try await appendJobEvent(
                .bulkOperationStarted(started), actor: request.actor,
                eventId: Ledger.derivedId(actor: request.actor, key: "bulk:\(request.id):started"), expectedVersion: 0)
            report.version = result.streamVersion
            report.position = result.lastPosition
        }
        return .ready(PreparedBulk(request: request, ids: ids, settings: settings, resuming: earlier != nil, report: report))
    }

    /// Decides each lead's commands on its state (a lead that refuses is refused alone), appends them in atomic
    /// batches whose events carry the operation's id as correlation id, then `BulkOperationCompleted`.
    public func continueBulk(_ prepared: PreparedBulk, progress: @Sendable (BulkReport) -> Void = { _ in }) async throws
        -> BulkReport
    {
        let request = prepared.request
        let ids = prepared.ids
        var report = prepared.report
        let alreadyDone = report.done
        progress(report)
        let operation = request.operation
        let settings = prepared.settings
        let canChange = request.canChange
        let key = "bulk:\(request.id)"
        let actor = request.actor
        let items = ids.enumerated().map { index, leadId in
            LeadBatchItem(leadId: leadId, eventKey: key, sequence: UInt32(truncatingIfNeeded: index)) { state in
                guard let state, canChange(state) else { return [] }
                let newId = Ledger.derivedId(actor: actor, key: "\(key):\(leadId.uuidString)")
                return operation.commands(for: state, settings: settings, newId: newId)
            }
        }
        var next = 0
        while next < items.count {
            let (outcomes, last) = try await executeBatch(
                items[next...], actor: request.actor, correlationId: request.id, checkStored: prepared.resuming)
            for (offset, outcome) in outcomes.enumerated() {
                switch outcome {
                case .applied, .alreadyStored: report.applied += 1
                case .unchanged: report.unchanged += 1
                case .rejected(let error):
                    report.refused += 1
                    if report.refusals.count < Self.maxBulkRefusals {
                        let detail = error.fieldErrors.first.map { "\($0.field): \($0.message)" } ?? error.message
                        report.refusals.append(BulkRefusal(leadId: ids[next + offset], code: error.code.rawValue, message: detail))
                    }
                }
            }
            next += outcomes.count
            report.done = alreadyDone + next
            report.position = last ?? report.position
            progress(report)
        }

        let completed = BulkOperationCompleted(
            bulkId: request.id, applied: Int64(report.applied), unchanged: Int64(report.unchanged), refused: Int64(report.refused),
            refusals: report.refusals, at: configuration.clock.now(), by: request.actor)
        let result = try await appendJobEvent(
            .bulkOperationCompleted(completed), actor: request.actor,
            eventId: Ledger.derivedId(actor: request.actor, key: "bulk:\(request.id):completed"), expectedVersion: report.version)
        report.version = result.streamVersion
        try await waitUntilApplied(result.lastPosition)
        report.state = .completed
        report.completedAt = completed.at
        report.position = result.lastPosition
        progress(report)
        return report
    }

    /// Undoes a completed bulk operation on the leads it changed (`RevertibleChanges`: each change only while the
    /// lead still holds it). Reverting again answers the first revert.
    public func revertBulk(_ id: UUID, actor: UUID) async throws -> BulkReport {
        guard var report = try bulkOperation(id) else {
            throw BulkError(field: "id", code: "notFound", message: "no bulk operation \(id.uuidString.lowercased())")
        }
        if report.state == .reverted { return report }
        guard let completedPosition = report.completedPosition else {
            throw BulkError(field: "id", code: "notCompleted", message: "the bulk operation has not completed; run it again first")
        }
        var changes: [UUID: RevertibleChanges] = [:]
        var order: [UUID] = []
        try forEachEvent(correlatedWith: id, from: report.startedPosition, through: completedPosition) { _, event in
            guard event.kind.streamKind == .lead, let leadId = event.leadId else { return }
            if changes[leadId] == nil { order.append(leadId) }
            changes[leadId, default: RevertibleChanges()].add(event)
        }
        let key = "bulk:\(id):revert"
        let items = order.enumerated().map { index, leadId in
            let change = changes[leadId]!
            return LeadBatchItem(leadId: leadId, eventKey: key, sequence: UInt32(truncatingIfNeeded: index)) { state in
                guard let state else { return [] }
                return change.revertCommands(state).commands
            }
        }
        let correlationId = Ledger.derivedId(actor: actor, key: key)
        var reverted = 0
        var conflicts = 0
        var next = 0
        var position: UInt64?
        while next < items.count {
            let (outcomes, last) = try await executeBatch(items[next...], actor: actor, correlationId: correlationId, checkStored: true)
            for (offset, outcome) in outcomes.enumerated() {
                let change = changes[order[next + offset]]!
                switch outcome {
                case .applied(let before, _, _):
                    reverted += 1
                    if let before { conflicts += change.revertCommands(before).conflicts }
                case .unchanged(let before): if let before { conflicts += change.revertCommands(before).conflicts }
                case .alreadyStored: reverted += 1
                case .rejected: conflicts += 1
                }
            }
            next += outcomes.count
            position = last ?? position
        }
        let event = BulkOperationReverted(
            bulkId: id, reverted: Int64(reverted), conflicts: Int64(conflicts), at: configuration.clock.now(), by: actor)
        let result = try await appendJobEvent(
            .bulkOperationReverted(event), actor: actor, eventId: Ledger.derivedId(actor: actor, key: "bulk:\(id):reverted"),
            expectedVersion: report.version)
        try await waitUntilApplied(max(result.lastPosition, position ?? 0))
        report.state = .reverted
        report.revert = event
        report.position = result.lastPosition
        return report
    }

    /// A bulk operation's record, folded from its stream; nil when there is none.
    public func bulkOperation(_ id: UUID) throws -> BulkReport? {
        var report: BulkReport?
        for recorded in try log.readStream(StreamID.bulkOperation(id)) {
            switch try AppliedEvent(recorded: recorded).event {
            case .bulkOperationStarted(let e):
                report = BulkReport(
                    id: id, state: .running, operation: e.operation, filter: e.filter, leads: Int(e.leads), startedAt: e.at,
                    author: e.by)
                report?.startedPosition = recorded.position
                report?.position = recorded.position
            case .bulkOperationCompleted(let e):
                report?.state = .completed
                report?.applied = Int(e.applied)
                report?.unchanged = Int(e.unchanged)
                report?.refused = Int(e.refused)
                report?.refusals = e.refusals
                if let leads = report?.leads { report?.done = leads }
                report?.completedAt = e.at
                report?.completedPosition = recorded.position
                report?.position = recorded.position
            case .bulkOperationReverted(let e):
                report?.state = .reverted
                report?.revert = e
                report?.position = recorded.position
            default: break
            }
            report?.version = recorded.streamVersion
        }
        return report
    }

    /// Every bulk operation's record, newest first (at most `limit`).
    public func bulkOperations(limit: Int = 100) throws -> [BulkReport] {
        let ids = try log.streamIds(withPrefix: "bulk-").compactMap { stream -> UUID? in
            if case .bulkOperation(let id)? = StreamID.parse(stream) { id } else { nil }
        }
        return try ids.compactMap(bulkOperation).sorted { ($0.startedAt, $0.id.uuidString) > ($1.startedAt, $1.id.uuidString) }
            .prefix(limit).map { $0 }
    }
}
