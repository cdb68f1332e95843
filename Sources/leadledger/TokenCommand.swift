import ArgumentParser
import Foundation
import LeadDomain
import LeadLedgerCore

/// `leadledger token create`: issues an access token for an admin of an existing data directory and prints it
/// (the plaintext is shown only here; the log keeps its SHA-256). Run it while no server uses the directory,
/// e.g. after `leadledger generate`, whose admins have no tokens.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Issue access tokens offline.",
        subcommands: [Create.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Issue a token for an admin and print it (stop the server on this data directory first)."
        )

        @OptionGroup var data: DataOptions

        @Option(help: "The admin's id (default: the first enabled admin with the role admin).")
        var admin: String?

        @Option(help: "A label for the token.")
        var label = "cli"

        func validate() throws {
            if let admin, UUID(uuidString: admin) == nil { throw ValidationError("--admin must be a UUID.") }
        }

        func run() async throws {
            guard FileManager.default.fileExists(atPath: data.configuration.logDirectory) else {
                throw CLIError("no log at \(data.configuration.logDirectory) (use --data DIR)")
            }
            do {
                let issued = try await Ledger.issueToken(
                    data.configuration, admin: admin.flatMap(UUID.init(uuidString:)), label: label)
                print(issued.token)
            } catch let error as LedgerError where error.code == .invalidArgument {
                throw CLIError("\(error.message) (see --admin)")
            }
        }
    }
}
