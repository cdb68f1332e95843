#!/usr/bin/env python3
"""Generates the LeadDomain event payload types, the DomainEvent codec and the JSON Schemas of every event.

One spec (EVENTS below) is the event catalogue: each event type, its stream, its fields and their doc comments.
Running this script rewrites
  Sources/LeadDomain/Events/<Stream>/<Type>.swift     one payload struct per event type (and per old version)
  Sources/LeadDomain/Events/DomainEvent.swift         the enum every other module uses, with the codec
  Sources/LeadDomain/Events/EventKind.swift           every type name and its current schema version
  schemas/events/<Type>.v<N>.json                     JSON Schema (draft 2020-12) of every type and version

History is append-only: to change a payload, add a version (keep the old spec under `old`, write its upcast by
hand in Events/EventUpcasting.swift), never edit a released version's fields.

Usage: python3 tools/generate-events.py   (from the repository root)
"""
import json
import os
import shutil
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

SLUG = "^[a-z0-9][a-z0-9-]{0,63}$"
# A deal's budget: a non-negative decimal (up to 15 integer and 4 fraction digits) and an ISO 4217 code.
AMOUNT = "^(0|[1-9][0-9]{0,14})(\\.[0-9]{1,4})?$"
CURRENCY = "^[A-Z]{3}$"

# Field types: uuid, string, key (a settings slug), ts (Timestamp µs), int, bool, sha256, colour, amount (a
# decimal string), currency (ISO 4217), percent (0–100), or a shared
# definition by its Swift name; "[T]" is an array, "{T}" a map from string keys, a trailing "?" optional.
SCALARS = {
    "uuid": ("UUID", {"type": "string", "format": "uuid"}),
    "string": ("String", {"type": "string"}),
    "key": ("String", {"$ref": "#/$defs/key"}),
    "ts": ("Timestamp", {"$ref": "#/$defs/timestamp"}),
    "int": ("Int64", {"type": "integer"}),
    "bool": ("Bool", {"type": "boolean"}),
    "sha256": ("String", {"type": "string", "pattern": "^[0-9a-f]{64}$"}),
    "colour": ("String", {"type": "string", "pattern": "^#[0-9a-f]{6}$"}),
    "amount": ("String", {"type": "string", "pattern": AMOUNT}),
    "currency": ("String", {"type": "string", "pattern": CURRENCY}),
    "percent": ("Int64", {"type": "integer", "minimum": 0, "maximum": 100}),
}

def change(t):
    return {"type": "object", "properties": {"from": t, "to": t}, "required": ["from", "to"],
            "additionalProperties": False}

def nullable(t):
    return {"anyOf": [t, {"type": "null"}]}

STR = {"type": "string"}
UUID = {"type": "string", "format": "uuid"}
TS = {"$ref": "#/$defs/timestamp"}
KEY = {"$ref": "#/$defs/key"}

def obj(props, required):
    return {"type": "object", "properties": props, "required": required, "additionalProperties": False}

