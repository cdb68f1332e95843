import HummingbirdCore
import NIOCore
import NIOPosix
import Synchronization

/// What `leadledger serve` configures about the HTTP server.
public struct HTTPServerConfiguration: Sendable {
    public static let defaultMaxBodySize = 1 << 20
    /// Half the cores, at least one. Route handlers run on Swift's cooperative pool (one thread per core); the
    /// event loops only read and write sockets. On the 2-core target machine one loop instead of two took the list
    /// p99 at 64 connections from 43 to 20 ms and the kanban p99 from 68 to 33 ms, at the same throughput: with two,
    /// four busy threads (and the load generator's) took turns on two cores.
    public static var defaultEventLoops: Int { max(1, System.coreCount / 2) }

    public var host: String
    public var port: Int
    /// Requests with a larger body get 413.
    public var maxBodySize: Int
    /// File uploads (`POST /v1/imports`, `/v1/import-previews`) may be this large; they stream to disk.
    public var maxUploadSize: Int = defaultMaxUploadSize
    public static let defaultMaxUploadSize = 512 << 20
    /// Addresses of reverse proxies in front of the server: from them, the client is the nearest address in
    /// `X-Forwarded-For` that is not one of them (per-client limits count clients, not the proxy). Empty: the
    /// socket's peer is the client and `X-Forwarded-For` is ignored (anyone can send it).
    public var trustedProxies: [String] = []

    /// Whether `text` is an IPv4 or IPv6 address as a socket reports it (what `trustedProxies` holds).
    public static func isIPAddress(_ text: String) -> Bool { (try? SocketAddress(ipAddress: text, port: 0)) != nil }
    /// Sent as the `Server` header when set.
    public var serverName: String?
    /// Threads of the event loop group that serves the sockets.
    public var eventLoops: Int
    /// Open connections at most; one more is answered 503 and closed.
    public var maxConnections: Int
    /// How long a connection may wait for a request's complete head: after it opens and after each response.
    /// Ends idle keep-alive connections and clients that send their headers a byte at a time.
    public var idleTimeout: Duration
    /// How long a request's body may take to arrive once its head has.
    public var bodyTimeout: Duration
    /// The longest request target (path and query) in bytes; a longer one is answered 414.
    public var maxURILength: Int
    /// The largest header block in bytes (names, values and their separators); a larger one is answered 431.
    public var maxHeaderBytes: Int

    public static let defaultMaxConnections = 4_096
    public static let defaultIdleTimeout: Duration = .seconds(30)
    public static let defaultBodyTimeout: Duration = .seconds(30)
    public static let defaultMaxURILength = 8_192
    public static let defaultMaxHeaderBytes = 32_768

    public init(
        host: String = "127.0.0.1", port: Int = 8080, maxBodySize: Int = defaultMaxBodySize, serverName: String? = nil,
        eventLoops: Int = defaultEventLoops, maxConnections: Int = defaultMaxConnections,
        idleTimeout: Duration = defaultIdleTimeout, bodyTimeout: Duration = defaultBodyTimeout,
        maxURILength: Int = defaultMaxURILength, maxHeaderBytes: Int = defaultMaxHeaderBytes
    ) {
        precondition(maxBodySize > 0, "maxBodySize must be positive")
        precondition(eventLoops > 0, "eventLoops must be positive")
        precondition(maxConnections > 0, "maxConnections must be positive")
        precondition(idleTimeout > .zero && bodyTimeout > .zero, "timeouts must be positive")
        precondition(maxURILength > 0 && maxHeaderBytes > 0, "head limits must be positive")
        self.host = host
        self.port = port
        self.maxBodySize = maxBodySize
        self.serverName = serverName
        self.eventLoops = eventLoops
        self.maxConnections = maxConnections
        self.idleTimeout = idleTimeout
        self.bodyTimeout = bodyTimeout
        self.maxURILength = maxURILength
        self.maxHeaderBytes = maxHeaderBytes
    }

    /// The HTTP/1 server with this configuration's guard in every connection's pipeline (see
    /// ``ConnectionGuard``). NIO's decoder limits sit above the guard's, so the guard answers first, with
    /// the right status.
    var server: HTTPServerBuilder {
        let limits = ConnectionGuard.Limits(
            maxConnections: maxConnections, idleTimeout: TimeAmount(idleTimeout), bodyTimeout: TimeAmount(bodyTimeout),
            maxURILength: maxURILength, maxHeaderBytes: maxHeaderBytes)
        let connections = ConnectionGuard.OpenConnections()
        let decoderLimit = 2 * max(maxURILength, maxHeaderBytes)
        return .http1(
            configuration: HTTP1Channel.Configuration(
                additionalChannelHandlers: [ConnectionGuard(limits: limits, connections: connections)],
                httpDecoderConfiguration: .init(maxHeaderFieldSize: decoderLimit, maxHeaderListSize: decoderLimit)))
    }

    /// The event loop group of `eventLoops` threads: one per size for the life of the process, as NIO's own
    /// singleton group is (servers started in turn, as tests do, share it; nothing shuts it down).
    var eventLoopGroup: MultiThreadedEventLoopGroup { Self.groups.group(threads: eventLoops) }

    private static let groups = EventLoopGroups()
}

private final class EventLoopGroups: Sendable {
    private let groups = Mutex<[Int: MultiThreadedEventLoopGroup]>([:])

    func group(threads: Int) -> MultiThreadedEventLoopGroup {
        groups.withLock { groups in
            if let group = groups[threads] { return group }
            let group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
            groups[threads] = group
            return group
        }
    }
}
