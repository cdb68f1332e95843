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
    /// `amount` in units of 10^-4 and `weighted` in units of 10^-6, for converting into a reporting currency.
    public var units: UInt128
    public var weightedUnits: UInt128
}

/// Won and lost deals closed in a period: per outcome and currency, and per manager.
public struct DealOutcomeReport: Sendable, Hashable {
    public struct Key: Sendable, Hashable {
        public var outcome: String
        public var currency: String
        public var responsible: UUID
    }

    public struct Row: Sendable, Hashable {
        public var outcome: DealStageKind
        public var currency: String
        /// Set in the per-manager rows.
        public var responsible: UUID?
        public var count: Int
        public var amount: String
        /// `amount` in units of 10^-4.
        public var units: UInt128
    }

    public var period: ReportPeriod
    /// By outcome (won first) and currency.
    public var rows: [Row]
    /// By manager (id order), outcome and currency.
    public var byManager: [Row]

    init(period: ReportPeriod, totals: [Key: DealTotals]) {
        self.period = period
        func row(_ outcome: String, _ currency: String, _ responsible: UUID?, _ t: DealTotals) -> Row {
            Row(
                outcome: DealStageKind(rawValue: outcome) ?? .won, currency: currency, responsible: responsible,
                count: Int(t.count), amount: DealAmount.text(t.units, scale: 4), units: t.units)
        }
        var summed: [String: [String: DealTotals]] = [:]
        for (key, t) in totals { summed[key.outcome, default: [:]][key.currency, default: DealTotals()].add(t, sign: 1) }
        rows = ["won", "lost"].flatMap { outcome in
            (summed[outcome] ?? [:]).sorted { $0.key < $1.key }.map { row(outcome, $0.key, nil, $0.value) }
        }
        let order = ["won": 0, "lost": 1]
        byManager = totals.sorted { a, b in
            if a.key.responsible != b.key.responsible { return LeadKey(a.key.responsible) < LeadKey(b.key.responsible) }
            if a.key.outcome != b.key.outcome { return order[a.key.outcome, default: 2] < order[b.key.outcome, default: 2] }
            return a.key.currency < b.key.currency
        }.map { row($0.key.outcome, $0.key.currency, $0.key.responsible, $0.value) }
    }
}

/// Converts report sums into the settings' reporting currency, only at the rates the settings give: an amount in
/// a currency without a rate is not converted (and is named in `missing`), never estimated.
public struct ReportingCurrency: Sendable {
    public let currency: String
    /// Rate units (10^-4 of the reporting currency per unit) by currency; the reporting currency's own is 1.
    private let rates: [String: UInt128]

    /// Nil when the settings name no reporting currency.
    public init?(_ settings: SettingsState) {
        guard let currency = settings.reportingCurrency else { return nil }
        self.currency = currency
        var rates = [currency: UInt128(10_000)]
        for rate in settings.currencyRates { rates[rate.currency] = DealAmount.units(rate.rate) }
        self.rates = rates
    }

    /// `units` of 10^-`scale` in `from`, as a canonical decimal in the reporting currency (exact: scale + 4
    /// fraction digits at most); nil without a rate.
    public func convert(_ units: UInt128, scale: Int, from: String) -> String? {
        guard let rate = rates[from] else { return nil }
        return DealAmount.text(units * rate, scale: scale + 4)
    }

    /// The sum of `parts` converted, and the currencies that had no rate (sorted). The sum is nil when one is
    /// missing: a total of only some currencies would read as the whole.
    public func total(_ parts: [(units: UInt128, currency: String)], scale: Int) -> (total: String?, missing: [String]) {
        var sum: UInt128 = 0
        var missing = Set<String>()
        for part in parts {
            if let rate = rates[part.currency] { sum += part.units * rate } else { missing.insert(part.currency) }
        }
        return (missing.isEmpty ? DealAmount.text(sum, scale: scale + 4) : nil, missing.sorted())
    }
}
