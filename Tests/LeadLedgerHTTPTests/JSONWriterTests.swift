import Foundation
import LeadDomain
import LeadLedgerCore
import Testing

@testable import LeadLedgerHTTP

/// The hand-written JSON of the hot resources must be the bytes `JSONResponse.encoder` (Foundation's
/// `JSONEncoder`, sorted keys) writes for the same value: clients and ETags see no difference.
@Suite("JSON writer")
struct JSONWriterTests {
    @Test("every ASCII character and assorted Unicode is escaped exactly as JSONEncoder escapes it")
    func escaping() throws {
        var samples = (0..<128).map { String(UnicodeScalar(UInt8($0))) }
        samples += [
            "", "a\u{0}b", "\"quoted\" \\ back\\slash", "http://example.lt/a/b", "\u{7F}", "\u{2028}\u{2029}",
            "\u{FEFF}bom", "ąčęėįšųūž ĄČĘĖĮŠŲŪŽ", "Ёлка й ї", "e\u{301} combining", "😀👩‍👩‍👧 emoji", "tab\tnew\nline\r",
            String(repeating: "long run without escapes ", count: 40) + "\u{1}",
        ]
        for sample in samples {
            try expectSameBytes(StringBox(value: sample), "\(sample.unicodeScalars.map { $0.value })")
        }
        try expectSameBytes(StringsBox(values: samples), "all samples in one array")
    }

    @Test("list cursors are written as JSONEncoder writes them, and the cursor text decodes back to the same cursor")
    func listCursors() throws {
        var random = SeededRandom(seed: 5)
        let texts = ["", "šarūnas", "иван петров", "a/b \"quoted\" \\", "e\u{301}", "tab\there", "😀"]
        for index in 0..<200 {
            let key = LeadOrderKey(
                primary: Int64(bitPattern: random.next()), text: texts[random.below(texts.count)],
                secondary: random.below(2) == 0 ? 0 : Int64(bitPattern: random.next()),
                id: LeadKey(high: random.next(), low: random.below(2) == 0 ? .max : random.next()))
            let cursor = LeadCursor(sort: LeadSort.allCases[random.below(LeadSort.allCases.count)], key: key)
            try expectSameBytes(cursor, "cursor \(index)")
            let page = PageCursor(scope: "leads:\(cursor.sort.rawValue)", key: cursor, id: key.id.uuid)
            let text = page.encoded()
            let decoded = try #require(PageCursor<LeadCursor>.decode(text), "cursor \(index)")
            #expect(decoded == page)
            // The generic (JSONEncoder) path writes a cursor that decodes to the same value too.
            let generic = PageCursor<LeadCursor>.decode(PageCursorGeneric.encoded(page))
            #expect(generic == page)
        }
    }

    @Test("lead summaries are byte-identical to JSONEncoder's, whatever their fields hold")
    func leadSummaries() throws {
        var random = SeededRandom(seed: 1)
        let now = Timestamp(microseconds: 1_795_428_000_000_000)
        for index in 0..<400 {
            let lead = Self.lead(&random, index: index, full: false)
            try expectSameBytes(LeadSummaryResource(lead, now: now), "lead \(index)")
        }
    }

    @Test("pages of summaries are byte-identical, with and without a next cursor and a total")
    func pages() throws {
        var random = SeededRandom(seed: 2)
        let now = Timestamp(microseconds: 1_795_428_000_000_000)
        let items = (0..<50).map { LeadSummaryResource(Self.lead(&random, index: $0, full: false), now: now) }
        for (cursor, total) in [(nil, nil), ("AQ-abc_123", nil), (nil, 0), ("x", 123_456)] as [(String?, Int?)] {
            try expectSameBytes(PageResource(items: items, nextCursor: cursor, total: total), "cursor \(cursor ?? "nil")")
            try expectSameBytes(PageResource(items: [LeadSummaryResource](), nextCursor: cursor, total: total), "empty")
        }
    }

