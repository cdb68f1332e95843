import ArgumentParser

/// The `leadledger` CLI. Subcommands live one per file; add new ones to `subcommands`.
@main
struct LeadLedgerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "leadledger",
        abstract: "LeadLedger: an event-sourced CRM backend for leads.",
        subcommands: [
            ServeCommand.self, TokenCommand.self, RebuildCommand.self, HistoryCommand.self, ReplayCommand.self, VerifyCommand.self, SnapshotCommand.self,
            StatsCommand.self, GenerateCommand.self, ImportCommand.self, MailIntakeCommand.self, Bench.self,
        ]
    )
}

/// `leadledger bench …`: benchmarks that print JSON figures.
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run benchmarks and print their figures as JSON.",
        subcommands: [BenchLog.self, BenchProjections.self]
    )
}
