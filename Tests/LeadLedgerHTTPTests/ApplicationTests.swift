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
}
