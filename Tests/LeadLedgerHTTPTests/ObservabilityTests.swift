import Foundation
import Hummingbird
import HummingbirdTesting
import LeadLedgerHTTP
import Prometheus
import Testing

@Suite("healthz, metrics, request ids and the request log")
struct ObservabilityTests {
    @Test("/healthz answers status, log position and extra fields")
    func health() async throws {
        let app = makeTestApplication(health: { HealthReport(logPosition: 1234, extra: ["projections": "ready"]) })
        try await app.test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
                let json =
                    try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any]
                #expect(json?["status"] as? String == "ok")
                #expect(json?["logPosition"] as? Int == 1234)
                #expect(json?["projections"] as? String == "ready")
            }
        }
    }

    @Test("an unhealthy report is a 503")
    func unhealthy() async throws {
        let app = makeTestApplication(health: { HealthReport(status: "starting") })
        try await app.test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .serviceUnavailable) }
        }
    }

    @Test("/metrics counts requests by route pattern and status, in Prometheus text format")
    func metrics() async throws {
        let registry = PrometheusCollectorRegistry()
        let app = makeTestApplication(registry: registry) { routes in
            routes.get("/v1/leads/{id}") { _, _ in "lead" }
        }
        try await app.test(.router) { client in
            let auth = Fixtures.bearer(Fixtures.adminToken)
            for id in ["a", "b", "c"] {
                try await client.execute(uri: "/v1/leads/\(id)", method: .get, headers: auth) {
                    #expect($0.status == .ok)
                }
            }
            try await client.execute(uri: "/v1/leads/d", method: .get) { #expect($0.status == .unauthorized) }
            try await client.execute(uri: "/v1/leads/e", method: .post) { #expect($0.status == .methodNotAllowed) }
            try await client.execute(uri: "/v1/leads/f", method: HTTPRequest.Method("PROPFIND")!) {
                #expect($0.status == .methodNotAllowed)
            }
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
                let text = response.text
                #expect(text.contains(#"http_requests_total{method="GET",route="/v1/leads/{id}",status="200"} 3"#))
                #expect(text.contains(#"http_requests_total{method="GET",route="/v1/leads/{id}",status="401"} 1"#))
                #expect(text.contains(#"http_requests_total{method="POST",route="NotFound",status="405"} 1"#))
                #expect(text.contains(#"http_request_duration_seconds_count{method="GET",route="/v1/leads/{id}"} 4"#))
                #expect(text.contains(#"http_requests_total{method="OTHER",route="NotFound",status="405"} 1"#))
                #expect(!text.contains("/v1/leads/a"))
            }
        }
    }

    @Test("every response has an X-Request-Id; a usable client id is kept")
    func requestIds() async throws {
        try await makeTestApplication().test(.router) { client in
            let generated = try await client.execute(uri: "/healthz", method: .get) { $0.headers[.requestId] }
            #expect(generated.flatMap(UUID.init(uuidString:)) != nil)
            try await client.execute(uri: "/healthz", method: .get, headers: [.requestId: "edge-123"]) {
                #expect($0.headers[.requestId] == "edge-123")
            }
            try await client.execute(uri: "/nope", method: .get, headers: [.requestId: "edge-404"]) { response in
                #expect(response.headers[.requestId] == "edge-404")
                let problem = try response.problem()
                #expect(problem.instance == "edge-404")
            }
        }
    }

    @Test("one log line per request with method, route, status, duration, request id and actor")
    func requestLog() async throws {
        let capture = LogCapture()
        let app = makeTestApplication(logger: capture.logger()) { routes in
            routes.get("/v1/leads/{id}") { _, _ in "lead" }
        }
        try await app.test(.router) { client in
            var headers = Fixtures.bearer(Fixtures.managerToken)
            headers[.requestId] = "log-test-1"
            try await client.execute(uri: "/v1/leads/7", method: .get, headers: headers) { #expect($0.status == .ok) }
        }
        let line = try #require(
            capture.all.first { $0.message == "request" && $0.metadata["request_id"] == "log-test-1" })
        #expect(line.metadata["http.method"] == "GET")
        #expect(line.metadata["http.route"] == "/v1/leads/{id}")
        #expect(line.metadata["http.status"] == "200")
        #expect(line.metadata["actor"] == Fixtures.manager.actor)
        #expect(line.metadata["duration_ms"].flatMap(Double.init) != nil)
    }
}
