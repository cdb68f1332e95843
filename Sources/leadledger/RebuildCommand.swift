import ArgumentParser
import EventLog
import Foundation
import LeadLedgerCore

/// `leadledger rebuild`: builds a new generation of the projection store from position 0 beside the current one,
/// catches up to the head and makes it current. A running server keeps serving the old generation meanwhile,
/// then switches to the new one (it notices within a fraction of a second), applies what was committed since, and
/// removes the old one: no downtime. `--offline` requires that no server runs (and keeps one from starting).
struct RebuildCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rebuild",
        abstract: "Rebuild the projection store from position 0 beside the running server, then switch to it.")

    @OptionGroup var options: DataOptions

    @Flag(help: "Rebuild without a server: fail if one is running, and hold the log so that none starts meanwhile.")
    var offline = false

    @Option(help: "Seconds to wait for a running server to switch to the new generation.")
    var switchTimeout: Double = 60

    func validate() throws {
        guard switchTimeout.isFinite, (0.1...3_600).contains(switchTimeout) else {
            throw ValidationError("--switch-timeout must be 0.1…3600 seconds")
        }
    }

    func run() async throws {
        let configuration = options.configuration
        guard FileManager.default.fileExists(atPath: configuration.logDirectory) else {
            throw CLIError("no log at \(configuration.logDirectory) (use --data DIR)")
        }
        // Holding the log for writing tells whether a server runs (it holds it) and keeps one from starting.
        var held: EventLog?
        do {
            held = try EventLog(directory: configuration.logDirectory)
        } catch let error as EventLogError where error.code == .locked {
            if offline { throw CLIError("a server has the log open (\(configuration.dataDirectory)): stop it, or rebuild without --offline") }
        }
        defer { held?.close() }
        let log = try held ?? options.openLog()
        defer { if held == nil { log.close() } }

        let generations = configuration.projectionGenerations
        let previous = generations.current()
        let name = try generations.makeNext()
        let started = Date()
        let progress = ProgressReporter(label: "rebuild")
        let events: UInt64
        do {
            let store = try ProjectionDatabase(directory: generations.path(name))
            defer { store.close() }
            events = try store.catchUp(log: log, batchSize: 16_384) { progress.report(done: $0.position, total: $0.target) }
            progress.finish()
            let leads = try store.read { try $0.leadCount() }
            let seconds = Date().timeIntervalSince(started)
            print(
                String(
                    format: "rebuilt: %llu events, %d leads in %.2f s (%.0f events/s) into %@", events, leads, seconds,
                    seconds > 0 ? Double(events) / seconds : 0, generations.path(name)))
        } catch {
            try? FileManager.default.removeItem(atPath: generations.path(name))
            throw error
        }
        try generations.makeCurrent(name)
        guard held == nil, let previous else {
            generations.removeGenerations(olderThan: name)
            print("current: \(name)")
            return
        }
        // A server runs: it switches on its own and then removes the older generations.
        let deadline = Date(timeIntervalSinceNow: switchTimeout)
        while FileManager.default.fileExists(atPath: generations.path(previous)) && Date() < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        if FileManager.default.fileExists(atPath: generations.path(previous)) {
            throw CLIError("\(name) is current, but the running server has not switched to it within \(Int(switchTimeout)) s (see its log)")
        }
        print("current: \(name) (the running server switched to it)")
    }
}
