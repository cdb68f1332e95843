import Foundation

/// Throughput figures of the event log, produced by `LogBenchmark.run` (`leadledger bench log`).
public struct LogBenchmarkReport: Sendable, Codable {
    public struct Rate: Sendable, Codable {
        public var events: Int
        public var seconds: Double
        public var eventsPerSecond: Double
        public var commits: UInt64
        /// CPU time of the whole process during the scenario (all threads), and events per CPU second:
        /// the figure to read when other processes compete for the cores. For replay (one thread) it is
        /// the thread's CPU time, i.e. events per second per core.
        public var cpuSeconds: Double
        public var eventsPerCpuSecond: Double
    }

    public var directory: String
    /// 1 client appending 1 event per call (one durable commit each).
    public var oneClientOneEvent: Rate
    /// 64 concurrent clients, 1 event per call (group commit).
    public var sixtyFourClientsOneEvent: Rate
    /// 1 client, batches of 100 events to one stream.
    public var oneClientBatchesOf100: Rate
    /// Import: batches of 1,000 events (1,000 streams × 1 event, one atomic multi-stream append each).
    public var importBatchesOf1000: Rate
    /// Replay: read + decompress + decode every event in one read transaction (`forEach`).
    public var replay: Rate
    /// Replay of the same events stored without compression.
    public var replayUncompressed: Rate
    public var averagePayloadBytes: Double
    /// Stored payload bytes per event and data-file bytes per event, with compression (dictionary trained).
    public var storedPayloadBytesPerEventCompressed: Double
    public var fileBytesPerEventCompressed: Double
    /// zstd without a dictionary (first 50,000 events, dictionary training off).
    public var storedPayloadBytesPerEventNoDictionary: Double
    /// The same without compression.
    public var storedPayloadBytesPerEventUncompressed: Double
    public var fileBytesPerEventUncompressed: Double
}

/// The event log benchmark as a reusable function (the CLI's `bench log` prints its report as JSON).
public enum LogBenchmark {
    /// A typical lead JSON payload (~300 bytes), varied by `seed`.
    public static func samplePayload(_ seed: Int) -> [UInt8] {
        let json = """
            {"leadId":"lead-\(seed)","name":"Client \(seed) Petraitis","company":"UAB Company \(seed % 97)",\
            "phone":"+3706\(seed % 10_000_000)","email":"client\(seed)@example.lt","source":"web-form",\
            "step":\(seed % 7),"responsible":"admin-\(seed % 13)","tags":["vip","q\(seed % 4)"],\
            "comment":"Called on \(seed % 28 + 1).11, asked for an offer for \(seed % 50 + 1) licences"}
            """
        return Array(json.utf8)
    }

    /// Payloads are generated once (generating JSON per event would dominate the timings).
    static let payloadPool: [[UInt8]] = (0..<65_536).map { samplePayload($0) }
    static let actors: [String] = (0..<13).map { "admin-\($0)" }

    /// Correlation ids from a SplitMix64 sequence with a random start: `UUID()` on Linux reads /dev/urandom
    /// per call, which would dominate the timings of the generator rather than the log. Event ids are
    /// `UUID.v7()`, the recommended default.
    final class IdSource: @unchecked Sendable {
        private let lock = ConditionLock()
        private var state = UInt64.random(in: .min ... .max)

        func next() -> UUID {
            lock.withLock {
                func mix() -> UInt64 {
                    state &+= 0x9E37_79B9_7F4A_7C15
                    var z = state
                    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
                    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
                    return z ^ (z >> 31)
                }
                var words = (mix(), mix())
                return withUnsafeBytes(of: &words) { $0.load(as: UUID.self) }
            }
        }
    }

    static let ids = IdSource()

    static func event(_ seed: Int) -> ProposedEvent {
        ProposedEvent(
            id: UUID.v7(), type: "LeadCreated", recordedAt: 1_700_000_000_000_000 + Int64(seed),
            metadata: EventMetadata(actor: actors[seed % 13], correlationId: ids.next()),
            payload: payloadPool[(seed &* 7919) & 65_535])
    }

