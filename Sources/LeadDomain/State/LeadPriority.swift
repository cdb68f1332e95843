/// How urgent a lead is; `normal` unless set.
public enum LeadPriority: String, Sendable, Hashable, Codable, CaseIterable {
    case low
    case normal
    case high
    case urgent
}
