import ArgumentParser
import EventLog
import Foundation

/// `leadledger bench log`: event log throughput (appends, group commit, import, replay) and bytes per event.
struct BenchLog: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Benchmark the event log and print the figures as JSON."
    )

    @Option(help: "Events to import (batches of 1,000) and then replay.")
    var events: Int = 1_000_000

    @Option(help: "Directory for the benchmark logs (default: a temporary directory, removed afterwards).")
    var dir: String?

    @Option(help: "Duration of each timed append scenario, in seconds.")
    var seconds: Double = 3

    func validate() throws {
        guard events >= 1_000 else { throw ValidationError("--events must be at least 1000") }
        guard seconds > 0 else { throw ValidationError("--seconds must be positive") }
    }

    func run() async throws {
        let base = dir ?? FileManager.default.temporaryDirectory
            .appendingPathComponent("leadledger-bench-\(UUID().uuidString)").path
        // Each run gets its own subdirectory so an existing --dir is never appended to or deleted.
        let directory = base + "/bench-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: dir == nil ? base : directory) }
        let report = try await LogBenchmark.run(events: events, directory: directory, secondsPerScenario: seconds) {
            FileHandle.standardError.write(Data("bench: \($0)\n".utf8))
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        print(String(decoding: try encoder.encode(report), as: UTF8.self))
    }
}
