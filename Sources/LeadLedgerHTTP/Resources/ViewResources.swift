import Foundation
import LeadDomain
import LeadLedgerCore

struct KanbanResource: Encodable, Sendable {
    struct Column: Encodable, Sendable {
        var step: String
        var name: String
        var colour: String
        var count: Int
        var items: [LeadSummaryResource]
        var nextCursor: String?

        enum CodingKeys: String, CodingKey { case step, name, colour, count, items, nextCursor }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(step, forKey: .step)
            try container.encode(name, forKey: .name)
            try container.encode(colour, forKey: .colour)
            try container.encode(count, forKey: .count)
            try container.encode(items, forKey: .items)
            try container.encode(nextCursor, forKey: .nextCursor)
        }
    }

    var columns: [Column]
}

struct AgendaItemResource: Encodable, Sendable {
    var leadId: String
    var leadName: String
    var actionId: String
    var text: String
    var actionType: String?
    var plannedAt: String?
    var overdue: Bool

    init(_ item: AgendaItem) {
        leadId = item.leadId.lowercased
        leadName = item.leadName
        actionId = item.action.id.lowercased
        text = item.action.text
        actionType = item.action.actionType
        plannedAt = ISOTime.string(item.action.plannedAt)
        overdue = item.overdue
    }
}

struct TodayActionsResource: Encodable, Sendable {
    var today: [AgendaItemResource]
    var overdue: [AgendaItemResource]
    var tasksToday: [TaskItemResource]
    var tasksOverdue: [TaskItemResource]

    init(_ actions: TodayActions) {
        today = actions.today.map(AgendaItemResource.init)
        overdue = actions.overdue.map(AgendaItemResource.init)
        tasksToday = actions.tasksToday.map(TaskItemResource.init)
        tasksOverdue = actions.tasksOverdue.map(TaskItemResource.init)
    }
}

/// A task in a list across leads and deals: the task as a lead or deal shows it, what it is on (`on`: its
/// lead, or its deal and the deal's lead), and whether it is overdue.
struct TaskItemResource: Encodable, Sendable {
    var on: String
    var leadId: String?
    var leadName: String?
    var dealId: String?
    var dealName: String?
    var task: LeadResource.TaskResource
    var overdue: Bool

    init(_ item: TaskItem) {
        on = item.subject.kind.name
        leadId = item.leadId?.lowercased
        leadName = item.leadName
        dealId = item.dealId?.lowercased
        dealName = item.dealName
        task = LeadResource.TaskResource(item.task)
        overdue = item.overdue
    }
}

struct DuplicateGroupResource: Encodable, Sendable {
    var kind: String
    var value: String
    var leadIds: [String]
}

struct PeriodResource: Encodable, Sendable {
    var from: String?
    var to: String?

    init(_ period: ReportPeriod) {
        from = ISOTime.string(period.from)
        to = ISOTime.string(period.to)
    }
}

struct FunnelResource: Encodable, Sendable {
    var period: PeriodResource
    var created: Int
    var converted: Int
    var steps: [FunnelStep]
}

struct ManagerRowResource: Encodable, Sendable {
    var admin: String
    var name: String?
    var responsible: Int
    var created: Int
    var converted: Int
    var actionsCompleted: Int
    /// Median time from creation to conversion, in seconds.
    var medianSecondsToConvert: Double?
}

struct StepTimeResource: Encodable, Sendable {
    var step: String
    var name: String
    var count: Int
    /// Seconds.
    var meanSeconds: Double?
    var medianSeconds: Double?
}

struct PausedReportResource: Encodable, Sendable {
    struct Row: Encodable, Sendable {
        var leadId: String
        var fullName: String
        var until: String
    }

    var count: Int
    var leads: [Row]
}

/// A report's rows: `{items: […]}` so every report is an object.
struct ReportRows<Row: Encodable & Sendable>: Encodable, Sendable {
    var items: [Row]
}

/// The deal funnel (`GET /v1/reports/deals`): rows per stage and currency; with a reporting currency in
/// settings, each row's sums converted and the report's totals (absent when a currency has no rate).
struct DealFunnelResource: Encodable, Sendable {
    struct Row: Encodable, Sendable {
        var responsible: String?
        var stage: String
        var name: String
        var kind: String
        var currency: String
        var count: Int
        var amount: String
        var weighted: String
        var convertedAmount: String?
        var convertedWeighted: String?
    }

    var items: [Row]
    var reportingCurrency: String?
    var convertedAmount: String?
    var convertedWeighted: String?
    var missingRates: [String]?

    init(_ rows: [(responsible: UUID?, row: DealStageReportRow)], settings: SettingsState) {
        let reporting = ReportingCurrency(settings)
        items = rows.map { r, row in
            Row(
                responsible: r?.lowercased, stage: row.stage, name: row.name, kind: row.kind.rawValue, currency: row.currency,
                count: row.count, amount: row.amount, weighted: row.weighted,
                convertedAmount: reporting?.convert(row.units, scale: 4, from: row.currency),
                convertedWeighted: reporting?.convert(row.weightedUnits, scale: 6, from: row.currency))
        }
        reportingCurrency = reporting?.currency
        if let reporting {
            let amount = reporting.total(rows.map { ($0.row.units, $0.row.currency) }, scale: 4)
            convertedAmount = amount.total
            convertedWeighted = reporting.total(rows.map { ($0.row.weightedUnits, $0.row.currency) }, scale: 6).total
            missingRates = amount.missing
        }
    }
}

/// Won and lost deals closed in a period (`GET /v1/reports/deal-outcomes`).
struct DealOutcomeResource: Encodable, Sendable {
    struct Row: Encodable, Sendable {
        var responsible: String?
        var outcome: String
        var currency: String
        var count: Int
        var amount: String
        var convertedAmount: String?
    }

    struct Converted: Encodable, Sendable {
        var outcome: String
        var amount: String?
    }

    var period: PeriodResource
    var items: [Row]
    var byManager: [Row]
    var reportingCurrency: String?
    /// Per outcome, the converted sum (null when a currency has no rate).
    var converted: [Converted]?
    var missingRates: [String]?

    init(_ report: DealOutcomeReport, settings: SettingsState) {
        let reporting = ReportingCurrency(settings)
        func row(_ r: DealOutcomeReport.Row) -> Row {
            Row(
                responsible: r.responsible?.lowercased, outcome: r.outcome.rawValue, currency: r.currency, count: r.count,
                amount: r.amount, convertedAmount: reporting?.convert(r.units, scale: 4, from: r.currency))
        }
        period = PeriodResource(report.period)
        items = report.rows.map(row)
        byManager = report.byManager.map(row)
        reportingCurrency = reporting?.currency
        if let reporting {
            converted = ["won", "lost"].map { outcome in
                let rows = report.rows.filter { $0.outcome.rawValue == outcome }
                return Converted(outcome: outcome, amount: reporting.total(rows.map { ($0.units, $0.currency) }, scale: 4).total)
            }
            missingRates = reporting.total(report.rows.map { ($0.units, $0.currency) }, scale: 4).missing
        }
    }
}
