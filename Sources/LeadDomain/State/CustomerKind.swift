/// What a customer is: a person (who may belong to a company customer) or a company.
public enum CustomerKind: String, Sendable, Hashable, Codable, CaseIterable {
    case person
    case company
}
