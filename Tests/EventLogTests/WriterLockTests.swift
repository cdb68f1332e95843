import EventLog
import Foundation
import Testing

/// One writer per log directory: the writer keeps the head, the chain hash and stream versions in memory, so a
/// second writer (a CLI beside a running server) would write over positions it does not know about.
@Suite("Writer lock")
struct WriterLockTests {
    @Test("a second writable open of the same log is refused with `locked` while the first is open, and works after")
    func secondWriterRefused() async throws {
        try await withTemporaryDirectory { directory in
            let first = try EventLog(directory: directory)
            try await first.append([makeEvent()], to: "lead-1", expectedVersion: .noStream)
            let error = #expect(throws: EventLogError.self) { try EventLog(directory: directory) }
            #expect(error?.code == .locked)
            #expect(error?.message.contains("open for writing elsewhere") == true)
            #expect(first.head == 1)
            first.close()
            let second = try EventLog(directory: directory)
            defer { second.close() }
            try await second.append([makeEvent()], to: "lead-1", expectedVersion: .exact(1))
            #expect(second.head == 2)
            #expect(try second.verify().head == 2)
        }
    }

    @Test("a read-only open works beside the writer, sees its commits, and refuses appends with `readOnly`")
    func readOnlyBesideWriter() async throws {
        try await withTemporaryDirectory { directory in
            let writer = try EventLog(directory: directory)
            defer { writer.close() }
            try await writer.append([makeEvent(), makeEvent()], to: "lead-1", expectedVersion: .noStream)
            var options = EventLog.Options()
            options.readOnly = true
            let reader = try EventLog(directory: directory, options: options)
            defer { reader.close() }
            #expect(reader.head == 2)
            #expect(try reader.readStream("lead-1").count == 2)
            await #expect(throws: EventLogError.self) {
                try await reader.append([makeEvent()], to: "lead-2", expectedVersion: .noStream)
            }
            do {
                try await reader.append([makeEvent()], to: "lead-2", expectedVersion: .noStream)
            } catch let error as EventLogError {
                #expect(error.code == .readOnly)
            }
            // The writer is unaffected and nothing was written by the reader.
            try await writer.append([makeEvent()], to: "lead-2", expectedVersion: .noStream)
            #expect(writer.head == 3)
        }
    }
}
