/// The most items each list a command carries may hold: the one place every count check reads.
///
/// Checked before any item is looked at, so an oversized list costs one comparison, never a walk (a lead
/// with 50,000 tags once stalled the server). `tools/openapi/generate.py` reads these numbers from this file
/// for the OpenAPI document's `maxItems`, so the document cannot state others.
public enum CountLimits {
    /// Tags a lead carries (in a create, and in all after a tag command).
    public static let tags = 100
    /// Phone numbers and e-mail addresses of a lead or a customer.
    public static let phones = 20
    public static let emails = 20
    /// Watchers of one lead.
    public static let watchers = 100
    /// Tasks of one lead or deal (a merge may bring a lead past it; adding then waits until some are deleted).
    public static let tasks = 1_000
    /// Incoming calls a lead's state keeps (its card lists them; older ones stay in its history).
    public static let callsKept = 200
    /// Incoming e-mails a lead's state keeps, and attachment names one of them lists.
    public static let emailsKept = 100
    /// Characters of a sent message kept in its action's text on the lead.
    public static let sentMessageText = 500
    public static let emailAttachments = 50
    /// Source leads of one merge.
    public static let mergeSources = 20
    /// Custom field values set by one command.
    public static let customFields = 100
    /// Options of a list custom field, values of the assessment scale, steps of a reorder, fields of a
    /// required-fields or copy command, permissions of an admin.
    public static let settingsList = 200
}
