import ArgumentParser
import EventLog
import Foundation
import LeadLedgerCore

/// `leadledger generate --leads N`: writes a realistic deterministic log.
struct GenerateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Append a realistic, deterministic log of N leads (decided by the domain, appended in big batches).")

    @OptionGroup var options: DataOptions

    @Option(help: "How many leads to generate.")
    var leads: Int

    @Option(help: "Random seed (the same seed and N give the same log).")
    var seed: UInt64 = 42

    @Option(help: "The share of leads that get a deal, 0…1 (1: as many deals as leads).")
    var dealRate: Double = 0.3

    func validate() throws {
        guard (1...20_000_000).contains(leads) else { throw ValidationError("--leads must be 1…20000000") }
        guard (0...1).contains(dealRate) else { throw ValidationError("--deal-rate must be 0…1") }
    }

    func run() async throws {
        let configuration = options.configuration
        try FileManager.default.createDirectory(atPath: configuration.logDirectory, withIntermediateDirectories: true)
        let log = try EventLog(directory: configuration.logDirectory)
        defer { log.close() }
        guard log.head == 0 else { throw CLIError("the log at \(configuration.logDirectory) is not empty (head \(log.head))") }
        let progress = ProgressReporter(label: "generate")
        let started = Date()
        let summary = try await LogGenerator(leads: leads, seed: seed, dealRate: dealRate).run(log: log) { done, _ in
            progress.report(done: UInt64(done), total: UInt64(leads))
        }
        progress.finish()
        let seconds = Date().timeIntervalSince(started)
        print(
            String(
                format: "generated: %d leads, %llu events in %.2f s (%.0f events/s), head %llu", summary.leads,
                summary.events, seconds, Double(summary.events) / max(seconds, 0.001), summary.head))
    }
}
