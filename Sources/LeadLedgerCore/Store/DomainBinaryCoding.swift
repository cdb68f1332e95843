import Foundation
import LeadDomain

// Hand-written binary forms of the domain state types, field by field in declaration order.
// Dictionaries are written sorted by key so the bytes are canonical. Adding a field means bumping
// `StoreSchema.formatVersion`.

extension BinaryReader {
    mutating func readEnum<E: RawRepresentable>(_: E.Type) throws(RecordDecodingError) -> E where E.RawValue == String {
        let raw = try readString()
        guard let value = E(rawValue: raw) else { throw fail("unknown \(E.self) \(raw)") }
        return value
    }
}

extension BinaryWriter {
    mutating func write(phone: PhoneNumber) {
        write(phone.typed)
        write(phone.digits)
        write(phone.hasPlus)
    }

    mutating func write(address a: Address) {
        for part in [a.country, a.city, a.street, a.building, a.flat] { write(part) { $0.write($1) } }
    }

    mutating func write(customField value: CustomFieldValue) {
        write(value.type.rawValue)
        switch value {
        case .string(let s), .list(let s), .text(let s), .url(let s), .date(let s): write(s)
        case .int(let i): write(i)
        case .flag(let b): write(b)
        }
    }

    mutating func write(lead l: LeadState) {
        write(l.id)
        write(l.fullName)
        write(l.company) { $0.write($1) }
        write(l.phones) { $0.write(phone: $1) }
        write(l.emails) { $0.write($1) }
        write(l.address) { $0.write(address: $1) }
        write(l.source)
        write(l.step)
        write(l.responsible) { $0.write($1) }
        write(l.priority.rawValue)
        write(l.competitor) { $0.write($1) }
        write(l.assessment) { $0.write($1) }
        write(l.tags) { $0.write($1) }
        write(l.customFields.sorted { $0.key < $1.key }) {
            $0.write($1.key)
            $0.write(customField: $1.value)
        }
        write(l.comment) { $0.write($1) }
        write(l.watchers) { $0.write($1) }
        write(l.notes) { w, n in
            w.write(n.id)
            w.write(n.step)
            w.write(n.text)
            w.write(n.format.rawValue)
            w.write(n.createdBy)
            w.write(n.createdAt)
        }
        write(l.actions) { w, a in
            w.write(a.id)
            w.write(a.step)
            w.write(a.text)
            w.write(a.actionType) { $0.write($1) }
            w.write(a.admin) { $0.write($1) }
            w.write(a.plannedAt) { $0.write($1) }
            w.write(a.pinned)
            w.write(a.completed)
            w.write(a.createdBy)
            w.write(a.createdAt)
        }
        write(l.tasks) { w, t in
            w.write(t.id)
            w.write(t.taskType)
            w.write(t.description)
            w.write(t.responsible) { $0.write($1) }
            w.write(t.due) { $0.write($1) }
            w.write(t.closed)
            w.write(t.createdBy)
            w.write(t.createdAt)
        }
        write(l.calls) { w, c in
            w.write(c.id)
            w.write(c.number)
            w.write(c.digits)
            w.write(c.takenBy) { $0.write($1) }
            w.write(c.at)
        }
        write(l.receivedEmails) { w, e in
            w.write(e.id)
            w.write(e.mailbox)
            w.write(e.messageId)
            w.write(e.from)
            w.write(e.subject)
            w.write(e.sentAt) { $0.write($1) }
            w.write(e.at)
        }
        write(l.pausedUntil) { $0.write($1) }
        write(l.linkedCustomer) { $0.write($1) }
        write(l.converted)
        write(l.mergedInto) { $0.write($1) }
        write(l.mergedFrom) { $0.write($1) }
        write(l.deleted)
        write(l.deletedWithDeals) { $0.write($1) }
        write(l.createdBy)
        write(l.createdAt)
        write(l.updatedBy)
        write(l.updatedAt)
        write(l.version)
    }

    mutating func write(facts f: LeadFacts) {
        write(f.reached) { $0.write($1) }
        write(f.stepEnteredAt)
        write(f.convertedAt) { $0.write($1) }
    }

    mutating func write(customer c: CustomerState) {
        write(c.id)
        write(c.kind.rawValue)
        write(c.fullName)
        write(c.company) { $0.write($1) }
        write(c.companyId) { $0.write($1) }
        write(c.phones) { $0.write(phone: $1) }
        write(c.emails) { $0.write($1) }
        write(c.address) { $0.write(address: $1) }
        write(c.fromLeadId) { $0.write($1) }
        write(c.deleted ? 1 as UInt64 : 0)
        write(c.createdBy)
        write(c.createdAt)
        write(c.updatedBy)
        write(c.updatedAt)
        write(c.version)
    }
}

extension BinaryReader {
    mutating func readString(optional: Void) throws(RecordDecodingError) -> String? {
        try readOptional { r throws(RecordDecodingError) in try r.readString() }
    }

    mutating func readUUID(optional: Void) throws(RecordDecodingError) -> UUID? {
        try readOptional { r throws(RecordDecodingError) in try r.readUUID() }
    }

    mutating func readTimestamp(optional: Void) throws(RecordDecodingError) -> Timestamp? {
        try readOptional { r throws(RecordDecodingError) in try r.readTimestamp() }
    }

    mutating func readStrings() throws(RecordDecodingError) -> [String] {
        try readArray { r throws(RecordDecodingError) in try r.readString() }
    }

    mutating func readUUIDs() throws(RecordDecodingError) -> [UUID] {
        try readArray { r throws(RecordDecodingError) in try r.readUUID() }
    }

    mutating func readPhone() throws(RecordDecodingError) -> PhoneNumber {
        var phone = PhoneNumber(typed: try readString())
        phone.digits = try readString()
        phone.hasPlus = try readBool()
        return phone
    }

