import EventLog
import Foundation

/// A page of the event feed: stored events in log order, and their JSON form.
///
/// JSON (what `GET /v1/events?after=` returns):
/// ```json
/// {"events":[{"position":1,"id":"…","streamId":"lead-…","streamVersion":1,"type":"LeadCreated",
///   "schemaVersion":1,"recordedAt":1790000000000000,"actor":"…","correlationId":"…","payload":{…}}],
///  "next":1}
/// ```
/// `payload` is the stored JSON payload verbatim; `next` is the `after` to ask for the following page.
public struct EventFeedPage: Sendable, Hashable {
    public var events: [RecordedEvent]
    /// The position to pass as `after` for the next page (the last event's, or the request's when empty).
    public var next: UInt64

    public init(events: [RecordedEvent], after: UInt64) {
        self.events = events
        next = events.last?.position ?? after
    }

    /// The page as UTF-8 JSON bytes (keys in a fixed order).
    public func jsonBytes() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(events.reduce(64) { $0 + $1.payload.count + 320 })
        out += Array(#"{"events":["#.utf8)
        for (index, event) in events.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            Self.appendJSON(event, to: &out)
        }
        out += Array(#"],"next":\#(next)}"#.utf8)
        return out
    }

    /// One event as a JSON object.
    public static func appendJSON(_ event: RecordedEvent, to out: inout [UInt8]) {
        out += Array(#"{"position":\#(event.position),"id":"\#(event.id.uuidString.lowercased())","#.utf8)
        out += Array(#""streamId":"#.utf8)
        appendString(event.streamId, to: &out)
        out += Array(#","streamVersion":\#(event.streamVersion),"type":"#.utf8)
        appendString(event.type, to: &out)
        out += Array(#","schemaVersion":\#(event.schemaVersion),"recordedAt":\#(event.recordedAt),"actor":"#.utf8)
        appendString(event.metadata.actor, to: &out)
        if let correlation = event.metadata.correlationId {
            out += Array(#","correlationId":"\#(correlation.uuidString.lowercased())""#.utf8)
        }
        if let causation = event.metadata.causationId {
            out += Array(#","causationId":"\#(causation.uuidString.lowercased())""#.utf8)
        }
        out += Array(#","payload":"#.utf8)
        out += event.payload.isEmpty ? Array("null".utf8) : event.payload
        out.append(UInt8(ascii: "}"))
    }

    static func appendString(_ string: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case 0..<0x20: out += Array(String(format: "\\u%04x", byte).utf8)
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
