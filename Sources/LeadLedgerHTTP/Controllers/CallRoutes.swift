import Foundation
import Hummingbird
import LeadDomain
import LeadLedgerCore

/// `POST /v1/calls`: a PBX or phone app reports an incoming call. The number is read with the settings' phone
/// country (`PhoneDialingPlan`) and looked up among the live leads the caller reaches; the call is recorded on
/// the most recently updated one (`CallReceived`) and its card is the answer (200). When none has the number, a
/// lead is created for it (201, source `phone` while that source is active), linked to a customer with the
/// number when the caller reaches one, and the call is recorded on it. A number known only on leads out of a
/// manager's reach makes a new lead of theirs (the duplicates view then shows both), so no data leaks.
struct CallRoutes: APIRouteCollection {
    let commands: CommandResponder

    /// Where the card of a call-created lead is linked from.
    static let callSource = "phone"

    func register(on routes: APIRoutes) {
        let commands = commands
        let reads = commands.reads
        routes.post("/v1/calls") { request, context in
            let body = try await request.decode(as: CallRequest.self, context: context)
            let principal = try context.principalOrThrow()
            let number = PhoneNumber(typed: body.number)
            guard number.isValid else {
                throw APIError.invalid(
                    field: "number", code: "invalidPhone", message: "number must have 5–15 digits and only phone punctuation")
            }
            let settings = try reads.settings()
            let digits = settings.internationalDigits(number)
            let (leads, customers) = try reads.ledger.read { view in
                (try view.leads(withPhone: digits), try view.customers(withPhone: digits))
            }
            let takenBy = body.takenBy ?? principal.adminId
            let call = { (input: CommandResponder.Input) in
                LeadCommand.receiveCall(CallInput(callId: input.newId(), number: body.number, takenBy: takenBy))
            }
            if let lead = leads.first(where: principal.canReach) {
                return try await commands.lead(request, context, id: lead.id) { call($0) }
            }
            // Nobody the caller reaches has the number: a new lead, named after a customer with it if any.
            var customer: CustomerState?
            for candidate in customers where try commands.canReach(customer: candidate.id, principal) {
                customer = candidate
                break
            }
            // Only the last step carries the Idempotency-Key: a retry finds the lead by its number and records the
            // call once (its id, like the lead's, derives from the key).
            var (plain, _) = try commands.input(request, context)
            let id = plain.newId()
            plain.key = nil
            plain.fingerprint = nil
            let source = settings.isActiveSource(Self.callSource) ? Self.callSource : settings.defaultSource
            let input = LeadInput(
                fullName: customer?.fullName ?? "Call from \(number.typed)", phones: [number.typed], source: source,
                responsible: principal.seesOnlyOwnLeads ? principal.adminId : body.takenBy)
            _ = try await commands.execute(.lead(id, .create(leadId: id, input)), kind: "lead", plain, expectedVersion: nil)
            if let customer {
                _ = try await commands.execute(.lead(id, .linkCustomer(customer.id)), kind: "lead", plain, expectedVersion: nil)
            }
            return try await commands.lead(request, context, id: id, status: .created) { call($0) }
        }
    }
}

/// An incoming call: the caller's number as the phone system has it, and the admin who took it (default: the
/// caller of the API).
struct CallRequest: Decodable, Sendable {
    var number: String
    var takenBy: UUID?
}
