public import HTTPTypes

extension HTTPField.Name {
    /// The log position a response reflects (after a command: the position of its last event).
    public static let logPosition = Self("X-Log-Position")!
    public static let requestId = Self("X-Request-Id")!
    public static let idempotencyKey = Self("Idempotency-Key")!
    public static let lastEventId = Self("Last-Event-ID")!
    /// How many rows an export holds (its header not counted).
    public static let exportRows = Self("X-Export-Rows")!
    // CORS (the Fetch standard), for the public form submissions.
    public static let origin = Self("Origin")!
    public static let accessControlAllowOrigin = Self("Access-Control-Allow-Origin")!
    public static let accessControlAllowMethods = Self("Access-Control-Allow-Methods")!
    public static let accessControlAllowHeaders = Self("Access-Control-Allow-Headers")!
    public static let accessControlMaxAge = Self("Access-Control-Max-Age")!
    public static let vary = Self("Vary")!
    /// The addresses a request passed through, set by reverse proxies (read only from trusted ones).
    public static let xForwardedFor = Self("X-Forwarded-For")!
}
