import ArgumentParser

@main
struct LeadLedgerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "leadledger",
        abstract: "LeadLedger: an event-sourced CRM backend.",
        subcommands: [ServeCommand.self]
    )
}
