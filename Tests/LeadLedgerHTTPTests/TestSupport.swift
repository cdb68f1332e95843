import Foundation
import Hummingbird
import HummingbirdTesting
import LeadDomain
import LeadLedgerCore
import LeadLedgerHTTP
import Logging
import Prometheus
import Synchronization

/// A real ``AccessTokenVerifier`` for tests: token hashes in a dictionary.
struct DictionaryTokenVerifier: AccessTokenVerifier {
    let principals: [String: Principal]

    func principal(forTokenHash tokenHash: String) async throws -> Principal? {
        principals[tokenHash]
    }
}

/// Route collections written inline in a test.
struct TestRoutes: APIRouteCollection {
    let body: @Sendable (APIRoutes) -> Void

    init(_ body: @escaping @Sendable (APIRoutes) -> Void) {
        self.body = body
    }

    func register(on routes: APIRoutes) {
        body(routes)
    }
}

/// Keeps every log record, for assertions on the request log.
final class LogCapture: Sendable {
    struct Record: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: [String: String]
    }

    let records = Mutex<[Record]>([])

    func append(_ record: Record) { records.withLock { $0.append(record) } }
    var all: [Record] { records.withLock { $0 } }

    func logger() -> Logger {
        Logger(label: "test") { _ in CapturingHandler(capture: self) }
    }

    struct CapturingHandler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .info

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { $1 }
            capture.append(
                .init(level: event.level, message: "\(event.message)", metadata: merged.mapValues { "\($0)" }))
        }
    }
}

/// Tokens and principals shared by the tests.
enum Fixtures {
    static let adminToken = APITokenHash.generate()
    static let managerToken = APITokenHash.generate()
    static let admin = principal(
        id: "6F1C0000-0000-4000-8000-000000000001", name: "Ada Admin", role: .admin, permissions: [])
    static let manager = principal(
        id: "6F1C0000-0000-4000-8000-000000000002", name: "Max Manager", role: .manager, permissions: [.reportsRead])
    static let verifier = DictionaryTokenVerifier(principals: [
        APITokenHash.sha256Hex(adminToken): admin,
        APITokenHash.sha256Hex(managerToken): manager,
    ])

    static func principal(id: String, name: String, role: AdminRole, permissions: [Permission]) -> Principal {
        let adminId = UUID(uuidString: id)!
        let created = AdminCreated(
            adminId: adminId, name: name, role: role, permissions: permissions, at: Timestamp(microseconds: 0), by: adminId)
        return Principal(admin: AdminState(created: created), tokenId: UUID())
    }

    static func bearer(_ token: String) -> HTTPFields {
        [.authorization: "Bearer \(token)"]
    }
}

/// An application on port 0 with its own metrics registry and a quiet (or capturing) logger.
func makeTestApplication(
    maxBodySize: Int = HTTPServerConfiguration.defaultMaxBodySize,
    eventLoops: Int = HTTPServerConfiguration.defaultEventLoops,
    registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
    logger: Logger? = nil,
    routeTable: RouteTable = RouteTable(),
    // Before the other closures, so a trailing closure is the routes.
    routes: @escaping @Sendable (APIRoutes) -> Void = { _ in },
    health: @escaping @Sendable () async -> HealthReport = { HealthReport() },
    onShutdown: (@Sendable () async -> Void)? = nil
) -> some ApplicationProtocol {
    var quiet = Logger(label: "test")
    quiet.logLevel = .critical
    return buildApplication(
        configuration: HTTPServerConfiguration(
            host: "127.0.0.1", port: 0, maxBodySize: maxBodySize, eventLoops: eventLoops),
        verifier: Fixtures.verifier,
        metrics: registry,
        logger: logger ?? quiet,
        routeTable: routeTable,
        health: health,
        routes: [TestRoutes(routes)],
        onShutdown: onShutdown
    )
}

extension TestResponse {
    var text: String { String(buffer: body) }

    func problem() throws -> ProblemDetails {
        try JSONDecoder().decode(ProblemDetails.self, from: Data(body.readableBytesView))
    }

    // Plain functions: `#expect(try a()?.b == c)` does not expand.
    func firstErrorField() throws -> String? { try problem().errors.first?.field }
    func firstErrorCode() throws -> String? { try problem().errors.first?.code }
}

extension ByteBuffer {
    init(json: String) { self.init(string: json) }
}
