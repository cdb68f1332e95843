/// What `/healthz` answers: a status, the log position the server has applied, and any extra fields the
/// assembly adds (e.g. `projections: "ready"`).
public struct HealthReport: Sendable, Hashable, Encodable {
    public var status: String
    public var logPosition: UInt64?
    /// The position the read models (projections) have applied; `logPosition - appliedPosition` is their lag.
    public var appliedPosition: UInt64?
    /// Extra top-level string fields; they cannot replace the named ones.
    public var extra: [String: String]

    /// 200 when `"ok"`, 503 otherwise, so a load balancer can act on it.
    public var isHealthy: Bool { status == "ok" }

    public init(
        status: String = "ok", logPosition: UInt64? = nil, appliedPosition: UInt64? = nil, extra: [String: String] = [:]
    ) {
        self.status = status
        self.logPosition = logPosition
        self.appliedPosition = appliedPosition
        self.extra = extra
    }

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        for (key, value) in extra where !["status", "logPosition", "appliedPosition"].contains(key) {
            try container.encode(value, forKey: Key(stringValue: key))
        }
        try container.encode(status, forKey: Key(stringValue: "status"))
        try container.encodeIfPresent(logPosition, forKey: Key(stringValue: "logPosition"))
        try container.encodeIfPresent(appliedPosition, forKey: Key(stringValue: "appliedPosition"))
    }
}
