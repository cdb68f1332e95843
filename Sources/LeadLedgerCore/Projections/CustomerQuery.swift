import Foundation
import LeadDomain

/// Where a customer list page ended: the last row's folded name and id.
public struct CustomerCursor: Sendable, Hashable, Codable {
    public var nameKey: String
    public var id: UUID

    public init(nameKey: String, id: UUID) {
        self.nameKey = nameKey
        self.id = id
    }
}

/// A customer directory request: by folded name then id; every given filter must hold.
public struct CustomerQuery: Sendable, Hashable {
    public static let maxLimit = 200
    /// How many customers one search token collects from the index before it is tested on each customer instead.
    public static let maxCollected = 50_000
    /// How many customers a page's walk of the name order passes before it ends early with a cursor (a search
    /// token too broad to collect, a kind filter).
    public static let maxScanned = 20_000

    /// Search words: name, company and e-mail words by prefix, phones by digits (as lead search folds them).
    public var q: String?
    public var kind: CustomerKind?
    /// Persons of this company customer.
    public var company: UUID?
    /// Deleted customers instead of the others.
    public var deleted: Bool
    public var after: CustomerCursor?
    public var limit: Int
    /// A manager who may not read all leads: only customers linked to the leads they reach, or registered by them.
    public var visibleTo: UUID?

    public init(
        q: String? = nil, kind: CustomerKind? = nil, company: UUID? = nil, deleted: Bool = false,
        after: CustomerCursor? = nil, limit: Int = 50, visibleTo: UUID? = nil
    ) {
        self.q = q
        self.kind = kind
        self.company = company
        self.deleted = deleted
        self.after = after
        self.limit = limit
        self.visibleTo = visibleTo
    }
}

public struct CustomerPage: Sendable, Hashable {
    public var items: [CustomerState]
    public var next: CustomerCursor?
}

/// One lead of an e-mail check and the customers sharing one of its e-mails.
public struct EmailCheckMatch: Sendable, Hashable {
    public var leadId: UUID
    /// Customers (not deleted, within reach) with an e-mail equal to one of the lead's, by id.
    public var customers: [UUID]
}
