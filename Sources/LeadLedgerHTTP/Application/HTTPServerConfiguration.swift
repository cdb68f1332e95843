/// What `leadledger serve` configures about the HTTP server.
public struct HTTPServerConfiguration: Sendable {
    public static let defaultMaxBodySize = 1 << 20

    public var host: String
    public var port: Int
    /// Requests with a larger body get 413.
    public var maxBodySize: Int
    /// Sent as the `Server` header when set.
    public var serverName: String?

    public init(
        host: String = "127.0.0.1", port: Int = 8080, maxBodySize: Int = defaultMaxBodySize, serverName: String? = nil
    ) {
        precondition(maxBodySize > 0, "maxBodySize must be positive")
        self.host = host
        self.port = port
        self.maxBodySize = maxBodySize
        self.serverName = serverName
    }
}
