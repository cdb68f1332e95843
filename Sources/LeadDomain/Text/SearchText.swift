import Foundation

/// Text folding for search and matching, in one place: the search index and every case-insensitive comparison
/// call `SearchText.fold`.
///
/// Folding lowercases, removes diacritics from Latin letters (Lithuanian `ąčęėįšųūž` → `aceeisuuz`, also
/// `ł` → `l`, `ø` → `o`, `ß` → `ss`) and keeps Cyrillic as Cyrillic lowercase, folding only `ё` → `е` and
/// `й` → `и` (users type them interchangeably). Whitespace runs become one space and the ends are trimmed.
///
/// ```swift
/// SearchText.fold("ŠARŪNAS Žemaitė")   // "sarunas zemaite"
/// SearchText.fold("Ёлкин Йошкар")     // "елкин иошкар"
/// ```
public enum SearchText {
    /// The folded form of `text`.
    ///
    /// Text made only of scalars below U+0530 (Latin, Latin-1, Latin Extended-A/B, IPA, Greek, Cyrillic — every
    /// name the system sees in practice) is folded through a per-scalar table built once from `foldSlow`'s own
    /// rules; anything else takes `foldSlow`. The two agree: lowercasing is per scalar, and the canonical
    /// reordering NFD adds across scalars only moves combining marks, which folding drops.
    public static func fold(_ text: String) -> String {
        if let folded = FoldTable.shared.fold(text) { return folded }
        return foldSlow(text)
    }

    /// The reference implementation of `fold` (Foundation's NFD over the whole text).
    static func foldSlow(_ text: String) -> String {
        var result = String.UnicodeScalarView()
        var pendingSpace = false
        // Decompose (NFD) so diacritics become separate combining marks we can drop.
        for scalar in text.lowercased().decomposedStringWithCanonicalMapping.unicodeScalars {
            if scalar.properties.isWhitespace {
                pendingSpace = !result.isEmpty
                continue
            }
            if scalar.properties.generalCategory == .nonspacingMark { continue }
            if pendingSpace {
                result.append(" ")
                pendingSpace = false
            }
            result.append(contentsOf: replacement(scalar))
        }
        return String(result)
    }

    /// The letters folded beyond NFD.
    private static func replacement(_ scalar: Unicode.Scalar) -> String.UnicodeScalarView {
        switch scalar {
        case "ł": "l".unicodeScalars
        case "ø": "o".unicodeScalars
        case "đ": "d".unicodeScalars
        case "ß": "ss".unicodeScalars
        case "ı": "i".unicodeScalars
        default: String.UnicodeScalarView([scalar])
        }
    }

    /// Whether `text` contains `query` once both are folded.
    public static func matches(_ text: String, query: String) -> Bool {
        let needle = fold(query)
        return needle.isEmpty || fold(text).contains(needle)
    }

    /// For each scalar below `limit`: whitespace, or the UTF-8 bytes it folds to (possibly none).
    struct FoldTable: Sendable {
        static let limit: UInt32 = 0x0530
        static let shared = FoldTable()

        /// Per scalar: -1 whitespace, -2 not handled (take the slow path), else the start of its bytes in `bytes`.
        private var starts: [Int32] = []
        private var ends: [Int32] = []
        private var bytes: [UInt8] = []

        init() {
            starts.reserveCapacity(Int(Self.limit))
            ends.reserveCapacity(Int(Self.limit))
            for value in 0..<Self.limit {
                guard let scalar = Unicode.Scalar(value), let entry = Self.entry(scalar) else {
                    starts.append(-2)
                    ends.append(-2)
                    continue
                }
                switch entry {
                case .whitespace:
                    starts.append(-1)
                    ends.append(-1)
                case .bytes(let folded):
                    starts.append(Int32(bytes.count))
                    bytes.append(contentsOf: folded)
                    ends.append(Int32(bytes.count))
                }
            }
        }

        private enum Entry {
            case whitespace
            case bytes([UInt8])
        }

        /// What `foldSlow` makes of `scalar` wherever it stands, or nil when that could depend on its neighbours.
        private static func entry(_ scalar: Unicode.Scalar) -> Entry? {
            if scalar.properties.isWhitespace { return .whitespace }
            // Greek capital sigma: its lowercase form could depend on the position in a word.
            if scalar == "\u{03A3}" { return nil }
            var out: [UInt8] = []
            for s in String(Character(scalar)).lowercased().decomposedStringWithCanonicalMapping.unicodeScalars {
                // A kept scalar that canonical ordering could move, or whitespace produced by a mapping: not local.
                if s.properties.isWhitespace { return nil }
                if s.properties.generalCategory == .nonspacingMark { continue }
                if s.properties.canonicalCombiningClass != .notReordered { return nil }
                out.append(contentsOf: String(replacement(s)).utf8)
            }
            return .bytes(out)
        }

        /// The folded text, or nil when a scalar is outside the table.
        func fold(_ text: String) -> String? {
            var text = text
            return text.withUTF8 { utf8 -> String? in
                var out: [UInt8] = []
                out.reserveCapacity(utf8.count + 8)
                var pendingSpace = false
                var i = 0
                let n = utf8.count
                while i < n {
                    let b0 = utf8[i]
                    let value: UInt32
                    if b0 < 0x80 {
                        value = UInt32(b0)
                        i += 1
                    } else if b0 & 0xE0 == 0xC0, i + 1 < n {
                        value = UInt32(b0 & 0x1F) << 6 | UInt32(utf8[i + 1] & 0x3F)
                        i += 2
                    } else {
                        return nil
                    }
                    guard value < Self.limit else { return nil }
                    let start = starts[Int(value)]
                    if start == -2 { return nil }
                    if start == -1 {
                        pendingSpace = !out.isEmpty
                        continue
                    }
                    let end = ends[Int(value)]
                    if start == end { continue }
                    if pendingSpace {
                        out.append(0x20)
                        pendingSpace = false
                    }
                    var k = Int(start)
                    while k < Int(end) {
                        out.append(bytes[k])
                        k += 1
                    }
                }
                return String(decoding: out, as: UTF8.self)
            }
        }
    }
}