DEFS = {
    "key": {"type": "string", "pattern": SLUG, "description": "a settings key (slug)"},
    "timestamp": {"type": "integer", "description": "microseconds since 1970-01-01T00:00:00Z"},
    "PhoneNumber": obj({"typed": STR, "digits": {"type": "string", "pattern": "^[0-9]*$"},
                        "hasPlus": {"type": "boolean"}}, ["typed", "digits", "hasPlus"]),
    "Address": obj({p: STR for p in ["country", "city", "street", "building", "flat"]}, []),
    "LeadPriority": {"enum": ["low", "normal", "high", "urgent"]},
    "NoteFormat": {"enum": ["plain", "markdown"]},
    "CustomFieldType": {"enum": ["string", "int", "list", "text", "flag", "url", "date"]},
    "CustomFieldValue": {"oneOf": [
        obj({"type": {"enum": ["string", "list", "text", "url"]}, "value": STR}, ["type", "value"]),
        obj({"type": {"const": "int"}, "value": {"type": "integer"}}, ["type", "value"]),
        obj({"type": {"const": "flag"}, "value": {"type": "boolean"}}, ["type", "value"]),
        obj({"type": {"const": "date"}, "value": {"type": "string", "format": "date"}}, ["type", "value"]),
    ]},
    "LeadField": {"enum": ["fullName", "company", "phones", "emails", "address", "source", "priority",
                           "responsible", "competitor", "assessment", "comment", "customFields"]},
    "LeadFieldChanges": obj({
        "fullName": change(STR),
        "company": change(nullable(STR)),
        "phones": change({"type": "array", "items": {"$ref": "#/$defs/PhoneNumber"}}),
        "emails": change({"type": "array", "items": STR}),
        "address": change(nullable({"$ref": "#/$defs/Address"})),
        "source": change(KEY),
        "priority": change({"$ref": "#/$defs/LeadPriority"}),
        "responsible": change(nullable(UUID)),
        "competitor": change(nullable(STR)),
        "assessment": change(nullable(STR)),
        "comment": change(nullable(STR)),
        "customFields": {"type": "object", "propertyNames": {"pattern": SLUG},
                         "additionalProperties": change(nullable({"$ref": "#/$defs/CustomFieldValue"}))},
    }, []),
    "CustomerFieldChanges": obj({
        "fullName": change(STR),
        "company": change(nullable(STR)),
        "phones": change({"type": "array", "items": {"$ref": "#/$defs/PhoneNumber"}}),
        "emails": change({"type": "array", "items": STR}),
        "address": change(nullable({"$ref": "#/$defs/Address"})),
    }, []),
    "Note": obj({"id": UUID, "step": KEY, "text": STR, "format": {"$ref": "#/$defs/NoteFormat"},
                 "createdBy": UUID, "createdAt": TS}, ["id", "step", "text", "format", "createdBy", "createdAt"]),
    "LeadAction": obj({"id": UUID, "step": KEY, "text": STR, "actionType": KEY, "admin": UUID, "plannedAt": TS,
                       "pinned": {"type": "boolean"}, "completed": {"type": "boolean"}, "createdBy": UUID,
                       "createdAt": TS},
                      ["id", "step", "text", "pinned", "completed", "createdBy", "createdAt"]),
    "LeadTask": obj({"id": UUID, "taskType": KEY, "description": STR, "responsible": UUID, "due": TS,
                     "closed": {"type": "boolean"}, "createdBy": UUID, "createdAt": TS},
                    ["id", "taskType", "description", "closed", "createdBy", "createdAt"]),
    "TaskFieldChanges": obj({
        "taskType": change(KEY),
        "description": change(STR),
        "due": change(nullable(TS)),
    }, []),
    "CustomFieldDefinition": obj({"key": KEY, "name": STR, "type": {"$ref": "#/$defs/CustomFieldType"},
                                  "required": {"type": "boolean"}, "maxLength": {"type": "integer", "minimum": 1},
                                  "minValue": {"type": "integer"}, "maxValue": {"type": "integer"},
                                  "options": {"type": "array", "items": STR}, "retired": {"type": "boolean"}},
                                 ["key", "name", "type", "required", "retired"]),
    "FieldLimits": obj({k: {"type": "integer", "minimum": 1} for k in
                        ["name", "customText", "note", "comment", "taskDescription"]},
                       ["name", "customText", "note", "comment", "taskDescription"]),
    "FieldLimitsPreset": {"enum": ["default", "compact", "custom"]},
    "AdminRole": {"enum": ["admin", "manager"]},
    "DealStageKind": {"enum": ["open", "won", "lost"]},
    "CustomerKind": {"enum": ["person", "company"]},
    "CurrencyRate": obj({"currency": {"type": "string", "pattern": CURRENCY}, "rate": {"type": "string", "pattern": AMOUNT}},
                        ["currency", "rate"]),
    "DealFieldChanges": obj({
        "name": change(STR),
        "amount": change({"type": "string", "pattern": AMOUNT}),
        "currency": change({"type": "string", "pattern": CURRENCY}),
        "probability": change(nullable({"type": "integer", "minimum": 0, "maximum": 100})),
        "expectedCloseAt": change(nullable(TS)),
        "responsible": change(UUID),
        "leadId": change(nullable(UUID)),
        "customerId": change(nullable(UUID)),
    }, []),
    "ImportFormat": {"enum": ["csv", "json", "ndjson", "xlsx"]},
    "ImportMode": {"enum": ["create", "update", "upsert"]},
    "ImportColumn": obj({"column": {"type": "string", "minLength": 1, "maxLength": 200}, "field": STR},
                        ["column", "field"]),
    "LeadForm": obj({"key": KEY, "name": STR,
                     "fields": {"type": "array", "items": {"$ref": "#/$defs/ImportColumn"},
                                "description": "Form field (`column`) → lead field path (`field`)."},
                     "source": KEY, "step": KEY, "responsible": UUID,
                     "allowedOrigins": {"type": "array", "items": STR}, "honeypot": STR},
                    ["key", "name", "fields", "allowedOrigins"]),
    "Mailbox": obj({"key": KEY, "name": STR,
                    "maildir": {"type": "string", "minLength": 1, "maxLength": 200,
                                "description": "The Maildir, relative to the server's mail root."},
                    "template": {"type": "string", "description": "Lines like `Name: {{fullName}}` read from the body."},
                    "source": KEY, "step": KEY, "responsible": UUID, "enabled": {"type": "boolean"}},
                   ["key", "name", "maildir", "enabled"]),
    "MessageTemplate": obj({"key": KEY, "name": STR, "subject": STR,
                            "text": {"type": "string", "description": "The plain-text body (Mustache)."},
                            "html": {"type": "string", "description": "The HTML body (Mustache; variables HTML-escaped)."}},
                           ["key", "name", "subject"]),
    "BulkOperationKind": {"enum": ["assign", "markStep", "tag", "untag", "setFields", "addTask", "addWatchers", "pause",
                                   "resume", "delete", "restore"]},
    "BulkFieldValue": obj({"field": STR, "value": {"type": "string"}}, ["field", "value"]),
    "BulkOperation": obj({"kind": {"$ref": "#/$defs/BulkOperationKind"}, "responsible": UUID, "step": KEY,
                          "tags": {"type": "array", "items": STR},
                          "fields": {"type": "array", "items": {"$ref": "#/$defs/BulkFieldValue"}},
                          "taskType": KEY, "taskDescription": STR, "taskDue": TS, "taskResponsible": UUID,
                          "watchers": {"type": "array", "items": UUID}, "until": TS, "withDeals": {"type": "boolean"},
                          "reason": STR},
                         ["kind"]),
    "BulkRefusal": obj({"leadId": UUID, "code": STR, "message": STR}, ["leadId", "code", "message"]),
    "ImportRowError": obj({"row": {"type": "integer", "minimum": 1}, "column": STR, "field": STR, "code": STR,
                           "message": STR}, ["row", "code", "message"]),
    "Permission": {"enum": ["leads.read.all", "leads.delete", "leads.restore", "leads.merge", "settings.manage",
                            "admins.manage", "reports.read", "leads.export", "messages.send"]},
    "SMTPSecurity": {"enum": ["none", "starttls", "tls"]},
    "SMSMethod": {"enum": ["GET", "POST"]},
    "MessageChannel": {"enum": ["email", "sms"]},
    "SMTPRelay": obj({"host": {"type": "string", "minLength": 1, "maxLength": 253},
                      "port": {"type": "integer", "minimum": 1, "maximum": 65535},
                      "security": {"$ref": "#/$defs/SMTPSecurity"},
                      "username": STR,
                      "passwordVariable": {"type": "string", "pattern": "^LEADLEDGER_[A-Z0-9_]{1,53}$",
                                           "description": "The server's environment variable holding the AUTH password."},
                      "caFile": {"type": "string", "description": "A PEM file of extra trust roots."},
                      "senderAddress": STR, "senderName": STR,
                      "messagesPerMinute": {"type": "integer", "minimum": 1, "maximum": 6000},
                      "maxAttempts": {"type": "integer", "minimum": 1, "maximum": 10},
                      "retrySeconds": {"type": "integer", "minimum": 1, "maximum": 3600}},
                     ["host", "port", "security", "senderAddress", "messagesPerMinute", "maxAttempts", "retrySeconds"]),
    "SMSGateway": obj({"url": {"type": "string", "description": "http(s) URL template over {{to}}, {{text}}, {{from}}."},
                       "method": {"$ref": "#/$defs/SMSMethod"},
                       "body": {"type": "string", "description": "Body template (form or JSON, by contentType)."},
                       "contentType": STR, "authHeader": STR,
                       "authVariable": {"type": "string", "pattern": "^LEADLEDGER_[A-Z0-9_]{1,53}$",
                                        "description": "The server's environment variable holding the header's value."},
                       "from": STR, "successContains": STR,
                       "messagesPerMinute": {"type": "integer", "minimum": 1, "maximum": 6000},
                       "maxAttempts": {"type": "integer", "minimum": 1, "maximum": 10},
                       "retrySeconds": {"type": "integer", "minimum": 1, "maximum": 3600}},
                      ["url", "method", "messagesPerMinute", "maxAttempts", "retrySeconds"]),
}

# The Swift form of the object definitions above (hand-written types in LeadDomain), for their generated fast JSON
# decoders: (field, Swift type) in declaration order. `main` checks the names against DEFS. The string enums of
# DEFS get theirs from a protocol extension; CustomFieldValue (a tagged union) and Change<T> are hand-written in
# Events/FastJSON/FastJSONDecodable.swift.
def _changes(names, types):
    return [(n, types[n]) for n in names]

_CHANGE_TYPES = {
    "fullName": "Change<String>?", "company": "Change<String?>?", "phones": "Change<[PhoneNumber]>?",
    "emails": "Change<[String]>?", "address": "Change<Address?>?", "source": "Change<String>?",
    "priority": "Change<LeadPriority>?", "responsible": "Change<UUID?>?", "competitor": "Change<String?>?",
    "assessment": "Change<String?>?", "comment": "Change<String?>?",
    "customFields": "[String: Change<CustomFieldValue?>]?",
}

