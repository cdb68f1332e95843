import Foundation

/// An ordered set kept as a list of sorted chunks: the index behind keyset pagination.
///
/// Lists, kanban columns and per-manager views page through leads in a stable order
/// (for example `(updatedAt, id)`), starting after a cursor. A flat sorted array would make each
/// update an O(n) move at 10^6 leads; a chunked array keeps inserts and removals to a binary
/// search plus a move inside one chunk of at most `maxChunk` elements, and iteration from any
/// key to a binary search over chunk bounds.
///
/// ```swift
/// var index = SortedIndex<LeadSortKey>()
/// index.insert(key)
/// index.forEach(after: cursorKey, descending: true) { key in rows.append(key); return rows.count < 50 }
/// ```
public struct SortedIndex<Element: Comparable & Sendable>: Sendable {
    /// Chunks are non-empty, each sorted, and every element of chunk i is below every element of chunk i+1.
    private var chunks: [[Element]] = []
    public private(set) var count = 0

    static var maxChunk: Int { 512 }

    public init() {}

    /// Builds the index from any sequence in O(n log n); duplicates are dropped.
    public init<S: Sequence>(_ elements: S) where S.Element == Element {
        var all = Array(elements)
        all.sort()
        var unique: [Element] = []
        unique.reserveCapacity(all.count)
        for element in all where unique.last != element { unique.append(element) }
        count = unique.count
        let half = Self.maxChunk / 2
        var start = 0
        while start < unique.count {
            let end = Swift.min(start + half, unique.count)
            chunks.append(Array(unique[start..<end]))
            start = end
        }
    }

    /// Builds the index from `count` elements that `element(i)` yields in strictly ascending order (bulk builds that
    /// sorted their keys elsewhere): each element is made once, straight into its chunk.
    init(ascendingCount count: Int, _ element: (Int) -> Element) {
        let half = Self.maxChunk / 2
        chunks.reserveCapacity((count + half - 1) / half)
        var start = 0
        while start < count {
            let end = Swift.min(start + half, count)
            var chunk: [Element] = []
            chunk.reserveCapacity(end - start)
            for i in start..<end { chunk.append(element(i)) }
            chunks.append(chunk)
            start = end
        }
        self.count = count
        assert(isStrictlyAscending, "SortedIndex(ascendingCount:) got elements out of order")
    }

    /// Whether every element is below the next (the invariant; for assertions and tests).
    var isStrictlyAscending: Bool {
        var previous: Element?
        var ascending = true
        forEach { element in
            if let previous, !(previous < element) { ascending = false }
            previous = element
            return ascending
        }
        return ascending
    }

    public var isEmpty: Bool { count == 0 }
    public var first: Element? { chunks.first?.first }
    public var last: Element? { chunks.last?.last }

    /// Index of the first chunk whose last element is >= `element` (or `chunks.count`).
    private func chunkIndex(for element: Element) -> Int {
        var low = 0
        var high = chunks.count
        while low < high {
            let mid = (low + high) / 2
            if chunks[mid][chunks[mid].count - 1] < element { low = mid + 1 } else { high = mid }
        }
        return low
    }

