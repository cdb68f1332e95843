import Foundation
import Testing

@testable import LeadDomain

/// The fast payload decoder (`JSONReader` + generated `init(fastJSON:)`) must read exactly what Foundation's
/// `JSONDecoder` reads: the same event from every payload both accept, a rejection of every payload Foundation
/// rejects. These tests compare the two on the examples, on many randomized rewritings of them, and on broken input.
@Suite("fast JSON payload decoding")
struct FastJSONDecodingTests {
    @Test("every example decodes to the same event through both decoders")
    func examplesDecodeAlike() throws {
        for event in DomainEvent.examples {
            let payload = try event.encodedPayload()
            let fast = try DomainEvent.decodeWithFastJSON(
                type: event.typeName, schemaVersion: event.schemaVersion, payload: payload)
            let reference = try DomainEvent.decodeWithFoundation(
                type: event.typeName, schemaVersion: event.schemaVersion, payload: payload)
            #expect(fast == event)
            #expect(fast == reference)
        }
    }

    @Test("randomized rewritings of the examples decode alike or fail alike", arguments: 0..<4)
    func randomizedPayloadsAgree(seed: UInt64) throws {
        var random = SplitMix64(seed: 0x5EED_0000 + seed)
        var accepted = 0
        var total = 0
        for event in DomainEvent.examples {
            let tree = try JSONDecoder().decode(JSONValue.self, from: Data(try event.encodedPayload()))
            for _ in 0..<60 {
                let mutated = tree.mutated(using: &random)
                let payload = Array(mutated.written(using: &random).utf8)
                let outcome = try compare(event.typeName, event.schemaVersion, payload)
                total += 1
                if outcome { accepted += 1 }
            }
        }
        // Most rewritings must stay valid, or the test would only compare failures.
        #expect(accepted * 2 > total, "only \(accepted) of \(total) rewritings were valid")
    }

    @Test("whitespace, key order, escapes and unknown keys do not change the decoded event")
    func rewritingsOfValidPayloadsDecodeToTheSameEvent() throws {
        var random = SplitMix64(seed: 42)
        for event in DomainEvent.examples {
            let tree = try JSONDecoder().decode(JSONValue.self, from: Data(try event.encodedPayload()))
            for _ in 0..<20 {
                let payload = Array(tree.withUnknownKeys(using: &random).written(using: &random).utf8)
                let fast = try DomainEvent.decodeWithFastJSON(
                    type: event.typeName, schemaVersion: event.schemaVersion, payload: payload)
                #expect(fast == event, "\(String(decoding: payload, as: UTF8.self))")
            }
        }
    }