SWIFT_DEFS = {
    "PhoneNumber": [("typed", "String"), ("digits", "String"), ("hasPlus", "Bool")],
    "Address": [(p, "String?") for p in ["country", "city", "street", "building", "flat"]],
    "LeadFieldChanges": _changes(list(_CHANGE_TYPES), _CHANGE_TYPES),
    "CustomerFieldChanges": _changes(["fullName", "company", "phones", "emails", "address"], _CHANGE_TYPES),
    "Note": [("id", "UUID"), ("step", "String"), ("text", "String"), ("format", "NoteFormat"), ("createdBy", "UUID"),
             ("createdAt", "Timestamp")],
    "LeadAction": [("id", "UUID"), ("step", "String"), ("text", "String"), ("actionType", "String?"),
                   ("admin", "UUID?"), ("plannedAt", "Timestamp?"), ("pinned", "Bool"), ("completed", "Bool"),
                   ("createdBy", "UUID"), ("createdAt", "Timestamp")],
    "LeadTask": [("id", "UUID"), ("taskType", "String"), ("description", "String"), ("responsible", "UUID?"),
                 ("due", "Timestamp?"), ("closed", "Bool"), ("createdBy", "UUID"), ("createdAt", "Timestamp")],
    "CurrencyRate": [("currency", "String"), ("rate", "String")],
    "ImportColumn": [("column", "String"), ("field", "String")],
    "LeadForm": [("key", "String"), ("name", "String"), ("fields", "[ImportColumn]"), ("source", "String?"),
                 ("step", "String?"), ("responsible", "UUID?"), ("allowedOrigins", "[String]"), ("honeypot", "String?")],
    "Mailbox": [("key", "String"), ("name", "String"), ("maildir", "String"), ("template", "String?"),
                ("source", "String?"), ("step", "String?"), ("responsible", "UUID?"), ("enabled", "Bool")],
    "MessageTemplate": [("key", "String"), ("name", "String"), ("subject", "String"), ("text", "String?"), ("html", "String?")],
    "BulkFieldValue": [("field", "String"), ("value", "String")],
    "BulkOperation": [("kind", "BulkOperationKind"), ("responsible", "UUID?"), ("step", "String?"), ("tags", "[String]?"),
                      ("fields", "[BulkFieldValue]?"), ("taskType", "String?"), ("taskDescription", "String?"),
                      ("taskDue", "Timestamp?"), ("taskResponsible", "UUID?"), ("watchers", "[UUID]?"), ("until", "Timestamp?"),
                      ("withDeals", "Bool?"), ("reason", "String?")],
    "BulkRefusal": [("leadId", "UUID"), ("code", "String"), ("message", "String")],
    "SMTPRelay": [("host", "String"), ("port", "Int64"), ("security", "SMTPSecurity"), ("username", "String?"),
                  ("passwordVariable", "String?"), ("caFile", "String?"), ("senderAddress", "String"),
                  ("senderName", "String?"), ("messagesPerMinute", "Int64"), ("maxAttempts", "Int64"),
                  ("retrySeconds", "Int64")],
    "SMSGateway": [("url", "String"), ("method", "SMSMethod"), ("body", "String?"), ("contentType", "String?"),
                   ("authHeader", "String?"), ("authVariable", "String?"), ("from", "String?"),
                   ("successContains", "String?"), ("messagesPerMinute", "Int64"), ("maxAttempts", "Int64"),
                   ("retrySeconds", "Int64")],
    "ImportRowError": [("row", "Int"), ("column", "String?"), ("field", "String?"), ("code", "String"),
                       ("message", "String")],
    "TaskFieldChanges": [("taskType", "Change<String>?"), ("description", "Change<String>?"),
                         ("due", "Change<Timestamp?>?")],
    "CustomFieldDefinition": [("key", "String"), ("name", "String"), ("type", "CustomFieldType"),
                              ("required", "Bool"), ("maxLength", "Int?"), ("minValue", "Int64?"),
                              ("maxValue", "Int64?"), ("options", "[String]?"), ("retired", "Bool")],
    "FieldLimits": [(k, "Int") for k in ["name", "customText", "note", "comment", "taskDescription"]],
    "DealFieldChanges": [("name", "Change<String>?"), ("amount", "Change<String>?"), ("currency", "Change<String>?"),
                         ("probability", "Change<Int64?>?"), ("expectedCloseAt", "Change<Timestamp?>?"),
                         ("responsible", "Change<UUID>?"), ("leadId", "Change<UUID?>?"),
                         ("customerId", "Change<UUID?>?")],
}

# (name, stream, doc, fields[(name, type, doc)], version, old versions {n: fields})
LEAD, CUSTOMER, DEAL, SETTINGS, ADMIN, IMPORT, BULK, MAILING = (
    "Lead", "Customer", "Deal", "Settings", "Admin", "Import", "Bulk", "Mailing")

def lead(*fields):
    return [("leadId", "uuid", "The lead (its stream is `lead-<leadId>`).")] + list(fields)

def customer(*fields):
    return [("customerId", "uuid", "The customer (its stream is `customer-<customerId>`).")] + list(fields)

def deal(*fields):
    return [("dealId", "uuid", "The deal (its stream is `deal-<dealId>`).")] + list(fields)

def admin(*fields):
    return [("adminId", "uuid", "The admin (its stream is `admin-<adminId>`).")] + list(fields)

def import_(*fields):
    return [("importId", "uuid", "The import (its stream is `import-<importId>`; every event of the import carries "
             "it as its correlation id).")] + list(fields)

def bulk(*fields):
    return [("bulkId", "uuid", "The bulk operation (its stream is `bulk-<bulkId>`; every event it appends to leads "
             "carries it as its correlation id).")] + list(fields)

def mailing(*fields):
    return [("mailingId", "uuid", "The mailing (its stream is `mailing-<mailingId>`; the `MessageSent` events it "
             "appends to leads carry it as their correlation id).")] + list(fields)

def task_events(prefix, stream, subject, noun):
    """The task events of a stream: the same fields on a lead (`Task…`) and on a deal (`DealTask…`)."""
    task = ("taskId", "uuid", "The task.")
    return [
        (prefix + "Added", stream, f"A task was added to the {noun}.", subject(
            task,
            ("taskType", "key", "The task type key."),
            ("description", "string", "What to do."),
            ("responsible", "uuid?", "Who is to do it."),
            ("due", "ts?", "When it is due."),
        )),
        (prefix + "Closed", stream, "A task was closed.", subject(task)),
        (prefix + "Updated", stream, "A task's type, description or due date changed (only the changed ones, from → to).",
         subject(task, ("changes", "TaskFieldChanges", "The changed fields."))),
        (prefix + "Reassigned", stream, "A task was given to another admin, or to nobody.", subject(
            task,
            ("from", "uuid?", "Who was to do it."),
            ("to", "uuid?", "Who is to do it now."),
        )),
        (prefix + "Reopened", stream, "A closed task was opened again.", subject(task)),
        (prefix + "Deleted", stream, f"A task was removed from the {noun} (its history keeps it).", subject(task)),
    ]

