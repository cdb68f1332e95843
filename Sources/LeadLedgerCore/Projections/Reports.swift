import Foundation
import LeadDomain

/// A time span for reports over lead creation time, in whole UTC days: a lead counts when the UTC day it was
/// created on is in `[day of from, day of to)` (`to` rounded up to the next day start). Nil ends are open.
public struct ReportPeriod: Sendable, Hashable, Codable {
    public var from: Timestamp?
    public var to: Timestamp?

    public init(from: Timestamp? = nil, to: Timestamp? = nil) {
        self.from = from
        self.to = to
    }

    public static let allTime = ReportPeriod()

    func contains(day: Int64) -> Bool {
        if let from, day < ReportDays.day(of: from.rawValue) { return false }
        if let to, day >= ReportDays.day(of: to.rawValue + ReportDays.length - 1) { return false }
        return true
    }
}

public struct FunnelStep: Sendable, Hashable, Codable {
    public var step: String
    public var name: String
    /// Live leads (created in the period) that were created on or ever marked on this step.
    public var reached: Int
    /// `reached / reached of the previous step` (nil for the first step or when the previous reached none).
    public var conversionFromPrevious: Double?
}

public struct FunnelReport: Sendable, Hashable, Codable {
    public var period: ReportPeriod
    /// Live leads created in the period.
    public var created: Int
    /// Of those, converted.
    public var converted: Int
    /// Active steps in pipeline order.
    public var steps: [FunnelStep]
}

public struct ManagerReportRow: Sendable, Hashable, Codable {
    public var admin: UUID
    public var name: String?
    /// Live leads the admin is responsible for now.
    public var responsible: Int
    /// Live leads the admin created (in the period).
    public var created: Int
    /// Live converted leads the admin is responsible for.
    public var converted: Int
    /// Actions the admin marked completed (every completion ever, deleted leads included).
    public var actionsCompleted: Int
    /// Lower median of `convertedAt - createdAt` over `converted`, in µs.
    public var medianTimeToConvert: Int64?
}

public struct SourceReportRow: Sendable, Hashable, Codable {
    public var source: String
    public var name: String
    public var count: Int
    public var converted: Int
    /// `converted / count` (0 when count is 0).
    public var conversionRate: Double
}

public struct StepTimeRow: Sendable, Hashable, Codable {
    public var step: String
    public var name: String
    /// Completed stays: a stay on a step ends at the next step change (the current stay is not counted).
    public var count: Int
    /// In µs.
    public var mean: Int64?
    /// Lower median, in µs.
    public var median: Int64?
}

public struct PausedLeadRow: Sendable, Hashable, Codable {
    public var leadId: UUID
    public var fullName: String
    public var until: Timestamp
}

public struct PausedReport: Sendable, Hashable, Codable {
    public var count: Int
    /// Soonest to resume first, at most the limit asked for.
    public var leads: [PausedLeadRow]
}

public struct CompetitorReportRow: Sendable, Hashable, Codable {
    public var competitor: String
    public var total: Int
    /// Count per assessment value (`""`: not assessed), sorted by value.
    public var assessments: [AssessmentCount]
}

public struct AssessmentCount: Sendable, Hashable, Codable {
    public var assessment: String
    public var count: Int
}

/// Report days: reports count leads by the UTC day they were created on.
enum ReportDays {
    static let length: Int64 = 86_400_000_000
    /// Days per span of the span counters (`StoreSchema.CountTag.createdInSpan`…).
    static let span: Int64 = 32

    /// The span of a day (floor division: day −1 is in span −1).
    static func span(of day: Int64) -> Int64 { day >= 0 ? day / span : (day - span + 1) / span }

    /// The UTC day (days since 1970-01-01) of a time in µs.
    static func day(of micros: Int64) -> Int64 {
        micros >= 0 ? micros / length : (micros - length + 1) / length
    }
}

/// Deals that are not deleted on one stage in one currency (amounts are never converted between currencies).
public struct DealStageReportRow: Sendable, Hashable, Codable {
    public var stage: String
    public var name: String
    public var kind: DealStageKind
    public var currency: String
    public var count: Int
    /// The budgets' sum (a canonical decimal).
    public var amount: String
    /// Σ budget × probability / 100 (a decimal of up to 6 fraction digits): won deals count whole, lost ones 0.
    public var weighted: String
}
