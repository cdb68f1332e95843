import EventLog
import Foundation
import LeadDomain

/// Writes a realistic, deterministic log for benchmarks and demos: every event is decided by the real domain
/// deciders on in-memory states and appended with the atomic multi-stream append in large batches (one batch
/// in flight while the next is generated). The same seed and lead count give the same log, byte for byte.
///
/// Contents: an admin and a dozen managers, a few settings (tags, a source), then leads with names in Russian,
/// Ukrainian, Lithuanian and English, phones in several formats, companies, e-mails, sources; then per lead
/// some of: updates, steps moved forward, watchers, notes, actions (some pinned, some completed), tasks
/// (some closed, reopened, reassigned or deleted; some overdue), tags, number and date custom fields, deals (some
/// moved, won, lost or deleted), pauses, deletes (half restored), conversions of won leads, and merges of
/// near-duplicates.
public struct LogGenerator {
    public struct Summary: Sendable, Hashable {
        public var leads: Int
        public var events: UInt64
        public var head: UInt64
    }

    public var leads: Int
    public var seed: UInt64
    /// Events per atomic append (at most the log's `maxBatchEvents`).
    public var batchEvents = 8_000
    /// The first event's time. Each event advances the clock by 1–30 s, so a lead (about 5.6 events) takes about a
    /// minute and a half: 10^5 leads span about 100 days, 10^6 about 2.8 years (a team taking in ~1,000 leads a day).
    public var start = Timestamp(microseconds: 1_704_096_000_000_000)  // 2024-01-01T08:00:00Z
    /// The share of leads that get a deal (0…1); 1 makes as many deals as leads.
    public var dealRate: Double

    public init(leads: Int, seed: UInt64 = 42, dealRate: Double = 0.3) {
        self.leads = leads
        self.seed = seed
        self.dealRate = dealRate
    }

    public func run(log: EventLog, progress: ((Int, UInt64) -> Void)? = nil) async throws -> Summary {
        var state = GeneratorState(seed: seed, now: start)
        state.dealRate = dealRate
        var batch = PendingBatch()
        var inFlight: Task<[AppendResult], any Error>?
        var events: UInt64 = 0

        func flush() async throws {
            guard !batch.isEmpty else { return }
            let appends = batch.appends()
            events += UInt64(batch.count)
            batch = PendingBatch()
            if let previous = inFlight { _ = try await previous.value }
            inFlight = Task { try await log.append(appends) }
        }

        try state.setUp(into: &batch)
        try await flush()
        for index in 0..<leads {
            try state.lead(index, into: &batch)
            if batch.count >= batchEvents {
                try await flush()
                state.forgetFlushed()
                progress?(index + 1, events)
            }
        }
        try await flush()
        if let last = inFlight { _ = try await last.value }
        progress?(leads, events)
        return Summary(leads: leads, events: events, head: log.head)
    }
}

/// Events decided but not yet appended, grouped per stream in first-touch order.
private struct PendingBatch {
    var order: [String] = []
    var streams: [String: (expected: UInt64, events: [ProposedEvent])] = [:]
    var count = 0

    var isEmpty: Bool { count == 0 }

    mutating func add(_ event: DomainEvent, stream: String, expected: UInt64, id: UUID, actor: String) throws {
        let proposed = ProposedEvent(
            id: id, type: event.typeName, schemaVersion: event.schemaVersion, recordedAt: event.at.rawValue,
            metadata: EventMetadata(actor: actor), payload: try event.encodedPayload())
        if streams[stream] == nil {
            order.append(stream)
            streams[stream] = (expected, [])
        }
        streams[stream]!.events.append(proposed)
        count += 1
    }

    func appends() -> [StreamAppend] {
        order.map { stream in
            let entry = streams[stream]!
            return StreamAppend(
                streamId: stream, expectedVersion: entry.expected == 0 ? .noStream : .exact(entry.expected),
                events: entry.events)
        }
    }
}

