import Foundation
import LeadDomain

/// One lead as lists return it: its state and its precomputed name sort key and search tokens (decoded from the
/// projection store's record). Immutable.
///
/// The fields list filters test on every lead a walk passes (step, responsible, pause date, live and converted)
/// are copied ahead of the state, so a filter test reads one cache line before the state.
public final class LeadRecord: Sendable, Equatable {
    let step: String
    /// `pausedUntil` in microseconds, `Int64.min` when the lead has no pause date.
    let pausedUntilMicros: Int64
    let responsible: UUID?
    let flags: Flags
    public let state: LeadState
    /// `SearchText.fold(fullName)`.
    public let nameKey: String
    /// The lead's text search tokens (`LeadSearch.forEachTextToken`) joined by "\n": a search token too common
    /// to collect from the index is tested against these on each lead a walk passes.
    let textTokens: String
    /// The phones' digits joined by "\n" (`LeadSearch.joinedPhoneDigits`).
    let phoneDigits: String
    /// The tags folded (`TagName.key`), so a tag filter compares keys instead of folding every tag it passes.
    let tagKeys: [String]

    struct Flags: OptionSet, Sendable {
        let rawValue: UInt8
        static let merged = Flags(rawValue: 1)
        static let deleted = Flags(rawValue: 2)
        static let converted = Flags(rawValue: 4)

        init(rawValue: UInt8) { self.rawValue = rawValue }

        init(_ state: LeadState) {
            var flags: Flags = []
            if state.mergedInto != nil { flags.insert(.merged) }
            if state.deleted { flags.insert(.deleted) }
            if state.converted { flags.insert(.converted) }
            self = flags
        }

        /// `LeadState.status(at:)` from the flags and the pause date (µs, `Int64.min` when none).
        func status(pausedUntilMicros: Int64, at now: Timestamp) -> LeadStatus {
            if contains(.merged) { return .merged }
            if contains(.deleted) { return .deleted }
            if now.rawValue < pausedUntilMicros { return .paused }
            if contains(.converted) { return .converted }
            return .active
        }
    }

    init(state: LeadState, nameKey: String, textTokens: String? = nil) {
        step = state.step
        pausedUntilMicros = state.pausedUntil?.rawValue ?? .min
        responsible = state.responsible
        flags = Flags(state)
        self.state = state
        self.nameKey = nameKey
        self.textTokens = textTokens ?? Self.joinedTextTokens(of: state, nameKey: nameKey)
        tagKeys = state.tags.map(TagName.key)
        phoneDigits = LeadSearch.joinedPhoneDigits(of: state)
    }

    static func joinedTextTokens(of lead: LeadState, nameKey: String) -> String {
        var joined = ""
        LeadSearch.forEachTextToken(of: lead, nameKey: nameKey) { token in
            if !joined.isEmpty { joined.append("\n") }
            joined.append(token)
        }
        return joined
    }

    /// A lead's record, its keys computed.
    public convenience init(state: LeadState) {
        self.init(state: state, nameKey: LeadSearch.nameKey(of: state))
    }

    /// The text search tokens, each once.
    var textTokenSet: Set<String> {
        var set = Set<String>()
        forEachTextToken { set.insert($0) }
        return set
    }

    /// Calls `body` with each text search token.
    func forEachTextToken(_ body: (String) -> Void) { Self.forEachToken(in: textTokens, body) }

    /// Calls `body` with each token of tokens joined by "\n" (`joinedTextTokens`).
    static func forEachToken(in joined: String, _ body: (String) -> Void) {
        var tokens = joined
        tokens.withUTF8 { t in
            var start = 0
            for index in 0...t.count where index == t.count || t[index] == UInt8(ascii: "\n") {
                if index > start { body(String(decoding: UnsafeBufferPointer(rebasing: t[start..<index]), as: UTF8.self)) }
                start = index + 1
            }
        }
    }

    /// Whether one of the text search tokens starts with `prefix` (`LeadSearch.hasToken`).
    func hasTextToken(withPrefix prefix: String) -> Bool {
        var tokens = textTokens
        return tokens.withUTF8 { LeadSearch.hasToken(in: UnsafeRawBufferPointer($0), withPrefix: prefix) }
    }

    /// `state.status(at:)` from the copied fields.
    func status(at now: Timestamp) -> LeadStatus { flags.status(pausedUntilMicros: pausedUntilMicros, at: now) }

    /// Neither deleted nor merged.
    var isLive: Bool { flags.isDisjoint(with: [.merged, .deleted]) }

    public static func == (a: LeadRecord, b: LeadRecord) -> Bool { a === b || (a.state == b.state && a.nameKey == b.nameKey) }
}
