import EventLog
import Foundation
import LeadDomain
import Synchronization

/// Load → decide → append, with optimistic concurrency, re-decisions on concurrent writes, If-Match
/// preconditions and idempotency keys. `Ledger.execute` calls it and then waits for the projections.
///
/// Every non-empty decision writes to the command's target stream, which is what makes the idempotency check
/// cheap: a command sent with a key stamps all its events with a correlation id derived from (actor, key),
/// and a retry finds it while reading the target stream it loads anyway — before deciding again, so a retry
/// after a success is answered with the original positions instead of being re-decided into a conflict.
final class CommandService: Sendable {
    /// How many times a command without `If-Match` is decided again after another writer changed a stream it
    /// read, before it answers `concurrentModification`. Each round is one group commit, and one writer of a
    /// busy stream wins each round, so this covers a few dozen writers on one lead at once.
    static let redecisionLimit = 200
    /// The longest pause before a re-decision; the pause is drawn at random up to a bound that doubles from
    /// 0.1 ms, so writers colliding on one stream spread out instead of colliding again in step.
    static let longestRedecisionPause: Duration = .milliseconds(5)

    let log: EventLog
    let clock: any LedgerClock
    /// The ids of a lead's deals that are not deleted, from the projection store (the log has no index of
    /// deals by lead): `Ledger.execute` lets the store reach the log head before a command that needs them, and
    /// the decider checks each deal's own stream.
    let dealsOfLead: @Sendable (UUID) throws -> [UUID]
    private let settingsCache = Mutex<(state: SettingsState, version: UInt64)>((.defaults, 0))

    init(log: EventLog, clock: any LedgerClock, dealsOfLead: @escaping @Sendable (UUID) throws -> [UUID] = { _ in [] }) {
        self.log = log
        self.clock = clock
        self.dealsOfLead = dealsOfLead
    }

    // MARK: - Loading

    /// The current settings and the settings stream's version, folding only events not seen before.
    func currentSettings() throws -> (state: SettingsState, version: UInt64) {
        let version = try log.streamVersion(StreamID.settings)
        let cached = settingsCache.withLock { $0 }
        if cached.version == version { return cached }
        var state = cached.state
        var start = cached.version + 1
        if version < cached.version {  // cannot happen with an append-only log; be safe
            state = .defaults
            start = 1
        }
        var reached = cached.version
        for recorded in try log.readStream(StreamID.settings, fromVersion: start) {
            state = SettingsState.evolve(state, try AppliedEvent(recorded: recorded).event)
            reached = recorded.streamVersion
        }
        let result = (state: state, version: reached)
        settingsCache.withLock { if $0.version < reached { $0 = result } }
        return result
    }

    struct Loaded {
        var state: AggregateState
        var version: UInt64
        var recorded: [RecordedEvent]
        var events: [DomainEvent]
    }

    /// Reads a stream and folds it into the state of the aggregate kind `template` names.
    func load(_ streamId: String, as template: AggregateState, throughPosition: UInt64? = nil) throws -> Loaded {
        let recorded = try log.readStream(streamId, throughPosition: throughPosition)
        var events: [DomainEvent] = []
        events.reserveCapacity(recorded.count)
        for r in recorded { events.append(try AppliedEvent(recorded: r).event) }
        return Loaded(
            state: Self.fold(template, events), version: recorded.last?.streamVersion ?? 0, recorded: recorded,
            events: events)
    }

    static func fold(_ state: AggregateState, _ events: some Sequence<DomainEvent>) -> AggregateState {
        switch state {
        case .lead(let s): .lead(events.reduce(s, LeadState.evolve))
        case .customer(let s): .customer(events.reduce(s, CustomerState.evolve))
        case .deal(let s): .deal(events.reduce(s, DealState.evolve))
        case .admin(let s): .admin(events.reduce(s, AdminState.evolve))
        case .settings(let s): .settings(events.reduce(s, SettingsState.evolve))
        }
    }