EVENTS = [
    ("LeadCreated", LEAD, "A lead was created.", lead(
        ("fullName", "string", "Full name of the person (or the lead's title)."),
        ("company", "string?", "Company name."),
        ("phones", "[PhoneNumber]", "Phone numbers, typed form and normalized digits."),
        ("emails", "[string]", "E-mail addresses as typed (trimmed)."),
        ("address", "Address?", "Postal address."),
        ("source", "key", "Where the lead came from (a source key)."),
        ("step", "key", "The pipeline step the lead starts on."),
        ("priority", "LeadPriority", "How urgent the lead is."),
        ("responsible", "uuid?", "The admin responsible for the lead."),
        ("competitor", "string?", "The competitor the client also talks to."),
        ("assessment", "string?", "Assessment of the competitor, a value of the settings' assessment scale."),
        ("tags", "[string]", "Tag names (trimmed; compared case-folded)."),
        ("customFields", "{CustomFieldValue}", "Custom field values by field key."),
        ("comment", "string?", "Free comment."),
    )),
    ("LeadUpdated", LEAD, "Lead fields changed; only the changed fields are listed, each from → to.", lead(
        ("changes", "LeadFieldChanges", "The changed fields."))),
    ("LeadStepMarked", LEAD, "The lead's progress moved to another pipeline step (forward or back).", lead(
        ("from", "key", "The step the lead was on."), ("to", "key", "The step the lead is on now."))),
    ("LeadAssigned", LEAD, "The responsible admin changed.", lead(
        ("from", "uuid?", "The previous responsible admin."), ("to", "uuid?", "The new responsible admin."))),
    ("LeadTagged", LEAD, "A tag was added to the lead.", lead(("tag", "string", "The tag name."))),
    ("LeadUntagged", LEAD, "A tag was removed from the lead.", lead(("tag", "string", "The tag name as stored."))),
    ("WatcherAdded", LEAD, "An admin started watching the lead.", lead(("watcher", "uuid", "The watching admin."))),
    ("WatcherRemoved", LEAD, "An admin stopped watching the lead.", lead(("watcher", "uuid", "The admin."))),
    ("NoteAdded", LEAD, "A text-only entry was added on a step.", lead(
        ("noteId", "uuid", "The note."),
        ("step", "key", "The step the note belongs to."),
        ("text", "string", "The note's text."),
        ("format", "NoteFormat", "How the text is rendered (v2; v1 notes are `plain`)."),
    ), 2, {1: lead(("noteId", "uuid", "The note."), ("step", "key", "The step the note belongs to."),
                  ("text", "string", "The note's text."))}),
    ("ActionLogged", LEAD, "An action (a call, a meeting, anything with a type, an admin or a planned time) was "
     "logged on a step.", lead(
        ("actionId", "uuid", "The action."),
        ("step", "key", "The step the action belongs to."),
        ("text", "string", "Description (may be empty)."),
        ("actionType", "key?", "The action type key."),
        ("admin", "uuid?", "The admin who is to do the action."),
        ("plannedAt", "ts?", "When the action is planned."),
    )),
    ("ActionPinned", LEAD, "An action was pinned to the top of the lead card.", lead(("actionId", "uuid", "The action."))),
    ("ActionUnpinned", LEAD, "An action was unpinned.", lead(("actionId", "uuid", "The action."))),
    ("ActionCompleted", LEAD, "An action was marked done.", lead(("actionId", "uuid", "The action."))),
    *task_events("Task", LEAD, lead, "lead"),
    ("CallReceived", LEAD, "An incoming phone call from one of the lead's numbers was taken.", lead(
        ("callId", "uuid", "The call."),
        ("number", "string", "The caller's number as the phone system sent it."),
        ("digits", "string", "The number in international form, digits only (by the settings' phone country)."),
        ("takenBy", "uuid?", "The admin who took the call."),
    )),
    ("EmailReceived", LEAD, "An e-mail from the lead (or about it, by a mailbox's template) came into a mailbox.", lead(
        ("emailId", "uuid", "The e-mail on the lead."),
        ("mailbox", "key", "The mailbox it came into."),
        ("messageId", "string", "Its Message-Id (or `sha256:` and the hash of a message without one)."),
        ("from", "string", "The sender's address."),
        ("fromName", "string?", "The sender's display name."),
        ("subject", "string", "The subject, decoded."),
        ("sentAt", "ts?", "Its Date header."),
        ("text", "string", "The text of the message (its first part, up to the note limit)."),
        ("attachments", "[string]", "Names of the attached files (they are not kept)."),
    )),
    ("MessageSent", LEAD, "A message of a mailing (e-mail or SMS) was accepted by the relay or gateway for the lead; "
     "the lead records it as a completed action of the mailing's action type.", lead(
        ("actionId", "uuid", "The action the message is on the lead."),
        ("mailingId", "uuid", "The mailing that sent it."),
        ("channel", "MessageChannel", "E-mail or SMS."),
        ("to", "string", "The address or number it went to."),
        ("subject", "string?", "The e-mail's subject, rendered."),
        ("text", "string", "The rendered text (up to the note limit)."),
        ("messageId", "string", "The e-mail's Message-Id, or the SMS's id at the gateway (or ours)."),
        ("actionType", "key", "The action type it is recorded as."),
        ("step", "key", "The lead's step when it was sent."),
    )),
    ("LeadPaused", LEAD, "The lead was paused until a date.", lead(("until", "ts", "When the pause ends."))),
    ("LeadResumed", LEAD, "The lead's pause was lifted.", lead()),
    ("LeadDataCopied", LEAD, "Chosen fields were copied into this lead from another lead.", lead(
        ("fromLeadId", "uuid", "The lead the data came from."),
        ("changes", "LeadFieldChanges", "The fields that changed on this lead."),
    )),
    ("LeadsMerged", LEAD, "Other leads were merged into this one (the target keeps its id).", lead(
        ("sourceLeadIds", "[uuid]", "The merged leads, in merge order (furthest step first, then oldest)."),
        ("changes", "LeadFieldChanges", "The target's fields that were filled from the sources."),
        ("addedTags", "[string]", "Tags the target gained."),
        ("addedWatchers", "[uuid]", "Watchers the target gained."),
        ("movedNotes", "[Note]", "Notes moved from the sources."),
        ("movedActions", "[LeadAction]", "Actions moved from the sources."),
        ("movedTasks", "[LeadTask]", "Tasks moved from the sources."),
    )),
    ("LeadMergedInto", LEAD, "This lead was merged into another; it is hidden, its history is kept.", lead(
        ("targetLeadId", "uuid", "The lead it was merged into."))),
    ("LeadLinkedToCustomer", LEAD, "The lead was linked to a customer.", lead(("customerId", "uuid", "The customer."))),
    ("LeadConverted", LEAD, "The lead was converted into a customer.", lead(
        ("customerId", "uuid", "The customer the lead became."))),
    ("LeadDeleted", LEAD, "The lead was soft-deleted (restorable), alone or with its deals.", lead(
        ("reason", "string?", "Why."),
        ("dealIds", "[uuid]", "The deals deleted with it, each also a `DealDeleted` (v2; v1 deleted none)."),
    ), 2, {1: lead(("reason", "string?", "Why."))}),
    ("LeadRestored", LEAD, "A deleted lead was restored exactly as it was, alone or with the deals deleted with it.", lead(
        ("dealIds", "[uuid]", "The deals restored with it, each also a `DealRestored` (v2; v1 restored none)."),
    ), 2, {1: lead()}),

    ("CustomerRegistered", CUSTOMER, "A customer was registered, from a converted lead or directly.", customer(
        ("kind", "CustomerKind", "A person or a company (v2; v1 customers are persons)."),
        ("fullName", "string", "Full name (a company's name)."),
        ("company", "string?", "Company name, as typed."),
        ("companyId", "uuid?", "The company customer a person belongs to (v2)."),
        ("phones", "[PhoneNumber]", "Phone numbers."),
        ("emails", "[string]", "E-mail addresses."),
        ("address", "Address?", "Postal address."),
        ("fromLeadId", "uuid?", "The converted lead, when registered by a conversion."),
    ), 2, {1: customer(
        ("fullName", "string", "Full name."),
        ("company", "string?", "Company name."),
        ("phones", "[PhoneNumber]", "Phone numbers."),
        ("emails", "[string]", "E-mail addresses."),
        ("address", "Address?", "Postal address."),
        ("fromLeadId", "uuid?", "The converted lead, when registered by a conversion."),
    )}),
    ("CustomerUpdated", CUSTOMER, "Customer fields changed (only the changed ones, from → to).", customer(
        ("changes", "CustomerFieldChanges", "The changed fields."))),
    ("CustomerCompanyChanged", CUSTOMER, "A person was put in a company customer, moved to another, or taken out.", customer(
        ("from", "uuid?", "The company before."), ("to", "uuid?", "The company now."))),
    ("CustomerDeleted", CUSTOMER, "The customer was soft-deleted (restorable; its leads and deals keep the link).", customer(
        ("reason", "string?", "Why."))),
    ("CustomerRestored", CUSTOMER, "A deleted customer was restored exactly as it was.", customer()),

    ("DealCreated", DEAL, "A deal (opportunity) was created, for a lead, a customer or both.", deal(
        ("name", "string", "What is being sold."),
        ("amount", "amount", "The budget: a decimal amount in `currency`."),
        ("currency", "currency", "ISO 4217 code of the budget."),
        ("stage", "key", "The deal stage."),
        ("probability", "percent?", "Chance of winning (0–100) when set apart from the stage's."),
        ("expectedCloseAt", "ts?", "When the deal is expected to close."),
        ("responsible", "uuid", "The admin responsible for the deal."),
        ("leadId", "uuid?", "The lead the deal belongs to."),
        ("customerId", "uuid?", "The customer the deal belongs to."),
    )),
    ("DealUpdated", DEAL, "Deal fields changed (only the changed ones, from → to).", deal(
        ("changes", "DealFieldChanges", "The changed fields."))),
    ("DealStageMoved", DEAL, "The deal moved to another open stage.", deal(
        ("from", "key", "The stage it left."), ("to", "key", "The stage it entered."))),
    ("DealWon", DEAL, "The deal was won: it entered a won stage.", deal(
        ("from", "key", "The stage it left."), ("to", "key", "The won stage."))),
    ("DealLost", DEAL, "The deal was lost: it entered a lost stage.", deal(
        ("from", "key", "The stage it left."), ("to", "key", "The lost stage."),
        ("reason", "string?", "Why it was lost."))),
    ("DealReopened", DEAL, "A won or lost deal was reopened on an open stage.", deal(
        ("from", "key", "The won or lost stage it left."), ("to", "key", "The open stage it entered."))),
    ("DealDeleted", DEAL, "The deal was soft-deleted (restorable).", deal(("reason", "string?", "Why."))),
    ("DealRestored", DEAL, "A deleted deal was restored exactly as it was.", deal()),
    *task_events("DealTask", DEAL, deal, "deal"),

    ("StepDefined", SETTINGS, "A pipeline step was added at the end of the active steps.", [
        ("key", "key", "The step's key."), ("name", "string", "Display name."),
        ("colour", "colour", "Colour as `#rrggbb`."), ("description", "string?", "What the step means.")]),
    ("StepRenamed", SETTINGS, "A pipeline step was renamed.", [
        ("key", "key", "The step."), ("from", "string", "Old name."), ("to", "string", "New name.")]),
    ("StepsReordered", SETTINGS, "The active pipeline steps were put in a new order.", [
        ("order", "[key]", "Every active step key, in pipeline order.")]),
    ("StepRetired", SETTINGS, "A pipeline step was retired (kept for history, no longer active).", [
        ("key", "key", "The step.")]),
    ("SourceDefined", SETTINGS, "A lead source was added.", [("key", "key", "The source."), ("name", "string", "Name.")]),
    ("SourceRenamed", SETTINGS, "A lead source was renamed.", [
        ("key", "key", "The source."), ("from", "string", "Old name."), ("to", "string", "New name.")]),
    ("SourceRetired", SETTINGS, "A lead source was retired.", [("key", "key", "The source.")]),
    ("ActionTypeDefined", SETTINGS, "An action type was added.", [
        ("key", "key", "The action type."), ("name", "string", "Name.")]),
    ("ActionTypeRetired", SETTINGS, "An action type was retired.", [("key", "key", "The action type.")]),
    ("TagDefined", SETTINGS, "A tag was added to the tag catalogue.", [
        ("name", "string", "The tag name."), ("colour", "colour?", "Colour as `#rrggbb`.")]),
    ("TagRemoved", SETTINGS, "A tag was removed from the tag catalogue (leads keep it).", [
        ("name", "string", "The tag name.")]),
    ("CustomFieldDefined", SETTINGS, "A custom field was defined (or redefined: same key, new definition).", [
        ("field", "CustomFieldDefinition", "The definition.")]),
    ("CustomFieldRetired", SETTINGS, "A custom field was retired.", [("key", "key", "The field.")]),
    ("DealStageDefined", SETTINGS, "A deal stage was added at the end of the active deal stages.", [
        ("key", "key", "The stage's key."), ("name", "string", "Display name."),
        ("probability", "percent", "Chance of winning (0–100) of a deal on this stage."),
        ("kind", "DealStageKind", "Open, or where won or lost deals end.")]),
    ("DealStageRenamed", SETTINGS, "A deal stage was renamed.", [
        ("key", "key", "The stage."), ("from", "string", "Old name."), ("to", "string", "New name.")]),
    ("DealStageProbabilityChanged", SETTINGS, "A deal stage's probability changed.", [
        ("key", "key", "The stage."), ("from", "percent", "Old probability."), ("to", "percent", "New probability.")]),
    ("DealStagesReordered", SETTINGS, "The active deal stages were put in a new order.", [
        ("order", "[key]", "Every active deal stage key, in order.")]),
    ("DealStageRetired", SETTINGS, "A deal stage was retired (kept for history, no longer offered).", [
        ("key", "key", "The stage.")]),
    ("TaskTypeDefined", SETTINGS, "A task type was added.", [("key", "key", "The task type."), ("name", "string", "Name.")]),
    ("TaskTypeRetired", SETTINGS, "A task type was retired.", [("key", "key", "The task type.")]),
    ("DefaultsChanged", SETTINGS, "The default step and source of new leads changed.", [
        ("defaultStep", "key", "Step of new leads."), ("defaultSource", "key", "Source of new leads.")]),
    ("FieldLimitsChanged", SETTINGS, "The field length limits changed.", [
        ("preset", "FieldLimitsPreset", "The preset the limits come from."),
        ("limits", "FieldLimits", "The limits now in force.")]),
    ("RequiredFieldsChanged", SETTINGS, "The standard lead fields that must be filled changed.", [
        ("fields", "[LeadField]", "The required fields (full name is always required).")]),
    ("AssessmentScaleChanged", SETTINGS, "The competitor assessment scale changed.", [
        ("values", "[string]", "The allowed values, lowest first.")]),
    ("ConvertedLeadLockChanged", SETTINGS, "Locking of converted leads was switched.", [
        ("locked", "bool", "Whether converted leads refuse edits.")]),
    ("CurrencyRatesSet", SETTINGS, "The reporting currency and the rates deal reports convert other currencies at were set.", [
        ("reportingCurrency", "currency?", "The currency reports convert into; none: reports are not converted."),
        ("rates", "[CurrencyRate]", "Units of the reporting currency per unit of each other currency, by currency.")]),
    ("ImportMappingSaved", SETTINGS, "A named import mapping was saved (or replaced) for later imports.", [
        ("name", "key", "The mapping's name."),
        ("columns", "[ImportColumn]", "Source column → lead field path, by column name."),
        ("mode", "ImportMode?", "The mode imports with this mapping run in unless they name one."),
        ("key", "string?", "What finds the lead a row updates (`email`, `phone`, `customFields.<key>`) unless an import names it.")]),
    ("ImportMappingRemoved", SETTINGS, "A named import mapping was removed (imports that used it keep their own copy).", [
        ("name", "key", "The mapping's name.")]),
    ("LeadFormSaved", SETTINGS, "A web-to-lead form was saved (or replaced): its fields, defaults and allowed origins.", [
        ("form", "LeadForm", "The form.")]),
    ("LeadFormRemoved", SETTINGS, "A web-to-lead form was removed: its submissions are refused from now on.", [
        ("key", "key", "The form.")]),
    ("MailboxSaved", SETTINGS, "A mailbox for e-mail intake was saved (or replaced): its Maildir, template and defaults.", [
        ("mailbox", "Mailbox", "The mailbox.")]),
    ("MailboxRemoved", SETTINGS, "A mailbox was removed: its Maildir is no longer read.", [
        ("key", "key", "The mailbox.")]),
    ("MessageTemplateSaved", SETTINGS, "A message template (subject, plain-text and HTML bodies) was saved (or replaced).", [
        ("template", "MessageTemplate", "The template.")]),
    ("MessageTemplateRemoved", SETTINGS, "A message template was removed.", [
        ("key", "key", "The template.")]),
    ("SMTPRelaySet", SETTINGS, "The SMTP relay mass e-mail is sent through was set (or removed).", [
        ("relay", "SMTPRelay?", "The relay; none: mass e-mail is off.")]),
    ("SMSGatewaySet", SETTINGS, "The HTTP gateway SMS are sent through was set (or removed).", [
        ("gateway", "SMSGateway?", "The gateway; none: SMS is off.")]),
    ("PhoneCountrySet", SETTINGS, "The country whose dialling plan reads phone numbers written without a country code was set.", [
        ("country", "string?", "ISO 3166-1 alpha-2 code; none: numbers are compared as written.")]),

    ("AdminCreated", ADMIN, "An admin account was created.", admin(
        ("name", "string", "Display name."), ("email", "string?", "E-mail address."),
        ("role", "AdminRole", "The role."), ("permissions", "[Permission]", "Granted permissions, sorted."))),
    ("RoleChanged", ADMIN, "An admin's role changed.", admin(
        ("from", "AdminRole", "Old role."), ("to", "AdminRole", "New role."))),
    ("PermissionsChanged", ADMIN, "An admin's permissions changed.", admin(
        ("from", "[Permission]", "Old permissions, sorted."), ("to", "[Permission]", "New permissions, sorted."))),
    ("TokenIssued", ADMIN, "An API token was issued; only its SHA-256 is stored (hashing is the caller's job).",
     admin(("tokenId", "uuid", "The token's id."), ("label", "string", "What the token is for."),
           ("sha256", "sha256", "Lowercase hex SHA-256 of the token."),
           ("expiresAt", "ts?", "When the token expires."))),
    ("TokenRevoked", ADMIN, "An API token was revoked.", admin(("tokenId", "uuid", "The token."))),
    ("AdminDisabled", ADMIN, "An admin account was disabled: its tokens no longer authenticate.", admin()),
    ("ImportStarted", IMPORT, "An import of leads from a file began.", import_(
        ("format", "ImportFormat", "The file's format."), ("fileName", "string?", "The file's name as given."),
        ("sheet", "string?", "The .xlsx sheet read (none: the first)."),
        ("fileSha256", "sha256", "Lowercase hex SHA-256 of the file's bytes."),
        ("fileBytes", "int", "The file's size in bytes."), ("mode", "ImportMode", "Create, update or both."),
        ("key", "string?", "What finds the lead a row updates: `email`, `phone` or `customFields.<key>`."),
        ("mapping", "[ImportColumn]", "Source column → lead field path (`fullName`, `address.city`, "
         "`customFields.<key>`), by column name."))),
    ("ImportCompleted", IMPORT, "An import went through every row of its file.", import_(
        ("rows", "int", "Data rows read."), ("created", "int", "Leads created."),
        ("updated", "int", "Leads changed."), ("unchanged", "int", "Rows that matched a lead already equal to them."),
        ("skipped", "int", "Rows already imported by an earlier, interrupted run of the same import."),
        ("failed", "int", "Rows rejected (each has errors)."),
        ("errors", "[ImportRowError]", "The first errors, in row order (at most 1,000)."))),
    ("ImportReverted", IMPORT, "An import was undone: its leads soft-deleted, its updates set back.", import_(
        ("deleted", "int", "Created leads deleted."), ("reverted", "int", "Updated leads set back."),
        ("conflicts", "int", "Leads whose fields changed again after the import; those fields were left."))),
    ("BulkOperationStarted", BULK, "A bulk operation over a set of leads began: what it does and which leads it takes.", bulk(
        ("operation", "BulkOperation", "What it does to each lead."),
        ("filter", "string?", "The lead list filter (a query string) the set was read with; none: an explicit list of ids."),
        ("leads", "int", "Leads in the set."),
        ("position", "int", "The log position the set was read at."))),
    ("BulkOperationCompleted", BULK, "A bulk operation went through every lead of its set.", bulk(
        ("applied", "int", "Leads changed."), ("unchanged", "int", "Leads that already were as asked."),
        ("refused", "int", "Leads refused (locked, deleted, out of reach, invalid for them)."),
        ("refusals", "[BulkRefusal]", "The first refusals, in set order (at most 1,000)."))),
    ("BulkOperationReverted", BULK, "A bulk operation was undone on the leads it changed.", bulk(
        ("reverted", "int", "Leads set back."),
        ("conflicts", "int", "Changes left because the lead changed again since."))),
    ("MailingStarted", MAILING, "A mailing (one message per lead, e-mail or SMS) began: what it sends and to how many.", mailing(
        ("channel", "MessageChannel", "E-mail or SMS."),
        ("template", "MessageTemplate", "The template as it was when the mailing started."),
        ("actionType", "key", "The action type each sent message is recorded as on its lead."),
        ("filter", "string?", "The lead list filter the set was read with; none: an explicit list of ids."),
        ("leads", "int", "Leads in the set."),
        ("recipients", "int", "Leads it sends to (the others are refused)."),
        ("refused", "int", "Leads refused at the start: not found or out of reach, or without an address."),
        ("refusals", "[BulkRefusal]", "The first refusals (at most 1,000): `notFound`, `noAddress`."),
        ("position", "int", "The log position the set was read at."))),
    ("MailingRecipientsAdded", MAILING, "A part of a mailing's recipients, in sending order (appended with its start).", mailing(
        ("leadIds", "[uuid]", "The leads (at most 5,000 per event)."))),
    ("MessageDispatched", MAILING, "A message is about to be handed to the relay: recorded before it is, so that a "
     "restart never sends it again (a dispatch with no outcome is in doubt).", mailing(
        ("leadId", "uuid", "The lead."), ("attempt", "int", "Which try this is (1 for the first)."),
        ("to", "string", "The address or number."), ("messageId", "string", "The message's id."))),
    ("MessageAccepted", MAILING, "The relay or gateway accepted a dispatched message (the lead got `MessageSent` in the same append).", mailing(
        ("leadId", "uuid", "The lead."), ("reply", "string", "The relay's or gateway's answer."))),
    ("MessageDeferred", MAILING, "A temporary failure (SMTP 4xx, HTTP 429 or 5xx, a broken connection before the "
     "message was complete): the message was not sent and is tried again.", mailing(
        ("leadId", "uuid", "The lead."), ("attempt", "int", "The try that failed."),
        ("reply", "string", "Why."), ("retryAt", "ts", "When it is tried again."))),
    ("MessageFailed", MAILING, "A message will not be sent again: a permanent failure, tries used up, no address "
     "left, or in doubt (the relay may have it; it is not resent).", mailing(
        ("leadId", "uuid", "The lead."), ("code", "string", "`permanent`, `attemptsExhausted`, `noAddress`, "
         "`unavailable` or `inDoubt`."), ("reply", "string", "Why."))),
    ("MailingPaused", MAILING, "A mailing stopped before its end: the relay or gateway was unreachable or refused us, "
     "or an admin paused it. Nothing in flight is recorded as sent.", mailing(
        ("reason", "string", "Why."))),
    ("MailingResumed", MAILING, "A paused mailing goes on.", mailing()),
    ("MailingCompleted", MAILING, "A mailing went through every recipient.", mailing(
        ("sent", "int", "Messages accepted."), ("failed", "int", "Messages that failed (in doubt included)."),
        ("inDoubt", "int", "Of those, messages in doubt."))),
    ("MailingCancelled", MAILING, "A mailing was cancelled: its remaining recipients get nothing.", mailing(
        ("reason", "string?", "Why."))),
]

