import Foundation
import LeadDomain

/// The named databases of the projection store and the layout of their keys (see ARCHITECTURE.md, "Projection
/// store"). Every key is a `StoreKey`; values are described per database.
enum StoreSchema {
    /// Bumped whenever a database's keys or values change meaning: a store of another version is rebuilt.
    static let formatVersion: UInt32 = 12

    enum Database {
        /// `meta`: `format` (u32 BE), `position` (u64 BE), `recordedAt` (i64 BE), `settings` (JSON),
        /// `settingsVersion` (u64 BE, bumped on every settings change: readers cache the decoded value by it).
        static let meta = "meta"
        /// `leads`: lead id (16 bytes) → the lead's stream version (u64 BE) then `LeadStoreRecord` bytes.
        static let leads = "leads"
        /// `order`: ordered indexes, `OrderTag` then the sort key and the lead id → empty.
        static let order = "order"
        /// `recency`: the `OrderTag.updated` index of live leads only, `[updatedAt][id]` → the lead's
        /// `LeadSummary`, which a walk tests before reading the lead (deleted and merged leads are not walked).
        static let recency = "recency"
        /// `sets`: inverted indexes, `SetTag`, the key, the lead id → empty.
        static let sets = "sets"
        /// `counts`: a `sets` prefix (`SetTag` and key) → members (u64 BE); `CountTag` buckets → u64 BE.
        static let counts = "counts"
        /// `customers`: customer id → binary `CustomerState`.
        static let customers = "customers"
        /// `deals`: deal id → `DealState` JSON (sorted keys).
        static let deals = "deals"
        /// `admins`: admin id → the admin's stream version (u64 BE) then `AdminState` JSON.
        static let admins = "admins"
        /// `tokens`: SHA-256 hex of an API token (UTF-8) → admin id (16 bytes); the first admin to hold it.
        static let tokens = "tokens"
    }

    /// The ordered indexes. Every entry ends in the lead id, so every order is total.
    enum OrderTag: UInt8 {
        /// `[updatedAt][id]`, every lead (and in `recency`, live leads with their summaries).
        case updated = 1
        /// `[createdAt][id]`, every lead.
        case created = 2
        /// `[folded name][id]`, every lead.
        case name = 3
        /// `[step rank][updatedAt][id]`, every lead.
        case step = 4
        /// `[pausedUntil][id]`, live leads with a pause date (past or future).
        case paused = 5
        /// `[step][updatedAt][id]`, live leads.
        case updatedByStep = 6
        /// `[responsible id][updatedAt][id]`, live leads with a responsible.
        case updatedByResponsible = 7
        /// `[-members][kind][value]`: duplicate keys shared by two or more live leads, largest group first.
        case duplicateGroups = 8
        /// `[owner][plannedAt][lead id][action id]`: open planned actions of live leads, by the admin they are for.
        case agenda = 9
        /// `[responsible][convertedAt - createdAt][id]`: live converted leads (time-to-convert medians).
        case conversions = 10
        /// `[step][duration][position]`: completed stays on a step (history: never removed).
        case stays = 11
        /// `[folded full name][customer id]`: customers that are not deleted.
        case customers = 12
        /// `[lead id][deal id]`, `[customer id][deal id]`: deals that are not deleted, by the lead and the customer
        /// they belong to.
        case dealsByLead = 13, dealsByCustomer
        /// `[owner][0 open | 1 closed][due or Int64.max][TaskSubject.Kind][lead or deal id][task id]`: tasks of
        /// live leads and of deals that are not deleted, by the admin they are for (`TaskList.owner`), then by
        /// due date.
        case tasksByOwner = 15
        /// `[0 open | 1 closed][due or Int64.max][TaskSubject.Kind][lead or deal id][task id]`: the same tasks by
        /// due date.
        case tasksByDue = 16
        /// `[earliest due of an open task][lead id]`: live leads with an open task that has a due date (overdue
        /// leads at `now` are the entries before it).
        case earliestOpenTask = 17
        /// `[field key][value][lead id]`: live leads by the value of a number (Int64) or date (string) custom field.
        case customFieldOrder = 18
        /// `[folded full name][customer id]`: deleted customers (`customers` holds the others).
        case deletedCustomers = 19
        /// `[cell][pausedUntil][converted 0|1][lead id]`: live leads with a pause date by `(step?, responsible?)`
        /// cell (as the `live` counters, and the whole-store cell), so counts of leads paused now read keys, not leads.
        case pausedByCell = 20
    }