    static func emptyState(for command: LedgerCommand) -> AggregateState {
        switch command {
        case .lead: .lead(nil)
        case .customer: .customer(nil)
        case .deal: .deal(nil)
        case .admin: .admin(nil)
        case .settings: .settings(.defaults)
        }
    }

    // MARK: - Executing

    /// - Parameter requestFingerprint: with an idempotency key, a digest of the request the key was sent with;
    ///   the same key with another fingerprint (another body, route or lead) is refused as
    ///   `idempotencyKeyReused` instead of being answered with the first request's result.
    func execute(
        _ command: LedgerCommand, actor: UUID, expectedVersion: UInt64?, idempotencyKey: String?,
        requestFingerprint: String? = nil
    ) async throws -> CommandResult {
        if let created = command.createdId, created != command.addressedId {
            throw LedgerError(.invalidArgument, "the create command's id does not match the addressed id")
        }
        if let key = idempotencyKey, key.isEmpty || key.utf8.count > 255 {
            throw LedgerError(.invalidArgument, "an idempotency key must be 1–255 bytes")
        }
        let correlationId =
            idempotencyKey.map { EventIdentity.correlationId(actor: actor, key: $0, request: requestFingerprint) }
            ?? UUID.v7()
        if let key = idempotencyKey {
            // The key's first event, wherever it was stored: another stream or correlation means another request.
            let first = EventIdentity.eventId(actor: actor, key: key, streamIndex: 0, eventIndex: 0)
            if let stored = try log.event(withId: first),
                stored.metadata.correlationId != correlationId || stored.streamId != command.streamId
            {
                throw LedgerError(.idempotencyKeyReused, "the idempotency key was used for a different request")
            }
        }
        var conflicts = 0
        while true {
            let target = try load(command.streamId, as: Self.emptyState(for: command))
            if idempotencyKey != nil, let earlier = try earlierExecution(command, target, correlationId) {
                return earlier
            }
            if let expectedVersion, expectedVersion != target.version {
                throw LedgerError.preconditionFailed(
                    stream: command.streamId, expected: expectedVersion, actual: target.version)
            }
            let head = log.head
            let settings = try currentSettings().state
            let context = DecisionContext(settings: settings, now: clock.now(), actor: actor)
            var versions = [command.streamId: target.version]
            let decision = try decide(command, target.state, context, &versions)
            if decision.isEmpty {
                return CommandResult(
                    streamId: command.streamId, state: target.state, streamVersion: target.version, position: head,
                    appends: [], events: [], replayed: false)
            }
            let batches = try proposals(decision, versions, actor, idempotencyKey, correlationId, context.now)
            let results: [AppendResult]
            do {
                results = try await log.append(batches)
            } catch let error as EventLogError where error.code == .wrongExpectedVersion {
                if let expectedVersion, error.streamId == command.streamId {
                    throw LedgerError.preconditionFailed(
                        stream: command.streamId, expected: expectedVersion, actual: error.actualVersion ?? 0)
                }
                conflicts += 1
                try await Self.pauseBeforeRedeciding(after: conflicts, stream: error.streamId)
                continue
            } catch let error as EventLogError where error.code == .partiallyStored && idempotencyKey != nil {
                // A racing duplicate of this keyed command was stored between our read and our append.
                conflicts += 1
                try await Self.pauseBeforeRedeciding(after: conflicts, stream: error.streamId)
                continue
            }
            if results.contains(where: \.alreadyStored) {
                // The same keyed command was appended concurrently: answer with the stored execution.
                let reloaded = try load(command.streamId, as: Self.emptyState(for: command))
                if let earlier = try earlierExecution(command, reloaded, correlationId) { return earlier }
            }
            let targetEvents = decision.events(for: command.streamId)
            let targetResult = results.first { $0.streamId == command.streamId }
            return CommandResult(
                streamId: command.streamId, state: Self.fold(target.state, targetEvents),
                streamVersion: targetResult?.streamVersion ?? target.version,
                position: results.map(\.lastPosition).max() ?? head, appends: results, events: decision.events,
                replayed: false)
        }
    }

