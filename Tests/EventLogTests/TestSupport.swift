import EventLog
import Foundation

/// A fresh directory under the system temp dir, removed when `body` returns.
func withTemporaryDirectory<R>(_ body: (String) async throws -> R) async throws -> R {
    let path = FileManager.default.temporaryDirectory
        .appendingPathComponent("eventlog-tests-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try await body(path)
}

/// Opens a log in a fresh temporary directory, runs `body`, closes the log.
func withLog<R>(
    _ configure: (inout EventLog.Options) -> Void = { _ in }, _ body: (EventLog, String) async throws -> R
) async throws -> R {
    try await withTemporaryDirectory { directory in
        var options = EventLog.Options()
        configure(&options)
        let log = try EventLog(directory: directory, options: options)
        defer { log.close() }
        return try await body(log, directory)
    }
}

func makeEvent(
    _ type: String = "LeadCreated", id: UUID = UUID(), payload: String? = nil, actor: String = "admin-1"
) -> ProposedEvent {
    let json = payload ?? #"{"name":"Ada Lovelace","company":"Analytical Engines Ltd","phone":"+370 600 12345"}"#
    return ProposedEvent(
        id: id, type: type, schemaVersion: 1, recordedAt: 1_700_000_000_000_000,
        metadata: EventMetadata(actor: actor, correlationId: UUID(), causationId: nil), payload: Array(json.utf8))
}

/// A typical lead JSON payload of a few hundred bytes, varied by `seed`.
func leadPayload(_ seed: Int) -> [UInt8] {
    let json = """
        {"leadId":"lead-\(seed)","name":"Client \(seed) Petraitis","company":"UAB Company \(seed % 97)",\
        "phone":"+3706\(String(format: "%07d", seed % 10_000_000))","email":"client\(seed)@example.lt",\
        "source":"web-form","step":\(seed % 7),"responsible":"admin-\(seed % 13)","tags":["vip","q\(seed % 4)"],\
        "comment":"Called on \(seed % 28 + 1).11, asked for an offer for \(seed % 50 + 1) licences"}
        """
    return Array(json.utf8)
}

extension EventLogError.Code {
    var name: String { description }
}
