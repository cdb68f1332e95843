import LeadDomain
import LeadLedgerCore

// The hot resources write their own JSON (`JSONBytesWriter`): keys in `.sortedKeys` order (UTF-8 bytes), `nil`
// optionals omitted as synthesized `Encodable` omits them. Adding a property to one of these types means adding
// it here too; `JSONWriterTests` fails otherwise.

extension LeadSummaryResource: JSONWritable {
    /// Straight from the state, each field read in place (`record.state.x`: naming the state once would copy it):
    /// ids and times are written as bytes, no string or array is made per row.
    func write(to json: inout JSONBytesWriter) {
        json.beginObject()
        json.key("company", ifPresent: record.state.company)
        json.key("converted", record.state.converted)
        json.key("createdAt")
        json.time(record.state.createdAt)
        json.key("deleted", record.state.deleted)
        json.key("emails", record.state.emails)
        json.key("fullName", record.state.fullName)
        json.key("id")
        json.uuid(record.state.id)
        json.key("linkedCustomer", ifPresent: record.state.linkedCustomer)
        json.key("paused", record.state.isPaused(at: now))
        json.key("phones")
        json.beginArray()
        for phone in record.state.phones { json.string(phone.typed) }
        json.endArray()
        json.key("priority", record.state.priority.rawValue)
        json.key("responsible", ifPresent: record.state.responsible)
        json.key("source", record.state.source)
        json.key("step", record.state.step)
        json.key("tags", record.state.tags)
        json.key("updatedAt")
        json.time(record.state.updatedAt)
        json.key("version")
        json.integer(record.state.version)
        json.endObject()
    }
}

extension KanbanResource: JSONWritable {
    func write(to json: inout JSONBytesWriter) {
        json.beginObject()
        json.key("columns")
        json.array(columns)
        json.endObject()
    }
}

extension KanbanResource.Column: JSONWritable {
    func write(to json: inout JSONBytesWriter) {
        json.beginObject()
        json.key("colour", colour)
        json.key("count")
        json.integer(count)
        json.key("items")
        json.array(items)
        json.key("name", name)
        json.key("nextCursor")  // `null` on a column's last page, as `encode(to:)` writes it
        if let nextCursor { json.string(nextCursor) } else { json.null() }
        json.key("step", step)
        json.endObject()
    }
}

extension PageResource: JSONWritable where Item: JSONWritable {
    func write(to json: inout JSONBytesWriter) {
        json.beginObject()
        json.key("items")
        json.array(items)
        json.key("nextCursor")  // `null` on the last page, as `encode(to:)` writes it
        if let nextCursor { json.string(nextCursor) } else { json.null() }
        if let total {
            json.key("total")
            json.integer(total)
        }
        json.endObject()
    }
}

extension LeadResource: JSONWritable {
    func write(to json: inout JSONBytesWriter) {
        json.beginObject()
        json.key("actions")
        json.array(actions)
        if let address {
            json.key("address")
            json.value(address)
        }
        json.key("assessment", ifPresent: assessment)
        json.key("calls")
        json.array(calls)
        json.key("comment", ifPresent: comment)
        json.key("company", ifPresent: company)
        json.key("competitor", ifPresent: competitor)
        json.key("converted", converted)
        json.key("createdAt", createdAt)
        json.key("createdBy", createdBy)
        json.key("customFields")
        json.beginObject()
        for (key, value) in customFields.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }) {
            json.dynamicKey(key)
            json.value(value)
        }
        json.endObject()
        json.key("deleted", deleted)
        json.key("emails", emails)
        json.key("fullName", fullName)
        json.key("id", id)
        json.key("linkedCustomer", ifPresent: linkedCustomer)
        json.key("mergedFrom", mergedFrom)
        json.key("mergedInto", ifPresent: mergedInto)
        json.key("notes")
        json.array(notes)
        json.key("paused", paused)
        json.key("pausedUntil", ifPresent: pausedUntil)
        json.key("phones", phones)
        json.key("priority", priority)
        json.key("receivedEmails")
        json.array(receivedEmails)
        json.key("responsible", ifPresent: responsible)
        json.key("source", source)
        json.key("step", step)
        json.key("tags", tags)
        json.key("tasks")
        json.array(tasks)
        json.key("updatedAt", updatedAt)
        json.key("updatedBy", updatedBy)
        json.key("version")
        json.integer(version)
        json.key("watchers", watchers)
        json.endObject()
    }
}

