import Foundation

/// Everything known about one lead: the fold of its stream `lead-<id>`.
///
/// Built by `LeadState.evolve(_:_:)` from the lead's events; `decide` reads it. Lists keep the order
/// things happened in, so the value (and its snapshot) is the same on every replay.
public struct LeadState: Sendable, Hashable, Codable, Identifiable {
    public var id: UUID
    public var fullName: String
    public var company: String?
    public var phones: [PhoneNumber]
    /// E-mail addresses as typed (trimmed); match with `EmailAddress.normalize`.
    public var emails: [String]
    public var address: Address?
    /// Source key.
    public var source: String
    /// The pipeline step the lead is on (its progress).
    public var step: String
    public var responsible: UUID?
    public var priority: LeadPriority
    public var competitor: String?
    /// Competitor assessment, a value of `SettingsState.assessmentScale`.
    public var assessment: String?
    /// Tag names as first added; compare with `TagName.key`.
    public var tags: [String]
    public var customFields: [String: CustomFieldValue]
    public var comment: String?
    public var watchers: [UUID]
    /// Notes, oldest first; each carries its step.
    public var notes: [Note]
    /// Actions, oldest first; each carries its step.
    public var actions: [LeadAction]
    public var tasks: [LeadTask]
    /// The latest `CountLimits.callsKept` incoming calls, oldest first (the history keeps every one).
    public var calls: [LeadCall] = []
    /// The latest `CountLimits.emailsKept` e-mails intake recorded, oldest first.
    public var receivedEmails: [LeadEmail] = []
    /// Paused until this time (the lead counts as paused while `now < pausedUntil`).
    public var pausedUntil: Timestamp?
    /// The customer the lead is linked to (by linking or by conversion).
    public var linkedCustomer: UUID?
    public var converted: Bool
    /// Set when the lead was merged into another: it is hidden, its history kept.
    public var mergedInto: UUID?
    /// Leads merged into this one.
    public var mergedFrom: [UUID]
    /// Soft-deleted: hidden and refusing every command but restore.
    public var deleted: Bool
    /// The deals deleted with the lead (restored with it when asked); empty when not deleted.
    public var deletedWithDeals: [UUID] = []
    public var createdBy: UUID
    public var createdAt: Timestamp
    public var updatedBy: UUID
    public var updatedAt: Timestamp
    /// The stream version: the number of events folded in.
    public var version: UInt64

    /// The state right after a `LeadCreated`.
    public init(created e: LeadCreated) {
        id = e.leadId
        fullName = e.fullName
        company = e.company
        phones = e.phones
        emails = e.emails
        address = e.address
        source = e.source
        step = e.step
        responsible = e.responsible
        priority = e.priority
        competitor = e.competitor
        assessment = e.assessment
        tags = e.tags
        customFields = e.customFields
        comment = e.comment
        watchers = []
        notes = []
        actions = []
        tasks = []
        pausedUntil = nil
        linkedCustomer = nil
        converted = false
        mergedInto = nil
        mergedFrom = []
        deleted = false
        createdBy = e.by
        createdAt = e.at
        updatedBy = e.by
        updatedAt = e.at
        version = 1
    }

    /// Whether the lead is paused at `now`.
    public func isPaused(at now: Timestamp) -> Bool { pausedUntil.map { now < $0 } ?? false }

    /// Whether `admin` is responsible for the lead or watches it: the reach of a manager without the
    /// "all leads" permission, the one definition every route, view, report and list filter uses.
    public func isOwnedOrWatched(by admin: UUID) -> Bool { responsible == admin || watchers.contains(admin) }

    /// Whether the lead has this tag (case-folded comparison).
    public func hasTag(_ tag: String) -> Bool { tags.contains { TagName.key($0) == TagName.key(tag) } }

    /// Notes recorded on a step.
    public func notes(onStep step: String) -> [Note] { notes.filter { $0.step == step } }

    /// Actions recorded on a step.
    public func actions(onStep step: String) -> [LeadAction] { actions.filter { $0.step == step } }
}
