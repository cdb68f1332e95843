import Foundation

/// A text-only entry on a lead, recorded on the step the lead was on (or the step given).
public struct Note: Sendable, Hashable, Codable, Identifiable {
    public var id: UUID
    public var step: String
    public var text: String
    /// How `text` is to be rendered.
    public var format: NoteFormat
    public var createdBy: UUID
    public var createdAt: Timestamp

    public init(
        id: UUID, step: String, text: String, format: NoteFormat = .plain, createdBy: UUID, createdAt: Timestamp
    ) {
        self.id = id
        self.step = step
        self.text = text
        self.format = format
        self.createdBy = createdBy
        self.createdAt = createdAt
    }
}

/// How a note's text is rendered (added in `NoteAdded` v2; v1 notes are `plain`).
public enum NoteFormat: String, Sendable, Hashable, Codable, CaseIterable {
    case plain
    case markdown
}