    @Test("kanban boards are byte-identical: columns with and without rows, cursors and odd names")
    func kanbanBoards() throws {
        var random = SeededRandom(seed: 4)
        let now = Timestamp(microseconds: 1_795_428_000_000_000)
        var columns: [KanbanResource.Column] = []
        for index in 0..<6 {
            let items = (0..<(index * 3)).map { LeadSummaryResource(Self.lead(&random, index: $0, full: false), now: now) }
            columns.append(
                KanbanResource.Column(
                    step: "step-\(index)", name: Self.text(&random), colour: "#a0b1c\(index)", count: index * 1_000,
                    items: items, nextCursor: index.isMultiple(of: 2) ? nil : "AQ-\(index)"))
        }
        try expectSameBytes(KanbanResource(columns: columns), "board")
        try expectSameBytes(KanbanResource(columns: []), "empty board")
    }

    @Test("full lead resources (notes, actions, tasks, calls, address, custom fields) are byte-identical")
    func leadResources() throws {
        var random = SeededRandom(seed: 3)
        for index in 0..<300 {
            let lead = Self.lead(&random, index: index, full: true)
            let now = Timestamp(microseconds: 1_795_428_000_000_000 + Int64(random.below(1_000_000_000_000)))
            try expectSameBytes(LeadResource(lead, now: now), "lead \(index)")
        }
    }

    @Test("a lowercase id is uuidString.lowercased()")
    func lowercaseIds() {
        for _ in 0..<1_000 {
            let id = UUID()
            #expect(id.lowercased == id.uuidString.lowercased())
        }
        let edge = UUID(uuid: (0, 0x0F, 0xF0, 0xFF, 0x9A, 0xA9, 0, 0, 0, 0, 0, 0, 0, 0, 0xAB, 0xCD))
        #expect(edge.lowercased == "000ff0ff-9aa9-0000-0000-00000000abcd")
    }

    // MARK: - Support

    private struct StringBox: JSONWritable {
        var value: String
        func write(to json: inout JSONBytesWriter) {
            json.beginObject()
            json.key("value", value)
            json.endObject()
        }
    }

    private struct StringsBox: JSONWritable {
        var values: [String]
        func write(to json: inout JSONBytesWriter) {
            json.beginObject()
            json.key("values", values)
            json.endObject()
        }
    }