/// SplitMix64: small, fast, deterministic across platforms.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func chance(_ p: Double) -> Bool { Double(next() >> 11) / Double(1 << 53) < p }

    mutating func pick<T>(_ values: [T]) -> T { values[Int(next() % UInt64(values.count))] }

    mutating func uuid() -> UUID {
        var bytes = (0..<16).map { _ in UInt8(truncatingIfNeeded: next()) }
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return UUID(
            uuid: (
                bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7], bytes[8], bytes[9],
                bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
            ))
    }
}

private struct GeneratorState {
    var random: SeededGenerator
    var now: Timestamp
    var settings = SettingsState.defaults
    var admin = UUID()
    var managers: [UUID] = []
    var dealRate = 0.3
    /// Lead states and stream versions of leads in the current batch (and already flushed versions).
    var leads: [UUID: (state: LeadState, flushed: UInt64)] = [:]
    var previousLead: UUID?

    init(seed: UInt64, now: Timestamp) {
        random = SeededGenerator(state: seed)
        self.now = now
    }

    mutating func tick(_ seconds: Int64) -> Timestamp {
        now = now.adding(seconds: seconds)
        return now
    }

    mutating func setUp(into batch: inout PendingBatch) throws {
        admin = random.uuid()
        let adminDecision = try AdminDecider.decide(
            nil,
            .create(
                adminId: admin, name: "Administrator", email: "admin@example.com", role: "admin",
                permissions: Permission.allCases.map(\.rawValue)),
            context: DecisionContext(settings: settings, now: tick(1), actor: admin))
        try add(adminDecision, actor: admin, into: &batch)
        let managerNames = [
            "Анна Петрова", "Дмитрий Орлов", "Олена Мельник", "Тарас Гнатюк", "Rūta Kazlauskienė", "Tomas Jonaitis",
            "Emily Carter", "James Walker", "Ирина Волкова", "Mantas Petraitis", "Sophie Green", "Богдан Савчук",
        ]
        for name in managerNames {
            let id = random.uuid()
            managers.append(id)
            let decision = try AdminDecider.decide(
                nil, .create(adminId: id, name: name, email: nil, role: "manager", permissions: []),
                context: DecisionContext(settings: settings, now: tick(1), actor: admin))
            try add(decision, actor: admin, into: &batch)
        }
        let settingsCommands: [SettingsCommand] = [
            .defineTag(name: "vip", colour: "#ff0000"), .defineTag(name: "b2b", colour: nil),
            .defineTag(name: "опт", colour: nil), .defineSource(key: "exhibition", name: "Exhibition"),
            .defineCustomField(CustomFieldDefinition(key: "employees", name: "Employees", type: .int, minValue: 0)),
            .defineCustomField(CustomFieldDefinition(key: "contract-date", name: "Contract date", type: .date)),
            .defineCustomField(
                CustomFieldDefinition(key: "segment", name: "Segment", type: .list, options: ["smb", "mid", "enterprise"])),
        ]
        for command in settingsCommands {
            let decision = try SettingsDecider.decide(
                settings, command, context: DecisionContext(settings: settings, now: tick(1), actor: admin))
            for event in decision.events { settings = SettingsState.evolve(settings, event) }
            try add(decision, actor: admin, into: &batch, settingsVersion: settings.version)
        }
    }

    /// Adds a decision's events (streams other than leads: admins, settings, customers — all new or settings).
    mutating func add(
        _ decision: Decision, actor: UUID, into batch: inout PendingBatch, settingsVersion: UInt64 = 0
    ) throws {
        for stream in decision.streams {
            for event in stream.events {
                let expected: UInt64 = stream.streamID == StreamID.settings ? settingsVersion - 1 : 0
                try batch.add(
                    event, stream: stream.streamID, expected: expected, id: random.uuid(),
                    actor: actor.uuidString.lowercased())
            }
        }
    }

    mutating func forgetFlushed() {
        leads.removeAll(keepingCapacity: true)
        previousLead = nil
    }

