import Foundation
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The projection store under a real `leadledger serve`: killed with SIGKILL while clients append, and rebuilt by
/// `leadledger rebuild` while it serves. Every acknowledged create must be served after the restart or the switch,
/// and `verify` must find the store equal to a rebuild from the log.
@Suite("Projection store under a live server", .serialized)
struct ServerStoreTests {
    /// A running `leadledger serve` on a free loopback port.
    final class Server: @unchecked Sendable {
        let process = Process()
        let port: Int
        let base: String
        private(set) var output = ""

        init(data: String) throws {
            port = try Self.freePort()
            base = "http://127.0.0.1:\(port)"
            guard let binary = CLITests.binary else { throw CLITests.CLIError(message: "leadledger binary not found") }
            process.executableURL = binary
            process.arguments = ["serve", "--data", data, "--host", "127.0.0.1", "--port", "\(port)"]
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = FileHandle.nullDevice
            try process.run()
            let handle = pipe.fileHandleForReading
            // The token line comes first on a first start; read what is there while waiting for /healthz.
            let collected = Mutexed("")
            handle.readabilityHandler = { h in
                let data = h.availableData
                if !data.isEmpty { collected.update { $0 += String(decoding: data, as: UTF8.self) } }
            }
            for _ in 0..<300 {
                if (try? Self.request("GET", base + "/healthz", token: nil).status) == 200 { break }
                guard process.isRunning else { throw CLITests.CLIError(message: "serve exited") }
                Thread.sleep(forTimeInterval: 0.05)
            }
            Thread.sleep(forTimeInterval: 0.05)
            output = collected.value
        }

        var token: String? {
            output.split(separator: "\n").first { $0.hasPrefix("LEADLEDGER_ADMIN_TOKEN=") }
                .map { String($0.dropFirst("LEADLEDGER_ADMIN_TOKEN=".count)) }
        }

        func kill() {
            sendSignal(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }

        func stop() {
            process.terminate()
            process.waitUntilExit()
        }

        static func freePort() throws -> Int {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            defer { close(fd) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = 0
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Bool in
                    bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
                }
            }
            guard bound else { throw CLITests.CLIError(message: "no free port") }
            return Int(UInt16(bigEndian: address.sin_port))
        }

