import EventLog
import Foundation
import LeadDomain

/// Replays the log: decoded events in order (for the projection store's catch-up and rebuilds), one aggregate's
/// state as of a point, a lead's history. Pure functions of the log's contents.
public enum Replayer {
    /// Progress of a long replay: events applied so far and the position to reach.
    public struct Progress: Sendable, Hashable {
        public var applied: UInt64
        public var position: UInt64
        public var target: UInt64
    }

    /// Calls `body` with each event after `position` through `asOf`, decoded, in order. Long ranges are read,
    /// decompressed and decoded on a thread of their own while `body` runs on the caller's, so a replay uses
    /// two cores. On an undecodable event `body` has seen every event before it, then this throws.
    public static func forEachDecoded(
        after position: UInt64, log: EventLog, through asOf: AsOf? = nil, progressEvery: UInt64 = 65_536,
        progress: ((Progress) -> Void)? = nil, pipelineThreshold: UInt64 = Replayer.pipelineThreshold,
        _ body: (AppliedEvent) -> Void
    ) throws {
        let head = log.head
        var target = head
        if case .position(let limit) = asOf { target = min(limit, head) }
        guard position < target else { return }
        var timeLimit: Int64?
        if case .time(let limit) = asOf { timeLimit = limit.rawValue }
        var applied: UInt64 = 0
        var last = position
        var nextReport = progressEvery
        func deliver(_ event: AppliedEvent) {
            body(event)
            applied += 1
            last = event.position
            if applied >= nextReport {
                nextReport += progressEvery
                progress?(Progress(applied: applied, position: event.position, target: target))
            }
        }
        if target - position <= pipelineThreshold {
            var failure: (any Error)?
            try log.forEach(after: position, through: target) { recorded in
                if let timeLimit, recorded.recordedAt > timeLimit { return false }
                do {
                    deliver(try AppliedEvent(recorded: recorded))
                } catch {
                    failure = error
                    return false
                }
                return true
            }
            if let failure { throw failure }
        } else {
            let channel = DecodedBatches.start(log: log, after: position, through: target, timeLimit: timeLimit)
            while var batch = channel.take() {
                // Each event is moved out of the batch (reversed, then popped) rather than iterated: iterating
                // copied every event, retaining each of its strings, and freeing the batch released them again.
                batch.reverse()
                while let event = batch.popLast() { deliver(event) }
            }
            if let failure = channel.failure { throw failure }
        }
        progress?(Progress(applied: applied, position: last, target: target))
    }

    /// Ranges longer than this are decoded on a second thread.
    public static let pipelineThreshold: UInt64 = 8_192

    /// A stream's decoded events as of a point (all of them when `asOf` is nil).
    public static func stream(_ streamId: String, log: EventLog, asOf: AsOf? = nil) throws -> [AppliedEvent] {
        var throughPosition: UInt64? = nil
        if case .position(let limit) = asOf { throughPosition = limit }
        var events: [AppliedEvent] = []
        for recorded in try log.readStream(streamId, throughPosition: throughPosition) {
            if let asOf, !asOf.includes(position: recorded.position, recordedAt: recorded.recordedAt) { break }
            events.append(try AppliedEvent(recorded: recorded))
        }
        return events
    }

    /// A lead's state as of a point; nil when it did not exist then.
    public static func lead(_ id: UUID, log: EventLog, asOf: AsOf? = nil) throws -> LeadAsOf? {
        let events = try stream(StreamID.lead(id), log: log, asOf: asOf)
        guard let last = events.last, let state = LeadState.replay(events.map(\.event)) else { return nil }
        return LeadAsOf(state: state, streamVersion: last.streamVersion, position: last.position, recordedAt: last.recordedAt)
    }

    /// A lead's history (timeline) as of a point; step, source and admin names from `settings` and `adminNames`.
    public static func history(
        of id: UUID, log: EventLog, asOf: AsOf? = nil, settings: SettingsState, adminNames: [UUID: String]
    ) throws -> [HistoryEntry] {
        LeadHistory.render(try stream(StreamID.lead(id), log: log, asOf: asOf), settings: settings, adminNames: adminNames)
    }
}

/// A lead as it was at some point: its state, the stream version and position of its last event then.
public struct LeadAsOf: Sendable, Hashable {
    public var state: LeadState
    public var streamVersion: UInt64
    public var position: UInt64
    /// When that last event was recorded (µs).
    public var recordedAt: Int64
}