    /// Decides `command` on a lead of the current batch and records its events.
    @discardableResult
    mutating func decide(_ leadId: UUID, _ command: LeadCommand, by actor: UUID, into batch: inout PendingBatch) -> Bool {
        let context = DecisionContext(settings: settings, now: tick(Int64(random.next() % 30 + 1)), actor: actor)
        var related = RelatedStates()
        for id in command.relatedLeadIds { related.leads[id] = leads[id]?.state }
        guard let decision = try? LeadDecider.decide(leads[leadId]?.state, command, context: context, related: related)
        else { return false }
        for stream in decision.streams {
            for event in stream.events {
                try? batch.add(
                    event, stream: stream.streamID, expected: 0, id: random.uuid(), actor: actor.uuidString.lowercased())
                if let id = event.leadId {
                    let evolved = LeadState.evolve(leads[id]?.state, event)
                    if let evolved { leads[id] = (evolved, leads[id]?.flushed ?? 0) }
                }
            }
        }
        return true
    }

    /// Number, date and list custom field values for a new lead (some left out).
    static func customFields(_ random: inout SeededGenerator) -> [String: CustomFieldValue] {
        var fields: [String: CustomFieldValue] = [:]
        if random.chance(0.5) { fields["employees"] = .int(Int64(random.next() % 5_000)) }
        if random.chance(0.3) {
            let day = 1 + Int(random.next() % 28)
            let month = 1 + Int(random.next() % 12)
            let year = 2024 + Int(random.next() % 3)
            fields["contract-date"] = .date(String(format: "%04d-%02d-%02d", year, month, day))
        }
        if random.chance(0.4) { fields["segment"] = .list(random.pick(["smb", "mid", "enterprise"])) }
        return fields
    }

    /// A deal on a lead of the current batch, then maybe a stage move, a win or loss, a deletion.
    mutating func deal(on leadId: UUID, by manager: UUID, into batch: inout PendingBatch) {
        guard let lead = leads[leadId]?.state, lead.isLive else { return }
        let dealId = random.uuid()
        let amount = "\(1 + random.next() % 50_000).\(random.next() % 100)"
        let input = DealInput(
            name: "Deal for \(lead.company ?? lead.fullName)", amount: amount, currency: random.pick(["EUR", "EUR", "USD", "RUB"]),
            responsible: manager, leadId: leadId)
        var related = RelatedStates()
        related.leads[leadId] = lead
        var state: DealState?
        func decide(_ command: DealCommand, _ generator: inout GeneratorState) {
            let context = DecisionContext(settings: generator.settings, now: generator.tick(Int64(generator.random.next() % 30 + 1)), actor: manager)
            guard let decision = try? DealDecider.decide(state, command, context: context, related: related) else { return }
            for stream in decision.streams {
                for event in stream.events {
                    try? batch.add(event, stream: stream.streamID, expected: 0, id: generator.random.uuid(), actor: manager.uuidString.lowercased())
                    state = DealState.evolve(state, event)
                }
            }
        }
        decide(.create(dealId: dealId, input), &self)
        let open = settings.activeDealStages.filter { $0.kind == .open }.map(\.key)
        if open.count > 1, random.chance(0.5) { decide(.moveStage(random.pick(Array(open.dropFirst()))), &self) }
        if random.chance(0.2) { decide(.win(stage: nil), &self) } else if random.chance(0.15) { decide(.lose(stage: nil, reason: "Price"), &self) }
        if random.chance(0.3) {
            let taskId = random.uuid()
            let due = now.adding(seconds: Int64(random.next() % (14 * 86_400)))
            decide(.task(.add(TaskInput(taskId: taskId, taskType: "meeting", description: "Present the offer", responsible: manager, due: due))), &self)
            if random.chance(0.4) { decide(.task(.close(taskId)), &self) }
        }
        if random.chance(0.03) { decide(.delete(reason: nil), &self) }
    }

