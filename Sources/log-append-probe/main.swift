// Used by the crash-safety test: opens the event log in the directory given as the only argument and
// appends forever from a few concurrent tasks (so commits are grouped), printing every acknowledged
// global position on its own line and writing each acknowledgement with one unbuffered write(2). The test kills it with SIGKILL
// at a random moment and then checks that every printed position survived.
import EventLog
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

guard CommandLine.arguments.count == 2 else {
    FileHandle.standardError.write(Data("usage: log-append-probe <data-directory>\n".utf8))
    exit(2)
}

let log: EventLog
do {
    var options = EventLog.Options()
    options.initialMapSize = 1 << 20  // small, so the map also grows while being killed
    options.compression.dictionaryTrainingEvents = 2_000
    log = try EventLog(directory: CommandLine.arguments[1], options: options)
} catch {
    FileHandle.standardError.write(Data("cannot open the log: \(error)\n".utf8))
    exit(1)
}

/// Serialises output lines from the appending tasks.
actor AcknowledgementPrinter {
    func print(_ result: AppendResult) {
        var text = ""
        for position in result.firstPosition...result.lastPosition { text += "\(position)\n" }
        // One write(2) per acknowledgement: nothing sits in a stdio buffer when the process is killed.
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes { write(1, $0.baseAddress! + offset, $0.count - offset) }
            if written <= 0 { exit(1) }
            offset += written
        }
    }
}

let printer = AcknowledgementPrinter()
await withTaskGroup(of: Void.self) { group in
    for worker in 0..<4 {
        group.addTask {
            var counter = 0
            while true {
                counter += 1
                let size = 1 + counter % 3
                let events = (0..<size).map { index in
                    ProposedEvent(
                        type: "ProbeEvent", recordedAt: Int64(counter),
                        metadata: EventMetadata(actor: "probe-\(worker)"),
                        payload: Array(#"{"worker":\#(worker),"counter":\#(counter),"index":\#(index),"note":"crash safety probe"}"#.utf8))
                }
                do {
                    let result = try await log.append(events, to: "probe-\(worker)-\(counter % 5)", expectedVersion: .any)
                    await printer.print(result)
                } catch {
                    FileHandle.standardError.write(Data("append failed: \(error)\n".utf8))
                    exit(1)
                }
            }
        }
    }
}
