import Foundation
import LeadDomain

/// The JSON form of a lead (`GET /v1/leads/{id}` and every lead command's answer).
struct LeadResource: Encodable, Sendable {
    struct NoteResource: Encodable, Sendable {
        var id: String
        var step: String
        var text: String
        var format: String
        var createdBy: String
        var createdAt: String
    }

    struct ActionResource: Encodable, Sendable {
        var id: String
        var step: String
        var text: String
        var actionType: String?
        var admin: String?
        var plannedAt: String?
        var pinned: Bool
        var completed: Bool
        var createdBy: String
        var createdAt: String
    }

    struct CallResource: Encodable, Sendable {
        var id: String
        var number: String
        var digits: String
        var takenBy: String?
        var at: String

        init(_ call: LeadCall) {
            id = call.id.lowercased
            number = call.number
            digits = call.digits
            takenBy = call.takenBy.lowercased
            at = ISOTime.string(call.at)
        }
    }

    struct EmailResource: Encodable, Sendable {
        var id: String
        var mailbox: String
        var messageId: String
        var from: String
        var subject: String
        var sentAt: String?
        var at: String

        init(_ email: LeadEmail) {
            id = email.id.lowercased
            mailbox = email.mailbox
            messageId = email.messageId
            from = email.from
            subject = email.subject
            sentAt = ISOTime.string(email.sentAt)
            at = ISOTime.string(email.at)
        }
    }

    struct TaskResource: Encodable, Sendable {
        var id: String
        var taskType: String
        var description: String
        var responsible: String?
        var due: String?
        var closed: Bool
        var createdBy: String
        var createdAt: String

        init(_ task: LeadTask) {
            id = task.id.lowercased
            taskType = task.taskType
            description = task.description
            responsible = task.responsible.lowercased
            due = ISOTime.string(task.due)
            closed = task.closed
            createdBy = task.createdBy.lowercased
            createdAt = ISOTime.string(task.createdAt)
        }
    }

    var id: String
    var fullName: String
    var company: String?
    /// As typed.
    var phones: [String]
    var emails: [String]
    var address: Address?
    var source: String
    var step: String
    var responsible: String?
    var priority: String
    var competitor: String?
    var assessment: String?
    var tags: [String]
    var customFields: [String: CustomFieldValue]
    var comment: String?
    var watchers: [String]
    var notes: [NoteResource]
    var actions: [ActionResource]
    var tasks: [TaskResource]
    var calls: [CallResource]
    /// E-mails intake recorded on the lead (`emails` are its addresses).
    var receivedEmails: [EmailResource]
    var pausedUntil: String?
    var paused: Bool
    var linkedCustomer: String?
    var converted: Bool
    var mergedInto: String?
    var mergedFrom: [String]
    var deleted: Bool
    var createdBy: String
    var createdAt: String
    var updatedBy: String
    var updatedAt: String
    /// The stream version (also the `ETag`, `"v<version>"`).
    var version: UInt64

    init(_ lead: LeadState, now: Timestamp) {
        id = lead.id.lowercased
        fullName = lead.fullName
        company = lead.company
        phones = lead.phones.map(\.typed)
        emails = lead.emails
        address = lead.address
        source = lead.source
        step = lead.step
        responsible = lead.responsible.lowercased
        priority = lead.priority.rawValue
        competitor = lead.competitor
        assessment = lead.assessment
        tags = lead.tags
        customFields = lead.customFields
        comment = lead.comment
        watchers = lead.watchers.lowercased
        notes = lead.notes.map {
            NoteResource(
                id: $0.id.lowercased, step: $0.step, text: $0.text, format: $0.format.rawValue, createdBy: $0.createdBy.lowercased,
                createdAt: ISOTime.string($0.createdAt))
        }
        actions = lead.actions.map {
            ActionResource(
                id: $0.id.lowercased, step: $0.step, text: $0.text, actionType: $0.actionType, admin: $0.admin.lowercased,
                plannedAt: ISOTime.string($0.plannedAt), pinned: $0.pinned, completed: $0.completed,
                createdBy: $0.createdBy.lowercased, createdAt: ISOTime.string($0.createdAt))
        }
        tasks = lead.tasks.map(TaskResource.init)
        calls = lead.calls.map(CallResource.init)
        receivedEmails = lead.receivedEmails.map(EmailResource.init)
        pausedUntil = ISOTime.string(lead.pausedUntil)
        paused = lead.isPaused(at: now)
        linkedCustomer = lead.linkedCustomer.lowercased
        converted = lead.converted
        mergedInto = lead.mergedInto.lowercased
        mergedFrom = lead.mergedFrom.lowercased
        deleted = lead.deleted
        createdBy = lead.createdBy.lowercased
        createdAt = ISOTime.string(lead.createdAt)
        updatedBy = lead.updatedBy.lowercased
        updatedAt = ISOTime.string(lead.updatedAt)
        version = lead.version
    }
}
