import Foundation
import LeadDomain

/// One cell of an exported row. Text is written as text in every format; numbers and flags become numeric and
/// boolean cells in .xlsx (and their plain spelling in CSV).
public enum ExportCell: Sendable, Hashable {
    case text(String)
    case number(String)
    case flag(Bool)
    case empty
}

/// What can be exported: leads (any `GET /v1/leads` filter), customers and deals.
public enum ExportTable: String, Sendable, CaseIterable, Codable {
    case leads, customers, deals
}

/// A column of an export: its header and how a record fills it. Column names are the import's field names
/// (`fullName`, `phones`, `address.city`, `customFields.<key>` …), so an exported file imports back with the
/// suggested mapping; several values (phones, e-mails, tags) are joined with ", " as the import splits them.
public struct ExportColumn<Record>: Sendable {
    public let name: String
    let cell: @Sendable (Record) -> ExportCell

    init(_ name: String, _ cell: @escaping @Sendable (Record) -> ExportCell) {
        self.name = name
        self.cell = cell
    }

    public func value(of record: Record) -> ExportCell { cell(record) }
}

/// The most columns one export may name (there are fewer than 40 fixed ones, plus the custom fields).
public let maxExportColumns = 200

/// The columns of each table and the choice of a subset by name.
public enum ExportColumns {
    public static func leads(settings: SettingsState) -> [ExportColumn<LeadState>] {
        var columns: [ExportColumn<LeadState>] = [
            .init("id") { .text($0.id.uuidString.lowercased()) },
            .init("fullName") { .text($0.fullName) },
            .init("company") { text($0.company) },
            .init("phones") { joined($0.phones.map(\.typed)) },
            .init("emails") { joined($0.emails) },
            .init("source") { .text($0.source) },
            .init("step") { .text($0.step) },
            .init("responsible") { id($0.responsible) },
            .init("priority") { .text($0.priority.rawValue) },
            .init("competitor") { text($0.competitor) },
            .init("assessment") { text($0.assessment) },
            .init("tags") { joined($0.tags) },
            .init("comment") { text($0.comment) },
        ]
        columns += addressColumns { (lead: LeadState) in lead.address }
        columns += [
            .init("watchers") { joined($0.watchers.map { $0.uuidString.lowercased() }) },
            .init("linkedCustomer") { id($0.linkedCustomer) },
            .init("converted") { .flag($0.converted) },
            .init("deleted") { .flag($0.deleted) },
            .init("pausedUntil") { time($0.pausedUntil) },
            .init("openTasks") { .number(String($0.tasks.filter { !$0.closed }.count)) },
            .init("createdBy") { .text($0.createdBy.uuidString.lowercased()) },
            .init("createdAt") { .text($0.createdAt.iso8601) },
            .init("updatedBy") { .text($0.updatedBy.uuidString.lowercased()) },
            .init("updatedAt") { .text($0.updatedAt.iso8601) },
            .init("version") { .number(String($0.version)) },
        ]
        for field in settings.customFields where !field.retired {
            let key = field.key
            columns.append(.init("customFields." + key) { lead in lead.customFields[key].map(cell) ?? .empty })
        }
        return columns
    }

    public static func customers() -> [ExportColumn<CustomerState>] {
        var columns: [ExportColumn<CustomerState>] = [
            .init("id") { .text($0.id.uuidString.lowercased()) },
            .init("kind") { .text($0.kind.rawValue) },
            .init("fullName") { .text($0.fullName) },
            .init("company") { text($0.company) },
            .init("companyId") { id($0.companyId) },
            .init("phones") { joined($0.phones.map(\.typed)) },
            .init("emails") { joined($0.emails) },
        ]
        columns += addressColumns { (customer: CustomerState) in customer.address }
        columns += [
            .init("fromLead") { id($0.fromLeadId) },
            .init("deleted") { .flag($0.deleted) },
            .init("createdBy") { .text($0.createdBy.uuidString.lowercased()) },
            .init("createdAt") { .text($0.createdAt.iso8601) },
            .init("updatedAt") { .text($0.updatedAt.iso8601) },
            .init("version") { .number(String($0.version)) },
        ]
        return columns
    }

    public static func deals() -> [ExportColumn<DealState>] {
        [
            .init("id") { .text($0.id.uuidString.lowercased()) },
            .init("name") { .text($0.name) },
            .init("amount") { .number($0.amount) },
            .init("currency") { .text($0.currency) },
            .init("stage") { .text($0.stage) },
            .init("outcome") { .text($0.outcome.rawValue) },
            .init("probability") { $0.probability.map { .number(String($0)) } ?? .empty },
            .init("expectedCloseAt") { time($0.expectedCloseAt) },
            .init("responsible") { .text($0.responsible.uuidString.lowercased()) },
            .init("lead") { id($0.leadId) },
            .init("customer") { id($0.customerId) },
            .init("lostReason") { text($0.lostReason) },
            .init("closedAt") { time($0.closedAt) },
            .init("deleted") { .flag($0.deleted) },
            .init("openTasks") { .number(String($0.tasks.filter { !$0.closed }.count)) },
            .init("createdBy") { .text($0.createdBy.uuidString.lowercased()) },
            .init("createdAt") { .text($0.createdAt.iso8601) },
            .init("updatedAt") { .text($0.updatedAt.iso8601) },
            .init("version") { .number(String($0.version)) },
        ]
    }

    /// The named columns of `all`, in the order named; nil or empty names: every column. Throws for an unknown
    /// or repeated name, or too many names.
    public static func choose<Record>(_ names: [String]?, from all: [ExportColumn<Record>]) throws(ExportError)
        -> [ExportColumn<Record>]
    {
        guard let names, !names.isEmpty else { return all }
        guard names.count <= maxExportColumns else {
            throw ExportError(field: "columns", code: "tooManyValues", message: "At most \(maxExportColumns) columns.")
        }
        var seen = Set<String>()
        var chosen: [ExportColumn<Record>] = []
        for name in names {
            guard seen.insert(name).inserted else {
                throw ExportError(field: "columns", code: "duplicateColumn", message: "The column \(name) is named twice.")
            }
            guard let column = all.first(where: { $0.name == name }) else {
                let known = all.map(\.name).joined(separator: ", ")
                throw ExportError(field: "columns", code: "unknownColumn", message: "No column \(name); the columns are: \(known).")
            }
            chosen.append(column)
        }
        return chosen
    }

    private static func addressColumns<Record>(_ address: @escaping @Sendable (Record) -> Address?) -> [ExportColumn<Record>] {
        [
            .init("address.country") { text(address($0)?.country) },
            .init("address.city") { text(address($0)?.city) },
            .init("address.street") { text(address($0)?.street) },
            .init("address.building") { text(address($0)?.building) },
            .init("address.flat") { text(address($0)?.flat) },
        ]
    }

    private static func text(_ value: String?) -> ExportCell { value.map { .text($0) } ?? .empty }
    private static func id(_ value: UUID?) -> ExportCell { value.map { .text($0.uuidString.lowercased()) } ?? .empty }
    private static func time(_ value: Timestamp?) -> ExportCell { value.map { .text($0.iso8601) } ?? .empty }
    private static func joined(_ values: [String]) -> ExportCell { values.isEmpty ? .empty : .text(values.joined(separator: ", ")) }

    private static func cell(_ value: CustomFieldValue) -> ExportCell {
        switch value {
        case .string(let s), .list(let s), .text(let s), .url(let s), .date(let s): .text(s)
        case .int(let n): .number(String(n))
        case .flag(let b): .flag(b)
        }
    }
}