        /// One blocking HTTP request; the status and body.
        static func request(_ method: String, _ url: String, token: String?, body: String? = nil) throws -> (status: Int, body: String) {
            var request = URLRequest(url: URL(string: url)!, timeoutInterval: 10)
            request.httpMethod = method
            if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
            if let body {
                request.setValue("application/json", forHTTPHeaderField: "Content-Type")
                request.httpBody = Data(body.utf8)
            }
            let result = Mutexed<(Int, String)?>(nil)
            let done = DispatchSemaphore(value: 0)
            URLSession.shared.dataTask(with: request) { data, response, _ in
                result.update { $0 = ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data ?? Data(), as: UTF8.self)) }
                done.signal()
            }.resume()
            done.wait()
            guard let (status, text) = result.value, status != 0 else { throw CLITests.CLIError(message: "no answer from \(url)") }
            return (status, text)
        }
    }

    /// Clients creating leads on `threads` threads until `stop` is set; the ids the server acknowledged (201).
    final class Writers: @unchecked Sendable {
        private let acknowledged = Mutexed<[String]>([])
        private let stopping = Mutexed(false)
        private let group = DispatchGroup()

        init(base: String, token: String, threads: Int, prefix: String) {
            for thread in 0..<threads {
                group.enter()
                Thread.detachNewThread { [self] in
                    var n = 0
                    while !stopping.value {
                        n += 1
                        let body = "{\"fullName\":\"\(prefix) \(thread)-\(n)\",\"phones\":[\"+370 6\(String(format: "%07d", thread * 100_000 + n))\"]}"
                        if let answer = try? Server.request("POST", base + "/v1/leads", token: token, body: body), answer.status == 201,
                            let json = try? JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: Any],
                            let id = json["id"] as? String
                        {
                            acknowledged.update { $0.append(id) }
                        }
                    }
                    group.leave()
                }
            }
        }

        /// Stops the writers (in-flight requests end, answered or not) and returns the acknowledged ids.
        func finish() -> [String] {
            stopping.update { $0 = true }
            group.wait()
            return acknowledged.value
        }

        var count: Int { acknowledged.value.count }
    }

    static func total(_ server: Server, _ token: String) throws -> Int {
        let answer = try Server.request(
            "GET", server.base + "/v1/leads?limit=1&count=true&status=active,paused,converted,deleted", token: token)
        let json = try JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: Any]
        return json?["total"] as? Int ?? -1
    }

    @Test("SIGKILL while 8 clients append, three times: after each restart every acknowledged lead is served", .timeLimit(.minutes(5)))
    func killDuringAppends() throws {
        let data = CLITests.temporaryData()
        defer { try? FileManager.default.removeItem(atPath: data) }
        var server = try Server(data: data)
        let token = try #require(server.token)
        var acknowledged: [String] = []
        for round in 0..<3 {
            let writers = Writers(base: server.base, token: token, threads: 8, prefix: "Kill \(round)")
            while writers.count < 150 { Thread.sleep(forTimeInterval: 0.02) }
            server.kill()  // mid-flight: some requests are committed and unanswered, some not committed at all
            acknowledged += writers.finish()
            server = try Server(data: data)
            let served = try Self.total(server, token)
            #expect(served >= acknowledged.count, "round \(round)")
            for id in acknowledged.suffix(200) {
                #expect(try Server.request("GET", server.base + "/v1/leads/\(id)", token: token).status == 200, "\(id)")
            }
        }
        server.stop()
        let verify = try CLITests.run(["verify", "--data", data])
        #expect(verify.status == 0, "\(verify.stderr)")
        #expect(verify.stdout.contains("equals the projection store"))
    }

    @Test("rebuild beside a serving server: writes go on, the server switches, nothing is lost", .timeLimit(.minutes(5)))
    func rebuildWhileServing() throws {
        let data = CLITests.temporaryData()
        defer { try? FileManager.default.removeItem(atPath: data) }
        #expect(try CLITests.run(["generate", "--data", data, "--leads", "2000", "--seed", "5"]).status == 0)
        let token = try CLITests.run(["token", "create", "--data", data, "--label", "test"]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let server = try Server(data: data)
        defer { server.stop() }
        let before = try Self.total(server, token)
        #expect(before > 1_500)  // merged leads are not listed
        let writers = Writers(base: server.base, token: token, threads: 4, prefix: "Rebuild")
        let rebuilt = try CLITests.run(["rebuild", "--data", data])
        let during = writers.finish()
        #expect(rebuilt.status == 0, "\(rebuilt.stderr)")
        #expect(rebuilt.stdout.contains("the running server switched"))
        #expect(!during.isEmpty)
        #expect(FileManager.default.fileExists(atPath: data + "/projections/g2/data.mdb"))
        #expect(!FileManager.default.fileExists(atPath: data + "/projections/g1"))
        // Every write acknowledged before, during and after the switch is served by the new generation.
        #expect(try Self.total(server, token) == before + during.count)
        for id in during { #expect(try Server.request("GET", server.base + "/v1/leads/\(id)", token: token).status == 200) }
        let created = try Server.request("POST", server.base + "/v1/leads", token: token, body: "{\"fullName\":\"After Switch\"}")
        #expect(created.status == 201)
        #expect(try Self.total(server, token) == before + during.count + 1)
    }
}

/// A value behind a lock, for the test's threads.
final class Mutexed<Value>: @unchecked Sendable {
    private var stored: Value
    private let lock = NSLock()
    init(_ value: Value) { stored = value }
    var value: Value { lock.withLock { stored } }
    func update(_ body: (inout Value) -> Void) { lock.withLock { body(&stored) } }
}

/// `kill(2)` (the name is taken by `Server.kill` inside the class).
private func sendSignal(_ pid: Int32, _ signal: Int32) { _ = kill(pid, signal) }
