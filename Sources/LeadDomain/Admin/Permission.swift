/// A permission a manager can be granted (admins have them all).
public enum Permission: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// See every lead, not only those they are responsible for or watch.
    case leadsReadAll = "leads.read.all"
    case leadsDelete = "leads.delete"
    case leadsRestore = "leads.restore"
    case leadsMerge = "leads.merge"
    case settingsManage = "settings.manage"
    case adminsManage = "admins.manage"
    case reportsRead = "reports.read"
    /// Export leads, customers and deals to files (within their reach).
    case leadsExport = "leads.export"
    /// Send mass e-mail and SMS to leads (within their reach).
    case messagesSend = "messages.send"

    public static func < (lhs: Permission, rhs: Permission) -> Bool { lhs.rawValue < rhs.rawValue }
}