    mutating func readPhones() throws(RecordDecodingError) -> [PhoneNumber] {
        try readArray { r throws(RecordDecodingError) in try r.readPhone() }
    }

    mutating func readAddress() throws(RecordDecodingError) -> Address? {
        try readOptional { r throws(RecordDecodingError) in
            Address(
                country: try r.readString(optional: ()), city: try r.readString(optional: ()),
                street: try r.readString(optional: ()), building: try r.readString(optional: ()),
                flat: try r.readString(optional: ()))
        }
    }

    mutating func readCustomField() throws(RecordDecodingError) -> CustomFieldValue {
        switch try readEnum(CustomFieldType.self) {
        case .string: return .string(try readString())
        case .int: return .int(try readInt64())
        case .list: return .list(try readString())
        case .text: return .text(try readString())
        case .flag: return .flag(try readBool())
        case .url: return .url(try readString())
        case .date: return .date(try readString())
        }
    }

    mutating func readLead() throws(RecordDecodingError) -> LeadState {
        let id = try readUUID()
        let fullName = try readString()
        let company = try readString(optional: ())
        let phones = try readPhones()
        let emails = try readStrings()
        let address = try readAddress()
        let source = try readString()
        let step = try readString()
        let responsible = try readUUID(optional: ())
        let priority = try readEnum(LeadPriority.self)
        let competitor = try readString(optional: ())
        let assessment = try readString(optional: ())
        let tags = try readStrings()
        let fields = try readArray { r throws(RecordDecodingError) in (try r.readString(), try r.readCustomField()) }
        let comment = try readString(optional: ())
        let placeholder = UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
        var lead = LeadState(
            created: LeadCreated(
                leadId: id, fullName: fullName, company: company, phones: phones, emails: emails, address: address,
                source: source, step: step, priority: priority, responsible: responsible, competitor: competitor,
                assessment: assessment, tags: tags, customFields: Dictionary(fields, uniquingKeysWith: { $1 }),
                comment: comment, at: Timestamp(rawValue: 0), by: placeholder))
        lead.watchers = try readUUIDs()
        lead.notes = try readArray { r throws(RecordDecodingError) in
            Note(
                id: try r.readUUID(), step: try r.readString(), text: try r.readString(),
                format: try r.readEnum(NoteFormat.self), createdBy: try r.readUUID(), createdAt: try r.readTimestamp())
        }
        lead.actions = try readArray { r throws(RecordDecodingError) in
            LeadAction(
                id: try r.readUUID(), step: try r.readString(), text: try r.readString(),
                actionType: try r.readString(optional: ()), admin: try r.readUUID(optional: ()),
                plannedAt: try r.readTimestamp(optional: ()), pinned: try r.readBool(), completed: try r.readBool(),
                createdBy: try r.readUUID(), createdAt: try r.readTimestamp())
        }
        lead.tasks = try readArray { r throws(RecordDecodingError) in
            LeadTask(
                id: try r.readUUID(), taskType: try r.readString(), description: try r.readString(),
                responsible: try r.readUUID(optional: ()), due: try r.readTimestamp(optional: ()),
                closed: try r.readBool(), createdBy: try r.readUUID(), createdAt: try r.readTimestamp())
        }
        lead.calls = try readArray { r throws(RecordDecodingError) in
            LeadCall(
                id: try r.readUUID(), number: try r.readString(), digits: try r.readString(),
                takenBy: try r.readUUID(optional: ()), at: try r.readTimestamp())
        }
        lead.receivedEmails = try readArray { r throws(RecordDecodingError) in
            LeadEmail(
                id: try r.readUUID(), mailbox: try r.readString(), messageId: try r.readString(), from: try r.readString(),
                subject: try r.readString(), sentAt: try r.readTimestamp(optional: ()), at: try r.readTimestamp())
        }
        lead.pausedUntil = try readTimestamp(optional: ())
        lead.linkedCustomer = try readUUID(optional: ())
        lead.converted = try readBool()
        lead.mergedInto = try readUUID(optional: ())
        lead.mergedFrom = try readUUIDs()
        lead.deleted = try readBool()
        lead.deletedWithDeals = try readUUIDs()
        lead.createdBy = try readUUID()
        lead.createdAt = try readTimestamp()
        lead.updatedBy = try readUUID()
        lead.updatedAt = try readTimestamp()
        lead.version = try readUInt64()
        return lead
    }

    mutating func readFacts() throws(RecordDecodingError) -> LeadFacts {
        LeadFacts(reached: try readStrings(), stepEnteredAt: try readTimestamp(), convertedAt: try readTimestamp(optional: ()))
    }

    mutating func readCustomer() throws(RecordDecodingError) -> CustomerState {
        let id = try readUUID()
        let kindName = try readString()
        guard let kind = CustomerKind(rawValue: kindName) else {
            throw RecordDecodingError(reason: "customer kind \(kindName)", offset: 0)
        }
        let fullName = try readString()
        let company = try readString(optional: ())
        let companyId = try readUUID(optional: ())
        let phones = try readPhones()
        let emails = try readStrings()
        let address = try readAddress()
        let fromLeadId = try readUUID(optional: ())
        let deleted = try readUInt64() != 0
        let createdBy = try readUUID()
        let createdAt = try readTimestamp()
        var customer = CustomerState(
            registered: CustomerRegistered(
                customerId: id, kind: kind, fullName: fullName, company: company, companyId: companyId, phones: phones,
                emails: emails, address: address, fromLeadId: fromLeadId, at: createdAt, by: createdBy))
        customer.deleted = deleted
        customer.updatedBy = try readUUID()
        customer.updatedAt = try readTimestamp()
        customer.version = try readUInt64()
        return customer
    }
}
