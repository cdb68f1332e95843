import Foundation
import Hummingbird
import HummingbirdTesting
import LeadLedgerHTTP
import Testing

/// Frontends switch on `code`: the domain's codes and the HTTP layer's are one vocabulary, in one spelling
/// (lower camel case), and each problem's `type` is derived from its code the same way.
@Suite("Problem codes have one spelling")
struct ProblemCodeSpellingTests {
    static func isLowerCamelCase(_ code: String) -> Bool {
        guard let first = code.unicodeScalars.first, ("a"..."z").contains(first) else { return false }
        return code.unicodeScalars.allSatisfy { $0.isASCII && $0.properties.isAlphabetic || ("0"..."9").contains($0) }
    }

    @Test("every error path of the API answers lower-camel-case codes, top level and per field, with a derived type")
    func everyLayerSpellsCodesAlike() async throws {
        try await LedgerFixture.withApp { client, fixture in
            let token = fixture.adminToken
            let id = try await client.createLead(token: token)["id"] as! String
            let failures: [(HTTPRequest.Method, String, String?, String?, HTTPFields)] = [
                (.get, "/v1/leads?limit=500", token, nil, [:]),  // 422 from the HTTP layer
                (.get, "/v1/leads?limit=many", token, nil, [:]),  // 400
                (.get, "/v1/leads?cursor=zzz", token, nil, [:]),
                (.get, "/v1/leads?sort=bogus", token, nil, [:]),
                (.get, "/v1/leads?createdFrom=yesterday", token, nil, [:]),
                (.get, "/v1/leads/not-a-uuid", token, nil, [:]),
                (.get, "/v1/leads/\(UUID().uuidString)", token, nil, [:]),  // 404
                (.get, "/v1/nothing", token, nil, [:]),
                (.put, "/v1/leads", token, nil, [:]),  // 405
                (.get, "/v1/leads", nil, nil, [:]),  // 401
                (.get, "/v1/leads", "llt_not-a-real-token", nil, [:]),
                (.post, "/v1/leads", token, #"{"fullName":"#, [:]),  // malformed JSON
                (.post, "/v1/leads", token, #"{"fullName":42}"#, [:]),  // wrong type
                (.post, "/v1/leads", token, #"{"fullName":"","emails":["nope"]}"#, [:]),  // 422 from the domain
                (.patch, "/v1/leads/\(id)", token, #"{"company":"X"}"#, [.ifMatch: "\"v9\""]),  // 412
                (.patch, "/v1/leads/\(id)", token, #"{"company":"X"}"#, [.ifMatch: "v1"]),  // bad ETag
                (.post, "/v1/leads", token, #"{"fullName":"A"}"#, [.idempotencyKey: "has spaces"]),
                (.get, "/v1/events?after=-1", token, nil, [:]),
            ]
            for (method, uri, requestToken, json, headers) in failures {
                let response = try await client.send(method, uri, token: requestToken, json: json, headers: headers)
                let context = "\(method) \(uri) → \(response.status.code) \(response.bodyText)"
                #expect(response.status.code >= 400, "\(context)")
                #expect(response.headers[.contentType] == "application/problem+json", "\(context)")
                let body = try response.json()
                let code = try #require(body["code"] as? String, "\(context)")
                #expect(Self.isLowerCamelCase(code), "\(context)")
                #expect(body["type"] as? String == ProblemDetails.typeURI(code: code), "\(context)")
                for error in (body["errors"] as? [[String: Any]]) ?? [] {
                    let fieldCode = try #require(error["code"] as? String, "\(context)")
                    #expect(Self.isLowerCamelCase(fieldCode), "\(context)")
                }
            }
        }
    }

    @Test("the same rule has the same code in both layers: 422 is validationFailed whoever refused")
    func validationFailedIsOneCode() async throws {
        try await LedgerFixture.withApp { client, fixture in
            let fromQuery = try await client.send(.get, "/v1/leads?limit=500", token: fixture.adminToken)
            let fromDomain = try await client.send(
                .post, "/v1/leads", token: fixture.adminToken, json: #"{"fullName":""}"#)
            #expect(fromQuery.status == .unprocessableContent)
            #expect(fromDomain.status == .unprocessableContent)
            #expect(try fromQuery.problemCode() == "validationFailed")
            #expect(try fromDomain.problemCode() == "validationFailed")
        }
    }

    @Test("the WWW-Authenticate challenge keeps RFC 6750's own spelling (error=\"invalid_token\"), not the API's")
    func bearerChallengeSpelling() async throws {
        try await LedgerFixture.withApp { client, _ in
            let bad = try await client.send(.get, "/v1/leads", token: "llt_not-a-real-token")
            #expect(bad.status == .unauthorized)
            #expect(bad.headers[.wwwAuthenticate] == #"Bearer realm="leadledger", error="invalid_token""#)
            let missing = try await client.send(.get, "/v1/leads", token: nil)
            #expect(missing.headers[.wwwAuthenticate] == #"Bearer realm="leadledger""#)
        }
    }

    @Test(
        "type URIs are the code's words in kebab case",
        arguments: [
            ("validationFailed", "validation-failed"), ("leadNotFound", "lead-not-found"), ("invalidURL", "invalid-url"),
            ("malformedJSON", "malformed-json"), ("notFound", "not-found"), ("forbidden", "forbidden"),
        ])
    func typeURIs(code: String, slug: String) {
        #expect(ProblemDetails.typeURI(code: code) == "https://leadledger.dev/problems/" + slug)
    }

    @Test("codes made from an HTTP reason phrase are lower camel case")
    func codesFromWords() {
        #expect(ProblemDetails.code(fromWords: "Unsupported Media Type") == "unsupportedMediaType")
        #expect(ProblemDetails.code(fromWords: "Too Many Requests") == "tooManyRequests")
        #expect(ProblemDetails.code(fromWords: "Request-URI Too Long") == "requestUriTooLong")
        #expect(ProblemDetails.code(fromWords: "") == "error")
    }
}