    /// Waits a random moment before the `conflicts`-th re-decision, or gives up past `redecisionLimit`.
    static func pauseBeforeRedeciding(after conflicts: Int, stream: String?) async throws {
        guard conflicts <= redecisionLimit else { throw LedgerError.concurrentModification(stream: stream) }
        let bound = min(Duration.microseconds(100) * (1 << min(conflicts - 1, 16)), longestRedecisionPause)
        let micros = bound.components.seconds * 1_000_000 + bound.components.attoseconds / 1_000_000_000_000
        try await Task.sleep(for: .microseconds(Int64.random(in: 0...micros)))
    }

    /// Decides, loading the related states the command names (their versions go into `versions`).
    func decide(
        _ command: LedgerCommand, _ state: AggregateState, _ context: DecisionContext,
        _ versions: inout [String: UInt64]
    ) throws -> Decision {
        switch (command, state) {
        case (.lead(let id, let leadCommand), .lead(let lead)):
            var related = RelatedStates()
            for relatedId in Set(leadCommand.relatedLeadIds) where relatedId != id {
                let stream = StreamID.lead(relatedId)
                let loaded = try load(stream, as: .lead(nil))
                versions[stream] = loaded.version
                if let state = loaded.state.lead { related.leads[relatedId] = state }
            }
            for customerId in Set(leadCommand.relatedCustomerIds) {
                let stream = StreamID.customer(customerId)
                let loaded = try load(stream, as: .customer(nil))
                versions[stream] = loaded.version
                if let state = loaded.state.customer { related.customers[customerId] = state }
            }
            if leadCommand.needsDeals, let lead {
                // Deleted with the lead: its deals now; restored with it: those its deletion named.
                let dealIds = leadCommand.isRestore ? lead.deletedWithDeals : try dealsOfLead(id)
                for dealId in Set(dealIds) {
                    let stream = StreamID.deal(dealId)
                    let loaded = try load(stream, as: .deal(nil))
                    versions[stream] = loaded.version
                    if let state = loaded.state.deal { related.deals[dealId] = state }
                }
            }
            // Admins are read, not written: their versions do not go into the append's expectations.
            var adminIds = Set(leadCommand.relatedAdminIds)
            if case .copyData = leadCommand { adminIds.formUnion(related.leads.values.compactMap(\.responsible)) }
            related.admins = try admins(adminIds)
            return try LeadDecider.decide(lead, leadCommand, context: context, related: related)
        case (.customer(_, let customerCommand), .customer(let customer)):
            // The company a person is put in is read, not written.
            var related = RelatedStates()
            for customerId in Set(customerCommand.relatedCustomerIds) {
                if let state = try load(StreamID.customer(customerId), as: .customer(nil)).state.customer {
                    related.customers[customerId] = state
                }
            }
            return try CustomerDecider.decide(customer, customerCommand, context: context, related: related)
        case (.deal(_, let dealCommand), .deal(let deal)):
            // The lead and customer are read, not written: a deal names them, it does not change them.
            var related = RelatedStates()
            for leadId in Set(dealCommand.relatedLeadIds) {
                if let state = try load(StreamID.lead(leadId), as: .lead(nil)).state.lead { related.leads[leadId] = state }
            }
            for customerId in Set(dealCommand.relatedCustomerIds) {
                if let state = try load(StreamID.customer(customerId), as: .customer(nil)).state.customer {
                    related.customers[customerId] = state
                }
            }
            related.admins = try admins(Set(dealCommand.relatedAdminIds))
            return try DealDecider.decide(deal, dealCommand, context: context, related: related)
        case (.admin(_, let adminCommand), .admin(let admin)):
            var related = RelatedStates()
            if adminCommand.needsAllAdmins {
                let ids = try log.streamIds(withPrefix: "admin-").compactMap { stream -> UUID? in
                    if case .admin(let id) = StreamID.parse(stream) { id } else { nil }
                }
                related.admins = try admins(Set(ids))
            }
            return try AdminDecider.decide(admin, adminCommand, context: context, related: related)
        case (.settings(let settingsCommand), .settings(let settings)):
            return try SettingsDecider.decide(settings, settingsCommand, context: context)
        default:
            throw LedgerError(.invalidArgument, "state does not match the command")  // unreachable
        }
    }

