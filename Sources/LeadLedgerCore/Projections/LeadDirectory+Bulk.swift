import Foundation
import HashTreeCollections
import LeadDomain

extension KeyedSets {
    /// Builds the index in one pass from grouped ids: for indexes of few keys with many leads each (steps, sources).
    init(grouped: [Key: [UUID]]) {
        self.init()
        sets = TreeDictionary(
            uniqueKeysWithValues: grouped.map { ($0.key, $0.value.count == 1 ? .one($0.value[0]) : .many(TreeSet($0.value))) })
    }
}

extension LeadDirectory {
    /// The text search index of a set of leads: folded tokens → leads, and the sorted token list.
    struct TextSearchIndex: Sendable {
        var textTokens: KeyedSets<String>
        var tokenOrder: SortedIndex<String>

        /// From the leads' records: their tokens are the ones the records keep (cut once, in `LeadRecord`).
        init(bulk records: [LeadRecord]) {
            var tokens = KeyedSets<String>()
            for record in records {
                let id = record.state.id
                record.forEachTextToken { tokens.insert(id, for: $0) }
            }
            textTokens = tokens
            tokenOrder = SortedIndex(distinct: tokens.keys)
        }
    }

    /// The phone search index of a set of leads: digits → leads, with the sorted lists of the digits and of the
    /// reversed digits.
    struct PhoneSearchIndex: Sendable {
        var phoneDigits: KeyedSets<String>
        var phoneOrder: SortedIndex<String>
        var phoneReversedOrder: SortedIndex<String>

        init(bulk records: [LeadRecord]) {
            var phones = KeyedSets<String>()
            for record in records where !record.state.phones.isEmpty {
                let id = record.state.id
                for digits in LeadSearch.phoneTokens(of: record.state) { phones.insert(id, for: digits) }
            }
            phoneDigits = phones
            let digits = phones.keys
            phoneOrder = SortedIndex(distinct: digits)
            phoneReversedOrder = SortedIndex(distinct: digits.map(LeadSearch.reversedDigits))
        }
    }

    mutating func install(_ text: TextSearchIndex, _ phone: PhoneSearchIndex) {
        textTokens = text.textTokens
        tokenOrder = text.tokenOrder
        phoneDigits = phone.phoneDigits
        phoneOrder = phone.phoneOrder
        phoneReversedOrder = phone.phoneReversedOrder
    }

    /// Builds the directory from a set of leads in bulk, for snapshot loading and full replays — every record and
    /// index but the search ones (`TextSearchIndex` and `PhoneSearchIndex`, built alongside and `install`ed): with them, the same
    /// value as updating from nil to each lead, in grouped passes and one sort per ordered index.
    init(bulkExceptSearch leads: [LeadRecord], settings: SettingsState) {
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

        for record in leads {
            let lead = record.state
            let id = lead.id
            recordPairs.append((id, record))
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

        for sort in LeadSort.allCases {
            let keys = leads.map { orderKey($0, sort) }
            let order = Self.ascendingOrder(of: keys)
            func index(_ order: [Int32]) -> SortedIndex<LeadOrderEntry> {
                SortedIndex(ascendingCount: order.count) { i in LeadOrderEntry(keys[Int(order[i])], leads[Int(order[i])]) }
            }
            let built = index(order)
            switch sort {
            case .updated:
                updatedOrder = built
                // A step's or a responsible's live leads, taken in the global order, are already in theirs.
                var ofStep: [String: [Int32]] = [:]
                var ofResponsible: [UUID: [Int32]] = [:]
                for i in order where leads[Int(i)].isLive {
                    let record = leads[Int(i)]
                    ofStep[record.step, default: []].append(i)
                    if let r = record.responsible { ofResponsible[r, default: []].append(i) }
                }
                updatedByStep = ofStep.mapValues(index)
                updatedByResponsible = ofResponsible.mapValues(index)
            case .created: createdOrder = built
            case .name: nameOrder = built
            case .step: stepOrder = built
            }
        }
    }

    /// The positions of `keys` in ascending order, sorted as plain integers and UTF-8 bytes (see `UTF8Keys`) rather
    /// than as `LeadOrderKey`s: comparing keys that hold a string retained and released it on every comparison, and
    /// comparing names as Unicode text cost more than all the rest.
    static func ascendingOrder(of keys: [LeadOrderKey]) -> [Int32] {
        func less(_ a: Int32, _ b: Int32) -> Bool { keys[Int(a)] < keys[Int(b)] }
        if keys.contains(where: { !$0.text.isEmpty }) {
            var texts = UTF8Keys(capacity: keys.count)
            for key in keys { texts.append(key.text) }
            // The primary and secondary parts are the same for every key with a text (the name order uses only the
            // text and the id), so bytes, then ids, is the whole order; the check against `less` confirms it.
            return texts.ascendingOrder(tieBreak: { keys[Int($0)].id < keys[Int($1)].id }, by: less)
        }
        struct Item {
            var primary: Int64
            var secondary: Int64
            var id: LeadKey
            var index: Int32
        }
        var items: [Item] = []
        items.reserveCapacity(keys.count)
        for (index, key) in keys.enumerated() {
            items.append(Item(primary: key.primary, secondary: key.secondary, id: key.id, index: Int32(index)))
        }
        items.sort { a, b in
            if a.primary != b.primary { return a.primary < b.primary }
            if a.secondary != b.secondary { return a.secondary < b.secondary }
            return a.id < b.id
        }
        return items.map(\.index)
    }
}
