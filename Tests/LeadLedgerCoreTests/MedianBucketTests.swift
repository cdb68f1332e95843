import Testing

@testable import LeadLedgerCore

@Suite("Median buckets")
struct MedianBucketTests {
    /// Durations around every power of two, both signs, and the extremes.
    static let samples: [Int64] = {
        var values: [Int64] = [0, 1, 15, 16, 31, 32, 33, .max, .min, .max - 1, .min + 1]
        for shift in 0..<63 {
            let p = Int64(1) << shift
            values += [p - 1, p, p + 1, p + p / 3]
        }
        return (values + values.map { $0 == .min ? .max : -$0 }).sorted()
    }()

    @Test("a bucket's lower bound is monotone, idempotent, at most the duration and within 1/16 of it")
    func bounds() {
        var previous: Int64?
        for d in Self.samples {
            let low = StoreSchema.MedianBucket.lowerBound(d)
            #expect(low <= d)
            #expect(StoreSchema.MedianBucket.lowerBound(low) == low)
            if let previous { #expect(StoreSchema.MedianBucket.lowerBound(previous) <= low) }
            let magnitude = d < 0 ? UInt64(bitPattern: -(d + 1)) : UInt64(d)
            #expect(UInt64(d - low) <= max(magnitude / 16, 1))
            previous = d
        }
    }

    @Test("values 0…31 each have their own bucket; 32 and 33 share one")
    func smallValues() {
        for d in Int64(0)...31 { #expect(StoreSchema.MedianBucket.lowerBound(d) == d) }
        #expect(StoreSchema.MedianBucket.lowerBound(33) == 32)
        #expect(StoreSchema.MedianBucket.lowerBound(-1) == -1)
        #expect(StoreSchema.MedianBucket.lowerBound(-33) == -34)
    }
}
