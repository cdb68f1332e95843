import CZstd
import Foundation

/// Compression settings for payloads.
public struct CompressionOptions: Sendable, Hashable {
    /// Compress payloads at all (when it pays, see `minimumSavingsBytes`).
    public var enabled: Bool
    /// zstd level for payloads (with and without a dictionary). 1: with the trained dictionary it stores
    /// the same bytes per event as level 3 (≈ 41 of 269 for lead JSON) and compresses ≈ 25 % faster.
    public var level: Int32
    /// Train a dictionary from the first `dictionaryTrainingEvents` payloads once the log holds that many
    /// (0 = never train).
    public var dictionaryTrainingEvents: Int
    /// Capacity of a trained dictionary in bytes.
    public var dictionaryCapacity: Int
    /// A payload is stored compressed only when that saves at least this many bytes.
    public var minimumSavingsBytes: Int

    public init(
        enabled: Bool = true, level: Int32 = 1, dictionaryTrainingEvents: Int = 5_000,
        dictionaryCapacity: Int = 16 * 1024, minimumSavingsBytes: Int = 16
    ) {
        self.enabled = enabled
        self.level = level
        self.dictionaryTrainingEvents = dictionaryTrainingEvents
        self.dictionaryCapacity = dictionaryCapacity
        self.minimumSavingsBytes = minimumSavingsBytes
    }

    public static let disabled = CompressionOptions(enabled: false, dictionaryTrainingEvents: 0)
}

@inline(__always)
func zstdCheck(_ result: Int, _ operation: String) throws -> Int {
    if ZSTD_isError(result) != 0 {
        throw EventLogError(.compression, "\(operation): \(String(cString: ZSTD_getErrorName(result)))")
    }
    return result
}

/// A decompression dictionary, shared read-only by every reader (ZSTD_DDict is immutable once built).
final class DecompressionDictionary: @unchecked Sendable {
    // @unchecked: a ZSTD_DDict is read-only after creation and may be used from many threads at once.
    let pointer: OpaquePointer

    init(bytes: UnsafeRawBufferPointer) throws {
        guard let ddict = ZSTD_createDDict(bytes.baseAddress, bytes.count) else {
            throw EventLogError(.compression, "ZSTD_createDDict failed")
        }
        pointer = ddict
    }

    deinit { ZSTD_freeDDict(pointer) }
}

/// Dictionaries by id, loaded at open and when the writer trains one.
final class DictionaryRegistry: Sendable {
    private let dictionaries = LockedValue<[UInt32: DecompressionDictionary]>([:])

    func add(id: UInt32, _ dictionary: DecompressionDictionary) {
        dictionaries.withLock { $0[id] = dictionary }
    }

    func dictionary(_ id: UInt32) -> DecompressionDictionary? {
        dictionaries.withLock { $0[id] }
    }

    var count: Int { dictionaries.withLock { $0.count } }
}

/// A pool of ZSTD_DCtx: each reading context (one `read`, one `forEach`, one verify) borrows one,
/// so no context is created per event and none is shared between threads at once.
final class DecompressionContextPool: @unchecked Sendable {
    // @unchecked: contexts are handed out under the lock and used by one borrower at a time.
    private let lock = ConditionLock()
    private var idle: [OpaquePointer] = []

    deinit { for context in idle { ZSTD_freeDCtx(context) } }

    func withContext<R>(_ body: (PayloadDecompressor) throws -> R) throws -> R {
        let context = lock.withLock { idle.popLast() } ?? ZSTD_createDCtx()!
        defer { lock.withLock { idle.append(context) } }
        return try body(PayloadDecompressor(context: context))
    }
}

/// Decompresses payloads with one borrowed context. Remembers the last dictionary it looked up, so a
/// replay takes the registry's lock once per dictionary, not once per event.
final class PayloadDecompressor {
    let context: OpaquePointer
    private var cachedId: UInt32 = 0
    private var cached: DecompressionDictionary?

    init(context: OpaquePointer) { self.context = context }

