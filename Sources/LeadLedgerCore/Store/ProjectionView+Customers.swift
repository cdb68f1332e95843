import EventLog
import Foundation
import LeadDomain

extension ProjectionView {
    /// One page of the customer directory. Without a search or a company, a walk of the name order from the
    /// cursor; otherwise the matching set (search tokens, the company's members, the customers in reach) is
    /// collected, sorted and cut at the cursor.
    public func customers(_ query: CustomerQuery) throws -> CustomerPage {
        let limit = Swift.min(Swift.max(query.limit, 1), CustomerQuery.maxLimit)
        var candidates: Set<UUID>?
        func narrow(_ ids: Set<UUID>) { candidates = candidates.map { $0.intersection(ids) } ?? ids }
        // Tokens matching too many customers to collect are tested on each customer instead.
        var tests: [LeadSearch.QueryToken] = []
        if let q = query.q {
            for token in LeadSearch.queryTokens(q) {
                if let ids = try customerMatches(token) { narrow(ids) } else { tests.append(token) }
            }
        }
        if let company = query.company { narrow(Set(try members(StoreSchema.setPrefix(.companyMember, company)))) }
        if let viewer = query.visibleTo { narrow(try customersInReach(of: viewer)) }
        func accepts(_ customer: CustomerState) -> Bool {
            guard customer.deleted == query.deleted, query.kind.map({ $0 == customer.kind }) ?? true else { return false }
            return tests.isEmpty || Self.customer(customer, matchesAll: tests)
        }
        func key(_ customer: CustomerState) -> CustomerCursor {
            CustomerCursor(nameKey: SearchText.fold(customer.fullName), id: customer.id)
        }
        func before(_ a: CustomerCursor, _ b: CustomerCursor) -> Bool {
            a.nameKey != b.nameKey ? a.nameKey < b.nameKey : LeadKey(a.id) < LeadKey(b.id)
        }
        var rows: [CustomerState] = []
        var more = false
        if let candidates {
            var found = try candidates.compactMap { try customer($0) }.filter(accepts)
            if let after = query.after { found = found.filter { before(after, key($0)) } }
            found.sort { before(key($0), key($1)) }
            rows = Array(found.prefix(limit))
            more = found.count > limit
        } else {
            let prefix = StoreKey((query.deleted ? StoreSchema.OrderTag.deletedCustomers : .customers).rawValue)
            var bound: StoreKey?
            if let after = query.after {
                var k = prefix
                k.string(after.nameKey)
                k.uuid(after.id)
                bound = k
            }
            // A walk passes at most `CustomerQuery.maxScanned` customers; stopping there, it answers a cursor.
            var scanned = 0
            var last: CustomerCursor?
            try walk(dbs.order, prefix: prefix, after: bound, descending: false) { entry in
                guard let customer = try customer(StoreKeyReader(entry).trailingUUID()) else { return true }
                if rows.count == limit || scanned == CustomerQuery.maxScanned {
                    more = true
                    return false
                }
                scanned += 1
                last = key(customer)
                if accepts(customer) { rows.append(customer) }
                return true
            }
            if more, rows.count < limit { return CustomerPage(items: rows, next: last) }
        }
        return CustomerPage(items: rows, next: more ? rows.last.map(key) : nil)
    }

    /// Customers (not deleted) matching one search token as lead search matches leads: words by prefix; a
    /// phone token by digits prefix and (4 digits or more) suffix. Nil past `CustomerQuery.maxCollected`.
    private func customerMatches(_ token: LeadSearch.QueryToken) throws -> Set<UUID>? {
        var found = Set<UUID>()
        func collect(_ prefix: StoreKey) throws -> Bool {
            try forEachMember(prefix) { found.insert($0); return found.count <= CustomerQuery.maxCollected }
            return found.count <= CustomerQuery.maxCollected
        }
        switch token {
        case .text(let prefix): try forEachKey(.customerToken, withPrefix: prefix, collect)
        case .phone(let digits):
            try forEachKey(.customerPhone, withPrefix: digits, collect)
            try forEachKey(.customerToken, withPrefix: digits, collect)
            if digits.count >= 4 { try forEachKey(.customerPhoneReversed, withPrefix: LeadSearch.reversedDigits(digits), collect) }
        }
        return found.count <= CustomerQuery.maxCollected ? found : nil
    }

    /// Whether a customer's own tokens match every query token (`LeadSearch.matches`, the test of the index).
    static func customer(_ customer: CustomerState, matchesAll tokens: [LeadSearch.QueryToken]) -> Bool {
        var text = ""
        LeadSearch.forEachTextToken(nameKey: SearchText.fold(customer.fullName), company: customer.company, emails: customer.emails) {
            if !text.isEmpty { text.append("\n") }
            text.append($0)
        }
        var phones = customer.phones.lazy.map(\.digits).filter { !$0.isEmpty }.joined(separator: "\n")
        return text.withUTF8 { t in
            phones.withUTF8 { p in
                tokens.allSatisfy { LeadSearch.matches($0, textTokens: UnsafeRawBufferPointer(t), phoneDigits: UnsafeRawBufferPointer(p)) }
            }
        }
    }

    /// The customers a manager reaches: those linked to a lead they reach (responsible or watcher), and those
    /// they registered.
    public func customersInReach(of admin: UUID) throws -> Set<UUID> {
        var ids = Set(try members(StoreSchema.setPrefix(.customerCreator, admin)))
        for prefix in [StoreSchema.setPrefix(.responsible, admin), StoreSchema.setPrefix(.watcher, admin)] {
            try forEachMember(prefix) { leadId in
                if let customer = try record(leadId)?.state.linkedCustomer { ids.insert(customer) }
                return true
            }
        }
        return ids
    }

    /// Whether a manager reaches a customer (see `customersInReach`), without listing them all.
    public func reaches(customer: CustomerState, admin: UUID) throws -> Bool {
        if customer.createdBy == admin { return true }
        var linked = false
        try forEachMember(StoreSchema.setPrefix(.customer, customer.id)) { leadId in
            if let lead = try record(leadId)?.state, lead.isOwnedOrWatched(by: admin) { linked = true }
            return !linked
        }
        return linked
    }

    /// For each lead (not deleted or merged, within reach), the customers sharing one of its e-mails: the
    /// ABillS check of selected leads against the customer directory. Leads not found or out of reach are left
    /// out of the answer.
    public func emailCheck(leads ids: [UUID], visibleTo: UUID?) throws -> [EmailCheckMatch] {
        let reachable = try visibleTo.map { try customersInReach(of: $0) }
        var result: [EmailCheckMatch] = []
        for id in ids {
            guard let lead = try record(id)?.state, lead.isLive, visibleTo.map(lead.isOwnedOrWatched) ?? true else { continue }
            var customers = Set<UUID>()
            for email in Set(lead.emails.map(EmailAddress.normalize)) {
                customers.formUnion(try members(StoreSchema.setPrefix(.customerEmail, email)))
            }
            if let reachable { customers.formIntersection(reachable) }
            result.append(EmailCheckMatch(leadId: id, customers: customers.sorted { LeadKey($0) < LeadKey($1) }))
        }
        return result
    }
}
