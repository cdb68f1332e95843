import Foundation
import LeadDomain

/// The canonical snapshot form of `Projections`.
///
/// Layout (see `BinaryWriter` for the primitives): magic `LLPJ`, format version, position, lastRecordedAt,
/// settings (sorted-keys JSON bytes), admins (sorted-keys JSON bytes each, by id), customers (binary, by id),
/// leads (binary `LeadState` then its `LeadFacts`, by id), completed actions per admin (by id), and recorded
/// step stays (by step, then duration and position). Only these are stored; every index, counter and
/// aggregate is rebuilt on decode through the same update path `apply` uses. Everything is written in a
/// sorted order, never in hash order, so the same events give byte-identical snapshots.
extension Projections {
    public static let canonicalFormatVersion: UInt64 = 1
    static let magic: [UInt8] = Array("LLPJ".utf8)

    /// The canonical bytes of this value (compress and checksum them at the edge).
    public func encodeCanonical() throws -> [UInt8] {
        var w = BinaryWriter(capacity: directory.count * 400 + 4_096)
        for byte in Self.magic { w.write(byte) }
        w.write(varint: Self.canonicalFormatVersion)
        w.write(varint: position)
        w.write(lastRecordedAt)
        let json = Self.canonicalJSONEncoder()
        w.write(bytes: Array(try json.encode(settings)))
        let admins = self.admins.admins.values.sorted { LeadKey($0.id) < LeadKey($1.id) }
        w.write(varint: UInt64(admins.count))
        for admin in admins { w.write(bytes: Array(try json.encode(admin))) }
        w.write(customers.customers.values.sorted { LeadKey($0.id) < LeadKey($1.id) }) { $0.write(customer: $1) }
        let leads = directory.sortedLeads
        w.write(varint: UInt64(leads.count))
        for lead in leads {
            w.write(lead: lead)
            w.write(facts[lead.id]) { $0.write(facts: $1) }
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
        guard version == Self.canonicalFormatVersion else { throw r.fail("unsupported format version \(version)") }
        let position = try r.readVarint()
        let lastRecordedAt = try r.readInt64()
        let json = JSONDecoder()
        let settings = try json.decode(SettingsState.self, from: Data(try r.readBytes()))
        var admins: [AdminState] = []
        for _ in 0..<(try r.readCount()) { admins.append(try json.decode(AdminState.self, from: Data(try r.readBytes()))) }
        let customers = try r.readArray { r throws(SnapshotDecodingError) in try r.readCustomer() }
        let leads = try r.readArray { r throws(SnapshotDecodingError) in
            (try r.readLead(), try r.readOptional { r throws(SnapshotDecodingError) in try r.readFacts() })
        }
        let completed = try r.readArray { r throws(SnapshotDecodingError) in (try r.readUUID(), try r.readInt()) }
        let stays = try r.readArray { r throws(SnapshotDecodingError) in
            (step: try r.readString(), duration: try r.readInt64(), position: try r.readVarint())
        }
        guard r.isAtEnd else { throw r.fail("trailing bytes") }
        self.init(
            position: position, lastRecordedAt: lastRecordedAt, settings: settings, admins: admins,
            customers: customers, leads: leads, actionsCompleted: Dictionary(completed, uniquingKeysWith: +),
            stays: stays)
    }

    static func canonicalJSONEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}