    /// Runs every scenario in fresh logs under `directory`: the timed append scenarios run for
    /// `secondsPerScenario` each; import writes `events` events, which replay then reads.
    public static func run(
        events: Int, directory: String, secondsPerScenario: Double = 3, progress: (String) -> Void = { _ in }
    ) async throws -> LogBenchmarkReport {
        let clock = ContinuousClock()
        func seconds(_ duration: Duration) -> Double {
            Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        }
        func cpuTime(_ clockId: clockid_t) -> Double {
            var spec = timespec()
            clock_gettime(clockId, &spec)
            return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
        }
        var cpuStart = cpuTime(CLOCK_PROCESS_CPUTIME_ID)
        func rate(_ count: Int, _ duration: Duration, _ commits: UInt64, cpu: Double? = nil) -> LogBenchmarkReport.Rate {
            let s = seconds(duration)
            let cpuSeconds = cpu ?? (cpuTime(CLOCK_PROCESS_CPUTIME_ID) - cpuStart)
            return .init(
                events: count, seconds: s, eventsPerSecond: Double(count) / s, commits: commits,
                cpuSeconds: cpuSeconds, eventsPerCpuSecond: Double(count) / cpuSeconds)
        }
        let limit = Duration.milliseconds(Int(secondsPerScenario * 1000))
        _ = payloadPool.count

        // 1 × 1
        progress("1 client × 1 event per commit")
        let single = try EventLog(directory: directory + "/single")
        var count = 0
        cpuStart = cpuTime(CLOCK_PROCESS_CPUTIME_ID)
        var start = clock.now
        while clock.now - start < limit {
            try await single.append([event(count)], to: "lead-\(count % 1000)", expectedVersion: .any)
            count += 1
        }
        let oneByOne = rate(count, clock.now - start, try single.stats().commits)
        single.close()

        // 64 × 1
        progress("64 clients × 1 event")
        let concurrent = try EventLog(directory: directory + "/concurrent")
        cpuStart = cpuTime(CLOCK_PROCESS_CPUTIME_ID)
        start = clock.now
        let deadline = start + limit
        let appended = try await withThrowingTaskGroup(of: Int.self) { group in
            for client in 0..<64 {
                group.addTask {
                    var done = 0
                    while clock.now < deadline {
                        try await concurrent.append([event(done)], to: "lead-\(client)-\(done % 16)", expectedVersion: .any)
                        done += 1
                    }
                    return done
                }
            }
            return try await group.reduce(0, +)
        }
        let sixtyFour = rate(appended, clock.now - start, try concurrent.stats().commits)
        concurrent.close()

        // 1 × batches of 100
        progress("1 client × batches of 100")
        let batched = try EventLog(directory: directory + "/batches")
        count = 0
        cpuStart = cpuTime(CLOCK_PROCESS_CPUTIME_ID)
        start = clock.now
        while clock.now - start < limit {
            let batch = (0..<100).map { event(count + $0) }
            try await batched.append(batch, to: "lead-\(count / 100)", expectedVersion: .noStream)
            count += 100
        }
        let hundreds = rate(count, clock.now - start, try batched.stats().commits)
        batched.close()

        // Import (batches of 1,000) with compression, then replay.
        func importEvents(into log: EventLog) async throws -> LogBenchmarkReport.Rate {
            var written = 0
            cpuStart = cpuTime(CLOCK_PROCESS_CPUTIME_ID)
            let start = clock.now
            while written < events {
                let size = min(1_000, events - written)
                let appends = (0..<size).map { index in
                    StreamAppend(streamId: "lead-\(written + index)", expectedVersion: .noStream, events: [event(written + index)])
                }
                try await log.append(appends)
                written += size
            }
            return rate(written, clock.now - start, try log.stats().commits)
        }
        func replay(_ log: EventLog) throws -> LogBenchmarkReport.Rate {
            var seen = 0
            var bytes = 0
            let threadCpu = cpuTime(CLOCK_THREAD_CPUTIME_ID)
            let start = clock.now
            try log.forEach { event in
                seen += 1
                bytes &+= event.payload.count
                return true
            }
            precondition(bytes > 0)
            return rate(seen, clock.now - start, 0, cpu: cpuTime(CLOCK_THREAD_CPUTIME_ID) - threadCpu)
        }

        progress("import \(events) events in batches of 1,000")
        var options = EventLog.Options()
        options.initialMapSize = 1 << 30
        let imported = try EventLog(directory: directory + "/import", options: options)
        let importRate = try await importEvents(into: imported)
        progress("replay \(events) events")
        _ = try replay(imported)  // warm the page cache
        let replayRate = try replay(imported)
        let compressedStats = try imported.stats()
        imported.close()

        progress("import and replay without compression")
        options.compression = .disabled
        let plain = try EventLog(directory: directory + "/import-plain", options: options)
        _ = try await importEvents(into: plain)
        _ = try replay(plain)
        let plainReplay = try replay(plain)
        let plainStats = try plain.stats()
        plain.close()

        progress("compression without a dictionary")
        options.compression = CompressionOptions(dictionaryTrainingEvents: 0)
        let noDictionary = try EventLog(directory: directory + "/import-no-dictionary", options: options)
        var sample = 0
        while sample < min(events, 50_000) {
            let appends = (0..<1_000).map { index in
                StreamAppend(streamId: "lead-\(sample + index)", expectedVersion: .noStream, events: [event(sample + index)])
            }
            try await noDictionary.append(appends)
            sample += 1_000
        }
        let noDictionaryStats = try noDictionary.stats()
        noDictionary.close()

        let n = Double(events)
        return LogBenchmarkReport(
            directory: directory, oneClientOneEvent: oneByOne, sixtyFourClientsOneEvent: sixtyFour,
            oneClientBatchesOf100: hundreds, importBatchesOf1000: importRate, replay: replayRate,
            replayUncompressed: plainReplay,
            averagePayloadBytes: Double(compressedStats.payloadBytesRaw) / n,
            storedPayloadBytesPerEventCompressed: Double(compressedStats.payloadBytesStored) / n,
            fileBytesPerEventCompressed: Double(compressedStats.bytesOnDisk) / n,
            storedPayloadBytesPerEventNoDictionary: Double(noDictionaryStats.payloadBytesStored) / Double(sample),
            storedPayloadBytesPerEventUncompressed: Double(plainStats.payloadBytesStored) / n,
            fileBytesPerEventUncompressed: Double(plainStats.bytesOnDisk) / n)
    }
}
