import EventLog
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Finds the `log-append-probe` executable built next to the test bundle. Under `swift test` on Linux the
/// tests run inside `<build>/<config>/<Package>PackageTests.xctest`, so the probe is a sibling of the running
/// executable (`/proc/self/exe`) or of `CommandLine.arguments[0]`.
func probeExecutable() -> URL? {
    var candidates: [URL] = []
    if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
        candidates.append(URL(fileURLWithPath: exe).deletingLastPathComponent())
    }
    candidates.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent())
    candidates.append(Bundle.main.bundleURL)
    candidates.append(Bundle.main.bundleURL.deletingLastPathComponent())
    for directory in candidates {
        let url = directory.appendingPathComponent("log-append-probe")
        if FileManager.default.isExecutableFile(atPath: url.path) { return url }
    }
    return nil
}

@Suite("Crash safety", .timeLimit(.minutes(1)))
struct CrashSafetyTests {
    @Test("every acknowledged position survives SIGKILL, 20 kills in a row on the same directory")
    func killRepeatedly() async throws {
        let probe = try #require(probeExecutable(), "log-append-probe not found next to the test executable")
        try await withTemporaryDirectory { directory in
            var acknowledged = Set<UInt64>()
            for round in 0..<20 {
                let process = Process()
                process.executableURL = probe
                process.arguments = [directory]
                let output = Pipe()
                process.standardOutput = output
                try process.run()
                let delay = UInt64.random(in: 20...150)
                try await Task.sleep(for: .milliseconds(delay))
                kill(process.processIdentifier, SIGKILL)
                let data = output.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                // Only complete lines count: a line cut by the kill was not fully acknowledged to us.
                var text = String(decoding: data, as: UTF8.self)
                if let lastNewline = text.lastIndex(of: "\n") {
                    text = String(text[...lastNewline])
                } else {
                    text = ""
                }
                let printed = text.split(separator: "\n").compactMap { UInt64($0) }
                acknowledged.formUnion(printed)

                let log = try EventLog(directory: directory)
                defer { log.close() }
                let head = log.head
                if let highest = acknowledged.max() {
                    #expect(head >= highest, "round \(round): head \(head) lost acknowledged \(highest)")
                }
                var positions: [UInt64] = []
                try log.forEach { event in
                    positions.append(event.position)
                    return true
                }
                #expect(positions.count == Int(head), "round \(round): gap in positions")
                #expect(positions.last ?? 0 == head)
                let report = try log.verify()
                #expect(report.isIntact, "round \(round): \(report)")
            }
            #expect(!acknowledged.isEmpty)
        }
    }
}