    private func expectSameBytes(
        _ value: some JSONWritable, _ label: String, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let expected = Array(try JSONResponse.encoder.encode(value))
        let written = JSONResponse.bytes(value)
        #expect(
            written == expected,
            "\(label):\n written \(String(decoding: written, as: UTF8.self))\nexpected \(String(decoding: expected, as: UTF8.self))",
            sourceLocation: sourceLocation)
    }

    /// Text drawn from pieces that exercise escaping: quotes, backslashes, slashes, control characters, non-ASCII.
    static func text(_ random: inout SeededRandom) -> String {
        let pieces = [
            "Jonas", "Petraitis", " ", "\"", "\\", "/", "\n", "\t", "\r", "\u{0}", "\u{1F}", "\u{8}", "\u{C}", "\u{7F}",
            "Žemaitė", "Ąžuolas", "Ёжик", "São Paulo", "😀", "e\u{301}", "\u{2028}", "O'Brien", "<b>&amp;</b>", "{}[],:",
            "UAB „Šilas“", "1234567890",
        ]
        return (0..<random.below(6)).map { _ in pieces[random.below(pieces.count)] }.joined()
    }

    static func optionalText(_ random: inout SeededRandom) -> String? {
        random.below(3) == 0 ? nil : text(&random)
    }

    static func time(_ random: inout SeededRandom) -> Timestamp {
        // Whole seconds and microsecond fractions both occur.
        let micros = 1_700_000_000_000_000 + Int64(random.below(200_000_000_000_000))
        return Timestamp(microseconds: random.below(2) == 0 ? micros - micros % 1_000_000 : micros)
    }

    static func lead(_ random: inout SeededRandom, index: Int, full: Bool) -> LeadState {
        let steps = ["new", "contacted", "qualified", "proposal", "won"]
        var customFields: [String: CustomFieldValue] = [:]
        if full {
            let values: [CustomFieldValue] = [
                .string(text(&random)), .int(Int64(random.below(2_000_000)) - 1_000_000), .int(.min), .int(.max),
                .list("b2b"), .text(text(&random)), .flag(true), .flag(false), .url("https://example.lt/x/y?q=1"),
                .date("2026-11-23"),
            ]
            let keys = ["budget", "Budget", "a", "a1", "aa", "_x", "zeta", "éclair", "B2B", "size"]
            for _ in 0..<random.below(6) { customFields[keys[random.below(keys.count)]] = values[random.below(values.count)] }
        }
        let created = LeadCreated(
            leadId: UUID(), fullName: text(&random), company: optionalText(&random),
            phones: (0..<random.below(3)).map { _ in PhoneNumber(typed: "+370 6\(random.below(10_000_000))") },
            emails: (0..<random.below(3)).map { _ in text(&random) + "@example.lt" },
            address: full && random.below(2) == 0
                ? Address(
                    country: optionalText(&random), city: optionalText(&random), street: optionalText(&random),
                    building: optionalText(&random), flat: optionalText(&random))
                : nil,
            source: text(&random), step: steps[random.below(steps.count)],
            priority: LeadPriority.allCases[random.below(LeadPriority.allCases.count)],
            responsible: random.below(3) == 0 ? nil : UUID(), competitor: optionalText(&random),
            assessment: optionalText(&random), tags: (0..<random.below(4)).map { _ in text(&random) },
            customFields: customFields, comment: optionalText(&random), at: time(&random), by: UUID())
        var lead = LeadState(created: created)
        lead.updatedAt = time(&random)
        lead.updatedBy = UUID()
        lead.version = UInt64(random.below(1_000_000)) + (index == 0 ? UInt64.max / 2 : 1)
        lead.converted = random.below(4) == 0
        lead.deleted = random.below(5) == 0
        lead.linkedCustomer = random.below(3) == 0 ? UUID() : nil
        lead.pausedUntil = random.below(3) == 0 ? time(&random) : nil
        if full {
            lead.watchers = (0..<random.below(3)).map { _ in UUID() }
            lead.mergedInto = random.below(4) == 0 ? UUID() : nil
            lead.mergedFrom = (0..<random.below(2)).map { _ in UUID() }
            lead.notes = (0..<random.below(3)).map { _ in
                Note(
                    id: UUID(), step: steps[random.below(steps.count)], text: text(&random),
                    format: NoteFormat.allCases[random.below(NoteFormat.allCases.count)], createdBy: UUID(),
                    createdAt: time(&random))
            }
            lead.actions = (0..<random.below(3)).map { _ in
                LeadAction(
                    id: UUID(), step: steps[random.below(steps.count)], text: text(&random),
                    actionType: optionalText(&random), admin: random.below(2) == 0 ? nil : UUID(),
                    plannedAt: random.below(2) == 0 ? nil : time(&random), pinned: random.below(2) == 0,
                    completed: random.below(2) == 0, createdBy: UUID(), createdAt: time(&random))
            }
            lead.tasks = (0..<random.below(3)).map { _ in
                LeadTask(
                    id: UUID(), taskType: text(&random), description: text(&random),
                    responsible: random.below(2) == 0 ? nil : UUID(), due: random.below(2) == 0 ? nil : time(&random),
                    closed: random.below(2) == 0, createdBy: UUID(), createdAt: time(&random))
            }
            lead.calls = (0..<random.below(3)).map { _ in
                LeadCall(
                    id: UUID(), number: text(&random), digits: "79123456789", takenBy: random.below(2) == 0 ? nil : UUID(),
                    at: time(&random))
            }
        }
        return lead
    }
}

/// SplitMix64: the same sequence on every run, so a failing case can be found again.
struct SeededRandom {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
}

/// Calls the unconstrained `PageCursor.encoded()` (its `JSONEncoder` path) for a key that also has a writer.
enum PageCursorGeneric {
    static func encoded<Key>(_ cursor: PageCursor<Key>) -> String { cursor.encoded() }
}
