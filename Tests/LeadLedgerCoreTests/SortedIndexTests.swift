import Testing

@testable import LeadLedgerCore

@Suite("SortedIndex")
struct SortedIndexTests {
    @Test("random inserts and removals keep the same elements, in order, as a set would")
    func matchesASetModel() {
        var generator = SplitMix64(seed: 42)
        for round in 0..<20 {
            var index = SortedIndex<Int>()
            var model = Set<Int>()
            let upper = round.isMultiple(of: 2) ? 3_000 : 100_000
            for _ in 0..<10_000 {
                let value = Int(generator.next() % UInt64(upper))
                if generator.next().isMultiple(of: 2) {
                    #expect(index.insert(value) == model.insert(value).inserted)
                } else {
                    #expect(index.remove(value) == (model.remove(value) != nil))
                }
            }
            #expect(index.elements == model.sorted())
            #expect(index.count == model.count)
        }
    }

    @Test("count(after:) is the number of elements above any bound, across chunk edges")
    func countsAbove() {
        var generator = SplitMix64(seed: 9)
        var index = SortedIndex<Int>()
        var model = Set<Int>()
        for _ in 0..<5_000 {
            let value = Int(generator.next() % 20_000)
            index.insert(value)
            model.insert(value)
        }
        for _ in 0..<1_000 { let value = Int(generator.next() % 20_000); index.remove(value); model.remove(value) }
        for bound in [-1, 0, 1, 9_999, 10_000, 19_999, 20_000] + model.sorted().prefix(40) {
            #expect(index.count(after: bound) == model.filter { $0 > bound }.count, "\(bound)")
        }
        #expect(SortedIndex<Int>().count(after: 0) == 0)
    }

    /// Ordered by the first field only, like an index entry that carries a payload.
    struct Keyed: Comparable {
        var key: Int
        var payload: String
        static func < (a: Keyed, b: Keyed) -> Bool { a.key < b.key }
        static func == (a: Keyed, b: Keyed) -> Bool { a.key == b.key }
    }

    @Test("replace swaps the payload of the element with the same key, and refuses a missing one")
    func replacesPayload() {
        var index = SortedIndex((0..<2_000).map { Keyed(key: $0 * 2, payload: "old") })
        let replaced = index.replace(Keyed(key: 1_000, payload: "new"))
        let missing = index.replace(Keyed(key: 1_001, payload: "new"))
        #expect(replaced)
        #expect(!missing)
        #expect(index.count == 2_000)
        var payloads: [Int: String] = [:]
        index.forEachAddress { payloads[$0.pointee.key] = $0.pointee.payload; return true }
        #expect(payloads[1_000] == "new")
        #expect(payloads.values.filter { $0 == "new" }.count == 1)
    }

    @Test("paging after a key returns the next elements, ascending and descending")
    func pagesFromAKey() {
        let values = stride(from: 0, to: 10_000, by: 3).map { $0 }
        let index = SortedIndex(values.shuffled())
        for key in [-1, 0, 1, 2_999, 3_000, 5_001, 9_999, 10_000] {
            var ascending: [Int] = []
            index.forEach(after: key) { ascending.append($0); return ascending.count < 50 }
            #expect(ascending == Array(values.filter { $0 > key }.prefix(50)))

            var descending: [Int] = []
            index.forEach(after: key, descending: true) { descending.append($0); return descending.count < 50 }
            #expect(descending == Array(values.filter { $0 < key }.reversed().prefix(50)))
        }
    }

    @Test("duplicates are stored once and removing a missing element changes nothing")
    func duplicatesAndMissing() {
        var index = SortedIndex([5, 1, 5, 3, 1])
        #expect(index.elements == [1, 3, 5])
        // Mutations outside #expect: the macro cannot expand a mutating call on its captured value (Swift 6.3).
        let reinserted = index.insert(3)
        let removedMissing = index.remove(4)
        #expect(!reinserted)
        #expect(!removedMissing)
        #expect(index.count == 3)
        #expect(index.contains(5) && !index.contains(4))
        #expect(index.first == 1 && index.last == 5)
    }

    @Test("an emptied index pages nothing")
    func emptied() {
        var index = SortedIndex(0..<1_000)
        for value in 0..<1_000 { index.remove(value) }
        #expect(index.isEmpty)
        var visited = 0
        index.forEach(descending: true) { _ in visited += 1; return true }
        index.forEach(after: 10) { _ in visited += 1; return true }
        #expect(visited == 0)
    }
}

