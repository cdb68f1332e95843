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

/// `leadledger bench projections --data DIR`: projection-store figures on an existing log (e.g. from `generate`):
/// a rebuild from position 0 into a new store (events/s, peak memory), opening it, its size, and query latencies.
/// Prints JSON. Times are wall and CPU (user + sys of the process) seconds; CPU is the steadier one on a shared
/// machine.
struct BenchProjections: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "projections",
        abstract: "Benchmark the projection store (rebuild, open, queries) on a log and print JSON."
    )

    @OptionGroup var options: DataOptions

    @Option(help: "Timed runs of each query shape (p50/p99 over these).")
    var runs: Int = 200

    @Option(help: "Events per write transaction of the rebuild.")
    var batch: Int = 16_384

    @Option(help: "Events the rebuild may fold in bulk (default: what half the memory holds); 0: batches only.")
    var bulkEvents: UInt64 = ProjectionDatabase.bulkEventBudget

    func validate() throws {
        guard runs >= 10 else { throw ValidationError("--runs must be at least 10") }
        guard (1...1_000_000).contains(batch) else { throw ValidationError("--batch must be 1…1000000") }
    }

    func run() async throws {
        let log = try options.openLog()
        defer { log.close() }
        var report = Report()
        let directory = options.configuration.projectionDirectory + "/bench-\(ProcessInfo.processInfo.processIdentifier)"
        try? FileManager.default.removeItem(atPath: directory)
        defer { try? FileManager.default.removeItem(atPath: directory) }

        // 1. Rebuild from position 0 (read, decode, apply, commit).
        var store = try ProjectionDatabase(directory: directory)
        let (batch, bulkEvents) = (batch, bulkEvents)
        report.rebuild = try Timing.measure {
            report.events = Int(try store.catchUp(log: log, batchSize: batch, bulkEvents: bulkEvents))
        }
        report.rebuildEventsPerSecondWall = Double(report.events) / report.rebuild.wall
        report.rebuildEventsPerSecondCPU = Double(report.events) / report.rebuild.cpu
        report.rebuildMaxResidentMiB = Timing.maxResidentMiB()
        report.storeBytes = Int(try store.bytesOnDisk())
        report.storeBytesPerEvent = Double(report.storeBytes) / Double(max(report.events, 1))
        report.logBytesPerEvent = Double(try log.stats().bytesOnDisk) / Double(max(report.events, 1))
        note("rebuild \(report.events) events: \(report.rebuild) (\(Int(report.rebuildEventsPerSecondWall)) events/s wall)")
        store.close()

        // 2. Open (what a server start costs before it serves).
        report.open = try Timing.measure {
            store = try ProjectionDatabase(directory: directory)
            _ = try store.position()
        }
        defer { store.close() }
        report.leads = try store.read { try $0.leadCount() }

        // 3. Queries.
        let shapes = try store.read { try Self.queryShapes($0) }
        let now = try store.read { Timestamp(microseconds: $0.lastRecordedAt) }
        for (name, query) in shapes {
            var total = 0
            let latency = try Latency.measure(runs: runs) { total = try store.read { try $0.leads(query, now: now).total ?? -1 } }
            report.queries[name] = QueryFigure(latency: latency, total: total)
            note("query \(name): p50 \(latency.p50Ms) ms, p99 \(latency.p99Ms) ms, total \(total)")
        }
        let others: [(String, () throws -> Void)] = [
            ("kanban", { _ = try store.read { try $0.kanban(KanbanQuery(), now: now) } }),
            ("report.funnel", { _ = try store.read { try $0.funnel() } }),
            ("report.perManager", { _ = try store.read { try $0.perManager() } }),
            ("report.perSource", { _ = try store.read { try $0.perSource() } }),
            ("report.timeInStep", { _ = try store.read { try $0.timeInStep() } }),
            ("report.paused", { _ = try store.read { try $0.pausedLeads(now: now) } }),
            ("duplicates", { _ = try store.read { try $0.duplicateGroups() } }),
        ]
        for (name, body) in others {
            let latency = try Latency.measure(runs: runs, body)
            report.queries[name] = QueryFigure(latency: latency, total: nil)
            note("\(name): p50 \(latency.p50Ms) ms, p99 \(latency.p99Ms) ms")
        }
        report.maxResidentMiB = Timing.maxResidentMiB()

        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        print(String(decoding: try encoder.encode(report), as: UTF8.self))
    }

    /// Typical list shapes, with keys picked from the data so they hit real leads.
    static func queryShapes(_ view: borrowing ProjectionView) throws -> [(String, LeadQuery)] {
        var responsibleCounts: [UUID: Int] = [:]
        var tagCounts: [String: Int] = [:]
        var name: String?
        var phone: String?
        for lead in try view.leads(first: 20_000) where lead.isLive {
            if let r = lead.responsible { responsibleCounts[r, default: 0] += 1 }
            for tag in lead.tags { tagCounts[tag, default: 0] += 1 }
            if name == nil, let first = lead.fullName.split(separator: " ").first, first.count >= 3 { name = String(first) }
            if phone == nil, let digits = lead.phones.first?.digits, digits.count >= 7 { phone = String(digits.suffix(4)) }
        }
        // The least common responsible (closest to a "2%" manager), the most common tag.
        let responsible = responsibleCounts.min { ($0.value, $0.key.uuidString) < ($1.value, $1.key.uuidString) }?.key
        let tag = tagCounts.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key
        let steps = view.settings.activeSteps.map(\.key)
        let step = steps.count > 1 ? steps[1] : steps.first
        var shapes: [(String, LeadQuery)] = [
            ("list.default", LeadQuery(includeTotal: true)),
            ("list.default.noTotal", LeadQuery()),
            ("list.sortName", LeadQuery(sort: .name, order: .ascending, includeTotal: true)),
        ]
        if let step {
            shapes.append(("list.step", LeadQuery(filter: LeadFilter(step: [step]), includeTotal: true)))
            shapes.append(("list.step.limit50", LeadQuery(filter: LeadFilter(step: [step]), limit: 50)))
        }
        if let responsible {
            shapes.append(("list.responsible", LeadQuery(filter: LeadFilter(responsible: [responsible]), includeTotal: true)))
            if let step {
                shapes.append(
                    ("list.responsible+step",
                        LeadQuery(filter: LeadFilter(step: [step], responsible: [responsible]), includeTotal: true)))
            }
        }
        if let tag { shapes.append(("list.tag", LeadQuery(filter: LeadFilter(tag: [tag]), includeTotal: true))) }
        if let name { shapes.append(("list.q.name", LeadQuery(q: name, includeTotal: true))) }
        if let phone { shapes.append(("list.q.phoneLast4", LeadQuery(q: phone, includeTotal: true))) }
        for q in ["petr", "ivan", "gmail", "+3706", "ona petr"] { shapes.append(("list.q.\(q)", LeadQuery(q: q))) }
        shapes.append(("list.paused", LeadQuery(filter: LeadFilter(states: [.paused]), includeTotal: true)))
        return shapes
    }

    private func note(_ text: String) { printError("bench: \(text)") }

    struct Report: Encodable {
        var events = 0
        var leads = 0
        var rebuild = Timing()
        var rebuildEventsPerSecondWall = 0.0
        var rebuildEventsPerSecondCPU = 0.0
        var rebuildMaxResidentMiB = 0.0
        var open = Timing()
        var storeBytes = 0
        var storeBytesPerEvent = 0.0
        var logBytesPerEvent = 0.0
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

    static func measure(runs: Int, _ body: () throws -> Void) rethrows -> Latency {
        try body()  // warm-up
        var wall: [Double] = []
        var cpu: [Double] = []
        wall.reserveCapacity(runs)
        cpu.reserveCapacity(runs)
        for _ in 0..<runs {
            let cpu0 = threadCPUNanoseconds()
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
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
