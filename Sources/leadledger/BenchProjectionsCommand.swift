import ArgumentParser
import EventLog
import Foundation
import LeadDomain
import LeadLedgerCore

#if canImport(Glibc)
    import Glibc
    private let RUSAGE_SELF_WHO = RUSAGE_SELF.rawValue
#elseif canImport(Darwin)
    import Darwin
    private let RUSAGE_SELF_WHO = RUSAGE_SELF
#endif

/// `leadledger bench projections --data DIR`: projection figures on an existing log (e.g. from `generate`):
/// read + decode, apply alone, canonical encode/decode, snapshot size, and query latencies. Prints JSON.
/// Times are wall and CPU (user + sys of the process) seconds; the machine may be shared, so CPU is the steadier one.
struct BenchProjections: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "projections",
        abstract: "Benchmark projections (apply, snapshot encode/decode, queries) on a log and print JSON."
    )

    @OptionGroup var options: DataOptions

    @Option(help: "Timed runs of each query shape (p50/p99 over these).")
    var runs: Int = 200

    func validate() throws {
        guard runs >= 10 else { throw ValidationError("--runs must be at least 10") }
    }

    func run() async throws {
        let log = try options.openLog()
        defer { log.close() }
        var report = Report()

        // 1. Read + decode (kept apart from apply: decoding belongs to the log / JSON side).
        var events: [AppliedEvent] = []
        events.reserveCapacity(Int(log.head))
        report.readDecode = try Timing.measure {
            try log.forEach(after: 0, through: log.head) { recorded in
                events.append(try AppliedEvent(recorded: recorded))
                return true
            }
        }
        report.events = events.count
        note("read+decode \(events.count) events: \(report.readDecode)")

        // 2. Apply only.
        var projections = Projections()
        report.apply = Timing.measure { for event in events { projections.apply(event) } }
        report.applyEventsPerSecondWall = Double(events.count) / report.apply.wall
        report.applyEventsPerSecondCPU = Double(events.count) / report.apply.cpu
        report.leads = projections.directory.count
        note("apply: \(report.apply) (\(Int(report.applyEventsPerSecondCPU)) events/s CPU)")
        events = []

        // 3. Canonical snapshot.
        var bytes: [UInt8] = []
        report.encode = try Timing.measure { bytes = try projections.encodeCanonical() }
        report.canonicalBytes = bytes.count
        var decoded: Projections?
        report.decode = try Timing.measure { decoded = try Projections(decodingCanonical: bytes) }
        note("encode \(report.encode), decode \(report.decode), \(bytes.count) bytes")
        guard decoded?.position == projections.position else { throw CLIError("decoded snapshot differs") }
        decoded = nil
        bytes = []

        // 4. Queries.
        let now = Timestamp(microseconds: projections.lastRecordedAt)
        let shapes = Self.queryShapes(projections)
        for (name, query) in shapes {
            var total = 0
            let latency = Latency.measure(runs: runs) { total = projections.leads(query, now: now).total ?? -1 }
            report.queries[name] = QueryFigure(latency: latency, total: total)
            note("query \(name): p50 \(latency.p50Ms) ms, p99 \(latency.p99Ms) ms, CPU p50 \(latency.cpuP50Ms) p99 \(latency.cpuP99Ms) ms, total \(total)")
        }
        let others: [(String, () -> Void)] = [
            ("kanban", { _ = projections.kanban(KanbanQuery(), now: now) }),
            ("report.funnel", { _ = projections.funnel() }),
            ("report.perManager", { _ = projections.perManager() }),
            ("report.perSource", { _ = projections.perSource() }),
            ("report.timeInStep", { _ = projections.timeInStep() }),
            ("report.paused", { _ = projections.pausedLeads(now: now) }),
            ("duplicates", { _ = projections.duplicateGroups() }),
        ]
        for (name, body) in others {
            let latency = Latency.measure(runs: runs, body)
            report.queries[name] = QueryFigure(latency: latency, total: nil)
            note("\(name): p50 \(latency.p50Ms) ms, p99 \(latency.p99Ms) ms, CPU p50 \(latency.cpuP50Ms) p99 \(latency.cpuP99Ms) ms")
        }
        report.maxResidentMiB = Timing.maxResidentMiB()

        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        print(String(decoding: try encoder.encode(report), as: UTF8.self))
    }

    /// Typical list shapes, with keys picked from the data so they hit real leads.
    static func queryShapes(_ p: Projections) -> [(String, LeadQuery)] {
        var responsibleCounts: [UUID: Int] = [:]
        var tagCounts: [String: Int] = [:]
        var name: String?
        var phone: String?
        var sample = 0
        for lead in p.directory.records.values.lazy.map(\.state) where lead.isLive {
            if let r = lead.responsible { responsibleCounts[r, default: 0] += 1 }
            for tag in lead.tags { tagCounts[tag, default: 0] += 1 }
            sample += 1
            if name == nil, let first = lead.fullName.split(separator: " ").first, first.count >= 3 { name = String(first) }
            if phone == nil, let digits = lead.phones.first?.digits, digits.count >= 7 { phone = String(digits.suffix(4)) }
            if sample >= 20_000 && name != nil && phone != nil { break }
        }
        // The least common responsible (closest to a "2%" manager), the most common tag.
        let responsible = responsibleCounts.min { ($0.value, $0.key.uuidString) < ($1.value, $1.key.uuidString) }?.key
        let tag = tagCounts.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key
        let steps = p.settings.activeSteps.map(\.key)
        let step = steps.count > 1 ? steps[1] : steps.first
        var shapes: [(String, LeadQuery)] = [
            ("list.default", LeadQuery(includeTotal: true)),
            ("list.default.noTotal", LeadQuery()),
            ("list.sortName", LeadQuery(sort: .name, order: .ascending, includeTotal: true)),
        ]
        if let step { shapes.append(("list.step", LeadQuery(filter: LeadFilter(step: step), includeTotal: true))) }
        if let responsible {
            shapes.append(("list.responsible", LeadQuery(filter: LeadFilter(responsible: responsible), includeTotal: true)))
            if let step {
                shapes.append(
                    ("list.responsible+step",
                        LeadQuery(filter: LeadFilter(step: step, responsible: responsible), includeTotal: true)))
            }
        }
        if let tag { shapes.append(("list.tag", LeadQuery(filter: LeadFilter(tag: tag), includeTotal: true))) }
        if let name { shapes.append(("list.q.name", LeadQuery(q: name, includeTotal: true))) }
        if let phone { shapes.append(("list.q.phoneLast4", LeadQuery(q: phone, includeTotal: true))) }
        shapes.append(("list.paused", LeadQuery(filter: LeadFilter(states: [.paused]), includeTotal: true)))
        return shapes
    }

    private func note(_ text: String) { printError("bench: \(text)") }

    struct Report: Encodable {
        var events = 0
        var leads = 0
        var readDecode = Timing()
        var apply = Timing()
        var applyEventsPerSecondWall = 0.0
        var applyEventsPerSecondCPU = 0.0
        var encode = Timing()
        var decode = Timing()
        var canonicalBytes = 0
        var queries: [String: QueryFigure] = [:]
        var maxResidentMiB = 0.0
    }

    struct QueryFigure: Encodable {
        var latency: Latency
        var total: Int?
    }
}

