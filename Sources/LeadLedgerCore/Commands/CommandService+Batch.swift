import EventLog
import Foundation
import LeadDomain

/// One lead's part of a batch: the commands for it, made from its current state (nil: no such lead), decided
/// in order on the state each one leaves. Its events get ids derived from (actor, `eventKey`, `sequence`), so
/// running the same item again is recognised (`LeadBatchOutcome.alreadyStored`). Items of one bulk write share
/// an `eventKey` and number themselves with `sequence`: their ids then sort in that order (see
/// `Ledger.sequentialId`).
public struct LeadBatchItem: Sendable {
    public var leadId: UUID
    public var eventKey: String
    public var sequence: UInt32?
    public var commands: @Sendable (LeadState?) -> [LeadCommand]
    /// Derives the ids from this instead of the batch's actor: for keys that name the same thing whoever acts
    /// (an e-mail's Message-Id, which must make one lead whichever admin saved the mailbox).
    public var idNamespace: UUID?

    public init(
        leadId: UUID, eventKey: String, sequence: UInt32? = nil, idNamespace: UUID? = nil,
        commands: @escaping @Sendable (LeadState?) -> [LeadCommand]
    ) {
        self.leadId = leadId
        self.eventKey = eventKey
        self.sequence = sequence
        self.idNamespace = idNamespace
        self.commands = commands
    }

    /// The id of the item's event `index`.
    func eventId(actor: UUID, index: Int) -> UUID {
        let actor = idNamespace ?? actor
        if let sequence { return EventIdentity.sequentialId(actor: actor, key: eventKey, sequence: sequence, index: index) }
        return EventIdentity.eventId(actor: actor, key: eventKey, streamIndex: 0, eventIndex: index)
    }
}

/// What became of one item of a batch.
public enum LeadBatchOutcome: Sendable, Hashable {
    /// Its events were appended (or, in a dry run, would be): the lead before and after.
    case applied(before: LeadState?, after: LeadState, events: Int)
    /// Its commands changed nothing.
    case unchanged(LeadState?)
    /// A command was refused: none of the item's events were appended.
    case rejected(DomainError)
    /// An earlier run appended this item's events (same actor and event key).
    case alreadyStored
}

extension CommandService {
    /// Decides items in order until the next one would take the append past `maxEvents`, and appends what they
    /// decided in one atomic, multi-stream append (exact expected versions: a concurrent write to one of the
    /// leads re-decides the whole prefix). Answers the outcomes of the items it took, a prefix of `items`
    /// (at least one unless `items` is empty), and the append's last position (nil when nothing was appended).
    ///
    /// A rejected item leaves no events; the others go in. Nothing waits for the projections.
    func executeBatch(
        _ items: ArraySlice<LeadBatchItem>, actor: UUID, correlationId: UUID, dryRun: Bool, checkStored: Bool,
        maxEvents: Int
    ) async throws -> (outcomes: [LeadBatchOutcome], position: UInt64?) {
        var conflicts = 0
        var checkStored = checkStored
        while true {
            let settings = try currentSettings().state
            let context = DecisionContext(settings: settings, now: clock.now(), actor: actor)
            var pending: [UUID: (state: LeadState?, events: [(UUID, DomainEvent)])] = [:]
            var versions: [String: UInt64] = [:]
            var order: [String] = []
            var outcomes: [LeadBatchOutcome] = []
            var total = 0
            for item in items {
                if checkStored,
                    try log.event(withId: item.eventId(actor: actor, index: 0))
                        != nil
                {
                    outcomes.append(.alreadyStored)
                    continue
                }
                let stream = StreamID.lead(item.leadId)
                let before: LeadState?
                if let known = pending[item.leadId] {
                    before = known.state
                } else {
                    let loaded = try load(stream, as: .lead(nil))
                    before = loaded.state.lead
                    versions[stream] = loaded.version
                }
                var state = before
                var itemVersions = versions
                var decided: [(String, DomainEvent)] = []
                var refused: DomainError?
                for command in item.commands(before) {
                    do {
                        let decision = try decide(.lead(item.leadId, command), .lead(state), context, &itemVersions)
                        for streamEvents in decision.streams {
                            for event in streamEvents.events { decided.append((streamEvents.streamID, event)) }
                        }
                        state = decision.events(for: stream).reduce(state, LeadState.evolve)
                    } catch let error as DomainError {
                        refused = error
                        break
                    }
                }
                if let refused {
                    outcomes.append(.rejected(refused))
                    continue
                }
                guard let after = state, !decided.isEmpty else {
                    outcomes.append(.unchanged(before))
                    continue
                }
                if total + decided.count > maxEvents, !outcomes.isEmpty { break }
                total += decided.count
                versions = itemVersions
                for (index, (streamId, event)) in decided.enumerated() {
                    let id = item.eventId(actor: actor, index: index)
                    guard case .lead(let leadId)? = StreamID.parse(streamId) else { continue }
                    if pending[leadId] == nil {
                        order.append(streamId)
                        pending[leadId] = (state: leadId == item.leadId ? before : nil, events: [])
                    }
                    pending[leadId]!.events.append((id, event))
                }
                pending[item.leadId]!.state = after
                outcomes.append(.applied(before: before, after: after, events: decided.count))
            }
            if dryRun || order.isEmpty { return (outcomes, nil) }
            let metadata = EventMetadata(actor: actor.uuidString.lowercased(), correlationId: correlationId)
            var batches: [StreamAppend] = []
            for streamId in order {
                guard case .lead(let leadId)? = StreamID.parse(streamId), let entry = pending[leadId] else { continue }
                let events = try entry.events.map { id, event in
                    ProposedEvent(
                        id: id, type: event.typeName, schemaVersion: event.schemaVersion, recordedAt: context.now.rawValue,
                        metadata: metadata, payload: try event.encodedPayload())
                }
                let version = versions[streamId] ?? 0
                batches.append(
                    StreamAppend(
                        streamId: streamId, expectedVersion: version == 0 ? .noStream : .exact(version), events: events))
            }
            do {
                let results = try await log.append(batches)
                return (outcomes, results.map(\.lastPosition).max())
            } catch let error as EventLogError where error.code == .wrongExpectedVersion || error.code == .partiallyStored {
                // Another writer changed one of the leads, or a racing run of the same items stored some of them.
                conflicts += 1
                checkStored = true
                try await Self.pauseBeforeRedeciding(after: conflicts, stream: error.streamId)
            }
        }
    }
}