    /// The inverted indexes: `[tag][key][id]`. Key and member count: `counts[tag][key]`.
    enum SetTag: UInt8 {
        /// Live leads by step, responsible (16 bytes), folded tag, source, watcher (16 bytes), linked customer.
        case step = 1, responsible, tag, source, watcher, customer
        /// Live converted leads; deleted (not merged); merged. No key.
        case convertedLive = 7, deleted, merged
        /// Search: text tokens; phone digits; phone digits reversed (suffix search).
        case textToken = 10, phoneDigits, phoneReversed
        /// Live leads by duplicate key: `[kind][value]`.
        case duplicate = 13
        /// Live leads by the admin who created them and the admin of their latest change (16 bytes each).
        case creator = 14, modifier
        /// Live leads by custom field `[key][CustomFieldIndex.text(value)]` (every type; long values by digest).
        case customFieldValue = 16
        /// Live leads with an open task. No key.
        case openTasks = 17
        /// Leads with a deal that is not deleted (no key), and by the stages of those deals (`[stage]`); of any
        /// status: a deal keeps its lead's membership while the lead is deleted.
        case withDeals = 18, dealStage
        /// Customers that are not deleted, by search token, phone digits, normalized e-mail, kind, and (persons)
        /// the company customer they belong to; members are customer ids.
        case customerToken = 20, customerPhone, customerEmail, customerKind, companyMember
        /// Customers that are not deleted by the admin who registered them (16 bytes).
        case customerCreator = 25
        /// Customers that are not deleted by phone digits reversed (the "last digits" lookup).
        case customerPhoneReversed = 26
    }

    /// Counters without members: live leads and live converted leads by `(step?, responsible?)`.
    enum CountTag: UInt8 {
        case live = 32
        case liveConverted = 33
        /// Duplicate groups (keys of two or more live leads). No key.
        case duplicateGroups = 34
        /// `[UTC day]`: live leads by the day of their earliest open task's due date (the `earliestOpenTask`
        /// entries per day), so the leads overdue at a moment are counted from whole days and one day's keys.
        case earliestOpenTaskOnDay = 35
        /// Report contributions of live leads by the UTC day of creation: `[day]`, `[day][step]`,
        /// `[day][source]`, `[day][creator]`.
        case createdOnDay = 40, convertedOnDay, reachedOnDay, sourceOnDay, sourceConvertedOnDay, creatorOnDay
        /// `[competitor][assessment or ""]`, live leads.
        case competitor = 46
        /// `[responsible]`: live converted leads (the members of `OrderTag.conversions`).
        case conversions = 47
        /// History: `[admin]` actions completed; `[step]` completed stays and their total duration (µs).
        case actionsCompleted = 48, stays, staySum
        /// Members of `OrderTag.stays` by `[step][MedianBucket.lowerBound(duration)]`, and of
        /// `OrderTag.conversions` by `[responsible][MedianBucket.lowerBound(time to convert)]`: a median is found
        /// by summing buckets, then stepping through the one bucket that holds it.
        case stayBuckets = 51, conversionBuckets
        /// The `...OnDay` counters (40–45) summed over spans of `ReportDays.span` days: `[span]...`, the same
        /// keys after the span. A period reads its whole spans here and only the days at its edges per day.
        case createdInSpan = 56, convertedInSpan, reachedInSpan, sourceInSpan, sourceConvertedInSpan, creatorInSpan

        /// `[stage][currency]` → `DealTotals` (56 bytes, not a u64): deals that are not deleted; the same by
        /// `[responsible][stage][currency]`.
        case dealTotals = 64, dealTotalsByResponsible
        /// `[UTC day closed][won | lost][currency][responsible]` → `DealTotals`: won and lost deals that are not
        /// deleted, by the day they were closed (`dealsClosedInSpan`: by 32-day span).
        case dealsClosedOnDay = 66
        case dealsClosedInSpan = 82

        /// The span counter of a day counter.
        var span: CountTag { CountTag(rawValue: rawValue + 16)! }
    }

    /// Log-linear buckets of durations (µs) for medians: each power of two is cut into 16 buckets, so a bucket
    /// spans at most 1/16 of its values' magnitude and a report steps through one bucket's entries, never half
    /// an index. `lowerBound` is monotone, so the buckets are in the order of the durations they hold.
    enum MedianBucket {
        /// The smallest duration in `d`'s bucket (negative durations, from back-dated events, are mirrored).
        static func lowerBound(_ d: Int64) -> Int64 {
            if d < 0 {
                let u = -(d + 1)  // ≥ 0, no overflow at Int64.min
                return -1 - upperBound(u)
            }
            return d - (d & (width(d) - 1))
        }

        private static func upperBound(_ u: Int64) -> Int64 { lowerBound(u) + (width(u) - 1) }