COMMON = [("at", "ts", "When it happened (µs since 1970)."), ("by", "uuid", "The admin who caused it.")]

def parse(t):
    optional = t.endswith("?")
    t = t.rstrip("?")
    if t.startswith("["):
        inner, s = parse(t[1:-1])[:2]
        swift, schema = f"[{inner}]", {"type": "array", "items": s}
    elif t.startswith("{"):
        inner, s = parse(t[1:-1])[:2]
        swift, schema = f"[String: {inner}]", {"type": "object", "propertyNames": {"pattern": SLUG},
                                               "additionalProperties": s}
    elif t in SCALARS:
        swift, schema = SCALARS[t]
    else:
        assert t in DEFS, t
        swift, schema = t, {"$ref": f"#/$defs/{t}"}
    return swift, schema, optional

def refs(node, acc):
    if isinstance(node, dict):
        r = node.get("$ref")
        if r:
            name = r.split("/")[-1]
            if name not in acc:
                acc.add(name)
                refs(DEFS[name], acc)
        for v in node.values():
            refs(v, acc)
    elif isinstance(node, list):
        for v in node:
            refs(v, acc)
    return acc

def lower_first(s):
    """`LeadCreated` → `leadCreated`; a leading acronym is lowered whole: `SMTPRelaySet` → `smtpRelaySet`."""
    n = 1
    while n < len(s) and s[n].isupper() and (n + 1 == len(s) or s[n + 1].isupper()):
        n += 1
    return s[:n].lower() + s[n:]

