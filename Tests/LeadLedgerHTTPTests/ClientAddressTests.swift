import Testing

@testable import LeadLedgerHTTP

@Suite("The client address behind trusted proxies")
struct ClientAddressTests {
    let trusted: Set<String> = ["10.0.0.2", "10.0.0.3"]

    @Test("X-Forwarded-For counts only from a trusted peer, and only its rightmost untrusted hop")
    func forwarded() {
        // A peer that is not a proxy: its own address, whatever it claims.
        #expect(ClientAddressMiddleware.client(peer: "203.0.113.9", forwarded: ["198.51.100.1"], trusted: trusted) == "203.0.113.9")
        // Through one proxy.
        #expect(ClientAddressMiddleware.client(peer: "10.0.0.2", forwarded: ["198.51.100.1"], trusted: trusted) == "198.51.100.1")
        // Through two, the client having prepended a forged hop: the forged one is not believed.
        #expect(
            ClientAddressMiddleware.client(peer: "10.0.0.2", forwarded: ["1.2.3.4, 198.51.100.1", "10.0.0.3"], trusted: trusted)
                == "198.51.100.1")
        // A trusted peer without the header is the client itself.
        #expect(ClientAddressMiddleware.client(peer: "10.0.0.2", forwarded: [], trusted: trusted) == "10.0.0.2")
        #expect(ClientAddressMiddleware.client(peer: nil, forwarded: ["198.51.100.1"], trusted: trusted) == nil)
    }

    @Test("only IP addresses are accepted as trusted proxies")
    func addresses() {
        #expect(HTTPServerConfiguration.isIPAddress("10.0.0.2") && HTTPServerConfiguration.isIPAddress("::1"))
        #expect(!HTTPServerConfiguration.isIPAddress("proxy.local") && !HTTPServerConfiguration.isIPAddress("10.0.0.256"))
    }
}