    mutating func lead(_ index: Int, into batch: inout PendingBatch) throws {
        let id = random.uuid()
        let manager = random.pick(managers)
        let person = Person.make(&random, index: index)
        let input = LeadInput(
            fullName: person.name, company: person.company, phones: person.phones, emails: person.emails,
            source: random.pick(["manual", "website", "phone", "email", "referral", "exhibition"]),
            priority: random.pick([.low, .normal, .normal, .high]), responsible: random.chance(0.9) ? manager : nil,
            competitor: random.chance(0.1) ? random.pick(["Bitrix24", "amoCRM", "HubSpot", "Pipedrive"]) : nil,
            tags: random.chance(0.3) ? [random.pick(["vip", "b2b", "опт", "повторный", "pirmas-kontaktas"])] : [],
            customFields: Self.customFields(&random),
            comment: random.chance(0.2) ? "Пришёл с сайта, просит перезвонить вечером" : nil)
        decide(id, .create(leadId: id, input), by: manager, into: &batch)
        if random.chance(0.3) {
            decide(id, .update(LeadPatch(company: random.pick(Person.companies))), by: manager, into: &batch)
        }
        let steps = settings.activeSteps.map(\.key)
        let reach = Int(random.next() % UInt64(steps.count))
        for step in steps.dropFirst().prefix(reach) where random.chance(0.85) {
            decide(id, .markStep(step), by: manager, into: &batch)
        }
        if random.chance(0.4) { decide(id, .addWatcher(random.pick(managers)), by: manager, into: &batch) }
        if random.chance(0.6) {
            let text = random.pick(Person.notes)
            decide(id, .addEntry(EntryInput(entryId: random.uuid(), text: text)), by: manager, into: &batch)
        }
        if random.chance(0.5) {
            let actionId = random.uuid()
            let planned = now.adding(seconds: Int64(random.next() % (14 * 86_400)))
            let entry = EntryInput(
                entryId: actionId, text: random.pick(Person.actions), actionType: random.pick(["call", "meeting", "email"]),
                admin: manager, plannedAt: planned)
            if decide(id, .addEntry(entry), by: manager, into: &batch) {
                if random.chance(0.2) { decide(id, .pinAction(actionId), by: manager, into: &batch) }
                if random.chance(0.4) { decide(id, .completeAction(actionId), by: manager, into: &batch) }
            }
        }
        if random.chance(0.3) {
            let taskId = random.uuid()
            // Due from two days ago (overdue by the end of the log) to a week ahead; some without a due date.
            let due = random.chance(0.1) ? nil : now.adding(seconds: Int64(random.next() % (9 * 86_400)) - 2 * 86_400)
            let task = TaskInput(
                taskId: taskId, taskType: random.pick(["contact-client", "meeting", "birthday-greeting"]),
                description: "Follow up", responsible: random.chance(0.9) ? manager : nil, due: due)
            if decide(id, .task(.add(task)), by: manager, into: &batch) {
                if random.chance(0.5) {
                    decide(id, .task(.close(taskId)), by: manager, into: &batch)
                    if random.chance(0.1) { decide(id, .task(.reopen(taskId)), by: manager, into: &batch) }
                }
                if random.chance(0.1) { decide(id, .task(.reassign(taskId, to: random.pick(managers))), by: manager, into: &batch) }
                if random.chance(0.05) { decide(id, .task(.delete(taskId)), by: manager, into: &batch) }
            }
        }
        if random.chance(dealRate) { deal(on: id, by: manager, into: &batch) }
        if random.chance(0.05) { decide(id, .pause(until: now.adding(seconds: 30 * 86_400)), by: manager, into: &batch) }
        if leads[id]?.state.step == settings.conversionStep, random.chance(0.5) {
            decide(id, .convert(customerId: random.uuid()), by: manager, into: &batch)
        }
        if let previous = previousLead, index % 97 == 0, leads[previous] != nil {
            decide(id, .merge(sources: [previous]), by: admin, into: &batch)
        }
        if random.chance(0.02) {
            decide(id, .delete(reason: "Дубликат / duplicate"), by: admin, into: &batch)
            if random.chance(0.5) { decide(id, .restore(), by: admin, into: &batch) }
        }
        previousLead = id
    }
}

private struct Person {
    var name: String
    var company: String?
    var phones: [String]
    var emails: [String]

