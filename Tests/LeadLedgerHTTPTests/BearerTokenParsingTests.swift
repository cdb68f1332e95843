import Testing

@testable import LeadLedgerHTTP

@Suite("Authorization header parsing")
struct BearerTokenParsingTests {
    @Test("the token after a case-insensitive Bearer scheme, without surrounding spaces and tabs")
    func accepted() {
        let cases: [(String, String)] = [
            ("Bearer abc", "abc"), ("bearer abc", "abc"), ("BEARER abc", "abc"), ("  Bearer abc", "abc"),
            ("Bearer    abc  ", "abc"), ("Bearer \tabc\t", "abc"), ("Bearer llt_a-b_c", "llt_a-b_c"),
            ("Bearer a b", "a b"),
        ]
        for (header, token) in cases { #expect(BearerAuthMiddleware.bearerToken(from: header) == token, "\(header)") }
    }

    @Test("no scheme, another scheme or no token is no token")
    func refused() {
        for header in ["", " ", "Bearer", "Bearer ", "Bearer   \t ", "Basic abc", "Bearerabc", "Bear abc", "abc", "Bearer\tabc"] {
            #expect(BearerAuthMiddleware.bearerToken(from: header) == nil, "\(header)")
        }
    }
}
