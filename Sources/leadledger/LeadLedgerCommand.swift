import ArgumentParser

@main
struct LeadLedgerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "leadledger",
        abstract: "LeadLedger: an event-sourced CRM backend — operator tools.",
        subcommands: [
            RebuildCommand.self, HistoryCommand.self, ReplayCommand.self, VerifyCommand.self, SnapshotCommand.self,
            StatsCommand.self, GenerateCommand.self,
        ]
    )
}
