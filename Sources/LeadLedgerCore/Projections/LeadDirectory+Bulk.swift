import Foundation
import HashTreeCollections
import LeadDomain

extension KeyedSets {
    /// Builds the index in one pass from grouped ids (faster than one insert at a time).
    init(grouped: [Key: [UUID]]) {
        self.init()
        sets = TreeDictionary(
            uniqueKeysWithValues: grouped.map { ($0.key, $0.value.count == 1 ? .one($0.value[0]) : .many(TreeSet($0.value))) })
    }
}

extension LeadDirectory {
    /// The search indexes of a set of leads: text tokens and phone digits with their sorted key lists.
    struct SearchIndexes: Sendable {
        var textTokens: KeyedSets<String>
        var tokenOrder: SortedIndex<String>
        var phoneDigits: KeyedSets<String>
        var phoneOrder: SortedIndex<String>
        var phoneReversedOrder: SortedIndex<String>

        init(bulk leads: some Sequence<LeadState>) {
            var tokens: [String: [UUID]] = [:]
            var phones: [String: [UUID]] = [:]
            for lead in leads {
                let id = lead.id
                LeadSearch.forEachTextToken(of: lead, nameKey: LeadSearch.nameKey(of: lead)) { tokens[$0, default: []].append(id) }
                for digits in LeadSearch.phoneTokens(of: lead) { phones[digits, default: []].append(id) }
            }
            textTokens = KeyedSets(grouped: tokens)
            tokenOrder = SortedIndex(tokens.keys)
            phoneDigits = KeyedSets(grouped: phones)
            phoneOrder = SortedIndex(phones.keys)
            phoneReversedOrder = SortedIndex(phones.keys.map { String($0.reversed()) })
        }
    }

    mutating func install(_ search: SearchIndexes) {
        textTokens = search.textTokens
        tokenOrder = search.tokenOrder
        phoneDigits = search.phoneDigits
        phoneOrder = search.phoneOrder
        phoneReversedOrder = search.phoneReversedOrder
    }

    /// Builds the directory from a set of leads in bulk, for snapshot loading and full replays — every record and
    /// index but the search ones (`SearchIndexes(bulk:)`, built alongside and `install`ed): with them, the same
    /// value as updating from nil to each lead, in grouped passes and one sort per ordered index.
    init(bulkExceptSearch leads: some Collection<LeadState>, settings: SettingsState) {
        self.init(settings: settings)
        var recordPairs: [(UUID, LeadRecord)] = []
        recordPairs.reserveCapacity(leads.count)
        var step: [String: [UUID]] = [:]
        var responsible: [UUID: [UUID]] = [:]
        var tag: [String: [UUID]] = [:]
        var source: [String: [UUID]] = [:]
        var watcher: [UUID: [UUID]] = [:]
        var customer: [UUID: [UUID]] = [:]
        var converted: [UUID] = []
        var deleted: [UUID] = []
        var merged: [UUID] = []
        var paused: [LeadOrderEntry] = []
        var counts: [LiveCountKey: LiveCount] = [:]
        var updatedOfStep: [String: [LeadOrderEntry]] = [:]
        var updatedOfResponsible: [UUID: [LeadOrderEntry]] = [:]
        var orders: [[LeadOrderEntry]] = Array(repeating: [], count: LeadSort.allCases.count)
        for index in orders.indices { orders[index].reserveCapacity(leads.count) }

        for lead in leads {
            let id = lead.id
            let record = LeadRecord(state: lead, nameKey: LeadSearch.nameKey(of: lead))
            recordPairs.append((id, record))
            for (index, sort) in LeadSort.allCases.enumerated() { orders[index].append(LeadOrderEntry(orderKey(record, sort), record)) }
            if lead.mergedInto != nil {
                merged.append(id)
                continue
            }
            if lead.deleted {
                deleted.append(id)
                continue
            }
            step[lead.step, default: []].append(id)
            if let r = lead.responsible { responsible[r, default: []].append(id) }
            for key in Set(lead.tags.map(TagName.key)) { tag[key, default: []].append(id) }
            source[lead.source, default: []].append(id)
            for w in Set(lead.watchers) { watcher[w, default: []].append(id) }
            if let c = lead.linkedCustomer { customer[c, default: []].append(id) }
            if lead.converted { converted.append(id) }
            if let key = Self.pauseKey(record) { paused.append(LeadOrderEntry(key, record)) }
            Self.count(lead, 1, into: &counts)
            let updated = LeadOrderEntry(orderKey(record, .updated), record)
            updatedOfStep[lead.step, default: []].append(updated)
            if let r = lead.responsible { updatedOfResponsible[r, default: []].append(updated) }
        }
        records = TreeDictionary(uniqueKeysWithValues: recordPairs)
        byStep = KeyedSets(grouped: step)
        byResponsible = KeyedSets(grouped: responsible)
        byTag = KeyedSets(grouped: tag)
        bySource = KeyedSets(grouped: source)
        byWatcher = KeyedSets(grouped: watcher)
        byCustomer = KeyedSets(grouped: customer)
        convertedLive = TreeSet(converted)
        deletedSet = TreeSet(deleted)
        mergedSet = TreeSet(merged)
        pausedOrder = SortedIndex(paused)
        liveCounts = counts
        updatedByStep = updatedOfStep.mapValues { SortedIndex($0) }
        updatedByResponsible = updatedOfResponsible.mapValues { SortedIndex($0) }
        for (index, sort) in LeadSort.allCases.enumerated() {
            let built = SortedIndex(orders[index])
            switch sort {
            case .updated: updatedOrder = built
            case .created: createdOrder = built
            case .name: nameOrder = built
            case .step: stepOrder = built
            }
        }
    }
}
