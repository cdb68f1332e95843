import ServiceLifecycle

/// Runs work after the HTTP server has drained, on graceful shutdown (SIGTERM/SIGINT): e.g. write a snapshot.
///
/// Hummingbird's service group shuts services down in reverse order and the server is last in its list, so a
/// service listed in the application's `services` is signalled only after the server finished its requests.
/// On cancellation (not graceful) the work is skipped.
struct ShutdownHookService: Service {
    let work: @Sendable () async -> Void

    func run() async throws {
        try await gracefulShutdown()
        await work()
    }
}