    static let names: [(first: [String], last: [String], latin: [String])] = [
        (
            ["Алексей", "Дмитрий", "Ольга", "Наталья", "Сергей", "Екатерина", "Иван", "Мария"],
            ["Иванов", "Смирнов", "Кузнецов", "Попов", "Соколов", "Лебедев", "Новиков", "Морозов"],
            ["ivanov", "smirnov", "kuznetsov", "popov", "sokolov", "lebedev", "novikov", "morozov"]
        ),
        (
            ["Олександр", "Оксана", "Тарас", "Ганна", "Богдан", "Ірина", "Юлія", "Андрій"],
            ["Шевченко", "Коваленко", "Бондаренко", "Ткаченко", "Кравчук", "Олійник", "Мельник", "Лисенко"],
            ["shevchenko", "kovalenko", "bondarenko", "tkachenko", "kravchuk", "oliinyk", "melnyk", "lysenko"]
        ),
        (
            ["Jonas", "Ona", "Vytautas", "Rūta", "Mindaugas", "Eglė", "Žygimantas", "Gintarė"],
            ["Kazlauskas", "Petrauskas", "Jankauskas", "Žukauskas", "Butkus", "Paulauskas", "Vasiliauskas", "Šimkus"],
            ["kazlauskas", "petrauskas", "jankauskas", "zukauskas", "butkus", "paulauskas", "vasiliauskas", "simkus"]
        ),
        (
            ["John", "Emily", "Michael", "Sarah", "David", "Laura", "James", "Olivia"],
            ["Smith", "Johnson", "Brown", "Taylor", "Wilson", "Davies", "Evans", "Thomas"],
            ["smith", "johnson", "brown", "taylor", "wilson", "davies", "evans", "thomas"]
        ),
    ]
    static let companies = [
        "ООО «Ромашка»", "АО Северсталь-Сервис", "ТОВ «Світанок»", "ФОП Коваль", "UAB „Baltic Trade“",
        "MB Šiaurės vėjas", "Acme Ltd", "Northwind Traders", "Globex Corporation", "ИП Сидоров",
    ]
    static let domains = ["mail.ru", "yandex.ru", "ukr.net", "gmail.com", "inbox.lt", "example.com", "outlook.com"]
    static let notes = [
        "Клиент просил выслать прайс", "Передзвонити після обіду", "Domisi pasiūlymu, skambinti pirmadienį",
        "Interested in the annual plan", "Не берёт трубку", "Потрібен рахунок на ТОВ",
    ]
    static let actions = [
        "Звонок: обсудили условия", "Зустріч в офісі", "Susitikimas biure", "Demo call", "Отправить договор",
    ]

    static func make(_ random: inout SeededGenerator, index: Int) -> Person {
        let language = Int(random.next() % 4)
        let pool = names[language]
        let first = random.pick(pool.first)
        let lastIndex = Int(random.next() % UInt64(pool.last.count))
        let number = random.next()
        let digits = String(format: "%07llu", number % 10_000_000)
        let phone: String
        switch language {
        case 0: phone = random.chance(0.5) ? "+7 9\(digits.prefix(2)) \(digits.dropFirst(2).prefix(3))-\(digits.suffix(2))-\(digits.dropFirst(2).prefix(2))" : "8 (9\(digits.prefix(2))) \(digits.dropFirst(2))"
        case 1: phone = "+380 6\(digits.prefix(1)) \(digits.dropFirst(1).prefix(3)) \(digits.suffix(3))"
        case 2: phone = "+370 6\(digits.prefix(2)) \(digits.dropFirst(2))"
        default: phone = random.chance(0.5) ? "(555) \(digits.prefix(3))-\(digits.suffix(4))" : "+44 20 \(digits.prefix(4)) \(digits.suffix(3))"
        }
        var phones = [phone]
        if random.chance(0.15) { phones.append("+1 415 \(digits.suffix(7))") }
        let email = "\(pool.latin[lastIndex]).\(index)@\(random.pick(domains))"
        return Person(
            name: "\(first) \(pool.last[lastIndex])", company: random.chance(0.6) ? random.pick(companies) : nil,
            phones: phones, emails: random.chance(0.8) ? [email] : [])
    }
}