def schema_for(name, version, doc, fields):
    props, required = {}, []
    for fname, ftype, fdoc in fields + COMMON:
        _, s, optional = parse(ftype)
        props[fname] = dict(s, description=fdoc) if "$ref" not in s else {"allOf": [s], "description": fdoc}
        if not optional:
            required.append(fname)
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://leadledger.dev/schemas/events/{name}.v{version}.json",
        "title": f"{name} v{version}",
        "description": doc,
        "type": "object",
        "properties": props,
        "required": required,
        "additionalProperties": False,
    }
    used = refs(props, set())
    if used:
        schema["$defs"] = {k: DEFS[k] for k in sorted(used)}
    return schema

HEADER = "// Generated by tools/generate-events.py from its event catalogue; edit the catalogue, not this file.\n"

def swift_struct(name, stream, doc, fields, kind_case, version, current):
    lines = [HEADER, "import Foundation", ""]
    lines.append(f"/// {doc}" if current else f"/// `{kind_case}` as stored at schema version {version}; upcast on read.")
    if current:
        lines.append(f"///")
        lines.append(f"/// Stream: {'`settings`' if stream == SETTINGS else '`' + stream.lower() + '-<uuid>`'}; "
                     f"JSON Schema: `schemas/events/{name}.v{version}.json`.")
    proto = "EventPayload" if current else "Sendable, Hashable, Codable"
    lines.append(f"public struct {name if current else name + 'V' + str(version)}: {proto} {{")
    if current:
        lines.append(f"    public static let kind = EventKind.{kind_case}")
        lines.append("")
    params = []
    for fname, ftype, fdoc in fields + COMMON:
        swift, _, optional = parse(ftype)
        swift += "?" if optional else ""
        lines.append(f"    /// {fdoc}")
        lines.append(f"    public var {fname}: {swift}")
        params.append(f"{fname}: {swift}" + (" = nil" if optional else ""))
    lines.append("")
    lines.append(f"    public init(")
    lines.append("        " + ", ".join(params))
    lines.append("    ) {")
    for fname, _, _ in fields + COMMON:
        lines.append(f"        self.{fname} = {fname}")
    lines.append("    }")
    if current:
        lines.append("")
        lines.append(f"    public var event: DomainEvent {{ .{kind_case}(self) }}")
    lines.append("}")
    return "\n".join(wrap(l) for l in lines) + "\n"