    private static func lowerBound(of element: Element, in chunk: [Element]) -> Int {
        var low = 0
        var high = chunk.count
        while low < high {
            let mid = (low + high) / 2
            if chunk[mid] < element { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// Where `element` is: its chunk and its index in the chunk; nil when it is not present.
    private func location(of element: Element) -> (chunk: Int, index: Int)? {
        let c = chunkIndex(for: element)
        guard c < chunks.count else { return nil }
        let i = Self.lowerBound(of: element, in: chunks[c])
        return i < chunks[c].count && chunks[c][i] == element ? (c, i) : nil
    }

    public func contains(_ element: Element) -> Bool { location(of: element) != nil }

    /// Inserts `element`; returns false when it was already present.
    @discardableResult
    public mutating func insert(_ element: Element) -> Bool {
        if chunks.isEmpty {
            chunks.append([element])
            count = 1
            return true
        }
        // Past the last element: append to the last chunk.
        var c = chunkIndex(for: element)
        if c == chunks.count { c -= 1 }
        let i = Self.lowerBound(of: element, in: chunks[c])
        if i < chunks[c].count && chunks[c][i] == element { return false }
        chunks[c].insert(element, at: i)
        count += 1
        if chunks[c].count > Self.maxChunk {
            let upper = Array(chunks[c][(Self.maxChunk / 2)...])
            chunks[c].removeSubrange((Self.maxChunk / 2)...)
            chunks.insert(upper, at: c + 1)
        }
        return true
    }

    /// Replaces the element equal to `element` with it (for elements that carry more than what they compare by);
    /// returns false when none was present.
    @discardableResult
    public mutating func replace(_ element: Element) -> Bool {
        guard let (c, i) = location(of: element) else { return false }
        chunks[c][i] = element
        return true
    }

    /// Removes `element`; returns false when it was not present.
    @discardableResult
    public mutating func remove(_ element: Element) -> Bool {
        guard let (c, i) = location(of: element) else { return false }
        chunks[c].remove(at: i)
        count -= 1
        if chunks[c].isEmpty {
            chunks.remove(at: c)
        } else if chunks[c].count < Self.maxChunk / 8, c + 1 < chunks.count,
            chunks[c].count + chunks[c + 1].count <= Self.maxChunk
        {
            // Merge small neighbours so the chunk count stays proportional to n / maxChunk.
            chunks[c].append(contentsOf: chunks[c + 1])
            chunks.remove(at: c + 1)
        }
        return true
    }

    /// Visits elements in order, starting strictly after `after` (or at the start when nil),
    /// until `body` returns false. With `descending`, visits from the largest element down,
    /// starting strictly before `after`.
    public func forEach(after: Element? = nil, descending: Bool = false, _ body: (Element) throws -> Bool) rethrows {
        try forEachAddress(after: after, descending: descending) { try body($0.pointee) }
    }

    /// `forEach`, lending each element's address in its chunk instead of a copy (valid only during the call): for
    /// elements holding references that a hot loop reads without retaining them (see `LeadOrderEntry`).
    public func forEachAddress(
        after: Element? = nil, descending: Bool = false, _ body: (UnsafePointer<Element>) throws -> Bool
    ) rethrows {
        guard !chunks.isEmpty else { return }
        if !descending {
            var c = 0
            var i = 0
            if let after {
                c = chunkIndex(for: after)
                guard c < chunks.count else { return }
                i = Self.lowerBound(of: after, in: chunks[c])
                if i < chunks[c].count && chunks[c][i] == after { i += 1 }
            }
            while c < chunks.count {
                let start = i
                let stopped = try chunks[c].withUnsafeBufferPointer { chunk -> Bool in
                    guard let base = chunk.baseAddress else { return false }
                    var i = start
                    while i < chunk.count {
                        if try !body(base + i) { return true }
                        i += 1
                    }
                    return false
                }
                if stopped { return }
                c += 1
                i = 0
            }
        } else {
            var c = chunks.count - 1
            var i = chunks[c].count - 1
            if let after {
                let found = chunkIndex(for: after)
                if found < chunks.count {
                    c = found
                    i = Self.lowerBound(of: after, in: chunks[c]) - 1  // strictly below `after`
                }
            }
            while c >= 0 {
                let start = i
                let stopped = try chunks[c].withUnsafeBufferPointer { chunk -> Bool in
                    guard let base = chunk.baseAddress else { return false }
                    var i = start
                    while i >= 0 {
                        if try !body(base + i) { return true }
                        i -= 1
                    }
                    return false
                }
                if stopped { return }
                c -= 1
                if c >= 0 { i = chunks[c].count - 1 }
            }
        }
    }

    /// How many elements are strictly greater than `bound`: O(log n + n / chunk size).
    public func count(after bound: Element) -> Int {
        let c = chunkIndex(for: bound)
        guard c < chunks.count else { return 0 }
        var i = Self.lowerBound(of: bound, in: chunks[c])
        if i < chunks[c].count && chunks[c][i] == bound { i += 1 }
        var total = chunks[c].count - i
        for later in chunks[(c + 1)...] { total += later.count }
        return total
    }

    /// The element at `offset` in ascending order (0 = first), or nil when out of range: O(n / chunk size).
    public func element(at offset: Int) -> Element? {
        guard offset >= 0, offset < count else { return nil }
        var remaining = offset
        for chunk in chunks {
            if remaining < chunk.count { return chunk[remaining] }
            remaining -= chunk.count
        }
        return nil
    }

    /// All elements in ascending order.
    public var elements: [Element] { chunks.flatMap { $0 } }
}

extension SortedIndex: Equatable where Element: Equatable {
    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.count == rhs.count && lhs.elements == rhs.elements }
}

extension SortedIndex where Element == String {
    /// Builds the index from distinct strings, sorted by their UTF-8 bytes (`UTF8Keys`) rather than with `String`'s
    /// Unicode comparison, which made sorting a million search tokens the longest step of a snapshot load.
    init(distinct strings: some Collection<String>) {
        var keys = UTF8Keys(capacity: strings.count)
        var all: [String] = []
        all.reserveCapacity(strings.count)
        for string in strings {
            keys.append(string)
            all.append(string)
        }
        let order = keys.ascendingOrder(tieBreak: { _, _ in false }, by: { all[Int($0)] < all[Int($1)] })
        self.init(ascendingCount: order.count) { all[Int(order[$0])] }
    }
}

/// Byte strings laid end to end, sorted as a permutation: the bulk sorts of text keys (search tokens, name keys).
///
/// Comparing UTF-8 bytes gives `String`'s order whenever the strings are in Unicode normal form C (UTF-8 keeps the
/// order of scalar values), which folded keys are; it costs a `memcmp` instead of a normalizing comparison. Each
/// sort checks its result with the real order (one linear pass) and falls back to it when that ever differs, so
/// the result is always the order queries search with.
struct UTF8Keys {
    private var bytes: [UInt8] = []
    private var starts: [Int] = [0]

    init(capacity: Int) {
        bytes.reserveCapacity(capacity * 12)
        starts.reserveCapacity(capacity + 1)
    }

    var count: Int { starts.count - 1 }

    mutating func append(_ string: String) {
        bytes.append(contentsOf: string.utf8)
        starts.append(bytes.count)
    }

    /// The indices `0..<count` in ascending order: by bytes (a prefix first), equal bytes by `tieBreak`. That order
    /// is checked against `less`, the order the keys are searched with, and sorted again by it if they differ.
    ///
    /// Each index is sorted with its first 8 bytes packed big-endian into an integer, so most comparisons are one
    /// integer comparison rather than two lookups and a `memcmp` at random places.
    func ascendingOrder(
        tieBreak: (Int32, Int32) -> Bool, by less: (Int32, Int32) -> Bool
    ) -> [Int32] {
        struct Item {
            var prefix: UInt64
            var index: Int32
        }
        var order: [Int32] = bytes.withUnsafeBufferPointer { b in
            starts.withUnsafeBufferPointer { s in
                var items: [Item] = []
                items.reserveCapacity(count)
                for index in 0..<count {
                    var prefix: UInt64 = 0
                    let start = s[index]
                    let length = s[index + 1] - start
                    for k in 0..<8 { prefix = prefix << 8 | (k < length ? UInt64(b[start + k]) : 0) }
                    items.append(Item(prefix: prefix, index: Int32(index)))
                }
                items.sort { x, y in
                    if x.prefix != y.prefix { return x.prefix < y.prefix }
                    let xs = s[Int(x.index)]
                    let ys = s[Int(y.index)]
                    let xl = s[Int(x.index) + 1] - xs
                    let yl = s[Int(y.index) + 1] - ys
                    // The first 8 bytes are equal (a shorter key is padded with zeros, so compare lengths too).
                    let common = Swift.min(xl, yl)
                    if common > 8 {
                        let c = memcmp(b.baseAddress! + xs + 8, b.baseAddress! + ys + 8, common - 8)
                        if c != 0 { return c < 0 }
                    }
                    if xl != yl { return xl < yl }
                    return tieBreak(x.index, y.index)
                }
                return items.map(\.index)
            }
        }
        if !order.indices.dropFirst().allSatisfy({ less(order[$0 - 1], order[$0]) }) { order.sort(by: less) }
        return order
    }
}
