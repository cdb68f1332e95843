import Foundation
import LeadLedgerCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Progress of long work on stderr: a redrawn bar with events/s and ETA on a terminal, plain lines otherwise.
final class ProgressReporter {
    private let label: String
    private let unit: String
    private let isTerminal = isatty(STDERR_FILENO) != 0
    private let started = Date()
    private var lastLine = Date.distantPast

    /// - Parameter unit: what is counted, for the rate (`ev`: events/s).
    init(label: String, unit: String = "ev") {
        self.label = label
        self.unit = unit
    }

    func report(done: UInt64, total: UInt64) {
        let now = Date()
        let elapsed = max(now.timeIntervalSince(started), 0.001)
        let rate = Double(done) / elapsed
        let fraction = total == 0 ? 1 : min(1, Double(done) / Double(total))
        let eta = rate > 0 && total > done ? Double(total - done) / rate : 0
        if isTerminal {
            let width = 30
            let filled = Int(fraction * Double(width))
            let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
            let line = String(
                format: "\r%@ %@ %5.1f%% %@/%@ %@ %@/s ETA %@", label, bar, fraction * 100, "\(done)", "\(total)",
                "\(Int(rate))", unit, Self.duration(eta))
            FileHandle.standardError.write(Data(line.utf8))
        } else if now.timeIntervalSince(lastLine) >= 1 || done == total {
            lastLine = now
            printError("\(label): \(done)/\(total) (\(Int(fraction * 100))%), \(Int(rate)) \(unit)/s, ETA \(Self.duration(eta))")
        }
    }

    func finish() {
        if isTerminal { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    static func duration(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        return total >= 3600
            ? String(format: "%d:%02d:%02d", total / 3600, total / 60 % 60, total % 60)
            : String(format: "%d:%02d", total / 60, total % 60)
    }
}
