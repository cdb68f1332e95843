import Foundation
import LeadDomain

/// The canonical snapshot form of `Projections`.
///
/// Layout (see `BinaryWriter` for the primitives): magic `LLPJ`, format version, position, lastRecordedAt,
/// settings (sorted-keys JSON bytes), admins (sorted-keys JSON bytes each, by id), customers (binary, by id),
/// leads (binary `LeadState` then its `LeadFacts`, by id), completed actions per admin (by id), and recorded
/// step stays (by step, then duration and position).
///
/// Format 2 writes the leads in blocks of `leadBlockSize`, each a length-prefixed section holding its count and
/// its leads, so loading decodes them on two threads (format 1: one counted array; still read). Only these are stored; every index, counter and
/// aggregate is rebuilt on decode through the same update path `apply` uses. Everything is written in a
/// sorted order, never in hash order, so the same events give byte-identical snapshots.
extension Projections {
    public static let canonicalFormatVersion: UInt64 = 2
    static let leadBlockSize = 32_768
    static let magic: [UInt8] = Array("LLPJ".utf8)

    /// The canonical bytes of this value (compress and checksum them at the edge).
    public func encodeCanonical() throws -> [UInt8] {
        try encodeCanonical(formatVersion: Self.canonicalFormatVersion, leadBlockSize: Self.leadBlockSize)
    }

    /// `encodeCanonical()` in format 1 or 2, with blocks of `leadBlockSize` leads in format 2 (tests write both
    /// formats and small blocks).
    func encodeCanonical(formatVersion: UInt64, leadBlockSize: Int) throws -> [UInt8] {
        precondition(formatVersion == 1 || formatVersion == 2, "formats 1 and 2 only")
        precondition(leadBlockSize > 0)
        var w = BinaryWriter(capacity: directory.count * 400 + 4_096)
        for byte in Self.magic { w.write(byte) }
        w.write(varint: formatVersion)
        w.write(varint: position)
        w.write(lastRecordedAt)
        let json = Self.canonicalJSONEncoder()
        w.write(bytes: Array(try json.encode(settings)))
        let admins = self.admins.admins.values.sorted { LeadKey($0.id) < LeadKey($1.id) }
        w.write(varint: UInt64(admins.count))
        for admin in admins { w.write(bytes: Array(try json.encode(admin))) }
        w.write(customers.customers.values.sorted { LeadKey($0.id) < LeadKey($1.id) }) { $0.write(customer: $1) }
        let leads = directory.sortedLeads
        func write(_ leads: ArraySlice<LeadState>, to w: inout BinaryWriter) {
            w.write(varint: UInt64(leads.count))
            for lead in leads {
                w.write(lead: lead)
                w.write(facts[lead.id]) { $0.write(facts: $1) }
            }
        }
        if formatVersion == 1 {
            write(leads[...], to: &w)
        } else {
            let starts = stride(from: 0, to: leads.count, by: leadBlockSize)
            w.write(varint: UInt64((leads.count + leadBlockSize - 1) / leadBlockSize))
            var block = BinaryWriter(capacity: Swift.min(leadBlockSize, leads.count) * 400)
            for start in starts {
                block.removeAll()
                write(leads[start..<Swift.min(start + leadBlockSize, leads.count)], to: &block)
                w.write(bytes: block.bytes)
            }
        }
        w.write(reports.actionsCompleted.sorted { LeadKey($0.key) < LeadKey($1.key) }) {
            $0.write($1.key)
            $0.write($1.value)
        }
        w.write(reports.stays) {
            $0.write($1.step)
            $0.write($1.duration)
            $0.write(varint: $1.position)
        }
        return w.bytes
    }

    /// Decodes canonical bytes and rebuilds every index; the result equals the value that was encoded.
    public init(decodingCanonical bytes: [UInt8]) throws {
        var r = BinaryReader(bytes)
        for byte in Self.magic where try r.readByte() != byte { throw r.fail("not a projections snapshot") }
        let version = try r.readVarint()
        guard version == 1 || version == Self.canonicalFormatVersion else {
            throw r.fail("unsupported format version \(version)")
        }
        let position = try r.readVarint()
        let lastRecordedAt = try r.readInt64()
        let json = JSONDecoder()
        let settings = try json.decode(SettingsState.self, from: Data(try r.readBytes()))
        var admins: [AdminState] = []
        for _ in 0..<(try r.readCount()) { admins.append(try json.decode(AdminState.self, from: Data(try r.readBytes()))) }
        let customers = try r.readArray { r throws(SnapshotDecodingError) in try r.readCustomer() }
        let (records, facts) = version == 1 ? try Self.readLeadArray(&r) : try Self.readLeadBlocks(&r)
        let completed = try r.readArray { r throws(SnapshotDecodingError) in (try r.readUUID(), try r.readInt()) }
        let stays = try r.readArray { r throws(SnapshotDecodingError) in
            (step: try r.readString(), duration: try r.readInt64(), position: try r.readVarint())
        }
        guard r.isAtEnd else { throw r.fail("trailing bytes") }
        self.init(
            position: position, lastRecordedAt: lastRecordedAt, settings: settings, admins: admins,
            customers: customers, records: records, facts: facts,
            actionsCompleted: Dictionary(completed, uniquingKeysWith: +), stays: stays)
    }

    /// Format 1's leads: one counted array.
    private static func readLeadArray(
        _ r: inout BinaryReader
    ) throws(SnapshotDecodingError) -> ([LeadRecord], [LeadFacts?]) {
        let leads = try r.readArray { r throws(SnapshotDecodingError) in
            (try r.readLead(), try r.readOptional { r throws(SnapshotDecodingError) in try r.readFacts() })
        }
        return (records(of: leads), leads.map(\.1))
    }

    /// Format 2's leads: blocks decoded on two threads, each into its leads' records and facts, joined in order.
    private static func readLeadBlocks(
        _ r: inout BinaryReader
    ) throws(SnapshotDecodingError) -> ([LeadRecord], [LeadFacts?]) {
        var sections: [BinaryReader] = []
        for _ in 0..<(try r.readCount()) { sections.append(try r.readSection()) }
        let slots = sections.map { _ in ResultSlot<Result<([LeadRecord], [LeadFacts?]), SnapshotDecodingError>>() }
        runOnTwoThreads(
            zip(sections, slots).map { section, slot in
                {
                    slot.value = Result { () throws(SnapshotDecodingError) in
                        var block = section
                        let count = try block.readCount()
                        var records: [LeadRecord] = []
                        var facts: [LeadFacts?] = []
                        records.reserveCapacity(count)
                        facts.reserveCapacity(count)
                        for _ in 0..<count {
                            records.append(LeadRecord(state: try block.readLead()))
                            facts.append(try block.readOptional { r throws(SnapshotDecodingError) in try r.readFacts() })
                        }
                        guard block.isAtEnd else { throw block.fail("trailing bytes in a block of leads") }
                        return (records, facts)
                    }
                }
            })
        var records: [LeadRecord] = []
        var facts: [LeadFacts?] = []
        for slot in slots {
            let (blockRecords, blockFacts) = try slot.value!.get()
            records.append(contentsOf: blockRecords)
            facts.append(contentsOf: blockFacts)
        }
        return (records, facts)
    }

    static func canonicalJSONEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}
