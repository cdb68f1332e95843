import CLMDB
import Foundation

/// An error from the event log: a `code` to match on, the fields that explain it, and a human message.
///
/// ```swift
/// do {
///     try await log.append(events, to: "lead-42", expectedVersion: .exact(3))
/// } catch let error as EventLogError where error.code == .wrongExpectedVersion {
///     print("stream is at version", error.actualVersion!)
/// }
/// ```
///
/// Codes are a struct wrapping a private enum, so new codes can be added without breaking callers.
public struct EventLogError: Error, Sendable, Hashable, CustomStringConvertible {
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case wrongExpectedVersion, emptyBatch, invalidStreamId, invalidEvent, payloadTooLarge, batchTooLarge
            case duplicateEventIdInBatch, partiallyStored, corrupted, unsupportedFormat, compression, lmdb, io
            case closed, locked, readOnly
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        public var description: String { base.rawValue }

        /// The stream's version is not the expected one; nothing was written. See `actualVersion`.
        public static let wrongExpectedVersion = Code(.wrongExpectedVersion)
        /// An append with no events.
        public static let emptyBatch = Code(.emptyBatch)
        /// The stream id does not match `EventLog.isValidStreamId`.
        public static let invalidStreamId = Code(.invalidStreamId)
        /// An event's type or actor is empty or too long.
        public static let invalidEvent = Code(.invalidEvent)
        /// A payload is larger than `Options.maxPayloadBytes` (see `limit`).
        public static let payloadTooLarge = Code(.payloadTooLarge)
        /// More events in one append than `Options.maxBatchEvents` (see `limit`).
        public static let batchTooLarge = Code(.batchTooLarge)
        /// The same event id appears twice in one append.
        public static let duplicateEventIdInBatch = Code(.duplicateEventIdInBatch)
        /// Some of the append's event ids are already stored and some are not (or they are stored in
        /// another stream): neither a fresh append nor a pure re-send. Nothing was written.
        public static let partiallyStored = Code(.partiallyStored)
        /// A stored record cannot be decoded or does not match its key (see `position`).
        public static let corrupted = Code(.corrupted)
        /// The data directory was written by a newer, unknown format version.
        public static let unsupportedFormat = Code(.unsupportedFormat)
        /// zstd failed (see `message`).
        public static let compression = Code(.compression)
        /// LMDB returned an error (see `lmdbCode` and `message`, from `mdb_strerror`).
        public static let lmdb = Code(.lmdb)
        /// A file-system operation failed (creating the data directory).
        public static let io = Code(.io)
        /// The log was closed.
        public static let closed = Code(.closed)
        /// Another `EventLog` (this process or another one, e.g. a running server) has the log open for writing.
        public static let locked = Code(.locked)
        /// An append to a log opened with `Options.readOnly`.
        public static let readOnly = Code(.readOnly)
    }

    public var code: Code
    /// A human message, with the values involved.
    public var message: String
    public var streamId: String?
    public var expectedVersion: ExpectedVersion?
    /// For `wrongExpectedVersion`: the stream's version when the append was checked (0 = no stream).
    public var actualVersion: UInt64?
    /// For `payloadTooLarge` and `batchTooLarge`: the configured limit.
    public var limit: Int?
    /// For `corrupted`: the global position of the bad record.
    public var position: UInt64?
    public var eventId: UUID?
    /// For `lmdb`: the LMDB return code (e.g. `MDB_MAP_FULL` = -30792).
    public var lmdbCode: Int32?

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "EventLogError.\(code): \(message)" }

    static func wrongExpectedVersion(stream: String, expected: ExpectedVersion, actual: UInt64) -> Self {
        var error = Self(
            .wrongExpectedVersion,
            "stream '\(stream)' expected \(expected.logDescription) but is at version \(actual)")
        error.streamId = stream
        error.expectedVersion = expected
        error.actualVersion = actual
        return error
    }

    static func emptyBatch(stream: String?) -> Self {
        var error = Self(.emptyBatch, "an append must contain at least one event" + (stream.map { " ('\($0)')" } ?? ""))
        error.streamId = stream
        return error
    }

    static func invalidStreamId(_ stream: String) -> Self {
        var error = Self(
            .invalidStreamId,
            "invalid stream id '\(stream.prefix(300))': expected [a-z][a-z0-9]* optionally followed by "
                + "'-' and 1–200 of [A-Za-z0-9_.:-], at most 255 bytes")
        error.streamId = stream
        return error
    }

    static func invalidEvent(stream: String, eventId: UUID, reason: String) -> Self {
        var error = Self(.invalidEvent, "event \(eventId) for '\(stream)': \(reason)")
        error.streamId = stream
        error.eventId = eventId
        return error
    }

    static func payloadTooLarge(stream: String, eventId: UUID, size: Int, limit: Int) -> Self {
        var error = Self(
            .payloadTooLarge, "event \(eventId) for '\(stream)' has a \(size)-byte payload; the limit is \(limit)")
        error.streamId = stream
        error.eventId = eventId
        error.limit = limit
        return error
    }

    static func batchTooLarge(count: Int, limit: Int) -> Self {
        var error = Self(.batchTooLarge, "an append of \(count) events exceeds the limit of \(limit)")
        error.limit = limit
        return error
    }

    static func duplicateEventIdInBatch(_ id: UUID) -> Self {
        var error = Self(.duplicateEventIdInBatch, "event id \(id) appears more than once in the append")
        error.eventId = id
        return error
    }

    static func partiallyStored(stream: String, eventId: UUID, reason: String) -> Self {
        var error = Self(.partiallyStored, "append to '\(stream)': event \(eventId) \(reason); nothing was written")
        error.streamId = stream
        error.eventId = eventId
        return error
    }

    static func corrupted(position: UInt64, reason: String) -> Self {
        var error = Self(.corrupted, "record at position \(position): \(reason)")
        error.position = position
        return error
    }

    static func lmdb(code: Int32, operation: String) -> Self {
        let text = String(cString: mdb_strerror(code))
        var error = Self(.lmdb, "\(operation) failed: \(text) (\(code))")
        error.lmdbCode = code
        return error
    }

    static func lmdb(code: Int32, message: String) -> Self {
        var error = Self(.lmdb, message)
        error.lmdbCode = code
        return error
    }

    static func closed() -> Self { Self(.closed, "the event log is closed") }
    static func readOnly() -> Self { Self(.readOnly, "the event log was opened read-only") }
}

extension ExpectedVersion {
    var logDescription: String {
        switch self {
        case .any: "any version"
        case .noStream: "no stream"
        case .exact(let version): "version \(version)"
        }
    }
}