    /// The states of the admins with these ids that exist (an id without a stream is simply absent).
    private func admins(_ ids: Set<UUID>) throws -> [UUID: AdminState] {
        var result: [UUID: AdminState] = [:]
        for id in ids {
            if let admin = try load(StreamID.admin(id), as: .admin(nil)).state.admin { result[id] = admin }
        }
        return result
    }

    /// The log appends for a decision: exact expected versions for every stream that was read (`.noStream`
    /// when it did not exist), `.noStream` for streams the decision creates.
    func proposals(
        _ decision: Decision, _ versions: [String: UInt64], _ actor: UUID, _ key: String?, _ correlationId: UUID,
        _ now: Timestamp
    ) throws -> [StreamAppend] {
        let metadata = EventMetadata(actor: actor.uuidString.lowercased(), correlationId: correlationId)
        var batches: [StreamAppend] = []
        for (streamIndex, stream) in decision.streams.enumerated() {
            var events: [ProposedEvent] = []
            for (eventIndex, event) in stream.events.enumerated() {
                let id =
                    key.map { EventIdentity.eventId(actor: actor, key: $0, streamIndex: streamIndex, eventIndex: eventIndex) }
                    ?? UUID.v7()  // time-ordered: the log's event-id index grows at its right edge
                events.append(
                    ProposedEvent(
                        id: id, type: event.typeName, schemaVersion: event.schemaVersion, recordedAt: now.rawValue,
                        metadata: metadata, payload: try event.encodedPayload()))
            }
            let version = versions[stream.streamID] ?? 0
            batches.append(
                StreamAppend(
                    streamId: stream.streamID, expectedVersion: version == 0 ? .noStream : .exact(version),
                    events: events))
        }
        return batches
    }

    /// The answer of an earlier execution of the same keyed command found in the target stream, if any:
    /// the state and version right after it, and its original positions.
    private func earlierExecution(_ command: LedgerCommand, _ target: Loaded, _ correlationId: UUID) throws
        -> CommandResult?
    {
        guard let last = target.recorded.lastIndex(where: { $0.metadata.correlationId == correlationId }) else {
            return nil
        }
        let first = target.recorded[...last].lastIndex { $0.metadata.correlationId != correlationId }.map { $0 + 1 } ?? 0
        let mine = target.recorded[first...last]
        var appends = [
            AppendResult(
                streamId: command.streamId, firstPosition: mine.first!.position, lastPosition: mine.last!.position,
                streamVersion: mine.last!.streamVersion, alreadyStored: true)
        ]
        // Events of the same atomic append in other streams (merge sources) follow contiguously.
        var position = mine.last!.position
        var others: [String: AppendResult] = [:]
        var order: [String] = []
        scan: while true {
            let next = try log.read(after: position, limit: 256)
            if next.isEmpty { break }
            for event in next {
                guard event.metadata.correlationId == correlationId, event.streamId != command.streamId else { break scan }
                if var result = others[event.streamId] {
                    result.lastPosition = event.position
                    result.streamVersion = event.streamVersion
                    others[event.streamId] = result
                } else {
                    order.append(event.streamId)
                    others[event.streamId] = AppendResult(
                        streamId: event.streamId, firstPosition: event.position, lastPosition: event.position,
                        streamVersion: event.streamVersion, alreadyStored: true)
                }
                position = event.position
            }
        }
        appends += order.compactMap { others[$0] }
        return CommandResult(
            streamId: command.streamId, state: Self.fold(Self.emptyState(for: command), target.events[...last]),
            streamVersion: mine.last!.streamVersion, position: position, appends: appends,
            events: Array(target.events[first...last]), replayed: true)
    }
}
