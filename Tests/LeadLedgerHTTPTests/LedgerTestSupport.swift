import Foundation
import Hummingbird
import HummingbirdTesting
import LeadDomain
import LeadLedgerCore
import LeadLedgerHTTP
import Logging
import Prometheus
import Testing

/// A ledger in its own temporary data directory (real LMDB) with a bootstrapped admin, and the API over it.
final class LedgerFixture: Sendable {
    let directory: String
    let ledger: Ledger
    let clock: SteppingClock
    let adminId: UUID
    let adminToken: String
    let routeTable = RouteTable()
    let registry = PrometheusCollectorRegistry()

    /// 2026-11-23T10:00:00Z; each `now()` moves a millisecond on.
    static let start = Timestamp(microseconds: 1_795_428_000_000_000)

    private init(directory: String, ledger: Ledger, clock: SteppingClock, adminId: UUID, adminToken: String) {
        self.directory = directory
        self.ledger = ledger
        self.clock = clock
        self.adminId = adminId
        self.adminToken = adminToken
    }

    static func make(maxBodySize: Int = HTTPServerConfiguration.defaultMaxBodySize) async throws -> LedgerFixture {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("leadledger-http-\(UUID().uuidString)").path
        let clock = SteppingClock(start: start, step: 1_000)
        let configuration = LedgerConfiguration(dataDirectory: directory, clock: clock)
        let ledger = try await Ledger.open(configuration)
        guard let (adminId, token) = try await ledger.bootstrapAdminIfNeeded() else {
            throw FixtureError("a fresh ledger has no admin to bootstrap")
        }
        return LedgerFixture(directory: directory, ledger: ledger, clock: clock, adminId: adminId, adminToken: token)
    }

    func application(maxBodySize: Int = HTTPServerConfiguration.defaultMaxBodySize) -> some ApplicationProtocol {
        application(server: HTTPServerConfiguration(host: "127.0.0.1", port: 0, maxBodySize: maxBodySize))
    }

    func application(server: HTTPServerConfiguration) -> some ApplicationProtocol {
        var quiet = Logger(label: "test")
        quiet.logLevel = .critical
        return buildLedgerApplication(
            ledger: ledger,
            configuration: server,
            metrics: registry,
            logger: quiet,
            routeTable: routeTable
        )
    }

    func close() async {
        try? await ledger.close()
        try? FileManager.default.removeItem(atPath: directory)
    }

    var head: UInt64 { ledger.log.head }

    /// Runs `body` against a live server with this configuration and closes the ledger afterwards.
    static func withLiveServer(
        _ server: HTTPServerConfiguration,
        _ body: @escaping @Sendable (any TestClientProtocol, LedgerFixture) async throws -> Void
    ) async throws {
        let fixture = try await make()
        do {
            try await fixture.application(server: server).test(.live) { client in try await body(client, fixture) }
        } catch {
            await fixture.close()
            throw error
        }
        await fixture.close()
    }

    /// Runs `body` against the router (or a live socket) and closes the ledger afterwards.
    static func withApp(
        _ mode: TestingSetup = .router, maxBodySize: Int = HTTPServerConfiguration.defaultMaxBodySize,
        _ body: @escaping @Sendable (any TestClientProtocol, LedgerFixture) async throws -> Void
    ) async throws {
        let fixture = try await make()
        do {
            try await fixture.application(maxBodySize: maxBodySize).test(mode) { client in
                try await body(client, fixture)
            }
        } catch {
            await fixture.close()
            throw error
        }
        await fixture.close()
    }
}

struct FixtureError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Request helpers: JSON bodies, bearer tokens, decoded answers.
extension TestClientProtocol {
    @discardableResult
    func send(
        _ method: HTTPRequest.Method, _ uri: String, token: String?, json: String? = nil,
        headers extra: HTTPFields = [:]
    ) async throws -> TestResponse {
        var headers = extra
        if let token { headers[.authorization] = "Bearer \(token)" }
        if json != nil { headers[.contentType] = "application/json" }
        return try await executeRequest(
            uri: uri, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) })
    }

    /// Creates a lead as `token`'s admin and returns its JSON.
    func createLead(_ json: String = #"{"fullName":"Jonas Jonaitis","emails":["jonas@example.lt"]}"#, token: String)
        async throws -> [String: Any]
    {
        let response = try await send(.post, "/v1/leads", token: token, json: json)
        guard response.status == .created else {
            throw FixtureError("create failed: \(response.status) \(String(buffer: response.body))")
        }
        return try response.json()
    }

    /// Creates a manager with the given permissions and a token for it; returns (id, token).
    func createManager(token: String, permissions: [String] = []) async throws -> (id: String, token: String) {
        let permissionList = permissions.map { "\"\($0)\"" }.joined(separator: ",")
        let created = try await send(
            .post, "/v1/admins", token: token,
            json: #"{"name":"Max Manager","role":"manager","permissions":[\#(permissionList)]}"#)
        guard created.status == .created else { throw FixtureError("admin create: \(String(buffer: created.body))") }
        let id = try created.json()["id"] as! String
        let issued = try await send(.post, "/v1/admins/\(id)/tokens", token: token, json: #"{"label":"test"}"#)
        guard issued.status == .created else { throw FixtureError("token issue: \(String(buffer: issued.body))") }
        return (id, try issued.json()["token"] as! String)
    }
}

extension TestResponse {
    func json() throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any] else {
            throw FixtureError("not a JSON object: \(String(buffer: body))")
        }
        return object
    }

    func problemCode() throws -> String? { try json()["code"] as? String }

    func problemFields() throws -> [String] {
        ((try json()["errors"] as? [[String: Any]]) ?? []).compactMap { $0["field"] as? String }
    }

    var bodyText: String { String(buffer: body) }
}