/// Deterministic generator so a failure reproduces.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite("SortedIndex ranks")
struct SortedIndexRankTests {
    @Test("element(at:) returns the element of that rank across chunks, nil out of range")
    func elementAtRank() {
        var index = SortedIndex(stride(from: 0, to: 3_000, by: 3))
        for value in stride(from: 1, to: 3_000, by: 3) { index.insert(value) }
        let all = index.elements
        for offset in [0, 1, 511, 512, 1_000, all.count - 1] { #expect(index.element(at: offset) == all[offset]) }
        #expect(index.element(at: -1) == nil)
        #expect(index.element(at: all.count) == nil)
    }

    /// Strings whose UTF-8 byte order is not `String`'s: decomposed (NFD) accents compare as their composed forms.
    static let unnormalized = ["e\u{301}x", "a\u{328}b", "s\u{30C}"]

    @Test("a bulk build from distinct strings has String's order, for normalized and unnormalized text alike")
    func distinctStrings() {
        let normalized = [
            "", "a", "ab", "abc", "b", "ž", "žem", "zz", "иван", "иванов", "іван", "éa", "éx", "f", "ą", "🙂",
            "12345678", "123456789", "1234567890", "12345678a", "abcdefgh", "abcdefghij", "abcdefgi",
        ]
        #expect(SortedIndex(distinct: normalized).elements == normalized.sorted())
        #expect(SortedIndex(distinct: normalized.reversed()).elements == normalized.sorted())
        let mixed = Array(Set(normalized + Self.unnormalized))
        #expect(SortedIndex(distinct: mixed).elements == mixed.sorted())
        // Random words over a small alphabet: many shared prefixes, of 8 bytes and more, and keys that are
        // prefixes of others.
        var generator = SplitMix64(seed: 3)
        let alphabet = Array("aáb2иž")
        var random = Set<String>()
        for _ in 0..<3_000 {
            let length = Int(generator.next() % 12)
            random.insert(String((0..<length).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }))
        }
        #expect(SortedIndex(distinct: random).elements == random.sorted())
        #expect(SortedIndex(distinct: random).count == random.count)
    }

    @Test("an index built from ascending elements equals one built by inserting them, and keeps working")
    func ascendingBuild() {
        for count in [0, 1, 255, 256, 257, 1_000] {
            var built = SortedIndex(ascendingCount: count) { $0 * 2 }
            var inserted = SortedIndex<Int>()
            for value in (0..<count).reversed() { inserted.insert(value * 2) }
            #expect(built.elements == inserted.elements)
            #expect(built.count == count)
            #expect(built.isStrictlyAscending)
            built.insert(1)
            inserted.insert(1)
            built.remove(0)
            inserted.remove(0)
            #expect(built.elements == inserted.elements)
        }
    }

    @Test("the bulk order of lead keys is LeadOrderKey's, with names compared as text and ties broken by id")
    func leadKeyOrder() {
        var generator = SplitMix64(seed: 11)
        let names = ["", "ivan", "иван", "ivanova", "éx", "f", "žemaitė", "zz"] + Self.unnormalized
        var keys: [LeadOrderKey] = []
        for n in 0..<2_000 {
            let id = LeadKey(high: generator.next() % 50, low: UInt64(n))
            keys.append(LeadOrderKey(text: names[Int(generator.next() % UInt64(names.count))], id: id))
        }
        func expected(_ keys: [LeadOrderKey]) -> [Int32] {
            keys.indices.sorted { keys[$0] < keys[$1] }.map { Int32($0) }
        }
        #expect(LeadDirectory.ascendingOrder(of: keys) == expected(keys))
        let plain = keys.filter { !Self.unnormalized.contains($0.text) }
        #expect(LeadDirectory.ascendingOrder(of: plain) == expected(plain))
        let numeric = (0..<2_000).map { n in
            LeadOrderKey(
                primary: Int64(generator.next() % 7) - 3, secondary: Int64(generator.next() % 5),
                id: LeadKey(high: 0, low: UInt64(n)))
        }
        #expect(LeadDirectory.ascendingOrder(of: numeric) == expected(numeric))
    }
}