    /// Returns the payload of `record` as a fresh array (the bytes readers receive).
    func payload(of record: RecordView, dictionaries: DictionaryRegistry) throws -> [UInt8] {
        if !record.isCompressed { return Array(record.storedPayload) }
        let length = record.rawPayloadLength
        var failure: EventLogError?
        let source = record.storedPayload
        let position = record.position
        var dictionary: DecompressionDictionary?
        if record.dictionaryId != 0 {
            if record.dictionaryId != cachedId || cached == nil {
                cached = dictionaries.dictionary(record.dictionaryId)
                cachedId = record.dictionaryId
            }
            dictionary = cached
            if dictionary == nil {
                throw EventLogError.corrupted(position: position, reason: "unknown dictionary \(record.dictionaryId)")
            }
        }
        let bytes = [UInt8](unsafeUninitializedCapacity: length) { buffer, initialized in
            let result: Int
            if let dictionary {
                result = ZSTD_decompress_usingDDict(
                    context, buffer.baseAddress, length, source.baseAddress, source.count, dictionary.pointer)
            } else {
                result = ZSTD_decompressDCtx(context, buffer.baseAddress, length, source.baseAddress, source.count)
            }
            if ZSTD_isError(result) != 0 || result != length {
                let reason = ZSTD_isError(result) != 0 ? String(cString: ZSTD_getErrorName(result)) : "wrong length"
                failure = .corrupted(position: position, reason: "payload does not decompress: \(reason)")
                initialized = 0
            } else {
                initialized = length
            }
        }
        if let failure { throw failure }
        return bytes
    }
}

/// Compresses payloads on the writer thread with one reused ZSTD_CCtx (and the current dictionary).
final class PayloadCompressor {
    private let context: OpaquePointer
    private var compressionDictionary: OpaquePointer?
    private(set) var dictionaryId: UInt32 = 0
    private var scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 4096, alignment: 16)
    let options: CompressionOptions

    init(options: CompressionOptions) {
        self.options = options
        context = ZSTD_createCCtx()
        ZSTD_CCtx_setParameter(context, ZSTD_c_compressionLevel, options.level)
        // The record stores the uncompressed length and the dictionary id itself.
        ZSTD_CCtx_setParameter(context, ZSTD_c_contentSizeFlag, 0)
        ZSTD_CCtx_setParameter(context, ZSTD_c_dictIDFlag, 0)
        ZSTD_CCtx_setParameter(context, ZSTD_c_checksumFlag, 0)
    }

    deinit {
        ZSTD_freeCCtx(context)
        scratch.deallocate()
        if let compressionDictionary { ZSTD_freeCDict(compressionDictionary) }
    }

    /// Uses `bytes` (dictionary `id`) for every later payload.
    func useDictionary(id: UInt32, bytes: UnsafeRawBufferPointer) throws {
        guard let cdict = ZSTD_createCDict(bytes.baseAddress, bytes.count, options.level) else {
            throw EventLogError(.compression, "ZSTD_createCDict failed")
        }
        if let compressionDictionary { ZSTD_freeCDict(compressionDictionary) }
        compressionDictionary = cdict
        dictionaryId = id
        _ = try zstdCheck(ZSTD_CCtx_refCDict(context, cdict), "ZSTD_CCtx_refCDict")
    }

    /// Compresses `payload` into the compressor's scratch buffer and returns the compressed bytes (valid
    /// until the next call), or nil when compression does not save `minimumSavingsBytes`.
    func compress(_ payload: [UInt8]) -> UnsafeRawBufferPointer? {
        guard options.enabled, payload.count > options.minimumSavingsBytes else { return nil }
        let limit = payload.count - options.minimumSavingsBytes
        let capacity = ZSTD_compressBound(payload.count)
        if scratch.count < capacity {
            scratch.deallocate()
            scratch = .allocate(byteCount: max(capacity, 2 * scratch.count), alignment: 16)
        }
        let size = payload.withUnsafeBytes { source in
            ZSTD_compress2(context, scratch.baseAddress, scratch.count, source.baseAddress, source.count)
        }
        guard ZSTD_isError(size) == 0, size <= limit else { return nil }
        return UnsafeRawBufferPointer(rebasing: scratch[0..<size])
    }

    /// Trains a dictionary from `samples` (ZDICT_trainFromBuffer); nil when training fails (too few
    /// or too uniform samples), in which case the log keeps compressing without one.
    static func trainDictionary(samples: [UInt8], sizes: [Int], capacity: Int) -> [UInt8]? {
        var dictionary = [UInt8](repeating: 0, count: capacity)
        let size = dictionary.withUnsafeMutableBytes { buffer in
            samples.withUnsafeBytes { sampleBytes in
                sizes.withUnsafeBufferPointer { sizeBuffer in
                    ZDICT_trainFromBuffer(
                        buffer.baseAddress, capacity, sampleBytes.baseAddress, sizeBuffer.baseAddress,
                        UInt32(sizes.count))
                }
            }
        }
        if ZDICT_isError(size) != 0 { return nil }
        dictionary.removeSubrange(size...)
        return dictionary
    }
}
