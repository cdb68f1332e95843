import Hummingbird
import HummingbirdTesting
import LeadLedgerHTTP
import Synchronization
import Testing

@Suite("application assembly")
struct ApplicationTests {
    final class Flag: Sendable {
        let value = Mutex(false)
    }

    @Test("onShutdown runs once the server has stopped on graceful shutdown")
    func shutdownHook() async throws {
        let ran = Flag()
        let app = makeTestApplication(onShutdown: { ran.value.withLock { $0 = true } })
        try await app.test(.live) { client in
            try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .ok) }
            #expect(ran.value.withLock { $0 } == false)
        }
        #expect(ran.value.withLock { $0 } == true)
    }

    @Test("the server answers concurrent requests over a live socket with one event loop or several")
    func eventLoops() async throws {
        #expect(HTTPServerConfiguration.defaultEventLoops >= 1)
        for loops in [1, 3] {
            let app = makeTestApplication(eventLoops: loops)
            try await app.test(.live) { client in
                try await withThrowingTaskGroup(of: Bool.self) { group in
                    for _ in 0..<32 {
                        group.addTask { try await client.execute(uri: "/healthz", method: .get) { $0.status == .ok } }
                    }
                    var ok = 0
                    for try await answered in group where answered { ok += 1 }
                    #expect(ok == 32, "\(loops) event loops")
                }
            }
        }
    }
}
