import Foundation
import LeadDomain

/// Where a walk of an ordered index ends: at the first key whose primary part is below or at/above a bound (a plain
/// value rather than a closure, so the walk's loop makes no opaque call before testing a lead).
struct WalkStop {
    var below: Int64?
    var atOrAbove: Int64?

    func reached(_ primary: Int64) -> Bool {
        if let below, primary < below { return true }
        if let atOrAbove, primary >= atOrAbove { return true }
        return false
    }
}

/// A lead filter prepared for testing many leads: statuses as a bit mask, each filter a plain field, absent ones
/// skipped without touching any shared storage. Deal filters are not tested here (a lead record does not hold
/// its deals): the planner tests them on the store's deal sets (`ProjectionView.dealTests`).
struct LeadMatcher {
    let statusMask: UInt8
    let step: AnyOf<String>?
    let responsible: AnyOf<UUID>?
    /// `TagName.key` of the tag filter's names, folded once.
    let tagKeys: [String]?
    let source: AnyOf<String>?
    let watcher: AnyOf<UUID>?
    let customer: AnyOf<UUID>?
    let createdBy: AnyOf<UUID>?
    let updatedBy: AnyOf<UUID>?
    let converted: Bool?
    let hasTimeBounds: Bool
    let createdFrom: Timestamp?
    let createdTo: Timestamp?
    let updatedFrom: Timestamp?
    let updatedTo: Timestamp?
    /// nil when the filter has none.
    let customFields: [String: CustomFieldValue]?
    let customFieldRanges: [String: CustomFieldRange]?
    let hasTasks: Bool?
    let hasOverdueTasks: Bool?
    let visibleTo: UUID?
    let search: Set<UUID>?
    /// Query tokens too broad to collect: tested on each lead (`LeadSearch.matches`).
    let searchTests: [LeadSearch.QueryToken]
    let now: Timestamp
    init(_ f: LeadFilter, visibleTo: UUID?, search: Set<UUID>?, searchTests: [LeadSearch.QueryToken] = [], now: Timestamp) {
        statusMask = f.states.reduce(0) { $0 | Self.bit($1) }
        step = f.step
        responsible = f.responsible
        tagKeys = f.tag.map { $0.values.map(TagName.key) }
        source = f.source
        watcher = f.watcher
        customer = f.customer
        createdBy = f.createdBy
        updatedBy = f.updatedBy
        converted = f.converted
        createdFrom = f.createdFrom
        createdTo = f.createdTo
        updatedFrom = f.updatedFrom
        updatedTo = f.updatedTo
        hasTimeBounds = f.createdFrom != nil || f.createdTo != nil || f.updatedFrom != nil || f.updatedTo != nil
        customFields = f.customFields.isEmpty ? nil : f.customFields
        customFieldRanges = f.customFieldRanges.isEmpty ? nil : f.customFieldRanges
        hasTasks = f.hasTasks
        hasOverdueTasks = f.hasOverdueTasks
        self.visibleTo = visibleTo
        self.search = search
        self.searchTests = searchTests
        self.now = now
    }

    static func bit(_ status: LeadStatus) -> UInt8 {
        switch status {
        case .active: 1
        case .paused: 2
        case .converted: 4
        case .merged: 8
        case .deleted: 16
        }
    }
}

extension LeadRecord {
    /// Whether this lead passes every filter of `m`; fields are read in place, the state is never copied.
    func matches(_ m: LeadMatcher) -> Bool {
        // The record's own copies of status, step and responsible first (one cache line), then the state.
        if m.statusMask & LeadMatcher.bit(status(at: m.now)) == 0 { return false }
        if let step = m.step, !step.contains(self.step) { return false }
        if let responsible = m.responsible, !(self.responsible.map(responsible.contains) ?? false) { return false }
        if let keys = m.tagKeys, !keys.contains(where: tagKeys.contains) { return false }
        if let source = m.source, !source.contains(state.source) { return false }
        if let watcher = m.watcher, !state.watchers.contains(where: watcher.contains) { return false }
        if let customer = m.customer, !(state.linkedCustomer.map(customer.contains) ?? false) { return false }
        if let createdBy = m.createdBy, !createdBy.contains(state.createdBy) { return false }
        if let updatedBy = m.updatedBy, !updatedBy.contains(state.updatedBy) { return false }
        if let converted = m.converted, state.converted != converted { return false }
        if m.hasTimeBounds {
            if let from = m.createdFrom, state.createdAt < from { return false }
            if let to = m.createdTo, state.createdAt >= to { return false }
            if let from = m.updatedFrom, state.updatedAt < from { return false }
            if let to = m.updatedTo, state.updatedAt >= to { return false }
        }
        if let customFields = m.customFields {
            for (key, value) in customFields where state.customFields[key] != value { return false }
        }
        if let ranges = m.customFieldRanges {
            for (key, range) in ranges where !range.contains(state.customFields[key]) { return false }
        }
        if let hasTasks = m.hasTasks, state.tasks.contains(where: { !$0.closed }) != hasTasks { return false }
        if let overdue = m.hasOverdueTasks, state.hasOverdueTask(at: m.now) != overdue { return false }
        if let viewer = m.visibleTo, !state.isOwnedOrWatched(by: viewer) { return false }
        if let search = m.search, !search.contains(state.id) { return false }
        for token in m.searchTests where !LeadSearch.matches(token, record: self) { return false }
        return true
    }
}

extension LeadState {
    /// Whether an open task was due before `now`.
    public func hasOverdueTask(at now: Timestamp) -> Bool {
        tasks.contains { !$0.closed && $0.due.map { $0 < now } == true }
    }
}
