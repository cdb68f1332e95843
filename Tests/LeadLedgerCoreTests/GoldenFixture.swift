import Foundation
import LeadDomain
@testable import LeadLedgerCore

/// The golden fixture log: written through the real command service with a stepping clock (one second per
/// command, from 2026-11-01T09:00:00Z) and fixed ids, so the log and every projection are deterministic.
enum GoldenFixture {
    static let admin = testAdmin
    static let manager = fixedUUID(0xA1)
    static let managerLT = fixedUUID(0xA2)

    static func write(_ ledger: Ledger) async throws {
        func run(_ command: LedgerCommand, by actor: UUID = admin) async throws {
            try await ledger.execute(command, actor: actor)
        }
        try await run(
            .admin(admin, .create(adminId: admin, name: "Administrator", email: "admin@example.com", role: "admin",
                permissions: Permission.allCases.map(\.rawValue))))
        try await run(
            .admin(admin, .issueToken(tokenId: fixedUUID(0xF1), label: "ops", sha256: APITokenHash.sha256Hex("llt_fixture"),
                expiresAt: nil)))
        try await run(.admin(manager, .create(adminId: manager, name: "Анна Петрова", email: nil, role: "manager", permissions: [])))
        try await run(.admin(managerLT, .create(adminId: managerLT, name: "Rūta Kazlauskienė", email: nil, role: "manager", permissions: [])))
        try await run(.settings(.defineTag(name: "vip", colour: "#ff0000")))
        try await run(.settings(.defineSource(key: "exhibition", name: "Exhibition")))

        let people: [(String, String?, [String], [String], String)] = [
            ("Ольга Смирнова", "ООО «Ромашка»", ["+7 912 345-67-89"], ["olga@example.ru"], "website"),
            ("Тарас Шевченко", "ТОВ «Світанок»", ["+380 67 123 4567"], ["taras@ukr.net"], "phone"),
            ("Žygimantas Šimkus", "UAB „Baltic Trade“", ["+370 612 34567"], [], "exhibition"),
            ("Emily Carter", "Acme Ltd", ["(555) 123-4567"], ["emily@acme.example"], "referral"),
            ("Olga Smirnova", nil, ["8 (912) 345 67 89"], ["olga@example.ru"], "email"),
            ("Jonas Kazlauskas", nil, ["+370 698 76543"], ["jonas@inbox.lt"], "manual"),
            ("Emily Carter-Jones", nil, ["555.123.4567"], ["Emily@acme.example"], "website"),
        ]
        var leads: [UUID] = []
        for (index, person) in people.enumerated() {
            let id = fixedUUID(0x100 + index)
            leads.append(id)
            try await run(
                .lead(id, .create(leadId: id, LeadInput(
                    fullName: person.0, company: person.1, phones: person.2, emails: person.3, source: person.4,
                    responsible: index % 2 == 0 ? manager : managerLT, tags: index == 0 ? ["vip"] : []))),
                by: index % 2 == 0 ? manager : managerLT)
        }
        try await run(.lead(leads[0], .markStep("contacted")), by: manager)
        try await run(.lead(leads[0], .addEntry(EntryInput(entryId: fixedUUID(0x200), text: "Просила прайс"))), by: manager)
        try await run(
            .lead(leads[0], .addEntry(EntryInput(entryId: fixedUUID(0x201), text: "Звонок", actionType: "call", admin: manager,
                plannedAt: fixtureStart.adding(seconds: 3_600)))), by: manager)
        try await run(.lead(leads[0], .pinAction(fixedUUID(0x201))), by: manager)
        try await run(.lead(leads[0], .addWatcher(managerLT)), by: manager)
        try await run(.lead(leads[1], .markStep("qualified")), by: managerLT)
        try await run(
            .lead(leads[1], .task(.add(TaskInput(taskId: fixedUUID(0x300), taskType: "contact-client", description: "Передзвонити",
                responsible: managerLT, due: fixtureStart.adding(seconds: 86_400))))), by: managerLT)
        try await run(.lead(leads[1], .task(.close(fixedUUID(0x300)))), by: managerLT)
        try await run(.lead(leads[1], .update(LeadPatch(company: "ТОВ «Світанок-Плюс»", competitor: "Bitrix24"))), by: managerLT)
        try await run(.lead(leads[2], .markStep("won")), by: manager)
        try await run(.lead(leads[2], .convert(customerId: fixedUUID(0x400))), by: manager)
        try await run(.lead(leads[3], .pause(until: fixtureStart.adding(seconds: 30 * 86_400))), by: managerLT)
        try await run(.lead(leads[3], .addEntry(EntryInput(entryId: fixedUUID(0x202), text: "Demo", actionType: "meeting",
            admin: managerLT, plannedAt: fixtureStart.adding(seconds: 7_200)))), by: managerLT)
        try await run(.lead(leads[3], .completeAction(fixedUUID(0x202))), by: managerLT)
        try await run(.lead(leads[0], .merge(sources: [leads[4]])))
        try await run(.lead(leads[5], .delete(reason: "spam")))
        try await run(.lead(leads[5], .restore()))
        try await run(.lead(leads[5], .delete(reason: "duplicate")))
        try await run(.lead(leads[1], .assign(manager)))
        try await run(.lead(leads[1], .tag("опт")), by: managerLT)
    }
}
