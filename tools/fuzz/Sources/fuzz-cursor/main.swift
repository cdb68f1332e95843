// Cursor decoding: any text a client sends as `cursor=` decodes or is refused, never crashes, and a cursor
// that decodes encodes back to one that decodes to the same value.
import FuzzDriver
@testable import LeadLedgerCore
@testable import LeadLedgerHTTP

runFuzzer { input in
    let text = String(decoding: input, as: UTF8.self)
    for cursor in [PageCursor<LeadCursor>.decode(text)].compactMap({ $0 }) {
        require(PageCursor<LeadCursor>.decode(cursor.encoded()) == cursor, "lead cursor \(text) does not round-trip")
    }
    if let cursor = PageCursor<DuplicateGroupCursor>.decode(text) {
        require(PageCursor<DuplicateGroupCursor>.decode(cursor.encoded()) == cursor, "duplicate cursor does not round-trip")
    }
    _ = try? PageCursor<LeadCursor>.decode(query: text, scope: "leads:updated-desc")
}
