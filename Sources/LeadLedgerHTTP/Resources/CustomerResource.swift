import Foundation
import LeadDomain

/// The JSON form of a customer (`GET /v1/customers/{id}`, the directory, and every customer command's answer).
struct CustomerResource: Encodable, Sendable {
    var id: String
    var kind: String
    var fullName: String
    var company: String?
    var companyId: String?
    /// As typed.
    var phones: [String]
    var emails: [String]
    var address: Address?
    var fromLeadId: String?
    var deleted: Bool
    var createdBy: String
    var createdAt: String
    var updatedBy: String
    var updatedAt: String
    var version: UInt64

    init(_ c: CustomerState) {
        id = c.id.lowercased
        kind = c.kind.rawValue
        fullName = c.fullName
        company = c.company
        companyId = c.companyId?.lowercased
        phones = c.phones.map(\.typed)
        emails = c.emails
        address = c.address
        fromLeadId = c.fromLeadId?.lowercased
        deleted = c.deleted
        createdBy = c.createdBy.lowercased
        createdAt = ISOTime.string(c.createdAt)
        updatedBy = c.updatedBy.lowercased
        updatedAt = ISOTime.string(c.updatedAt)
        version = c.version
    }
}

struct CreateCustomerRequest: Decodable, Sendable {
    var kind: CustomerKind?
    var fullName: String
    var company: String?
    var companyId: UUID?
    var phones: [String]?
    var emails: [String]?
    var address: Address?
}

/// Absent members stay; an empty string, list or `null` address clears (the full name cannot be cleared).
struct CustomerPatchRequest: Decodable, Sendable {
    var fullName: String?
    var company: String?
    var phones: [String]?
    var emails: [String]?
    var address: Address??

    enum CodingKeys: String, CodingKey { case fullName, company, phones, emails, address }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        fullName = try c.decodeIfPresent(String.self, forKey: .fullName)
        company = try c.decodeIfPresent(String.self, forKey: .company)
        phones = try c.decodeIfPresent([String].self, forKey: .phones)
        emails = try c.decodeIfPresent([String].self, forKey: .emails)
        address = try c.decodeExplicit(Address.self, forKey: .address)
    }
}

/// `companyId: null` takes a person out of their company; the key itself is required.
struct CustomerCompanyRequest: Decodable, Sendable {
    var companyId: UUID?

    private enum CodingKeys: String, CodingKey { case companyId }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        companyId = try container.decodeRequiredNullable(UUID.self, forKey: .companyId, nullMeans: "none")
    }
}

struct EmailCheckRequest: Decodable, Sendable {
    var leadIds: [UUID]
}

struct EmailCheckResource: Encodable, Sendable {
    struct Match: Encodable, Sendable {
        var leadId: String
        var customerIds: [String]
    }

    var items: [Match]
}