extension LeadResource.NoteResource: JSONWritable {
    func write(to json: inout JSONBytesWriter) {
        json.beginObject()
        json.key("createdAt", createdAt)
        json.key("createdBy", createdBy)
        json.key("format", format)
        json.key("id", id)
        json.key("step", step)
        json.key("text", text)
        json.endObject()
    }
}

extension LeadResource.ActionResource: JSONWritable {
    func write(to json: inout JSONBytesWriter) {
        json.beginObject()
        json.key("actionType", ifPresent: actionType)
        json.key("admin", ifPresent: admin)
        json.key("completed", completed)
        json.key("createdAt", createdAt)
        json.key("createdBy", createdBy)
        json.key("id", id)
        json.key("pinned", pinned)
        json.key("plannedAt", ifPresent: plannedAt)
        json.key("step", step)
        json.key("text", text)
        json.endObject()
    }
}

extension LeadResource.CallResource: JSONWritable {
    func write(to json: inout JSONBytesWriter) {
        json.beginObject()
        json.key("at", at)
        json.key("digits", digits)
        json.key("id", id)
        json.key("number", number)
        json.key("takenBy", ifPresent: takenBy)
        json.endObject()
    }
}

extension LeadResource.EmailResource: JSONWritable {
    func write(to json: inout JSONBytesWriter) {
        json.beginObject()
        json.key("at", at)
        json.key("from", from)
        json.key("id", id)
        json.key("mailbox", mailbox)
        json.key("messageId", messageId)
        json.key("sentAt", ifPresent: sentAt)
        json.key("subject", subject)
        json.endObject()
    }
}

extension LeadResource.TaskResource: JSONWritable {
    func write(to json: inout JSONBytesWriter) {
        json.beginObject()
        json.key("closed", closed)
        json.key("createdAt", createdAt)
        json.key("createdBy", createdBy)
        json.key("description", description)
        json.key("due", ifPresent: due)
        json.key("id", id)
        json.key("responsible", ifPresent: responsible)
        json.key("taskType", taskType)
        json.endObject()
    }
}

extension Address: JSONWritable {
    func write(to json: inout JSONBytesWriter) {
        json.beginObject()
        json.key("building", ifPresent: building)
        json.key("city", ifPresent: city)
        json.key("country", ifPresent: country)
        json.key("flat", ifPresent: flat)
        json.key("street", ifPresent: street)
        json.endObject()
    }
}

extension CustomFieldValue: JSONWritable {
    func write(to json: inout JSONBytesWriter) {
        json.beginObject()
        json.key("type", type.rawValue)
        json.key("value")
        switch self {
        case .string(let s), .list(let s), .text(let s), .url(let s), .date(let s): json.string(s)
        case .int(let i): json.integer(i)
        case .flag(let b): json.bool(b)
        }
        json.endObject()
    }
}

// Keyset cursors (`PageCursor.encoded()`): the synthesized `Codable` form of the lead list's sort key.

extension LeadCursor: JSONWritable {
    func write(to json: inout JSONBytesWriter) {
        json.beginObject()
        json.key("key")
        json.value(key)
        json.key("sort", sort.rawValue)
        json.endObject()
    }
}

extension LeadOrderKey: JSONWritable {
    func write(to json: inout JSONBytesWriter) {
        json.beginObject()
        json.key("id")
        json.beginObject()
        json.key("high")
        json.integer(id.high)
        json.key("low")
        json.integer(id.low)
        json.endObject()
        json.key("primary")
        json.integer(primary)
        json.key("secondary")
        json.integer(secondary)
        json.key("text", text)
        json.endObject()
    }
}
