import Foundation
import Testing

@testable import LeadDomain

@Suite("Saved import mappings")
struct SavedImportMappingTests {
    private func refused(_ command: SettingsCommand, on settings: SettingsState = .defaults) -> DomainError? {
        Fixture.error { () throws(DomainError) in
            try SettingsDecider.decide(settings, command, context: Fixture.context(settings, actor: Fixture.admin))
        }
    }

    private func columns(_ pairs: KeyValuePairs<String, String>) -> [ImportColumn] {
        pairs.map { ImportColumn(column: $0.key, field: $0.value) }
    }

    @Test("a mapping is saved by name, replaced, kept sorted, unchanged when repeated, and removed")
    func lifecycle() throws {
        let weekly = SavedImportMapping(
            name: "crm-weekly", columns: columns(["E-mail": "emails", "Name": "fullName"]), mode: .upsert, key: "email")
        var s = try Fixture.settings([
            .saveImportMapping(weekly),
            .saveImportMapping(SavedImportMapping(name: "abills", columns: columns(["ФИО": "fullName"]))),
        ])
        #expect(s.importMappings.map(\.name) == ["abills", "crm-weekly"])
        #expect(s.importMappings[1] == weekly)
        #expect(s.importMappings[1].mapping.columns == ["E-mail": .emails, "Name": .fullName])

        let again = try SettingsDecider.decide(s, .saveImportMapping(weekly), context: Fixture.context(s, actor: Fixture.admin))
        #expect(again.events.isEmpty)
        var changed = weekly
        changed.columns.append(ImportColumn(column: "Phone", field: "phones"))
        s = try [SettingsCommand.saveImportMapping(changed)].reduce(s) { s, command in
            try SettingsDecider.decide(s, command, context: Fixture.context(s, actor: Fixture.admin)).events.reduce(s, SettingsState.evolve)
        }
        #expect(s.importMappings.count == 2 && s.importMappings[1].columns.count == 3)
        s = try SettingsDecider.decide(s, .removeImportMapping(name: "abills"), context: Fixture.context(s, actor: Fixture.admin))
            .events.reduce(s, SettingsState.evolve)
        #expect(s.importMappings.map(\.name) == ["crm-weekly"])
        #expect(
            try SettingsDecider.decide(s, .removeImportMapping(name: "abills"), context: Fixture.context(s, actor: Fixture.admin))
                .events.isEmpty)
    }

    @Test("a bad name, field, key or mode is refused naming it")
    func refusals() {
        let cases: [(SavedImportMapping, String)] = [
            (SavedImportMapping(name: "Not a slug", columns: columns(["Name": "fullName"])), "name"),
            (SavedImportMapping(name: "m", columns: columns(["Name": "shoeSize"])), "columns.Name"),
            (SavedImportMapping(name: "m", columns: columns(["Budget": "customFields.budget"])), "columns.Budget"),
            (SavedImportMapping(name: "m", columns: []), "columns"),
            (SavedImportMapping(name: "m", columns: columns(["A": "fullName", "B": "fullName"])), "columns.B"),
            (SavedImportMapping(name: "m", columns: columns(["Name": "fullName"]), mode: .update), "key"),
            (SavedImportMapping(name: "m", columns: columns(["Name": "fullName"]), mode: .upsert, key: "email"), "key"),
            (SavedImportMapping(name: "m", columns: columns(["Name": "fullName"]), key: "fax"), "key"),
        ]
        for (mapping, field) in cases {
            let error = refused(.saveImportMapping(mapping))
            #expect(error?.fieldErrors.contains { $0.field == field } == true, "\(mapping): \(String(describing: error))")
        }
    }

    @Test("at most 100 mappings are kept")
    func bounded() throws {
        let commands = (0..<SavedImportMapping.maxSaved).map { n in
            SettingsCommand.saveImportMapping(SavedImportMapping(name: "m\(n)", columns: [ImportColumn(column: "Name", field: "fullName")]))
        }
        let full = try Fixture.settings(commands)
        #expect(full.importMappings.count == 100)
        let error = refused(.saveImportMapping(SavedImportMapping(name: "one-more", columns: [ImportColumn(column: "N", field: "fullName")])), on: full)
        #expect(error?.fieldErrors.first?.field == "name")
    }
}
