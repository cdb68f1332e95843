import Foundation
import LeadDomain

// Request bodies of the lead commands. Field names are the JSON names the domain's field errors use, so a 422
// names the field as the client sent it.

struct CreateLeadRequest: Decodable, Sendable {
    var fullName: String
    var company: String?
    var phones: [String]?
    var emails: [String]?
    var address: Address?
    var source: String?
    var step: String?
    var priority: LeadPriority?
    var responsible: UUID?
    var competitor: String?
    var assessment: String?
    var tags: [String]?
    var customFields: [String: CustomFieldValue]?
    var comment: String?

    var input: LeadInput {
        LeadInput(
            fullName: fullName, company: company, phones: phones ?? [], emails: emails ?? [], address: address,
            source: source, step: step, priority: priority, responsible: responsible, competitor: competitor,
            assessment: assessment, tags: tags ?? [], customFields: customFields ?? [:], comment: comment)
    }
}

struct MarkStepRequest: Decodable, Sendable {
    var step: String
}

struct AddNoteRequest: Decodable, Sendable {
    var text: String
    /// The lead's current step when absent.
    var step: String?
    var format: NoteFormat?
}

struct LogActionRequest: Decodable, Sendable {
    var text: String
    var actionType: String
    var admin: UUID?
    /// ISO-8601 date-time.
    var plannedAt: String?
    var step: String?
}

struct AddTaskRequest: Decodable, Sendable {
    var taskType: String
    var description: String
    var responsible: UUID?
    /// ISO-8601 date-time.
    var due: String?
}

extension KeyedDecodingContainer {
    /// A member that must be present but may be `null` (so a typo does not clear a field): absent is a
    /// `keyNotFound` naming it, with `meaning` saying what `null` does.
    func decodeRequiredNullable<T: Decodable>(_: T.Type, forKey key: Key, nullMeans meaning: String) throws -> T? {
        guard contains(key) else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "\(key.stringValue) is required (null for \(meaning))"))
        }
        return try decodeIfPresent(T.self, forKey: key)
    }

    /// A patch member: `nil` when the key is absent, `.some(nil)` when it is `null` (clear the field).
    func decodeExplicit<T: Decodable>(_: T.Type, forKey key: Key) throws -> T?? {
        guard contains(key) else { return nil }
        return .some(try decodeNil(forKey: key) ? nil : try decode(T.self, forKey: key))
    }
}

/// An edit of a task: absent members stay, `due: null` removes the due date.
struct TaskPatchRequest: Decodable, Sendable {
    var taskType: String?
    var description: String?
    var due: String??

    enum CodingKeys: String, CodingKey { case taskType, description, due }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        taskType = try c.decodeIfPresent(String.self, forKey: .taskType)
        description = try c.decodeIfPresent(String.self, forKey: .description)
        due = try c.decodeExplicit(String.self, forKey: .due)
    }
}

struct AssignRequest: Decodable, Sendable {
    /// `null` makes nobody responsible; the key itself is required, so a typo does not unassign.
    var responsible: UUID?

    private enum CodingKeys: String, CodingKey { case responsible }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        responsible = try container.decodeRequiredNullable(UUID.self, forKey: .responsible, nullMeans: "nobody")
    }
}

struct PauseRequest: Decodable, Sendable {
    /// ISO-8601 date-time in the future.
    var until: String
}

struct MergeRequest: Decodable, Sendable {
    var sourceIds: [UUID]
}

struct CopyFromRequest: Decodable, Sendable {
    var sourceId: UUID
    var fields: [LeadField]
}

struct LinkCustomerRequest: Decodable, Sendable {
    var customerId: UUID
}
