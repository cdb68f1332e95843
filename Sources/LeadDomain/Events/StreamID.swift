import Foundation

/// Names of the event streams the domain writes to.
///
/// Stream ids are `lead-<uuid>`, `customer-<uuid>`, `deal-<uuid>`, `settings`, `admin-<uuid>` and
/// `import-<uuid>`, with the UUID lowercased.
public enum StreamID {
    /// The single stream holding every settings event.
    public static let settings = "settings"

    /// `lead-<uuid>` for a lead.
    public static func lead(_ id: UUID) -> String { "lead-" + id.uuidString.lowercased() }

    /// `customer-<uuid>` for a customer.
    public static func customer(_ id: UUID) -> String { "customer-" + id.uuidString.lowercased() }

    /// `deal-<uuid>` for a deal.
    public static func deal(_ id: UUID) -> String { "deal-" + id.uuidString.lowercased() }

    /// `admin-<uuid>` for an admin.
    public static func admin(_ id: UUID) -> String { "admin-" + id.uuidString.lowercased() }

    /// `import-<uuid>` for an import of leads from a file.
    public static func importJob(_ id: UUID) -> String { "import-" + id.uuidString.lowercased() }

    /// `bulk-<uuid>` for a bulk operation over leads.
    public static func bulkOperation(_ id: UUID) -> String { "bulk-" + id.uuidString.lowercased() }

    /// `mailing-<uuid>` for a mailing (mass e-mail or SMS).
    public static func mailing(_ id: UUID) -> String { "mailing-" + id.uuidString.lowercased() }

    /// The aggregate a stream id names, or `nil` if the id is not one of the domain's.
    public static func parse(_ streamID: String) -> Aggregate? {
        if streamID == settings { return .settings }
        for (prefix, make) in [
            ("lead-", Aggregate.lead), ("customer-", Aggregate.customer), ("deal-", Aggregate.deal),
            ("admin-", Aggregate.admin), ("import-", Aggregate.importJob),
            ("bulk-", Aggregate.bulkOperation), ("mailing-", Aggregate.mailing),
        ] as [(String, (UUID) -> Aggregate)] where streamID.hasPrefix(prefix) {
            guard let id = UUID(uuidString: String(streamID.dropFirst(prefix.count))) else { return nil }
            return make(id)
        }
        return nil
    }

    /// An aggregate instance, identified by its stream.
    public enum Aggregate: Sendable, Hashable {
        case lead(UUID)
        case customer(UUID)
        case deal(UUID)
        case admin(UUID)
        case importJob(UUID)
        case bulkOperation(UUID)
        case mailing(UUID)
        case settings
    }
}
