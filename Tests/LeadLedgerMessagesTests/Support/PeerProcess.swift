import Foundation
import Testing

/// A real peer the tests start: `tools/peers/smtp_peer.py` (aiosmtpd) or `tools/peers/http_peer.py`, in its own
/// process on a free loopback port, writing what it received to `directory`. Stopped by `stop()`.
final class PeerProcess: Sendable {
    let process: Process
    let directory: URL
    let port: Int

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    private init(process: Process, directory: URL, port: Int) {
        self.process = process
        self.directory = directory
        self.port = port
    }

    /// Starts `script` with `arguments` (and `--out`), and waits until it listens.
    static func start(_ script: String, _ arguments: [String] = [], directory: URL? = nil) throws -> PeerProcess {
        let directory = directory
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("leadledger-peer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let output = directory.appendingPathComponent("peer.out")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", root.appendingPathComponent("tools/peers/\(script)").path, "--out", directory.path] + arguments
        let handle = try FileHandle(forWritingTo: output)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
            if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("READY ") }), let port = Int(line.dropFirst(6)) {
                return PeerProcess(process: process, directory: directory, port: port)
            }
            if !process.isRunning { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        kill(process.processIdentifier, SIGKILL)
        let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        Issue.record("the peer \(script) did not start: \(text)")
        throw CocoaError(.fileReadUnknown)
    }

    /// The JSON lines the peer appended to `file`.
    func records(_ file: String) -> [[String: Any]] {
        guard let text = try? String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    /// The recipients of the messages an SMTP peer accepted, one entry per message.
    var recipients: [String] { records("received.jsonl").flatMap { ($0["to"] as? [String]) ?? [] } }

    func message(_ name: String) throws -> Data { try Data(contentsOf: directory.appendingPathComponent(name)) }

    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: directory)
    }
}

/// Runs python3 with `script` on `input` and answers its standard output: the tests' independent reader of
/// what we wrote (Python's `email` package).
func python(_ script: String, input: Data) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", script]
    let stdin = Pipe()
    let stdout = Pipe()
    process.standardInput = stdin
    process.standardOutput = stdout
    try process.run()
    stdin.fileHandleForWriting.write(input)
    try stdin.fileHandleForWriting.close()
    let data = stdout.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
}