    @Test("payloads with random bytes changed, dropped or repeated decode alike or fail alike", arguments: 0..<2)
    func mutatedBytesAgree(seed: UInt64) throws {
        var random = SplitMix64(seed: 0xB17E_0000 + seed)
        let significant = Array(#""\{}[],:0-9e.ntfu "#.utf8) + [0x00, 0x1F, 0x7F, 0x80, 0xC3, 0xFF]
        for event in DomainEvent.examples {
            let payload = try event.encodedPayload()
            for _ in 0..<150 {
                var bytes = payload
                for _ in 0..<(1 + random.next() % 3) {
                    let index = Int(random.next() % UInt64(bytes.count))
                    switch random.next() % 3 {
                    case 0: bytes[index] = significant[Int(random.next() % UInt64(significant.count))]
                    case 1: bytes.remove(at: index)
                    default:
                        let end = min(bytes.count, index + Int(random.next() % 8))
                        bytes.insert(contentsOf: bytes[index..<end], at: index)
                    }
                }
                _ = try compare(event.typeName, event.schemaVersion, bytes)
            }
        }
    }

    @Test("Foundation's lenient corners are read the same", arguments: lenientPayloads)
    func lenientCornersAgree(payload: String) throws {
        _ = try compare("LeadPaused", 1, Array(payload.utf8))
    }

    @Test("broken payloads are rejected by both decoders", arguments: brokenPayloads)
    func brokenPayloadsAreRejected(payload: String) throws {
        let accepted = try compare("LeadPaused", 1, Array(payload.utf8))
        #expect(!accepted)
    }

    @Test("broken bytes are rejected by both decoders")
    func brokenBytesAreRejected() throws {
        let valid = Array(#"{"at":1,"by":"\#(adminID)","leadId":"\#(leadID)","until":2}"#.utf8)
        for length in 0..<valid.count {
            #expect(try !compare("LeadPaused", 1, Array(valid[0..<length])), "prefix of \(length) bytes")
        }
        let tag = #"{"at":1,"by":"\#(adminID)","leadId":"\#(leadID)","tag":"#
        for bad: [UInt8] in [[0xC3, 0x28], [0xFF], [0xED, 0xA0, 0x80], [0xC0, 0x80], [0x09], [0x00], [0xE2, 0x82]] {
            let payload = Array(tag.utf8) + [0x22] + bad + Array("\"}".utf8)
            #expect(try !compare("LeadTagged", 1, payload), "\(bad)")
        }
    }

    @Test("a missing or mistyped field is named in the error", arguments: namedFieldErrors)
    func errorsNameTheField(type: String, payload: String, field: String) throws {
        #expect(try !compare(type, 1, Array(payload.utf8)))
        do {
            _ = try DomainEvent.decodeWithFastJSON(type: type, schemaVersion: 1, payload: Array(payload.utf8))
            Issue.record("accepted \(payload)")
        } catch {
            guard case .invalidPayload(_, _, let reason) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(reason.contains(field), "\(reason)")
        }
    }

    @Test("a v1 NoteAdded is upcast to a plain-text note by both decoders")
    func noteAddedV1IsUpcast() throws {
        let payload = Array(
            #"{"at":5,"by":"\#(adminID)","leadId":"\#(leadID)","noteId":"\#(leadID)","step":"new","text":"Hi"}"#.utf8)
        let fast = try DomainEvent.decodeWithFastJSON(type: "NoteAdded", schemaVersion: 1, payload: payload)
        #expect(try compare("NoteAdded", 1, payload))
        guard case .noteAdded(let note) = fast else {
            Issue.record("decoded \(fast)")
            return
        }
        #expect(note.format == .plain)
        #expect(note.text == "Hi")
        // v2 requires the format.
        #expect(try !compare("NoteAdded", 2, payload))
    }

    @Test("unknown types and versions are refused alike")
    func unknownTypesAndVersions() {
        let payload = Array("{}".utf8)
        for (type, version) in [("NoSuchEvent", UInt16(1)), ("LeadCreated", 0), ("LeadCreated", 2), ("NoteAdded", 3)] {
            let fast = failure { () throws(EventCodecError) in
                try DomainEvent.decodeWithFastJSON(type: type, schemaVersion: version, payload: payload)
            }
            let reference = failure { () throws(EventCodecError) in
                try DomainEvent.decodeWithFoundation(type: type, schemaVersion: version, payload: payload)
            }
            #expect(fast != nil)
            #expect(fast == reference)
        }
    }

    @Test("DomainEvent.decode reads through the fast decoder")
    func decodeUsesTheFastPath() throws {
        // Only the fast decoder's reasons carry byte offsets.
        let payload = Array(#"{"at":1,"by":"\#(adminID)","leadId":"\#(leadID)"}"#.utf8)
        do {
            _ = try DomainEvent.decode(type: "LeadPaused", schemaVersion: 1, payload: payload)
            Issue.record("accepted a LeadPaused without until")
        } catch {
            #expect("\(error)".contains("missing required field `until`"), "\(error)")
        }
    }
}

// MARK: - Comparing the two decoders

private let adminID = "9c4f5d71-b06e-4f4d-a1a2-3d4e5f607182"
private let leadID = "6f1c2a4e-8d3b-4c1a-9e7f-0a1b2c3d4e5f"

/// Decodes with both decoders and records an issue unless both give the same event or both fail; returns whether
/// the payload was accepted.
private func compare(_ type: String, _ version: UInt16, _ payload: [UInt8]) throws -> Bool {
    let fast = Result { try DomainEvent.decodeWithFastJSON(type: type, schemaVersion: version, payload: payload) }
    let reference = Result {
        try DomainEvent.decodeWithFoundation(type: type, schemaVersion: version, payload: payload)
    }
    switch (fast, reference) {
    case (.success(let a), .success(let b)):
        #expect(a == b, "decoded differently: \(String(decoding: payload, as: UTF8.self))")
        return true
    case (.failure, .failure):
        return false
    case (.success, .failure(let error)):
        Issue.record("fast accepted, Foundation refused (\(error)): \(String(decoding: payload, as: UTF8.self))")
        return false
    case (.failure(let error), .success):
        Issue.record("Foundation accepted, fast refused (\(error)): \(String(decoding: payload, as: UTF8.self))")
        return false
    }
}

private func failure(_ body: () throws(EventCodecError) -> DomainEvent) -> EventCodecError? {
    do {
        _ = try body()
        return nil
    } catch {
        return error
    }
}

private let lenientPayloads: [String] = [
    #"{"at":1,"by":"\#(adminID)","leadId":"\#(leadID)","until":2,}"#,
    "\u{FEFF}" + #"{"at":1,"by":"\#(adminID)","leadId":"\#(leadID)","until":2}"#,
    #"{"at":1,"at":"x","by":"\#(adminID)","leadId":"\#(leadID)","until":2}"#,
    #"{"at":1.0,"by":"\#(adminID)","leadId":"\#(leadID)","until":2e2}"#,
    #"{"at":-0,"by":"\#(adminID)","leadId":"\#(leadID)","until":-1.0e1}"#,
    #"{"at":1,"by":"\#(adminID.uppercased())","leadId":"\#(leadID)","until":2}"#,
    #"{"at":1,"by":"\u0039c4f5d71-b06e-4f4d-a1a2-3d4e5f607182","leadId":"\#(leadID)","until":2}"#,
    #"{"\u0061t":1,"by":"\#(adminID)","leadId":"\#(leadID)","until":2}"#,
    #"{"at":1,"by":"\#(adminID)","leadId":"\#(leadID)","until":2,"x":"\q\ud800","y":[1,],"z":{"k":--,},"w":0.e}"#,
    #"{"at":1,"by":"\#(adminID)","leadId":"\#(leadID)","until":2,"x":{"\q":1,"\ud800":[{"\x":2}]}}"#,
    "{\"at\":1,\"by\":\"\(adminID)\",\"leadId\":\"\(leadID)\",\"until\":2,\"x\":{\"a\tb\":\"c\u{1}d\"}}",
    #" {"at":1,"by":"\#(adminID)","leadId":"\#(leadID)","until":2} "# + "\n\t\r",
    #"{"at":9223372036854775807,"by":"\#(adminID)","leadId":"\#(leadID)","until":-9223372036854775808}"#,
    #"{"at":9.223372036854775e18,"by":"\#(adminID)","leadId":"\#(leadID)","until":0.1e1}"#,
    #"{"at":10e-1,"by":"\#(adminID)","leadId":"\#(leadID)","until":1E+02}"#,
    #"{"at":0e99999,"by":"\#(adminID)","leadId":"\#(leadID)","until":-0.0}"#,
    #"{"at":1234.5e1,"by":"\#(adminID)","leadId":"\#(leadID)","until":-92233720368547758.07e2}"#,
    #"{"at":5e-1,"by":"\#(adminID)","leadId":"\#(leadID)","until":1}"#,
    #"{"at":1e-400,"by":"\#(adminID)","leadId":"\#(leadID)","until":1}"#,
    #"{"at":922337203685477580.7e1,"by":"\#(adminID)","leadId":"\#(leadID)","until":1}"#,
    #"{"at":9223372036854775806.0,"by":"\#(adminID)","leadId":"\#(leadID)","until":1}"#,
    #"{"at":9223372036854775000.0,"by":"\#(adminID)","leadId":"\#(leadID)","until":1}"#,
    #"{"at":-9223372036854775807.0,"by":"\#(adminID)","leadId":"\#(leadID)","until":1}"#,
    #"{"at":-9223372036854775808e0,"by":"\#(adminID)","leadId":"\#(leadID)","until":1}"#,
    #"{"at":1e-128,"by":"\#(adminID)","leadId":"\#(leadID)","until":1}"#,
    #"{"at":1.0000000000000000001,"by":"\#(adminID)","leadId":"\#(leadID)","until":1}"#,
    #"{"at":1.00000000000000000000000000000000000000001,"by":"\#(adminID)","leadId":"\#(leadID)","until":1}"#,
    #"{"at":12345678901234567890123456789000000000000e-30,"by":"\#(adminID)","leadId":"\#(leadID)","until":1}"#,
    #"{"at":9.223372036854775807e18,"by":"\#(adminID)","leadId":"\#(leadID)","until":1}"#,
    #"{"at":123456789.123456789e9,"by":"\#(adminID)","leadId":"\#(leadID)","until":1}"#,
    #"{"at":4611686018427387905.0,"by":"\#(adminID)","leadId":"\#(leadID)","until":1}"#,
    #"{"at":9007199254740993.0,"by":"\#(adminID)","leadId":"\#(leadID)","until":1}"#,
    #"{"at":-1e-400,"by":"\#(adminID)","leadId":"\#(leadID)","until":1}"#,
    #"{"at":2e-1000,"by":"\#(adminID)","leadId":"\#(leadID)","until":1}"#,
]

private let brokenPayloads: [String] = [
    "", " ", "[]", "null", "{", "}",
    #"{"at":1,"by":"\#(adminID)","leadId":"\#(leadID)","until":2} x"#,
    #"{"at":1,"by":"\#(adminID)","leadId":"\#(leadID)","until":2}}"#,
    #"{"at":1,"by":"\#(adminID)","leadId":"\#(leadID)","until":2,,}"#,
    #"{,"at":1,"by":"\#(adminID)","leadId":"\#(leadID)","until":2}"#,
    #"{"at":1 "by":"\#(adminID)","leadId":"\#(leadID)","until":2}"#,
    #"{"at":1,"by":"\#(adminID)","leadId":"\#(leadID)","until":9223372036854775808}"#,
    #"{"at":1,"by":"\#(adminID)","leadId":"\#(leadID)","until":-9223372036854775809}"#,
    #"{"at":1,"by":"\#(adminID)","leadId":"\#(leadID)","until":12345678901234567890123}"#,
    #"{"at":1,"by":"\#(adminID)","leadId":"\#(leadID)","until":1e19}"#,
    #"{"at":1,"by":"\#(adminID)","leadId":"\#(leadID)","until":-9223372036854775808.0}"#,
    #"{"at":1,"by":"\#(adminID)","leadId":"\#(leadID)","until":1.5}"#,
    #"{"at":1,"by":"\#(adminID)","leadId":"\#(leadID)","until":01}"#,
    #"{"at":1,"by":"\#(adminID)","leadId":"\#(leadID)","until":1.}"#,
    #"{"at":1,"by":"\#(adminID)","leadId":"\#(leadID)","until":+1}"#,
    #"{"at":1,"by":"\#(adminID)","leadId":"\#(leadID)","until":--1}"#,
    #"{"at":1,"by":"\#(adminID)","leadId":"\#(leadID)","until":"2"}"#,
    #"{"at":1,"by":"\#(adminID)","leadId":"\#(leadID)","until":null}"#,
    #"{"at":1,"by":"\#(adminID)","leadId":"\#(leadID)","until":true}"#,
    #"{"at":1,"by":"\#(adminID)","leadId":"\#(leadID)","until":1x}"#,
    #"{"at":1,"by":"\#(adminID)","leadId":"\#(leadID)"}"#,
    #"{"at":1,"by":"\#(adminID)","leadId":"6f1c2a4e8d3b4c1a9e7f0a1b2c3d4e5f","until":2}"#,
    #"{"at":1,"by":"\#(adminID)","leadId":"{6f1c2a4e-8d3b-4c1a-9e7f-0a1b2c3d4e5f}","until":2}"#,
    #"{"at":1,"by":"\#(adminID)","leadId":"6f1c2a4e-8d3b-4c1a-9e7f-0a1b2c3d4e5g","until":2}"#,
    #"{"at":1,"by":"\#(adminID)","leadId":"6f1c2a4e-8d3b-4c1a-9e7f+0a1b2c3d4e5f","until":2}"#,
    #"{"at":1,"by":"\#(adminID)","leadId":"","until":2}"#,
    #"{"at":1,"by":"\#(adminID)","leadId":"\#(leadID)","until":2,"x":tru}"#,
    #"{"at":1,"by":"\#(adminID)","leadId":"\#(leadID)","until":2,"x":[,]}"#,
    #"{"at":1,"by":"\#(adminID)","leadId":"\#(leadID)","until":2,"x":{"k" 1}}"#,
    #"{"at":1,"by":"\#(adminID)","leadId":"\#(leadID)","until":2,"x":"open}"#,
    #"{"at":1,"by":"\#(adminID)","leadId":"\#(leadID)","until":2,"\q":1}"#,
    #"{"at":1,"by":"\#(adminID)","leadId":"\#(leadID)","until":2,"\ud800":1}"#,
    #"{"at":1,"by":"\#(adminID)","leadId":"\#(leadID)","until":2,"a"#,
]

private let namedFieldErrors: [(String, String, String)] = [
    ("LeadPaused", #"{"at":1,"by":"\#(adminID)","leadId":"\#(leadID)"}"#, "`until`"),
    ("LeadPaused", #"{"at":1,"by":"\#(adminID)","until":1}"#, "`leadId`"),
    ("LeadPaused", #"{"at":1,"by":"\#(adminID)","leadId":"\#(leadID)","until":"soon"}"#, "until: expected integer"),
    ("LeadPaused", #"{"at":1,"by":"\#(adminID)","leadId":"nope","until":1}"#, "leadId: invalid UUID"),
    ("LeadTagged", #"{"at":1,"by":"\#(adminID)","leadId":"\#(leadID)","tag":"bad \q"}"#, "tag: invalid escape"),
    ("LeadTagged", #"{"at":1,"by":"\#(adminID)","leadId":"\#(leadID)","tag":"\ud83d"}"#, "tag: unpaired"),
    ("LeadTagged", #"{"at":1,"by":"\#(adminID)","leadId":"\#(leadID)","tag":null}"#, "tag: expected string"),
    (
        "LeadUpdated", #"{"at":1,"by":"\#(adminID)","changes":{"fullName":{"to":"X"}},"leadId":"\#(leadID)"}"#,
        "changes.fullName: missing required field `from`"
    ),
    (
        "LeadUpdated",
        #"{"at":1,"by":"\#(adminID)","changes":{"phones":{"from":[],"to":[{"typed":"1","digits":1,"hasPlus":false}]}},"leadId":"\#(leadID)"}"#,
        "changes.phones.to[0].digits: expected string"
    ),
    (
        "LeadUpdated",
        #"{"at":1,"by":"\#(adminID)","changes":{"priority":{"from":"low","to":"asap"}},"leadId":"\#(leadID)"}"#,
        "changes.priority.to"
    ),
    (
        "LeadCreated",
        #"{"at":1,"by":"\#(adminID)","customFields":{"budget":{"type":"int","value":"5"}},"emails":[],"fullName":"A","leadId":"\#(leadID)","phones":[],"priority":"low","source":"s","step":"new","tags":[]}"#,
        "customFields.budget.value: expected integer"
    ),
    (
        "LeadCreated",
        #"{"at":1,"by":"\#(adminID)","customFields":{},"emails":[],"fullName":"A","leadId":"\#(leadID)","phones":[],"priority":"low","source":"s","tags":[]}"#,
        "`step`"
    ),
]

// MARK: - Rewriting payloads

/// A JSON value with its object members in order, to rewrite payloads in ways both decoders must read alike.
private indirect enum JSONValue: Decodable {
    case null
    case bool(Bool)
    case int(Int64)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let bool = try? container.decode(Bool.self) {
            self = .bool(bool)
        } else if let int = try? container.decode(Int64.self) {
            self = .int(int)
        } else if let string = try? container.decode(String.self) {
            self = .string(string)
        } else if let array = try? container.decode([JSONValue].self) {
            self = .array(array)
        } else {
            self = .object(try container.decode([String: JSONValue].self).sorted { $0.key < $1.key })
        }
    }

    /// Enum raw values are kept, so most rewritings stay valid.
    static let enumValues: Set<String> = Set(
        LeadPriority.allCases.map(\.rawValue) + NoteFormat.allCases.map(\.rawValue)
            + CustomFieldType.allCases.map(\.rawValue) + LeadField.allCases.map(\.rawValue)
            + FieldLimitsPreset.allCases.map(\.rawValue) + AdminRole.allCases.map(\.rawValue)
            + Permission.allCases.map(\.rawValue))

    /// Random strings, numbers and booleans in place of the example's; null members dropped now and then;
    /// unknown and duplicate keys added.
    func mutated(using random: inout SplitMix64) -> JSONValue {
        switch self {
        case .null: return .null
        case .bool(let b): return .bool(random.chance(0.3) ? !b : b)
        case .int(let i):
            guard random.chance(0.3) else { return .int(i) }
            switch random.next() % 4 {
            case 0: return .int(Int64(bitPattern: random.next()))
            case 1: return .int(random.chance(0.5) ? .max : .min)
            default: return .int(Int64(random.next() % 2_000_000) - 1_000_000)
            }
        case .string(let s):
            if let uuid = UUID(uuidString: s) {
                let text = random.chance(0.5) ? uuid.uuidString : UUID(random: &random).uuidString
                return .string(random.chance(0.5) ? text.lowercased() : text)
            }
            if Self.enumValues.contains(s) || random.chance(0.4) { return .string(s) }
            return .string(randomText(using: &random))
        case .array(let items): return .array(items.map { $0.mutated(using: &random) })
        case .object(let members):
            var out: [(String, JSONValue)] = []
            for (key, value) in members {
                if case .null = value, random.chance(0.3) { continue }
                out.append((key, value.mutated(using: &random)))
                if random.chance(0.05) { out.append((key, randomValue(using: &random, depth: 0))) }
            }
            if random.chance(0.2) { out.append((randomText(using: &random), randomValue(using: &random, depth: 0))) }
            return .object(out)
        }
    }

    /// The same payload with an unknown key added (and nothing else changed).
    func withUnknownKeys(using random: inout SplitMix64) -> JSONValue {
        switch self {
        case .object(let members):
            var out = members
            if random.chance(0.5) {
                out.append(("zz-" + randomText(using: &random), randomValue(using: &random, depth: 0)))
            }
            return .object(out)
        default: return self
        }
    }

    /// JSON text with members in random order, random whitespace and randomly escaped characters.
    func written(using random: inout SplitMix64) -> String {
        var out = ""
        write(to: &out, using: &random)
        return out
    }

    private func write(to out: inout String, using random: inout SplitMix64) {
        space(&out, &random)
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i):
            if i.magnitude < 1 << 50, random.chance(0.05) {
                out += random.chance(0.5) ? "\(i).0" : "\(i)e0"
            } else {
                out += "\(i)"
            }
        case .string(let s): writeString(s, to: &out, using: &random)
        case .array(let items):
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += "," }
                item.write(to: &out, using: &random)
                space(&out, &random)
            }
            out += "]"
        case .object(let members):
            out += "{"
            let ordered = random.chance(0.5) ? members : members.shuffled(using: &random)
            for (index, (key, value)) in ordered.enumerated() {
                if index > 0 { out += "," }
                space(&out, &random)
                writeString(key, to: &out, using: &random)
                space(&out, &random)
                out += ":"
                value.write(to: &out, using: &random)
                space(&out, &random)
            }
            out += "}"
        }
    }
}

private func space(_ out: inout String, _ random: inout SplitMix64) {
    guard random.chance(0.2) else { return }
    for _ in 0..<(1 + random.next() % 3) { out += [" ", "\t", "\n", "\r"][Int(random.next() % 4)] }
}

private func writeString(_ s: String, to out: inout String, using random: inout SplitMix64) {
    out += "\""
    for scalar in s.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n" where random.chance(0.5): out += "\\n"
        case "\t" where random.chance(0.5): out += "\\t"
        case "/" where random.chance(0.5): out += "\\/"
        default:
            if scalar.value < 0x20 || random.chance(0.1) {
                out += unicodeEscape(scalar, uppercase: random.chance(0.5))
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
    }
    out += "\""
}

private func unicodeEscape(_ scalar: Unicode.Scalar, uppercase: Bool) -> String {
    func hex(_ unit: UInt16) -> String {
        let digits = String(unit, radix: 16, uppercase: uppercase)
        return "\\u" + String(repeating: "0", count: 4 - digits.count) + digits
    }
    return String(scalar).utf16.map(hex).joined()
}

private let alphabet: [String] = [
    "a", "Z", "0", " ", "\"", "\\", "/", "\n", "\t", "\r", "\u{0}", "\u{1}", "\u{1F}", "\u{7F}", "Ж", "щ", "Ё", "ą",
    "č", "ę", "ė", "į", "š", "ų", "ū", "ž", "Š", "😀", "👩‍💻", "🇱🇹", "é", "e\u{301}", "中", "\u{FEFF}", "\u{2028}", "{",
    "}", "[", "]", ":", ",",
]

private func randomText(using random: inout SplitMix64) -> String {
    var s = ""
    for _ in 0..<(random.next() % 12) { s += alphabet[Int(random.next() % UInt64(alphabet.count))] }
    return s
}

private func randomValue(using random: inout SplitMix64, depth: Int) -> JSONValue {
    switch random.next() % (depth < 2 ? 7 : 5) {
    case 0: return .null
    case 1: return .bool(random.chance(0.5))
    case 2: return .int(Int64(bitPattern: random.next()))
    case 3, 4: return .string(randomText(using: &random))
    case 5: return .array((0..<random.next() % 3).map { _ in randomValue(using: &random, depth: depth + 1) })
    default:
        return .object(
            (0..<random.next() % 3).map { _ in
                (randomText(using: &random), randomValue(using: &random, depth: depth + 1))
            })
    }
}

/// A small deterministic generator, so a failure can be replayed.
private struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func chance(_ p: Double) -> Bool { Double(next() % 1_000_000) < p * 1_000_000 }
}

extension UUID {
    fileprivate init(random: inout SplitMix64) {
        let a = random.next()
        let b = random.next()
        self = withUnsafeBytes(of: (a, b)) { bytes in
            UUID(
                uuid: (
                    bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7], bytes[8], bytes[9],
                    bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
                ))
        }
    }
}
