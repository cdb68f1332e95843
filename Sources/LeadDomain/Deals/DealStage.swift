import Foundation

/// Whether deals on a stage are still open, or were won or lost there.
public enum DealStageKind: String, Sendable, Hashable, Codable, CaseIterable {
    case open
    case won
    case lost
}

/// A deal stage of the settings: deals move through the open ones and end on a won or a lost one.
public struct DealStage: Sendable, Hashable, Codable, Identifiable {
    public var key: String
    public var name: String
    /// Chance of winning (0–100) of a deal on this stage that has no probability of its own.
    public var probability: Int64
    public var kind: DealStageKind
    public var retired: Bool

    public var id: String { key }

    public init(key: String, name: String, probability: Int64, kind: DealStageKind, retired: Bool = false) {
        self.key = key
        self.name = name
        self.probability = probability
        self.kind = kind
        self.retired = retired
    }
}
