import Foundation
import LeadDomain

/// A kanban request: the list filters (the step filter is replaced by each column's step), per-column paging.
public struct KanbanQuery: Sendable, Hashable {
    public var filter: LeadFilter
    public var q: String?
    public var sort: LeadSort
    public var order: PageOrder
    /// Rows per column, clamped to 1…200.
    public var pageSize: Int
    /// The cursor of each column to continue from, by step key (a column without one starts at the top).
    public var cursors: [String: LeadCursor]
    /// Only these columns (e.g. the one column a "load more" asks for); all active steps when nil.
    public var steps: [String]?
    public var visibleTo: UUID?

    public init(
        filter: LeadFilter = LeadFilter(), q: String? = nil, sort: LeadSort = .updated, order: PageOrder = .descending,
        pageSize: Int = 20, cursors: [String: LeadCursor] = [:], steps: [String]? = nil, visibleTo: UUID? = nil
    ) {
        self.filter = filter
        self.q = q
        self.sort = sort
        self.order = order
        self.pageSize = pageSize
        self.cursors = cursors
        self.steps = steps
        self.visibleTo = visibleTo
    }
}

/// One column: a pipeline step, how many leads match on it, and a page of them.
public struct KanbanColumn: Sendable, Hashable {
    public var step: PipelineStep
    public var count: Int
    public var page: LeadPage
}

/// The kanban board: one column per active step, in pipeline order.
///
/// Each column is the lead list query with `step` set to the column's step and `includeTotal`, so a column's
/// count equals the list total for that step (`ProjectionView.kanban`).
public struct KanbanBoard: Sendable, Hashable {
    public var columns: [KanbanColumn]

    public init(columns: [KanbanColumn]) { self.columns = columns }
}
