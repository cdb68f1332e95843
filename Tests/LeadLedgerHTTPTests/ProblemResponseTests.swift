import Foundation
import Hummingbird
import HummingbirdTesting
import LeadLedgerHTTP
import Testing

/// A stand-in for a domain error: what LeadDomain's error will look like to the mapping.
struct SampleDomainError: Error, ProblemConvertible {
    enum Category { case validation, notFound, conflict, forbidden, precondition }
    var category: Category
    var fields: [(String, String)]

    var apiError: APIError {
        let problemCategory: ProblemCategory =
            switch category {
            case .validation: .validation
            case .notFound: .notFound
            case .conflict: .conflict
            case .forbidden: .forbidden
            case .precondition: .precondition
            }
        return APIError(
            problemCategory,
            code: "sample" + "\(category)".prefix(1).uppercased() + "\(category)".dropFirst(),
            detail: "Sample domain failure.",
            errors: fields.map { .init(field: $0.0, code: $0.1, message: "bad \($0.0)") }
        )
    }
}

struct NewThing: Decodable {
    struct Contact: Decodable { var phone: String }
    var name: String
    var count: Int
    var contacts: [Contact]
}

struct SecretFailure: Error, CustomStringConvertible {
    var description: String { "database password is hunter2" }
}

@Suite("errors are problem+json")
struct ProblemResponseTests {
    let routes: @Sendable (APIRoutes) -> Void = { routes in
        routes.post("/v1/things", access: .public) { request, context in
            let thing = try await request.decode(as: NewThing.self, context: context)
            return thing.name
        }
        routes.get("/v1/boom", access: .public) { _, _ -> String in throw SecretFailure() }
        routes.get("/v1/domain/{kind}", access: .public) { _, context -> String in
            let kind = try context.parameters.require("kind")
            let category: SampleDomainError.Category =
                switch kind {
                case "validation": .validation
                case "notFound": .notFound
                case "conflict": .conflict
                case "forbidden": .forbidden
                default: .precondition
                }
            throw SampleDomainError(category: category, fields: [("email", "invalidFormat")])
        }
    }

    @Test(
        "a domain error maps to its status, code and field list",
        arguments: [
            ("validation", 422, "sampleValidation", "sample-validation"),
            ("notFound", 404, "sampleNotFound", "sample-not-found"),
            ("conflict", 409, "sampleConflict", "sample-conflict"),
            ("forbidden", 403, "sampleForbidden", "sample-forbidden"),
            ("precondition", 412, "samplePrecondition", "sample-precondition"),
        ])
    func domainErrorMapping(kind: String, status: Int, code: String, typeSlug: String) async throws {
        try await makeTestApplication(routes: routes).test(.router) { client in
            try await client.execute(uri: "/v1/domain/\(kind)", method: .get) { response in
                #expect(response.status.code == status)
                #expect(response.headers[.contentType] == "application/problem+json")
                let problem = try response.problem()
                #expect(problem.status == status)
                #expect(problem.code == code)
                #expect(problem.type == "https://leadledger.dev/problems/" + typeSlug)
                #expect(problem.errors == [.init(field: "email", code: "invalidFormat", message: "bad email")])
                #expect(problem.instance == response.headers[.requestId])
            }
        }
    }

    @Test("malformed JSON is a 400 naming the body")
    func malformedJSON() async throws {
        try await makeTestApplication(routes: routes).test(.router) { client in
            try await client.execute(uri: "/v1/things", method: .post, body: ByteBuffer(string: "{not json")) {
                response in
                #expect(response.status == .badRequest)
                let problem = try response.problem()
                #expect(problem.errors.first?.field == "body")
                #expect(problem.errors.first?.code == "malformedJSON")
            }
        }
    }

    @Test("a wrong type deep in the body is a 400 with the field's path")
    func typeMismatchPath() async throws {
        let body = #"{"name": "a", "count": 1, "contacts": [{"phone": "1"}, {"phone": 42}]}"#
        try await makeTestApplication(routes: routes).test(.router) { client in
            try await client.execute(uri: "/v1/things", method: .post, body: ByteBuffer(string: body)) { response in
                #expect(response.status == .badRequest)
                let problem = try response.problem()
                #expect(
                    problem.errors == [
                        .init(field: "contacts.1.phone", code: "wrongType", message: "Expected a string.")
                    ])
            }
        }
    }

    @Test("a missing field is a 400 naming it")
    func missingField() async throws {
        try await makeTestApplication(routes: routes).test(.router) { client in
            try await client.execute(
                uri: "/v1/things", method: .post, body: ByteBuffer(string: #"{"name": "a", "contacts": []}"#)
            ) {
                response in
                #expect(response.status == .badRequest)
                let value3 = try response.firstErrorField()
                #expect(value3 == "count")
                let value4 = try response.firstErrorCode()
                #expect(value4 == "missing")
            }
        }
    }

    @Test("an unexpected error is a 500 that leaks nothing")
    func unexpectedError() async throws {
        try await makeTestApplication(routes: routes).test(.router) { client in
            try await client.execute(uri: "/v1/boom", method: .get) { response in
                #expect(response.status == .internalServerError)
                #expect(!response.text.contains("hunter2"))
                #expect(!response.text.contains("SecretFailure"))
                let problem = try response.problem()
                #expect(problem.code == "internalError")
                #expect(problem.instance != nil)
            }
        }
    }

    @Test("an unknown route is a 404 problem")
    func unknownRoute() async throws {
        try await makeTestApplication(routes: routes).test(.router) { client in
            try await client.execute(uri: "/v1/nothing/here", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(response.headers[.contentType] == "application/problem+json")
                let value5 = try response.problem().code
                #expect(value5 == "notFound")
            }
        }
    }
}
