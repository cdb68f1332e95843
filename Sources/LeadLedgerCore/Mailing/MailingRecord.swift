import EventLog
import Foundation
import LeadDomain

/// A mailing as its stream (`mailing-<id>`) records it: the fold of its events. The stream alone tells what was
/// sent, what failed and what is left, so a restart continues where the last run stopped.
public struct MailingRecord: Sendable, Hashable {
    public enum State: String, Sendable, Hashable { case running, paused, completed, cancelled }

    /// Where one recipient stands.
    public enum Status: Sendable, Hashable {
        case pending
        /// Handed to the relay (attempt n) with no outcome recorded yet: after a crash, in doubt.
        case dispatched(attempt: Int64)
        case deferred(attempt: Int64, retryAt: Timestamp)
        case sent
        case failed(code: String)
    }

    public var id: UUID
    public var started: MailingStarted
    public var state: State = .running
    /// Recipients in sending order.
    public var recipients: [UUID] = []
    public var status: [UUID: Status] = [:]
    public var sent = 0
    public var failed = 0
    public var inDoubt = 0
    /// The last failures (at most `MailingRecord.maxFailures`), oldest first.
    public var failures: [BulkRefusal] = []
    public var pausedReason: String?
    public var completedAt: Timestamp?
    /// The stream's version and the log position of its last event.
    public var version: UInt64 = 0
    public var position: UInt64 = 0

    public static let maxFailures = 1_000

    public var pending: Int { recipients.count - sent - failed }

    /// The record after `event` (an event of its stream, after `MailingStarted`).
    public mutating func apply(_ event: DomainEvent) {
        switch event {
        case .mailingRecipientsAdded(let e):
            recipients += e.leadIds
            for id in e.leadIds { status[id] = .pending }
        case .messageDispatched(let e): status[e.leadId] = .dispatched(attempt: e.attempt)
        case .messageAccepted(let e):
            status[e.leadId] = .sent
            sent += 1
        case .messageDeferred(let e): status[e.leadId] = .deferred(attempt: e.attempt, retryAt: e.retryAt)
        case .messageFailed(let e):
            status[e.leadId] = .failed(code: e.code)
            failed += 1
            if e.code == "inDoubt" { inDoubt += 1 }
            failures.append(BulkRefusal(leadId: e.leadId, code: e.code, message: e.reply))
            if failures.count > Self.maxFailures { failures.removeFirst(failures.count - Self.maxFailures) }
        case .mailingPaused(let e):
            state = .paused
            pausedReason = e.reason
        case .mailingResumed:
            state = .running
            pausedReason = nil
        case .mailingCompleted(let e):
            state = .completed
            completedAt = e.at
        case .mailingCancelled(let e):
            state = .cancelled
            completedAt = e.at
        default: break
        }
    }
}

/// A mailing without its per-recipient detail: what progress reports and the API answer (cheap to copy).
public struct MailingSummary: Sendable, Hashable {
    public var id: UUID
    public var started: MailingStarted
    public var state: MailingRecord.State
    public var recipients: Int
    public var sent: Int
    public var failed: Int
    public var inDoubt: Int
    public var failures: [BulkRefusal]
    public var pausedReason: String?
    public var completedAt: Timestamp?
    public var position: UInt64
    public var pending: Int { recipients - sent - failed }
}

extension MailingRecord {
    public var summary: MailingSummary {
        MailingSummary(
            id: id, started: started, state: state, recipients: recipients.count, sent: sent, failed: failed, inDoubt: inDoubt,
            failures: failures, pausedReason: pausedReason, completedAt: completedAt, position: position)
    }
}

extension Ledger {
    /// Most recipients of one mailing; most lead ids one `MailingRecipientsAdded` holds.
    public static let maxMailingRecipients = 100_000
    public static let recipientsPerEvent = 5_000

    /// A mailing's record, folded from its stream; nil when there is none.
    public func mailing(_ id: UUID) throws -> MailingRecord? {
        var record: MailingRecord?
        for recorded in try log.readStream(StreamID.mailing(id)) {
            let event = try AppliedEvent(recorded: recorded).event
            if case .mailingStarted(let e) = event {
                record = MailingRecord(id: id, started: e)
            } else {
                record?.apply(event)
            }
            record?.version = recorded.streamVersion
            record?.position = recorded.position
        }
        return record
    }

    /// Every mailing's record, newest first (at most `limit`).
    public func mailings(limit: Int = 100) throws -> [MailingRecord] {
        let ids = try log.streamIds(withPrefix: "mailing-").compactMap { stream -> UUID? in
            if case .mailing(let id)? = StreamID.parse(stream) { id } else { nil }
        }
        return try ids.compactMap(mailing).sorted { ($0.started.at, $0.id.uuidString) > ($1.started.at, $1.id.uuidString) }
            .prefix(limit).map { $0 }
    }

    /// Appends events of one mailing's stream atomically after `expectedVersion` (0: the stream is new), each
    /// with the id derived from its key, the mailing's id as correlation id. Answers the new version.
    @discardableResult
    public func appendMailingEvents(
        _ events: [(event: DomainEvent, key: String)], mailingId: UUID, actor: UUID, expectedVersion: UInt64
    ) async throws -> AppendResult {
        try enter()
        defer { leave() }
        let stream = StreamID.mailing(mailingId)
        let proposed = try events.map { item in
            guard item.event.streamID == stream else { throw LedgerError(.invalidArgument, "not an event of \(stream)") }
            return try proposedEvent(item.event, key: "mailing:\(mailingId):\(item.key)", actor: actor, correlationId: mailingId)
        }
        return try await log.append(
            proposed, to: stream, expectedVersion: expectedVersion == 0 ? .noStream : .exact(expectedVersion))
    }

    /// Records a message the relay accepted: `MessageSent` on the lead (whatever its version: the message is
    /// out, and the lead keeps it even if it changed meanwhile) and `MessageAccepted` on the mailing, in one
    /// atomic append.
    @discardableResult
    public func recordMessageSent(
        _ sent: MessageSent, accepted: MessageAccepted, actor: UUID, mailingVersion: UInt64
    ) async throws -> [AppendResult] {
        try enter()
        defer { leave() }
        let mailing = accepted.mailingId
        let key = "mailing:\(mailing):\(sent.leadId):sent"
        return try await log.append([
            StreamAppend(
                streamId: StreamID.lead(sent.leadId), expectedVersion: .any,
                events: [try proposedEvent(.messageSent(sent), key: key, actor: actor, correlationId: mailing)]),
            StreamAppend(
                streamId: StreamID.mailing(mailing), expectedVersion: .exact(mailingVersion),
                events: [try proposedEvent(.messageAccepted(accepted), key: key + ":accepted", actor: actor, correlationId: mailing)]),
        ])
    }

    private func proposedEvent(_ event: DomainEvent, key: String, actor: UUID, correlationId: UUID) throws -> ProposedEvent {
        try Ledger.proposedEvent(event, id: Ledger.derivedId(actor: actor, key: key), actor: actor, correlationId: correlationId)
    }
}
