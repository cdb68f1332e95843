import Foundation
import Testing

/// End-to-end tests of the `leadledger` binary built next to the test bundle.
@Suite("leadledger CLI", .serialized)
struct CLITests {
    struct CLIError: Error { var message: String }

    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The directory holding the built products (`.build/<triple>/<config>/`), found from the test bundle or
    /// the test runner's path.
    static let binary: URL? = {
        var candidates: [URL] = [Bundle.main.bundleURL, URL(fileURLWithPath: CommandLine.arguments[0])]
        candidates += Bundle.allBundles.map(\.bundleURL)
        for start in candidates {
            var directory = start.hasDirectoryPath ? start : start.deletingLastPathComponent()
            for _ in 0..<4 {
                let candidate = directory.appendingPathComponent("leadledger")
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue,
                    FileManager.default.isExecutableFile(atPath: candidate.path)
                {
                    return candidate
                }
                directory = directory.deletingLastPathComponent()
            }
        }
        return nil
    }()

    static func run(_ arguments: [String]) throws -> Output {
        let process = Process()
        guard let binary = Self.binary else { throw CLIError(message: "leadledger binary not found next to the tests") }
        process.executableURL = binary
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(
            status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self))
    }

    static func temporaryData() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("leadledger-cli-\(UUID().uuidString)").path
    }

    @Test("generate, rebuild, stats, snapshot, history, replay and verify on a small log")
    func endToEnd() throws {
        let data = Self.temporaryData()
        defer { try? FileManager.default.removeItem(atPath: data) }

        let generated = try Self.run(["generate", "--data", data, "--leads", "300", "--seed", "7"])
        #expect(generated.status == 0, "\(generated.stderr)")
        #expect(generated.stdout.contains("generated: 300 leads"))

        let rebuilt = try Self.run(["rebuild", "--data", data])
        #expect(rebuilt.status == 0, "\(rebuilt.stderr)")
        #expect(rebuilt.stdout.contains("300 leads"))
        #expect(rebuilt.stdout.contains("current: g1"))
        // A second rebuild writes the next generation beside the first, makes it current and (no server runs)
        // removes the first.
        let again = try Self.run(["rebuild", "--data", data, "--offline"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("current: g2"))
        #expect(!FileManager.default.fileExists(atPath: data + "/projections/g1"))
        #expect(FileManager.default.fileExists(atPath: data + "/projections/g2/data.mdb"))

        let stats = try Self.run(["stats", "--data", data, "--json"])
        #expect(stats.status == 0, "\(stats.stderr)")
        let statsJSON = try #require(
            try JSONSerialization.jsonObject(with: Data(stats.stdout.utf8)) as? [String: Any])
        #expect(statsJSON["leads"] as? Int == 300)
        let head = try #require(statsJSON["head"] as? Int)

        let snapshot = try Self.run(["snapshot", "--data", data])
        #expect(snapshot.status == 0, "\(snapshot.stderr)")
        #expect(snapshot.stdout.contains("position: \(head)"))

        // The first lead of the first batch: read it from the event feed order through `replay --json`.
        let replayAll = try Self.run(["replay", "--data", data, "--until", "\(head)", "--json"])
        #expect(replayAll.status == 0, "\(replayAll.stderr)")
        let projections = try #require(
            try JSONSerialization.jsonObject(with: Data(replayAll.stdout.utf8)) as? [String: Any])
        let directory = try #require(projections["directory"] as? [String: Any])
        let leads = try #require(directory["leads"] as? [[String: Any]])
        #expect(leads.count == 300)
        let leadId = try #require(leads.first?["id"] as? String)

        let history = try Self.run(["history", leadId, "--data", data, "--json"])
        #expect(history.status == 0, "\(history.stderr)")
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [[String: Any]])
        #expect(entries.first?["type"] as? String == "LeadCreated")
        let table = try Self.run(["history", leadId, "--data", data])
        #expect(table.stdout.hasPrefix("POSITION"))
        let early = try Self.run(["history", leadId, "--data", data, "--as-of", "1"])
        #expect(early.status != 0)  // the lead did not exist at position 1

        let replayEarly = try Self.run(["replay", "--data", data, "--until", "2024-01-01"])
        #expect(replayEarly.status == 0, "\(replayEarly.stderr)")
        #expect(replayEarly.stdout.contains("leads by state:"))
        #expect(replayEarly.stdout.contains("kanban:"))
        let replayHalf = try Self.run(["replay", "--data", data, "--until", "\(head / 2)"])
        #expect(replayHalf.stdout.contains("position \(head / 2)"))

        let verify = try Self.run(["verify", "--data", data])
        #expect(verify.status == 0, "\(verify.stderr)")
        #expect(verify.stdout.contains("verify: OK"))
    }

    /// SHA-256 of `text` in lowercase hex, by coreutils' `sha256sum` (the tests do not link the project's code).
    static func sha256Hex(_ text: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sha256sum"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data(text.utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(String(decoding: data, as: UTF8.self).prefix(64))
    }

    /// `admins.activeTokens` (token hash → admin id, lowercased) of the projections at the log's head.
    static func activeTokens(_ data: String) throws -> [String: String] {
        let replay = try Self.run(["replay", "--data", data, "--until", "999999999", "--json"])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(replay.stdout.utf8)) as? [String: Any])
        let admins = try #require(json["admins"] as? [String: Any])
        let tokens = try #require(admins["activeTokens"] as? [String: String])
        return tokens.mapValues { $0.lowercased() }
    }

    @Test("token create issues a working token to the first admin or to the one named, and refuses unknown ones")
    func tokenCreate() throws {
        let data = Self.temporaryData()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let generated = try Self.run(["generate", "--data", data, "--leads", "40", "--seed", "3"])
        #expect(generated.status == 0, "\(generated.stderr)")
        let before = try Self.activeTokens(data)

        let created = try Self.run(["token", "create", "--data", data, "--label", "ops"])
        #expect(created.status == 0, "\(created.stderr)")
        let token = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(token.hasPrefix("llt_") && token.count > 40)
        let after = try Self.activeTokens(data)
        let owner = try #require(after[try Self.sha256Hex(token)], "the printed token's hash is not active")
        #expect(after.count == before.count + 1)

        // A named admin (another one than the default) gets the next token.
        let replay = try Self.run(["replay", "--data", data, "--until", "999999999", "--json"])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(replay.stdout.utf8)) as? [String: Any])
        let admins = try #require((json["admins"] as? [String: Any])?["admins"] as? [[String: Any]])
        let other = try #require(admins.compactMap { ($0["id"] as? String)?.lowercased() }.first { $0 != owner })
        let named = try Self.run(["token", "create", "--data", data, "--admin", other])
        #expect(named.status == 0, "\(named.stderr)")
        let namedToken = named.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try Self.activeTokens(data)[try Self.sha256Hex(namedToken)] == other)

        let unknown = try Self.run(["token", "create", "--data", data, "--admin", UUID().uuidString])
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("no enabled admin"))
        let malformed = try Self.run(["token", "create", "--data", data, "--admin", "boss"])
        #expect(malformed.status != 0)
        #expect(malformed.stderr.contains("--admin must be a UUID"))
        #expect(try Self.activeTokens(data).count == before.count + 2)  // refusals appended nothing
    }

    @Test("import reads a CSV into leads and prints the report; the same key imports once; bad rows and options are named")
    func importFile() throws {
        let data = Self.temporaryData()
        defer { try? FileManager.default.removeItem(atPath: data) }
        #expect(try Self.run(["generate", "--data", data, "--leads", "5", "--seed", "9"]).status == 0)
        let csv = data + "-leads.csv"
        defer { try? FileManager.default.removeItem(atPath: csv) }
        try Data("name;email;phone\nAna Import;ana@import.example;+370 612 00001\nBad;not-an-email;\nBo Import;bo@import.example;\n".utf8)
            .write(to: URL(fileURLWithPath: csv))
        func report(_ output: Output) throws -> [String: Any] {
            try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any], "\(output.stderr)")
        }
        let dry = try Self.run(["import", csv, "--data", data, "--dry-run"])
        #expect(dry.status == 0, "\(dry.stderr)")
        let dryReport = try report(dry)
        #expect(dryReport["dryRun"] as? Bool == true && dryReport["created"] as? Int == 2 && dryReport["failed"] as? Int == 1)
        let first = try Self.run(["import", csv, "--data", data, "--idempotency-key", "batch-1"])
        #expect(first.status == 0, "\(first.stderr)")
        let done = try report(first)
        #expect(done["state"] as? String == "completed" && done["created"] as? Int == 2 && done["failed"] as? Int == 1)
        #expect((done["errors"] as? [[String: Any]])?.first?["column"] as? String == "email")
        let head = try Self.run(["stats", "--data", data]).stdout
        let again = try Self.run(["import", csv, "--data", data, "--idempotency-key", "batch-1"])
        #expect(try report(again)["id"] as? String == done["id"] as? String)
        #expect(try Self.run(["stats", "--data", data]).stdout == head)
        let replay = try Self.run(["replay", "--data", data, "--until", "999999999", "--json"])
        #expect(replay.stdout.contains("Ana Import") && replay.stdout.contains("Bo Import"))

        let badMode = try Self.run(["import", csv, "--data", data, "--mode", "sideways"])
        #expect(badMode.status != 0 && badMode.stderr.contains("--mode"))
        let noKey = try Self.run(["import", csv, "--data", data, "--mode", "update"])
        #expect(noKey.status != 0 && noKey.stderr.contains("key"))
        let missing = try Self.run(["import", data + "-nothing.csv", "--data", data])
        #expect(missing.status != 0)
        #expect(try Self.run(["stats", "--data", data]).stdout == head)
    }

    @Test("bad arguments and missing data fail with a message on stderr")
    func errors() throws {
        let data = Self.temporaryData()
        let missing = try Self.run(["rebuild", "--data", data])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("no log at"))
        let badTime = try Self.run(["replay", "--data", data, "--until", "yesterday"])
        #expect(badTime.status != 0)
        #expect(badTime.stderr.contains("--until"))
        let badId = try Self.run(["history", "not-a-uuid", "--data", data])
        #expect(badId.status != 0)
        #expect(badId.stderr.contains("UUID"))
        for timeout in ["0", "nan", "99999"] {
            let badTimeout = try Self.run(["rebuild", "--data", data, "--switch-timeout", timeout])
            #expect(badTimeout.status != 0)
            #expect(badTimeout.stderr.contains("--switch-timeout"))
        }
        let badLeads = try Self.run(["generate", "--data", data, "--leads", "0"])
        #expect(badLeads.status != 0)
        for loops in ["0", "257"] {
            let badLoops = try Self.run(["serve", "--data", data, "--port", "0", "--event-loops", loops])
            #expect(badLoops.status != 0)
            #expect(badLoops.stderr.contains("--event-loops"))
        }
    }

    @Test("verify fails naming the database when the projection store disagrees with the log")
    func verifyDetectsForeignStore() throws {
        let data = Self.temporaryData()
        defer { try? FileManager.default.removeItem(atPath: data) }
        #expect(try Self.run(["generate", "--data", data, "--leads", "50"]).status == 0)
        #expect(try Self.run(["stats", "--data", data]).status == 0)  // builds the store
        #expect(try Self.run(["verify", "--data", data]).status == 0)
        // Another log's store, swapped in under the same generation.
        let other = Self.temporaryData()
        defer { try? FileManager.default.removeItem(atPath: other) }
        #expect(try Self.run(["generate", "--data", other, "--leads", "50", "--seed", "99"]).status == 0)
        #expect(try Self.run(["stats", "--data", other]).status == 0)
        for file in ["data.mdb", "lock.mdb"] { try? FileManager.default.removeItem(atPath: data + "/projections/g1/" + file) }
        try FileManager.default.copyItem(atPath: other + "/projections/g1/data.mdb", toPath: data + "/projections/g1/data.mdb")
        let verify = try Self.run(["verify", "--data", data])
        #expect(verify.status != 0)
        #expect(verify.stderr.contains("differs from a rebuild"))
    }
}