        /// 1 below 32; 2^(⌊log2 d⌋ − 4) above.
        private static func width(_ d: Int64) -> Int64 {
            let exponent = 63 - d.leadingZeroBitCount
            return exponent <= 4 ? 1 : Int64(1) << (exponent - 4)
        }
    }

    static func setPrefix(_ tag: SetTag, _ key: String) -> StoreKey {
        var k = StoreKey(tag.rawValue)
        k.string(key)
        return k
    }

    static func setPrefix(_ tag: SetTag, _ key: UUID) -> StoreKey {
        var k = StoreKey(tag.rawValue)
        k.uuid(key)
        return k
    }

    static func setPrefix(_ tag: SetTag) -> StoreKey { StoreKey(tag.rawValue) }

    static func counter(_ tag: CountTag) -> StoreKey { StoreKey(tag.rawValue) }

    /// The `stayBuckets` counter a completed stay on `step` of `duration` µs adds to.
    static func stayBucket(_ step: String, _ duration: Int64) -> StoreKey {
        var k = StoreKey(CountTag.stayBuckets.rawValue)
        k.string(step)
        k.int64(MedianBucket.lowerBound(duration))
        return k
    }

    /// A `(step?, responsible?)` bucket of `CountTag`.
    static func bucket(_ tag: CountTag, step: String?, responsible: UUID?) -> StoreKey {
        cell(tag.rawValue, step: step, responsible: responsible)
    }

    /// `[tag]` and a `(step?, responsible?)` cell: each part present (1, value) or absent (0).
    static func cell(_ tag: UInt8, step: String?, responsible: UUID?) -> StoreKey {
        var k = StoreKey(tag)
        if let step { k.byte(1); k.string(step) } else { k.byte(0) }
        if let responsible { k.byte(1); k.uuid(responsible) } else { k.byte(0) }
        return k
    }
}

/// A lead as the `leads` database holds it: its state, report facts and the search keys cut from it once.
struct LeadStoreRecord: Sendable, Equatable {
    var state: LeadState
    var facts: LeadFacts?
    /// `SearchText.fold(fullName)`.
    var nameKey: String
    /// The text search tokens joined by "\n" (see `LeadRecord.textTokens`).
    var textTokens: String

    init(state: LeadState, facts: LeadFacts?, reusing old: LeadStoreRecord? = nil) {
        self.state = state
        self.facts = facts
        let sameName = old.map { $0.state.fullName == state.fullName } ?? false
        nameKey = sameName ? old!.nameKey : LeadSearch.nameKey(of: state)
        let sameText = old.map {
            $0.state.fullName == state.fullName && $0.state.company == state.company && $0.state.emails == state.emails
        } ?? false
        textTokens = sameText ? old!.textTokens : LeadRecord.joinedTextTokens(of: state, nameKey: nameKey)
    }

    private init(state: LeadState, facts: LeadFacts?, nameKey: String, textTokens: String) {
        self.state = state
        self.facts = facts
        self.nameKey = nameKey
        self.textTokens = textTokens
    }

    /// The directory record the query code tests and returns.
    var record: LeadRecord { LeadRecord(state: state, nameKey: nameKey, textTokens: textTokens) }

    /// The stored bytes begin with the stream version (fixed 8 bytes), so a reader can tell whether a record it
    /// decoded before is still current without decoding it again (`DecodedCache`).
    func encode(into w: inout BinaryWriter) {
        for shift in stride(from: 56, through: 0, by: -8) { w.write(UInt8(truncatingIfNeeded: state.version >> UInt64(shift))) }
        w.write(nameKey)
        w.write(textTokens)
        w.write(facts) { $0.write(facts: $1) }
        w.write(lead: state)
    }

    /// The stream version a stored record starts with.
    static func version(of bytes: UnsafeRawBufferPointer) throws -> UInt64 {
        guard bytes.count >= 8 else { throw RecordDecodingError(reason: "a lead record of \(bytes.count) bytes", offset: 0) }
        return UInt64(bigEndian: bytes.loadUnaligned(as: UInt64.self))
    }

    static func decode(_ bytes: UnsafeRawBufferPointer) throws -> LeadStoreRecord {
        _ = try version(of: bytes)
        var r = BinaryReader(Array(bytes.dropFirst(8)))
        let nameKey = try r.readString()
        let textTokens = try r.readString()
        let facts = try r.readOptional { r throws(RecordDecodingError) in try r.readFacts() }
        let state = try r.readLead()
        guard r.isAtEnd else { throw r.fail("trailing bytes in a lead record") }
        return LeadStoreRecord(state: state, facts: facts, nameKey: nameKey, textTokens: textTokens)
    }
}