/// Wall and CPU (user + sys) seconds of one piece of work.
struct Timing: Encodable, CustomStringConvertible {
    var wall = 0.0
    var cpu = 0.0

    var description: String { String(format: "%.3f s wall, %.3f s CPU", wall, cpu) }

    static func measure(_ body: () throws -> Void) rethrows -> Timing {
        let cpu0 = cpuSeconds()
        let wall0 = DispatchTime.now().uptimeNanoseconds
        try body()
        let wall = Double(DispatchTime.now().uptimeNanoseconds - wall0) / 1e9
        return Timing(wall: wall, cpu: cpuSeconds() - cpu0)
    }

    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF_WHO, &usage)
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    static func maxResidentMiB() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF_WHO, &usage)
        return Double(usage.ru_maxrss) / 1024  // KiB on Linux
    }
}

/// Percentiles of repeated runs, in milliseconds: wall time and the thread's CPU time (steadier on a shared machine).
struct Latency: Encodable {
    var p50Ms = 0.0
    var p99Ms = 0.0
    var maxMs = 0.0
    var cpuP50Ms = 0.0
    var cpuP99Ms = 0.0

    static func measure(runs: Int, _ body: () -> Void) -> Latency {
        body()  // warm-up
        var wall: [Double] = []
        var cpu: [Double] = []
        wall.reserveCapacity(runs)
        cpu.reserveCapacity(runs)
        for _ in 0..<runs {
            let cpu0 = threadCPUNanoseconds()
            let start = DispatchTime.now().uptimeNanoseconds
            body()
            wall.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            cpu.append(Double(threadCPUNanoseconds() - cpu0) / 1e6)
        }
        wall.sort()
        cpu.sort()
        func at(_ samples: [Double], _ q: Double) -> Double {
            (samples[min(samples.count - 1, Int(Double(samples.count) * q))] * 1000).rounded() / 1000
        }
        return Latency(
            p50Ms: at(wall, 0.5), p99Ms: at(wall, 0.99), maxMs: at(wall, 1.0), cpuP50Ms: at(cpu, 0.5),
            cpuP99Ms: at(cpu, 0.99))
    }

    static func threadCPUNanoseconds() -> UInt64 {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return UInt64(t.tv_sec) * 1_000_000_000 + UInt64(t.tv_nsec)
    }
}
