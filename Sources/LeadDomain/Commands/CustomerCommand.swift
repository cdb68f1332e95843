import Foundation

/// Commands on customers: registering one directly (conversion registers through `LeadDecider`) and updating.
public enum CustomerCommand: Sendable, Hashable {
    case register(
        customerId: UUID, fullName: String, company: String?, phones: [String], emails: [String], address: Address?)
    /// `nil` leaves a field as it is; an empty string, list or address clears it (the full name cannot be cleared).
    case update(fullName: String?, company: String?, phones: [String]?, emails: [String]?, address: Address?)
}
