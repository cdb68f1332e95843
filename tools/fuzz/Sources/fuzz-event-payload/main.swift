// The fast JSON reader, through every event type's payload decoder: arbitrary bytes must decode or throw,
// never crash, and what decodes must survive a round trip through its own encoding.
// Input: one byte choosing the event type, then the payload bytes.
import FuzzDriver
import LeadDomain

#if canImport(Glibc)
    import Glibc
#endif

let kinds = EventKind.allCases

// `fuzz-event-payload -write_seeds=DIR`: one seed per example event, so the corpus starts from real payloads.
if let directory = CommandLine.arguments.first(where: { $0.hasPrefix("-write_seeds=") })?.dropFirst(13) {
    for (index, event) in DomainEvent.examples.enumerated() {
        guard let kind = kinds.firstIndex(where: { $0.rawValue == event.typeName }), let payload = try? event.encodedPayload()
        else { continue }
        let bytes = [UInt8(kind)] + payload
        let path = "\(directory)/example-\(index)"
        guard let file = fopen(path, "wb") else { fatalError("cannot write \(path)") }
        _ = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
        fclose(file)
    }
    exit(0)
}

runFuzzer { input in
    guard let first = input.first else { return }
    let kind = kinds[Int(first) % kinds.count]
    let payload = Array(input.dropFirst())
    guard let event = try? DomainEvent.decode(type: kind.rawValue, schemaVersion: 1, payload: payload) else { return }
    guard let encoded = try? event.encodedPayload() else {
        require(false, "\(kind.rawValue) decoded but does not encode")
        return
    }
    let again = try? DomainEvent.decode(type: kind.rawValue, schemaVersion: 1, payload: encoded)
    require(again == event, "\(kind.rawValue) does not survive encode → decode")
}
