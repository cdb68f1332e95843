import Foundation
import LeadLedgerHTTP
import Testing

@Suite("schemas/openapi.yaml matches the router")
struct OpenAPIDocumentTests {
    static let documentURL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("schemas/openapi.yaml")

    /// The routes of the real application: `buildLedgerApplication`, the assembly `leadledger serve` runs.
    static func servedRoutes() async throws -> [RouteTable.Entry] {
        let fixture = try await LedgerFixture.make()
        _ = fixture.application()
        await fixture.close()
        return fixture.routeTable.all
    }

    @Test("every served route is documented and every documented operation is served")
    func sameOperations() async throws {
        let document = try String(contentsOf: Self.documentURL, encoding: .utf8)
        let documented = try OpenAPIPathExtractor.operations(inYAML: document)
        let served = try await Self.servedRoutes()
        #expect(served.count > 50)
        #expect(
            Set(documented).subtracting(served).isEmpty,
            "documented but not served: \(Set(documented).subtracting(served))")
        #expect(
            Set(served).subtracting(documented).isEmpty,
            "served but not documented: \(Set(served).subtracting(documented))")
        #expect(documented.count == Set(documented).count, "an operation is documented twice")
    }

    @Test("the reader finds paths and operations and refuses what it does not understand")
    func extractor() throws {
        let yaml = """
            openapi: 3.1.0
            paths:
              /v1/leads:
                parameters: []
                get:
                  responses: {}
                post:
                  responses: {}
              "/v1/leads/{id}":
                # comment
                patch:
                  responses: {}
            components:
              schemas:
                get:
                  type: string
            """
        let operations = try OpenAPIPathExtractor.operations(inYAML: yaml)
        #expect(operations.map(\.description) == ["GET /v1/leads", "POST /v1/leads", "PATCH /v1/leads/{id}"])
        #expect(throws: OpenAPIPathExtractor.Failure.self) {
            try OpenAPIPathExtractor.operations(inYAML: "paths: {}\n")
        }
        #expect(throws: OpenAPIPathExtractor.Failure.self) {
            try OpenAPIPathExtractor.operations(inYAML: "paths:\n  /a:\n    $ref: '#/x'\n")
        }
        #expect(throws: OpenAPIPathExtractor.Failure.self) {
            try OpenAPIPathExtractor.operations(inYAML: "paths:\n  a:\n    get: {}\n")
        }
    }
}
