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
/// skipped without touching any shared storage.
struct LeadMatcher {
    let statusMask: UInt8
    let step: String?
    let responsible: UUID?
    /// `TagName.key` of the tag filter, folded once.
    let tagKey: String?
    let source: String?
    let watcher: UUID?
    let customer: UUID?
    let converted: Bool?
    let hasTimeBounds: Bool
    let createdFrom: Timestamp?
    let createdTo: Timestamp?
    let updatedFrom: Timestamp?
    let updatedTo: Timestamp?
    /// nil when the filter has none.
    let customFields: [String: CustomFieldValue]?
    let visibleTo: UUID?
    let search: Set<UUID>?
    /// Query tokens too broad to collect: tested on each lead (`LeadSearch.matches`).
    let searchTests: [LeadSearch.QueryToken]
    let now: Timestamp
    init(_ f: LeadFilter, visibleTo: UUID?, search: Set<UUID>?, searchTests: [LeadSearch.QueryToken] = [], now: Timestamp) {
        statusMask = f.states.reduce(0) { $0 | Self.bit($1) }
        step = f.step
        responsible = f.responsible
        tagKey = f.tag.map(TagName.key)
        source = f.source
        watcher = f.watcher
        customer = f.customer
        converted = f.converted
        createdFrom = f.createdFrom
        createdTo = f.createdTo
        updatedFrom = f.updatedFrom
        updatedTo = f.updatedTo
        hasTimeBounds = f.createdFrom != nil || f.createdTo != nil || f.updatedFrom != nil || f.updatedTo != nil
        customFields = f.customFields.isEmpty ? nil : f.customFields
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
        if let step = m.step, self.step != step { return false }
        if let responsible = m.responsible, self.responsible != responsible { return false }
        if let tagKey = m.tagKey, !tagKeys.contains(tagKey) { return false }
        if let source = m.source, state.source != source { return false }
        if let watcher = m.watcher, !state.watchers.contains(watcher) { return false }
        if let customer = m.customer, state.linkedCustomer != customer { return false }
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
        if let viewer = m.visibleTo, !state.isOwnedOrWatched(by: viewer) { return false }
        if let search = m.search, !search.contains(state.id) { return false }
        for token in m.searchTests where !LeadSearch.matches(token, record: self) { return false }
        return true
    }
}
