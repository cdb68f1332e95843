import Foundation

extension DomainEvent {
    /// The event's kind.
    public var kind: EventKind { type(of: payload).kind }

    /// The type name stored in the log, e.g. `"LeadCreated"`.
    public var typeName: String { kind.rawValue }

    /// The schema version the payload is encoded with (always the current one).
    public var schemaVersion: UInt16 { kind.schemaVersion }

    /// When the event happened.
    public var at: Timestamp { payload.at }

    /// The admin who caused it.
    public var by: UUID { payload.by }

    /// The stream the event belongs to: `lead-<uuid>`, `customer-<uuid>`, `settings` or `admin-<uuid>`.
    public var streamID: String {
        switch self {
        case .customerRegistered(let e): StreamID.customer(e.customerId)
        case .customerUpdated(let e): StreamID.customer(e.customerId)
        case .adminCreated(let e): StreamID.admin(e.adminId)
        case .roleChanged(let e): StreamID.admin(e.adminId)
        case .permissionsChanged(let e): StreamID.admin(e.adminId)
        case .tokenIssued(let e): StreamID.admin(e.adminId)
        case .tokenRevoked(let e): StreamID.admin(e.adminId)
        case .adminDisabled(let e): StreamID.admin(e.adminId)
        case .importStarted(let e): StreamID.importJob(e.importId)
        case .importCompleted(let e): StreamID.importJob(e.importId)
        case .importReverted(let e): StreamID.importJob(e.importId)
        case .bulkOperationStarted(let e): StreamID.bulkOperation(e.bulkId)
        case .bulkOperationCompleted(let e): StreamID.bulkOperation(e.bulkId)
        case .bulkOperationReverted(let e): StreamID.bulkOperation(e.bulkId)
        case .mailingStarted(let e): StreamID.mailing(e.mailingId)
        case .mailingRecipientsAdded(let e): StreamID.mailing(e.mailingId)
        case .messageDispatched(let e): StreamID.mailing(e.mailingId)
        case .messageAccepted(let e): StreamID.mailing(e.mailingId)
        case .messageDeferred(let e): StreamID.mailing(e.mailingId)
        case .messageFailed(let e): StreamID.mailing(e.mailingId)
        case .mailingPaused(let e): StreamID.mailing(e.mailingId)
        case .mailingResumed(let e): StreamID.mailing(e.mailingId)
        case .mailingCompleted(let e): StreamID.mailing(e.mailingId)
        case .mailingCancelled(let e): StreamID.mailing(e.mailingId)
        default:
            if let leadId { StreamID.lead(leadId) } else { StreamID.settings }
        }
    }

    /// The JSON payload: camelCase keys, sorted, no insignificant whitespace, times as integer microseconds.
    public func encodedPayload() throws(EventCodecError) -> [UInt8] {
        do {
            return [UInt8](try EventJSON.encoder.encode(payload))
        } catch {
            throw .encodingFailed(type: typeName, reason: String(describing: error))
        }
    }

    /// Decodes a stored payload, upcasting old schema versions to the current event.
    ///
    /// Reads through `JSONReader` and the generated `init(fastJSON:)` decoders, which accept exactly what
    /// Foundation's `JSONDecoder` accepts (FastJSONDecodingTests) at a fraction of its cost: replay decodes every
    /// stored event.
    ///
    /// - Throws: `EventCodecError.unknownType` for a type name the domain does not know,
    ///   `.unsupportedSchemaVersion` for a version it cannot read, `.invalidPayload` for bad JSON.
    public static func decode(type: String, schemaVersion: UInt16, payload: [UInt8]) throws(EventCodecError)
        -> DomainEvent
    {
        try decodeWithFastJSON(type: type, schemaVersion: schemaVersion, payload: payload)
    }

    /// `decode` through Foundation's `JSONDecoder`: the reference the fast decoder is tested against.
    static func decodeWithFoundation(type: String, schemaVersion: UInt16, payload: [UInt8]) throws(EventCodecError)
        -> DomainEvent
    {
        let kind = try knownKind(type: type, schemaVersion: schemaVersion)
        do {
            return try decodeKnown(
                kind, schemaVersion: schemaVersion, payload: Data(payload), decoder: EventJSON.decoder)
        } catch let error as EventCodecError {
            throw error
        } catch {
            throw .invalidPayload(type: type, schemaVersion: schemaVersion, reason: String(describing: error))
        }
    }

    /// `decode` through `JSONReader` and the generated `init(fastJSON:)` decoders: same results, same errors
    /// (the reasons are worded differently), several times faster.
    static func decodeWithFastJSON(type: String, schemaVersion: UInt16, payload: [UInt8]) throws(EventCodecError)
        -> DomainEvent
    {
        let kind = try knownKind(type: type, schemaVersion: schemaVersion)
        let event: DomainEvent?
        do {
            event = try decodeFast(kind, schemaVersion: schemaVersion, payload: payload)
        } catch {
            throw .invalidPayload(type: type, schemaVersion: schemaVersion, reason: error.description)
        }
        guard let event else { throw .unsupportedSchemaVersion(type: type, schemaVersion: schemaVersion) }
        return event
    }

    private static func knownKind(type: String, schemaVersion: UInt16) throws(EventCodecError) -> EventKind {
        guard let kind = EventKind(rawValue: type) else { throw .unknownType(type) }
        guard schemaVersion >= 1, schemaVersion <= kind.schemaVersion else {
            throw .unsupportedSchemaVersion(type: type, schemaVersion: schemaVersion)
        }
        return kind
    }

    /// The lead a lead event belongs to, `nil` for other events.
    public var leadId: UUID? {
        switch self {
        case .leadCreated(let e): e.leadId
        case .leadUpdated(let e): e.leadId
        case .leadStepMarked(let e): e.leadId
        case .leadAssigned(let e): e.leadId
        case .leadTagged(let e): e.leadId
        case .leadUntagged(let e): e.leadId
        case .watcherAdded(let e): e.leadId
        case .watcherRemoved(let e): e.leadId
        case .noteAdded(let e): e.leadId
        case .actionLogged(let e): e.leadId
        case .actionPinned(let e): e.leadId
        case .actionUnpinned(let e): e.leadId
        case .actionCompleted(let e): e.leadId
        case .taskAdded(let e): e.leadId
        case .taskClosed(let e): e.leadId
        case .taskUpdated(let e): e.leadId
        case .taskReassigned(let e): e.leadId
        case .taskReopened(let e): e.leadId
        case .taskDeleted(let e): e.leadId
        case .callReceived(let e): e.leadId
        case .emailReceived(let e): e.leadId
        case .messageSent(let e): e.leadId
        case .leadPaused(let e): e.leadId
        case .leadResumed(let e): e.leadId
        case .leadDataCopied(let e): e.leadId
        case .leadsMerged(let e): e.leadId
        case .leadMergedInto(let e): e.leadId
        case .leadLinkedToCustomer(let e): e.leadId
        case .leadConverted(let e): e.leadId
        case .leadDeleted(let e): e.leadId
        case .leadRestored(let e): e.leadId
        default: nil
        }
    }
}

/// The shared JSON coders of event payloads (both are thread-safe; creating them per event is costly on replay).
enum EventJSON {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()
    static let decoder = JSONDecoder()
}
