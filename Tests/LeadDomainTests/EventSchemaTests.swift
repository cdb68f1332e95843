import Foundation
import Testing

@testable import LeadDomain

/// The repository root, found from this file's path (Tests/LeadDomainTests/ is two levels down).
private func repositoryRoot() throws -> URL {
    var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    for _ in 0..<6 {
        if FileManager.default.fileExists(atPath: url.appendingPathComponent("schemas/events").path) { return url }
        url.deleteLastPathComponent()
    }
    throw SchemaTestFailure(message: "no schemas/events above \(#filePath)")
}

private struct SchemaTestFailure: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

@Suite("Event JSON schemas")
struct EventSchemaTests {
    @Test("the examples cover every event type")
    func examplesCoverEveryType() {
        let covered = Set(DomainEvent.examples.map(\.kind))
        let missing = EventKind.allCases.filter { !covered.contains($0) }
        #expect(missing.isEmpty, "no example for \(missing)")
    }

    @Test("every lead event names its lead and goes to the lead's stream (leadId and streamID are hand-written switches)")
    func leadEventsNameTheirLead() {
        for event in DomainEvent.examples where event.kind.streamKind == .lead {
            #expect(event.leadId != nil && event.streamID == event.leadId.map(StreamID.lead), "\(event.kind)")
        }
    }

    @Test("every event type and version has a schema file, and no schema is orphaned")
    func everyTypeHasSchema() throws {
        let dir = try repositoryRoot().appendingPathComponent("schemas/events")
        let files = Set(try FileManager.default.contentsOfDirectory(atPath: dir.path))
        var expected: Set<String> = []
        for kind in EventKind.allCases {
            for version in 1...kind.schemaVersion { expected.insert("\(kind.rawValue).v\(version).json") }
        }
        #expect(expected.subtracting(files).isEmpty, "missing schemas: \(expected.subtracting(files).sorted())")
        #expect(files.subtracting(expected).isEmpty, "orphaned schemas: \(files.subtracting(expected).sorted())")
    }

    @Test("every example's JSON validates against its schema (jsonschema, draft 2020-12, formats checked)")
    func examplesValidate() throws {
        let root = try repositoryRoot()
        let payloadDir = FileManager.default.temporaryDirectory
            .appendingPathComponent("leaddomain-schema-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: payloadDir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: payloadDir) }
        for (index, event) in DomainEvent.examples.enumerated() {
            let name = String(format: "%03d--%@.v%d.json", index, event.typeName, Int(event.schemaVersion))
            try Data(try event.encodedPayload()).write(to: payloadDir.appendingPathComponent(name))
        }
        try Data(EventUpcastTests.noteAddedV1.utf8).write(
            to: payloadDir.appendingPathComponent("v1--NoteAdded.v1.json"))

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", root.appendingPathComponent("tools/validate-event-schemas.py").path,
            root.appendingPathComponent("schemas/events").path, payloadDir.path,
        ]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(text)")
        #expect(text.contains("checked \(DomainEvent.examples.count + 1) payloads, 0 problems"), "\(text)")
    }
}

@Suite("Event codec")
struct EventCodecTests {
    @Test("every example survives encode then decode unchanged")
    func roundTrip() throws {
        for event in DomainEvent.examples {
            let bytes = try event.encodedPayload()
            let decoded = try DomainEvent.decode(
                type: event.typeName, schemaVersion: event.schemaVersion, payload: bytes)
            #expect(decoded == event, "\(event.typeName)")
        }
    }

    @Test("payload JSON has sorted keys and times as integer microseconds")
    func stableJSON() throws {
        let event = DomainEvent.leadPaused(
            LeadPaused(
                leadId: UUID(uuidString: "6f1c2a4e-8d3b-4c1a-9e7f-0a1b2c3d4e5f")!, until: Timestamp(microseconds: 20),
                at: Timestamp(microseconds: 10), by: UUID(uuidString: "9c4f5d71-b06e-4f4d-a1a2-3d4e5f607182")!))
        let json = String(decoding: try event.encodedPayload(), as: UTF8.self)
        #expect(
            json
                == #"{"at":10,"by":"9C4F5D71-B06E-4F4D-A1A2-3D4E5F607182","leadId":"6F1C2A4E-8D3B-4C1A-9E7F-0A1B2C3D4E5F","until":20}"#
        )
    }

    @Test("an unknown type name is a typed error")
    func unknownType() {
        #expect(throws: EventCodecError.unknownType("LeadTeleported")) {
            try DomainEvent.decode(type: "LeadTeleported", schemaVersion: 1, payload: Array("{}".utf8))
        }
    }

    @Test("a version newer than the code, or zero, is refused")
    func unsupportedVersion() {
        #expect(throws: EventCodecError.unsupportedSchemaVersion(type: "LeadCreated", schemaVersion: 2)) {
            try DomainEvent.decode(type: "LeadCreated", schemaVersion: 2, payload: Array("{}".utf8))
        }
        #expect(throws: EventCodecError.unsupportedSchemaVersion(type: "NoteAdded", schemaVersion: 0)) {
            try DomainEvent.decode(type: "NoteAdded", schemaVersion: 0, payload: Array("{}".utf8))
        }
    }

    @Test("a payload that does not fit its type is invalidPayload")
    func invalidPayload() {
        do {
            _ = try DomainEvent.decode(type: "LeadTagged", schemaVersion: 1, payload: Array(#"{"tag": 5}"#.utf8))
            Issue.record("decoded a bad payload")
        } catch {
            guard case .invalidPayload(let type, let version, _) = error else {
                Issue.record("wrong error \(error)")
                return
            }
            #expect(type == "LeadTagged" && version == 1)
        }
    }

    @Test("events know their stream")
    func streams() {
        let lead = UUID()
        let event = DomainEvent.leadTagged(
            LeadTagged(leadId: lead, tag: "x", at: Timestamp(microseconds: 1), by: UUID()))
        #expect(event.streamID == "lead-" + lead.uuidString.lowercased())
        #expect(DomainEvent.examples.first { $0.kind == .stepDefined }?.streamID == "settings")
        #expect(StreamID.parse(event.streamID) == .lead(lead))
        #expect(StreamID.parse("settings") == .settings)
        #expect(StreamID.parse("lead-nonsense") == nil)
    }
}

@Suite("Event upcasting")
struct EventUpcastTests {
    static let noteAddedV1 = #"""
        {"at":1763900000000000,"by":"9C4F5D71-B06E-4F4D-A1A2-3D4E5F607182","leadId":"6F1C2A4E-8D3B-4C1A-9E7F-0A1B2C3D4E5F","noteId":"BE617F93-D280-416F-83C4-5F60718293A4","step":"new","text":"Called"}
        """#

    @Test("a NoteAdded v1 payload decodes as the v2 event with plain format")
    func noteAddedV1() throws {
        let event = try DomainEvent.decode(type: "NoteAdded", schemaVersion: 1, payload: Array(Self.noteAddedV1.utf8))
        let expected = NoteAdded(
            leadId: UUID(uuidString: "6F1C2A4E-8D3B-4C1A-9E7F-0A1B2C3D4E5F")!,
            noteId: UUID(uuidString: "BE617F93-D280-416F-83C4-5F60718293A4")!, step: "new", text: "Called",
            format: .plain, at: Timestamp(microseconds: 1_763_900_000_000_000),
            by: UUID(uuidString: "9C4F5D71-B06E-4F4D-A1A2-3D4E5F607182")!)
        #expect(event == .noteAdded(expected))
        #expect(event.schemaVersion == 2)
    }
}
