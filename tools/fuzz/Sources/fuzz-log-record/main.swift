// The record parser of the log: whatever bytes a damaged or tampered log holds, reading a record parses it or
// throws `corrupted`, never crashes; a compressed payload that is garbage is refused by zstd the same way.
import FuzzDriver
@testable import EventLog

let pool = DecompressionContextPool()
let dictionaries = DictionaryRegistry()
runFuzzer { input in
    // The position the record is stored under: taken from the record itself, so parsing goes past that check.
    let key = input.count >= 14 ? input.loadUnaligned(fromByteOffset: 6, as: UInt64.self).bigEndian : 1
    guard let record = try? RecordView(input, key: key) else { return }
    require(record.position == key, "a record parsed under another position")
    _ = try? pool.withContext { try $0.payload(of: record, dictionaries: dictionaries) }
}