def fast_decoder(swift_name, fields):
    """`init(fastJSON:)` of a struct: fields (name, Swift type) in any order, first of duplicate keys wins, unknown
    keys skipped, `null` or absence leaves an optional nil, a missing required field is an error naming it."""
    assert len(fields) <= 64
    lines = [f"extension {swift_name}: FastJSONDecodable {{",
             "    init(fastJSON reader: inout JSONReader) throws(JSONReadError) {"]
    for fname, swift in fields:
        lines.append(f"        var {fname}: {swift if swift.endswith('?') else swift + '?'}")
    if fields:
        lines.append("        var seen: UInt64 = 0")
    lines.append("        try reader.beginObject()")
    lines.append("        var isFirst = true")
    lines.append("        while let memberKey = try reader.nextKey(first: &isFirst) {")
    for i, (fname, swift) in enumerate(fields):
        bit = f"0x{1 << i:x}"
        lines.append(f"            {'if' if i == 0 else '} else if'} memberKey == \"{fname}\", seen & {bit} == 0 {{")
        lines.append(f"                seen |= {bit}")
        lines.append(f"                {fname} = try reader.field(\"{fname}\", {swift}.self)")
    if fields:
        lines.append("            } else {")
        lines.append("                try reader.skipValue()")
        lines.append("            }")
    else:
        lines.append("            try reader.skipValue()")
    lines.append("        }")
    for fname, swift in fields:
        if not swift.endswith("?"):
            lines.append(f"        guard let {fname} else {{ throw reader.missing(\"{fname}\") }}")
    for fname, _ in fields:
        lines.append(f"        self.{fname} = {fname}")
    lines.append("    }")
    lines.append("}")
    return lines

def fast_decoders_file(payloads):
    lines = [HEADER, "import Foundation", "",
             "// Fast JSON decoders of every payload (current and old versions) and shared definition; they read what",
             "// Foundation's JSONDecoder reads from the same bytes (tests hold this) at a fraction of its cost.", ""]
    for swift_name, fields in payloads:
        lines += fast_decoder(swift_name, fields) + [""]
    for name in sorted(SWIFT_DEFS):
        lines += fast_decoder(name, SWIFT_DEFS[name]) + [""]
    for name in sorted(DEFS):
        if "enum" in DEFS[name]:
            lines.append(f"extension {name}: FastJSONDecodable {{}}")
    return "\n".join(lines) + "\n"

