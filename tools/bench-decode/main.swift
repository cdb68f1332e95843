// Payload decode throughput, Foundation's JSONDecoder vs the fast JSON reader, on one core.
// Built and run by tools/bench-decode.sh (release mode); prints one line per measurement, in events per second of
// this thread's CPU time (the rate of one dedicated core, whatever else the machine runs).
import Foundation
import LeadDomain

/// The replay mix: event types weighted roughly as a CRM's log holds them.
let weights: [(EventKind, Int)] = [
    (.leadCreated, 10), (.leadUpdated, 15), (.noteAdded, 20), (.actionLogged, 20), (.leadStepMarked, 20),
    (.taskAdded, 15),
]

struct Stored {
    var type: String
    var version: UInt16
    var payload: [UInt8]
}

func stored(_ kind: EventKind) throws -> Stored {
    let event = DomainEvent.examples.first { $0.kind == kind }!
    return Stored(type: event.typeName, version: event.schemaVersion, payload: try event.encodedPayload())
}

let decoder = JSONDecoder()

/// What `decode` did before the fast path: Foundation's JSONDecoder on the payload type.
func decodeWithFoundation(_ event: Stored) throws -> DomainEvent {
    let data = Data(event.payload)
    switch event.type {
    case "LeadCreated": return .leadCreated(try decoder.decode(LeadCreated.self, from: data))
    case "LeadUpdated": return .leadUpdated(try decoder.decode(LeadUpdated.self, from: data))
    case "NoteAdded": return .noteAdded(try decoder.decode(NoteAdded.self, from: data))
    case "ActionLogged": return .actionLogged(try decoder.decode(ActionLogged.self, from: data))
    case "LeadStepMarked": return .leadStepMarked(try decoder.decode(LeadStepMarked.self, from: data))
    case "TaskAdded": return .taskAdded(try decoder.decode(TaskAdded.self, from: data))
    default: fatalError(event.type)
    }
}

func decodeFast(_ event: Stored) throws -> DomainEvent {
    try DomainEvent.decode(type: event.type, schemaVersion: event.version, payload: event.payload)
}

/// This thread's CPU time in seconds: the machine is shared, so events per CPU-second is the per-core rate.
func cpuSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

/// Decodes the events round and round for about `seconds` of CPU time; returns events per CPU-second.
func measure(_ events: [Stored], seconds: Double, _ decode: (Stored) throws -> DomainEvent) throws -> Double {
    var checksum: Int64 = 0
    var count = 0
    let start = cpuSeconds()
    var elapsed = 0.0
    let rounds = max(1, 1000 / events.count)  // read the clock every thousand events or so
    repeat {
        for _ in 0..<rounds {
            for event in events { checksum &+= Int64(try decode(event).leadId?.uuid.0 ?? 1) }
        }
        count += events.count * rounds
        elapsed = cpuSeconds() - start
    } while elapsed < seconds
    precondition(checksum != 42)
    return Double(count) / elapsed
}

func format(_ rate: Double) -> String { String(format: "%10.0f", rate) }

let seconds = Double(CommandLine.arguments.dropFirst().first ?? "") ?? 2
let fastOnly = CommandLine.arguments.contains("--fast-only")  // for profiling
var mix: [Stored] = []
for (kind, weight) in weights { mix += Array(repeating: try stored(kind), count: weight) }
var generator = SystemRandomNumberGenerator()
mix.shuffle(using: &generator)
// Both decoders must agree before their speed means anything.
for event in mix {
    let fast = try decodeFast(event)
    let reference = try decodeWithFoundation(event)
    precondition(fast == reference)
}

let bytes = mix.reduce(0) { $0 + $1.payload.count }
print("events per CPU-second of one thread; mix: \(mix.count) events, average payload \(bytes / mix.count) bytes")
let foundation = fastOnly ? 1 : try measure(mix, seconds: seconds, decodeWithFoundation)
let fast = try measure(mix, seconds: seconds, decodeFast)
print(
    "mix            foundation \(format(foundation)) events/s   fast \(format(fast)) events/s   ×\(String(format: "%.1f", fast / foundation))"
)
for (kind, _) in weights {
    let one = [try stored(kind)]
    let f = fastOnly ? 1 : try measure(one, seconds: seconds / 4, decodeWithFoundation)
    let x = try measure(one, seconds: seconds / 4, decodeFast)
    let name = kind.rawValue.padding(toLength: 14, withPad: " ", startingAt: 0)
    print(
        "\(name) foundation \(format(f)) events/s   fast \(format(x)) events/s   ×\(String(format: "%.1f", x / f))   (\(one[0].payload.count) bytes)"
    )
}
