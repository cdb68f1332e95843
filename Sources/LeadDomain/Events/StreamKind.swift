/// The kinds of streams: one per lead, per customer, per deal, per admin, per import, per bulk operation, per mailing, and the single settings stream.
public enum StreamKind: String, Sendable, Hashable, Codable, CaseIterable {
    case lead
    case customer
    case deal
    case settings
    case admin
    case `import`
    case bulk
    case mailing
}