def swift_fields(fields):
    out = []
    for fname, ftype, _ in fields + COMMON:
        swift, _, optional = parse(ftype)
        out.append((fname, swift + ("?" if optional else "")))
    return out

def wrap(line, width=120):
    if len(line) <= width or not line.startswith("        ") or "," not in line:
        return line
    indent = "        "
    parts = line.strip().split(", ")
    out, cur = [], indent
    for i, p in enumerate(parts):
        piece = p + ("," if i < len(parts) - 1 else "")
        if len(cur) + len(piece) + 1 > width and cur.strip():
            out.append(cur.rstrip())
            cur = indent
        cur += piece + " "
    out.append(cur.rstrip())
    return "\n".join(out)

def main():
    events_dir = os.path.join(ROOT, "Sources/LeadDomain/Events")
    schema_dir = os.path.join(ROOT, "schemas/events")
    os.makedirs(schema_dir, exist_ok=True)
    for name, fields in SWIFT_DEFS.items():
        assert [f for f, _ in fields] == list(DEFS[name]["properties"]), name
    kinds = []
    fast_payloads = []
    for entry in EVENTS:
        name, stream, doc, fields = entry[:4]
        version = entry[4] if len(entry) > 4 else 1
        old = entry[5] if len(entry) > 5 else {}
        case = lower_first(name)
        kinds.append((name, case, stream, version, sorted(old)))
        d = os.path.join(events_dir, stream)
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, f"{name}.swift"), "w") as f:
            f.write(swift_struct(name, stream, doc, fields, case, version, True))
        fast_payloads.append((name, swift_fields(fields)))
        for v, ofields in old.items():
            fast_payloads.append((f"{name}V{v}", swift_fields(ofields)))
            with open(os.path.join(d, f"{name}V{v}.swift"), "w") as f:
                f.write(swift_struct(name, stream, doc, ofields, case, v, False))
            write_json(os.path.join(schema_dir, f"{name}.v{v}.json"), schema_for(name, v, doc, ofields))
        write_json(os.path.join(schema_dir, f"{name}.v{version}.json"), schema_for(name, version, doc, fields))

    with open(os.path.join(events_dir, "EventKind.swift"), "w") as f:
        f.write(HEADER + "\n")
        f.write("/// Every event type of the domain: its type name (the raw value), stream kind and current schema "
                "version.\n")
        f.write("public enum EventKind: String, Sendable, Hashable, Codable, CaseIterable {\n")
        for name, case, stream, version, _ in kinds:
            f.write(f"    case {case} = \"{name}\"\n")
        f.write("\n    /// The schema version new events of this type are written with.\n")
        f.write("    public var schemaVersion: UInt16 {\n        switch self {\n")
        for version in sorted({k[3] for k in kinds}):
            cases = [k[1] for k in kinds if k[3] == version]
            f.write(wrap_case(cases, f"return {version}"))
        f.write("        }\n    }\n\n")
        f.write("    /// The kind of stream events of this type are appended to.\n")
        f.write("    public var streamKind: StreamKind {\n        switch self {\n")
        for stream in [LEAD, CUSTOMER, DEAL, SETTINGS, ADMIN, IMPORT, BULK, MAILING]:
            cases = [k[1] for k in kinds if k[2] == stream]
            f.write(wrap_case(cases, f"return .{stream.lower()}"))
        f.write("        }\n    }\n}\n")

    with open(os.path.join(events_dir, "DomainEvent.swift"), "w") as f:
        f.write(HEADER + DOMAIN_EVENT_DOC)
        f.write("public enum DomainEvent: Sendable, Hashable {\n")
        for name, case, *_ in kinds:
            f.write(f"    case {case}({name})\n")
        f.write("\n    /// The payload, for code that treats every event alike (encoding, `at`, `by`).\n")
        f.write("    public var payload: any EventPayload {\n        switch self {\n")
        for name, case, *_ in kinds:
            f.write(f"        case .{case}(let payload): payload\n")
        f.write("        }\n    }\n\n")
        f.write("    /// Decodes a payload of `type` stored at `schemaVersion` into the current event, upcasting old "
                "versions.\n")
        f.write("    static func decodeKnown(\n        _ kind: EventKind, schemaVersion: UInt16, payload: Data, "
                "decoder: JSONDecoder\n    ) throws -> DomainEvent {\n        switch (kind, schemaVersion) {\n")
        for name, case, stream, version, olds in kinds:
            for v in olds:
                f.write(f"        case (.{case}, {v}):\n            return .{case}(try decoder.decode({name}V{v}.self, "
                        f"from: payload).upcast())\n")
            f.write(f"        case (.{case}, {version}): return .{case}(try decoder.decode({name}.self, from: "
                    f"payload))\n" if len(case) + 2 * len(name) < 62 else
                    f"        case (.{case}, {version}):\n            return .{case}(try decoder.decode({name}.self, "
                    f"from: payload))\n")
        f.write("        default:\n            throw EventCodecError.unsupportedSchemaVersion(type: kind.rawValue, "
                "schemaVersion: schemaVersion)\n")
        f.write("        }\n    }\n\n")
        f.write("    /// `decodeKnown` through `JSONReader`: the same cases and upcasts, `nil` for an unsupported version.\n")
        f.write("    static func decodeFast(\n        _ kind: EventKind, schemaVersion: UInt16, payload: [UInt8]\n"
                "    ) throws(JSONReadError) -> DomainEvent? {\n        switch (kind, schemaVersion) {\n")
        for name, case, stream, version, olds in kinds:
            for v in olds:
                f.write(f"        case (.{case}, {v}):\n            return .{case}(try JSONReader.decode({name}V{v}.self, "
                        f"from: payload).upcast())\n")
            f.write(f"        case (.{case}, {version}):\n            return .{case}(try JSONReader.decode({name}.self, "
                    f"from: payload))\n")
        f.write("        default:\n            return nil\n        }\n    }\n}\n")

    with open(os.path.join(events_dir, "FastJSON", "PayloadFastDecoders.swift"), "w") as f:
        f.write(fast_decoders_file(fast_payloads))

    # Keep the output exactly as the formatter leaves it, so regenerating shows no diff.
    if shutil.which("swift"):
        subprocess.run(["swift", "format", "-i", "-r", events_dir], check=False)

def wrap_case(cases, body):
    out, cur = [], "        case "
    for i, c in enumerate(cases):
        piece = "." + c + ("," if i < len(cases) - 1 else ":")
        if len(cur) + len(piece) + 1 > 118:
            out.append(cur.rstrip())
            cur = "            "
        cur += piece + " "
    out.append(cur.rstrip())
    return "\n".join(out) + "\n            " + body + "\n"

DOMAIN_EVENT_DOC = '''
import Foundation

/// Every event of the domain: the one type the rest of the system reads and writes.
///
/// The codec (`typeName`, `schemaVersion`, `encodedPayload()`, `decode(type:schemaVersion:payload:)`) lives in
/// `DomainEvent+Codec.swift`; payload JSON is camelCase with sorted keys, times are integer microseconds.
///
/// ```swift
/// let bytes = try event.encodedPayload()
/// let same = try DomainEvent.decode(type: event.typeName, schemaVersion: event.schemaVersion, payload: bytes)
/// ```
'''

def write_json(path, value):
    with open(path, "w") as f:
        json.dump(value, f, indent=2, sort_keys=False, ensure_ascii=False)
        f.write("\n")

if __name__ == "__main__":
    main()
