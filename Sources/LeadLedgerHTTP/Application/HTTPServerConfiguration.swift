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
    /// Sent as the `Server` header when set.
    public var serverName: String?
    /// Threads of the event loop group that serves the sockets.
    public var eventLoops: Int

    public init(
        host: String = "127.0.0.1", port: Int = 8080, maxBodySize: Int = defaultMaxBodySize, serverName: String? = nil,
        eventLoops: Int = defaultEventLoops
    ) {
        precondition(maxBodySize > 0, "maxBodySize must be positive")
        precondition(eventLoops > 0, "eventLoops must be positive")
        self.host = host
        self.port = port
        self.maxBodySize = maxBodySize
        self.serverName = serverName
        self.eventLoops = eventLoops
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
