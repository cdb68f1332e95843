import EventLog
import Foundation

/// An error of the runtime (not of the domain: a rejected command throws `LeadDomain.DomainError`).
/// Match on `code`; codes are a struct wrapping a private enum so new ones can be added.
///
/// | code | meaning | HTTP |
/// |---|---|---|
/// | `preconditionFailed` | the caller's expected version (If-Match) is not the stream's version | 412 |
/// | `concurrentModification` | the streams kept changing through `CommandService.redecisionLimit` re-decisions | 409 |
/// | `invalidArgument` | a bad as-of, limit or command shape (see `message`) | 400 |
/// | `idempotencyKeyReused` | the idempotency key was used before for a different request | 422 |
/// | `undecodableEvent` | a stored event cannot be decoded by this build (see `position`) | 500 |
/// | `closed` | the ledger is closed | 503 |
/// | `snapshot` | a snapshot could not be written or read | 500 |
public struct LedgerError: Error, Sendable, Hashable, CustomStringConvertible {
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case preconditionFailed, concurrentModification, invalidArgument, undecodableEvent, closed, snapshot
            case idempotencyKeyReused
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        public var description: String { base.rawValue }

        public static let preconditionFailed = Code(.preconditionFailed)
        public static let concurrentModification = Code(.concurrentModification)
        public static let invalidArgument = Code(.invalidArgument)
        public static let undecodableEvent = Code(.undecodableEvent)
        public static let closed = Code(.closed)
        public static let snapshot = Code(.snapshot)
        public static let idempotencyKeyReused = Code(.idempotencyKeyReused)
    }

    public var code: Code
    public var message: String
    public var streamId: String?
    /// For `preconditionFailed`: what the caller expected and what the stream is at (0 = no stream).
    public var expectedVersion: UInt64?
    public var actualVersion: UInt64?
    /// For `undecodableEvent`: the event's global position.
    public var position: UInt64?

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "LedgerError.\(code): \(message)" }

    /// The HTTP status this error should be answered with.
    public var httpStatus: Int {
        switch code {
        case .preconditionFailed: 412
        case .concurrentModification: 409
        case .invalidArgument: 400
        case .idempotencyKeyReused: 422
        case .closed: 503
        default: 500
        }
    }

    static func preconditionFailed(stream: String, expected: UInt64, actual: UInt64) -> Self {
        var error = Self(.preconditionFailed, "'\(stream)' is at version \(actual), not the expected \(expected)")
        error.streamId = stream
        error.expectedVersion = expected
        error.actualVersion = actual
        return error
    }

    static func concurrentModification(stream: String?) -> Self {
        var error = Self(
            .concurrentModification,
            "'\(stream ?? "a stream")' kept changing while the command was decided again and again; retry")
        error.streamId = stream
        return error
    }

    static func undecodable(position: UInt64, type: String, reason: String) -> Self {
        var error = Self(.undecodableEvent, "event \(type) at position \(position) cannot be decoded: \(reason)")
        error.position = position
        return error
    }
}
