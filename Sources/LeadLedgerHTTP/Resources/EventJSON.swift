import EventLog
import Foundation
import LeadDomain
import LeadLedgerCore

/// The JSON form of a stored event in the feed and the SSE stream:
///
/// ```json
/// {"position":12,"id":"…","streamId":"lead-…","streamVersion":3,"type":"NoteAdded","schemaVersion":2,
///  "recordedAt":"2026-11-23T10:00:00.123456Z","recordedAtMicros":1795428000123456,"actor":"…",
///  "correlationId":"…","data":{…}}
/// ```
///
/// `data` is the stored payload verbatim (its JSON Schema is `schemas/events/<type>.v<schemaVersion>.json`), so it
/// is copied as bytes rather than decoded and re-encoded.
enum EventJSON {
    static func append(_ event: RecordedEvent, to out: inout [UInt8]) {
        out += Array(#"{"position":\#(event.position),"id":"\#(event.id.lowercased)","streamId":"#.utf8)
        appendString(event.streamId, to: &out)
        out += Array(#","streamVersion":\#(event.streamVersion),"type":"#.utf8)
        appendString(event.type, to: &out)
        out += Array(#","schemaVersion":\#(event.schemaVersion),"recordedAt":"#.utf8)
        appendString(ISOTime.string(Timestamp(rawValue: event.recordedAt)), to: &out)
        out += Array(#","recordedAtMicros":\#(event.recordedAt),"actor":"#.utf8)
        appendString(event.metadata.actor, to: &out)
        if let correlation = event.metadata.correlationId {
            out += Array(#","correlationId":"\#(correlation.lowercased)""#.utf8)
        }
        out += Array(#","data":"#.utf8)
        out += event.payload.isEmpty ? Array("null".utf8) : event.payload
        out.append(UInt8(ascii: "}"))
    }

    static func string(_ event: RecordedEvent) -> String {
        var out: [UInt8] = []
        append(event, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// `{"items":[…],"next":N}`: `next` is the `after` of the following page.
    static func page(_ events: [RecordedEvent], after: UInt64) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(events.reduce(64) { $0 + $1.payload.count + 360 })
        out += Array(#"{"items":["#.utf8)
        for (index, event) in events.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            append(event, to: &out)
        }
        out += Array(#"],"next":\#(events.last?.position ?? after)}"#.utf8)
        return out
    }

    static func appendString(_ string: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out += Array("\\u00".utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
