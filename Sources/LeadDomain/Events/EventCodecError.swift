/// Why an event payload could not be encoded or decoded.
public enum EventCodecError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The type name is not one of `EventKind`'s.
    case unknownType(String)
    /// The type is known but not at this schema version (0, or newer than the code).
    case unsupportedSchemaVersion(type: String, schemaVersion: UInt16)
    /// The bytes are not valid JSON for the type's schema.
    case invalidPayload(type: String, schemaVersion: UInt16, reason: String)
    /// The event could not be encoded (should not happen for domain values).
    case encodingFailed(type: String, reason: String)

    public var description: String {
        switch self {
        case .unknownType(let type): "unknown event type \(type)"
        case .unsupportedSchemaVersion(let type, let version): "unsupported schema version \(version) of \(type)"
        case .invalidPayload(let type, let version, let reason): "invalid \(type) v\(version) payload: \(reason)"
        case .encodingFailed(let type, let reason): "could not encode \(type): \(reason)"
        }
    }
}
