#!/usr/bin/env python3
"""Writes schemas/openapi.yaml, the OpenAPI 3.1 document of the LeadLedger HTTP API.

The document is generated so that the many operations share their parameters, error responses and headers
consistently; edit this file and run `python3 tools/openapi/generate.py`. The output keeps the block style
with two-space indentation that LeadLedgerHTTPTests/OpenAPIDocumentTests reads (paths at column 2,
operations at column 4), and that test checks every route the server serves is here and vice versa.
"""
import os
import re
import sys

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "schemas", "openapi.yaml")
CONTRACT_OUT = os.path.join(ROOT, "Sources", "LeadLedgerHTTP", "Generated", "APIContract+Operations.swift")


def count_limits():
    """The list maximums of Sources/LeadDomain/Validation/CountLimits.swift: the code is their one source."""
    path = os.path.join(ROOT, "Sources", "LeadDomain", "Validation", "CountLimits.swift")
    with open(path, encoding="utf-8") as f:
        found = dict(re.findall(r"public static let (\w+) = ([0-9_]+)", f.read()))
    return {k: int(v.replace("_", "")) for k, v in found.items()}


LIMITS = count_limits()


def ref(kind, name):
    return {"$ref": f"#/components/{kind}/{name}"}


def schema(name):
    return ref("schemas", name)


UUID = {"type": "string", "format": "uuid"}
AMOUNT = "^(0|[1-9][0-9]{0,14})(\\.[0-9]{1,4})?$"
TIME = {"type": "string", "format": "date-time", "description": "ISO-8601 in UTC, microseconds when not whole seconds."}
KEY = {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]{0,63}$"}
TEXT = {"type": "string", "minLength": 1, "pattern": "\\S"}
NULLABLE_UUID = {"type": ["string", "null"], "format": "uuid"}
# Times a client sends: a date-time or a date alone, years 0001-9999 (the server's one time parser).
TIME_INPUT = {"type": "string", "minLength": 10, "maxLength": 64,
              "description": "ISO-8601: a date-time with `Z` or an offset (`2026-11-23T10:00:00Z`), or a date alone "
                             "(`2026-11-23`: its start, or its end where the value is an upper bound or a due date); "
                             "years 0001-9999."}

ERRORS = {
    400: "BadRequest", 401: "Unauthorized", 403: "Forbidden", 404: "NotFound", 409: "Conflict",
    412: "PreconditionFailed", 413: "ContentTooLarge", 422: "UnprocessableContent", 500: "InternalError",
    503: "Unavailable",
}


def path_param(name, description, sch=None):
    return {"name": name, "in": "path", "required": True, "description": description, "schema": sch or UUID}


def query(name, description, sch):
    # An empty value is refused (leave the parameter out instead), so a string parameter has at least one character.
    if sch.get("type") == "string" and "minLength" not in sch and "enum" not in sch and "pattern" not in sch:
        sch = dict(sch, minLength=1)
    return {"name": name, "in": "query", "required": False, "description": description, "schema": sch}


ID = path_param("id", "The lead's id.")


def command(op_id, summary, tag, params=(), body=None, ok=200, resource="Lead", errors=(), idempotent=True,
            body_required=True, description=None, if_match=True):
    """A command: optional JSON body, If-Match and Idempotency-Key, answers the resource with versioning headers."""
    parameters = list(params) + ([ref("parameters", "IfMatch")] if if_match else [])
    if idempotent:
        parameters.append(ref("parameters", "IdempotencyKey"))
    operation = {"operationId": op_id, "tags": [tag], "summary": summary}
    if description:
        operation["description"] = description
    operation["parameters"] = parameters
    if body:
        operation["requestBody"] = {
            "required": body_required,
            "content": {"application/json": {"schema": schema(body)}},
        }
    codes = sorted({400, 401, 500, 503} | ({403, 412} if if_match else set()) | ({413} if body else set()) | set(errors))
    responses = {
        str(ok): {
            "description": ("The new state." if ok == 200 else "Created; the new state.") if if_match else "The answer.",
            "headers": {
                "ETag": ref("headers", "ETag"),
                "X-Log-Position": ref("headers", "X-Log-Position"),
                "X-Request-Id": ref("headers", "X-Request-Id"),
            },
            "content": {"application/json": {"schema": schema(resource)}},
        }
    }
    if not if_match:
        del responses[str(ok)]["headers"]["ETag"]
    if ok == 201 and resource in ("Lead", "Admin", "Deal", "Customer"):
        responses[str(ok)]["headers"]["Location"] = {"schema": {"type": "string"}}
    for code in codes:
        responses[str(code)] = ref("responses", ERRORS[code])
    operation["responses"] = responses
    return operation




def also_created(operation):
    """An operation that answers 200 with an existing resource or 201 with one it created (same body)."""
    ok = dict(operation["responses"]["200"])
    ok["description"] = "Created; the new state."
    operation["responses"] = dict(sorted({**operation["responses"], "201": ok}.items()))
    return operation

def task_paths(base, noun, tag, id_param, errors, resource):
    """The task commands of a lead (`noun` "") or a deal (`noun` "Deal"): the same requests under `base`."""
    task = path_param("taskId", "The task.")
    return {
        f"{base}/tasks": {"post": command(f"add{noun}Task", "Add a task", tag, params=[id_param], body="AddTask", ok=201,
                                          errors=errors, resource=resource)},
        f"{base}/tasks/{{taskId}}/close": {
            "post": command(f"close{noun}Task", "Close a task", tag, params=[id_param, task], errors=errors, resource=resource),
        },
        f"{base}/tasks/{{taskId}}/reopen": {
            "post": command(f"reopen{noun}Task", "Reopen a closed task", tag, params=[id_param, task], errors=errors,
                            resource=resource),
        },
        f"{base}/tasks/{{taskId}}/responsible": {
            "put": command(f"reassign{noun}Task", "Give a task to an admin (or nobody)", tag, params=[id_param, task],
                           body="Assign", errors=errors, resource=resource),
        },
        f"{base}/tasks/{{taskId}}": {
            "patch": command(f"update{noun}Task", "Change a task's type, description or due date", tag,
                             params=[id_param, task], body="TaskPatch", errors=errors, resource=resource),
            "delete": command(f"delete{noun}Task", "Remove a task (its history keeps it)", tag,
                              params=[id_param, task], errors=errors, resource=resource),
        },
    }

def get(op_id, summary, tag, params=(), resource=None, errors=(), etag=True, content_type="application/json",
        description=None, response_schema=None, extra=None):
    operation = {"operationId": op_id, "tags": [tag], "summary": summary}
    operation.update(extra or {})
    if description:
        operation["description"] = description
    parameters = list(params)
    if etag:
        parameters.append(ref("parameters", "IfNoneMatch"))
    if parameters:
        operation["parameters"] = parameters
    headers = {"X-Log-Position": ref("headers", "X-Log-Position"), "X-Request-Id": ref("headers", "X-Request-Id")}
    if etag:
        headers["ETag"] = ref("headers", "ETag")
    responses = {
        "200": {
            "description": "OK.",
            "headers": headers,
            "content": {content_type: {"schema": response_schema or schema(resource)}},
        }
    }
    if etag:
        responses["304"] = {"description": "Not modified: the ETag in If-None-Match is current.",
                            "headers": {"ETag": ref("headers", "ETag")}}
    for code in sorted({400, 401, 500} | set(errors)):
        responses[str(code)] = ref("responses", ERRORS[code])
    operation["responses"] = responses
    return operation


LEAD_ERRORS = (404, 409, 422)
# The lead filters, shared by the list, the kanban board and the watcher view; each also takes `cf.<key>`.
UUID_LIST = {"type": "string", "pattern": "^[0-9a-fA-F-]{36}(,[0-9a-fA-F-]{36}){0,49}$"}
TEXT_LIST = {"type": "string", "pattern": "^[^,]+(,[^,]+){0,49}$"}
LIST_FILTERS = [
                       query("step", "Only leads on one of these steps (comma-separated, at most 50).", TEXT_LIST),
                       query("responsible", "Only leads one of these admins is responsible for.", UUID_LIST),
                       query("tag", "Only leads with one of these tags (case-insensitive).", TEXT_LIST),
                       query("source", "Only leads from one of these sources.", TEXT_LIST),
                       query("watcher", "Only leads one of these admins watches.", UUID_LIST),
                       query("customer", "Only leads linked to one of these customers.", UUID_LIST),
                       query("createdBy", "Only leads created by one of these admins.", UUID_LIST),
                       query("updatedBy", "Only leads whose latest change is by one of these admins.", UUID_LIST),
                       query("hasDeals", "`true`: only leads with a deal (not deleted); `false`: only leads without.", {"type": "boolean"}),
                       query("dealStage", "Only leads with a deal (not deleted) on one of these deal stages.", TEXT_LIST),
                       query("hasTasks", "`true`: only leads with an open task; `false`: only leads without.", {"type": "boolean"}),
                       query("hasOverdueTasks", "`true`: only leads with an open task due before now; `false`: only leads without.",
                             {"type": "boolean"}),
                       query("status", "Comma-separated statuses to show (default `active,converted`).",
                             {"type": "string", "pattern": "^(active|paused|converted|merged|deleted)(,(active|paused|converted|merged|deleted))*$"}),
                       query("paused", "`true`: only paused leads.", {"type": "boolean"}),
                       query("deleted", "`true`: only deleted leads.", {"type": "boolean"}),
                       query("converted", "Only converted (`true`) or not converted (`false`) leads.", {"type": "boolean"}),
                       query("createdFrom", "Created at or after.", TIME_INPUT),
                       query("createdTo", "Created before.", TIME_INPUT),
                       query("updatedFrom", "Updated at or after.", TIME_INPUT),
                       query("updatedTo", "Updated before.", TIME_INPUT),
                       query("q", "Search words: name, company, e-mail by prefix (case- and diacritic-insensitive), phones by digits.",
                             {"type": "string"}),
                       query("sort", "Sort key.", {"type": "string", "enum": ["updated", "created", "name", "step"], "default": "updated"}),
                       query("order", "Sort order.", {"type": "string", "enum": ["asc", "desc"], "default": "desc"}),
]
CUSTOM_FIELD_FILTERS = {"x-query-prefixes": ["cf."]}
lead_paths = {
    "/v1/calls": {"post": also_created(command(
        "receiveCall", "Report an incoming call: the lead with the number, or a new one, gets the call", "leads", body="Call",
        ok=200, errors=(404, 409, 422), if_match=False,
        description="The number is read with the settings' phone country and looked up among the live leads the caller "
                    "reaches; the most recently updated one records the call and is the answer (200). When none has it, a "
                    "lead is created (201, source `phone` while active, linked to a customer with the number the caller "
                    "reaches) and records the call. With an Idempotency-Key a retry records the call once."))},
    "/v1/leads": {
        "get": get("listLeads", "List leads: filters, search, sort, keyset cursor, optional total", "leads",
                   params=LIST_FILTERS + [ref("parameters", "limit"), ref("parameters", "cursor"),
                                          query("count", "`true`: include `total`.", {"type": "boolean"})],
                   extra=CUSTOM_FIELD_FILTERS, resource="LeadPage", errors=(422,),
                   description="Every filter must hold (AND); a filter with several values holds when one does (OR). "
                               "Custom fields filter as `cf.<key>=<value>`, and number and date fields by range as "
                               "`cf.<key>.min=` / `cf.<key>.max=` (inclusive). A manager without `leads.read.all` sees "
                               "only the leads they are responsible for or watch. The ETag is the log position."),
        "post": command("createLead", "Create a lead", "leads", body="CreateLead", ok=201, errors=LEAD_ERRORS,
                        description="With an Idempotency-Key the new lead's id derives from it, so a retry creates nothing."),
    },
    "/v1/leads/{id}": {
        "get": get("getLead", "A lead, now or as of a past time or log position", "leads",
                   params=[ID, query("asOf", "A log position (integer) or an ISO-8601 time.", {"type": "string"})],
                   resource="Lead", errors=(404,),
                   description="The ETag is the lead's stream version (usable in If-Match)."),
        "patch": command("updateLead", "Change a lead's data fields", "leads", params=[ID], body="LeadPatch", errors=LEAD_ERRORS),
        "delete": command("deleteLead", "Soft-delete a lead (needs `leads.delete`), alone or with its deals", "leads",
                          params=[ID, query("reason", "Why.", {"type": "string"}),
                                  query("withDeals", "`true`: delete the lead's deals too, in the same atomic append.", {"type": "boolean"})],
                          errors=LEAD_ERRORS),
    },
    "/v1/leads/{id}/history": {
        "get": get("getLeadHistory", "Who changed what and when", "leads",
                   params=[ID, query("asOf", "A log position or an ISO-8601 time.", {"type": "string"})],
                   resource="HistoryPage", errors=(404,)),
    },
    "/v1/leads/{id}/restore": {"post": command("restoreLead", "Restore a deleted lead (needs `leads.restore`)", "leads",
                                               params=[ID, query("withDeals", "`true`: restore the deals deleted with it, too.", {"type": "boolean"})],
                                               errors=LEAD_ERRORS)},
    "/v1/leads/{id}/step": {"post": command("markStep", "Move the lead to a step", "leads", params=[ID], body="MarkStep", errors=LEAD_ERRORS)},
    "/v1/leads/{id}/notes": {"post": command("addNote", "Add a note", "entries", params=[ID], body="AddNote", ok=201, errors=LEAD_ERRORS)},
    "/v1/leads/{id}/actions": {"post": command("logAction", "Log an action (call, meeting…)", "entries", params=[ID], body="LogAction", ok=201, errors=LEAD_ERRORS)},
    "/v1/leads/{id}/actions/{actionId}/pin": {
        "post": command("pinAction", "Pin an action", "entries", params=[ID, path_param("actionId", "The action.")], errors=LEAD_ERRORS),
        "delete": command("unpinAction", "Unpin an action", "entries", params=[ID, path_param("actionId", "The action.")], errors=LEAD_ERRORS),
    },
    "/v1/leads/{id}/actions/{actionId}/complete": {
        "post": command("completeAction", "Complete an action", "entries", params=[ID, path_param("actionId", "The action.")], errors=LEAD_ERRORS),
    },
    **task_paths("/v1/leads/{id}", "", "entries", ID, LEAD_ERRORS, "Lead"),
    "/v1/leads/{id}/watchers/{adminId}": {
        "put": command("addWatcher", "Add a watcher", "leads", params=[ID, path_param("adminId", "The watching admin.")], errors=LEAD_ERRORS),
        "delete": command("removeWatcher", "Remove a watcher", "leads", params=[ID, path_param("adminId", "The watching admin.")], errors=LEAD_ERRORS),
    },
    "/v1/leads/{id}/tags/{tag}": {
        "put": command("tagLead", "Tag a lead", "leads", params=[ID, path_param("tag", "The tag name.", {"type": "string", "minLength": 1})], errors=LEAD_ERRORS),
        "delete": command("untagLead", "Remove a tag", "leads", params=[ID, path_param("tag", "The tag name.", {"type": "string", "minLength": 1})], errors=LEAD_ERRORS),
    },
    "/v1/leads/{id}/assign": {"post": command("assignLead", "Make an admin responsible (or nobody)", "leads", params=[ID], body="Assign", errors=LEAD_ERRORS)},
    "/v1/leads/{id}/pause": {"post": command("pauseLead", "Pause until a future time", "leads", params=[ID], body="Pause", errors=LEAD_ERRORS)},
    "/v1/leads/{id}/resume": {"post": command("resumeLead", "Resume a paused lead", "leads", params=[ID], errors=LEAD_ERRORS)},
    "/v1/leads/{id}/merge": {"post": command("mergeLeads", "Merge other leads into this one (needs `leads.merge`)", "leads", params=[ID], body="Merge", errors=LEAD_ERRORS)},
    "/v1/leads/{id}/copy-from": {"post": command("copyLeadData", "Copy fields from another lead", "leads", params=[ID], body="CopyFrom", errors=LEAD_ERRORS)},
    "/v1/leads/{id}/convert": {"post": command("convertLead", "Convert into a customer", "leads", params=[ID], errors=LEAD_ERRORS)},
    "/v1/leads/{id}/link-customer": {"post": command("linkCustomer", "Link an existing customer", "leads", params=[ID], body="LinkCustomer", errors=LEAD_ERRORS)},
}

CUSTOMER_ERRORS = (404, 409, 422)
CUSTOMER_ID = path_param("id", "The customer's id.")
customer_paths = {
    "/v1/customers": {
        "post": command("createCustomer", "Register a customer: a person (maybe of a company customer) or a company", "customers",
                        body="CreateCustomer", ok=201, resource="Customer", errors=CUSTOMER_ERRORS),
        "get": get("listCustomers", "The customer directory by name; search, kind, a company's persons, deleted ones", "customers",
                   params=[query("q", "Search words: name, company, e-mail words by prefix, phones by digits.", {"type": "string"}),
                           query("kind", "Only persons or only companies.", {"type": "string", "enum": ["person", "company"]}),
                           query("company", "Only the persons of this company customer.", UUID),
                           query("deleted", "`true`: deleted customers instead.", {"type": "boolean"}),
                           ref("parameters", "limit"), ref("parameters", "cursor")],
                   resource="CustomerPage", errors=(422,),
                   description="A manager without `leads.read.all` sees the customers linked to the leads they reach and "
                               "those they registered."),
    },
    "/v1/customers/{id}": {
        "get": get("getCustomer", "A customer", "customers", params=[CUSTOMER_ID], resource="Customer", errors=(404,),
                   description="The ETag is the customer's stream version (usable in If-Match)."),
        "patch": command("updateCustomer", "Change a customer's contact data", "customers", params=[CUSTOMER_ID],
                         body="CustomerPatch", resource="Customer", errors=CUSTOMER_ERRORS),
        "delete": command("deleteCustomer", "Soft-delete a customer (needs `leads.delete`); leads and deals keep the link", "customers",
                          params=[CUSTOMER_ID, query("reason", "Why.", {"type": "string"})], resource="Customer",
                          errors=CUSTOMER_ERRORS),
    },
    "/v1/customers/{id}/restore": {"post": command("restoreCustomer", "Restore a deleted customer (needs `leads.restore`)", "customers",
                                                   params=[CUSTOMER_ID], resource="Customer", errors=CUSTOMER_ERRORS)},
    "/v1/customers/{id}/company": {"put": command("setCustomerCompany", "Put a person in a company customer (or in none)", "customers",
                                                  params=[CUSTOMER_ID], body="CustomerCompany", resource="Customer",
                                                  errors=CUSTOMER_ERRORS)},
    "/v1/customer-matches": {"post": command("checkLeadsAgainstCustomers",
                                                  "The customers sharing an e-mail with each of the selected leads", "customers",
                                                  body="EmailCheck", resource="EmailCheckResult", errors=(422,), idempotent=False, if_match=False,
                                                  description="Leads not found or out of reach are left out; at most 500 leads.")},
}

DEAL_ERRORS = (404, 409, 422)
DEAL_ID = path_param("id", "The deal's id.")
deal_paths = {
    "/v1/deals": {
        "post": command("createDeal", "Create a deal on a lead and/or a customer (a quick deal: name and budget)", "deals",
                        body="CreateDeal", ok=201, resource="Deal", errors=DEAL_ERRORS,
                        description="The stage defaults to the first active open stage, the responsible to the caller. "
                                    "A manager without `leads.read.all` names only leads they reach."),
    },
    "/v1/deals/{id}": {
        "get": get("getDeal", "A deal", "deals", params=[DEAL_ID], resource="Deal", errors=(404,),
                   description="The ETag is the deal's stream version."),
        "patch": command("updateDeal", "Change a deal's fields", "deals", params=[DEAL_ID], body="DealPatch", resource="Deal",
                         errors=DEAL_ERRORS),
        "delete": command("deleteDeal", "Soft-delete a deal", "deals", params=[DEAL_ID, query("reason", "Why.", {"type": "string"})],
                          resource="Deal", errors=DEAL_ERRORS),
    },
    "/v1/deals/{id}/restore": {"post": command("restoreDeal", "Restore a deleted deal", "deals", params=[DEAL_ID], resource="Deal",
                                               errors=DEAL_ERRORS)},
    "/v1/deals/{id}/stage": {"post": command("moveDealStage", "Move an open deal to another open stage", "deals", params=[DEAL_ID],
                                             body="DealStageChoice", resource="Deal", errors=DEAL_ERRORS)},
    "/v1/deals/{id}/win": {"post": command("winDeal", "Win a deal (on the first won stage unless one is named)", "deals",
                                           params=[DEAL_ID], body="DealOutcome", resource="Deal", errors=DEAL_ERRORS)},
    "/v1/deals/{id}/lose": {"post": command("loseDeal", "Lose a deal, with a reason", "deals", params=[DEAL_ID], body="DealOutcome",
                                            resource="Deal", errors=DEAL_ERRORS)},
    **task_paths("/v1/deals/{id}", "Deal", "deals", DEAL_ID, DEAL_ERRORS, "Deal"),
    "/v1/deals/{id}/reopen": {"post": command("reopenDeal", "Reopen a won or lost deal", "deals", params=[DEAL_ID], body="DealOutcome",
                                              resource="Deal", errors=DEAL_ERRORS)},
    "/v1/customers/{id}/deals": {"get": get("getCustomerDeals", "A customer's deals (not deleted) that the caller reaches", "deals",
                                            params=[path_param("id", "The customer.")], resource="DealList", errors=(404,), etag=False)},
    "/v1/leads/{id}/deals": {"get": get("getLeadDeals", "A lead's deals (not deleted)", "deals", params=[ID], resource="DealList",
                                        errors=(404,), etag=False)},
}

SETTINGS_ERRORS = (409, 422)
KEY_PARAM = path_param("key", "The entry's key.", {"type": "string", "minLength": 1})


def settings_command(op_id, summary, params=(), body=None):
    return command(op_id, summary, "settings", params=params, body=body, resource="Settings", errors=SETTINGS_ERRORS)


settings_paths = {
    "/v1/settings": {"get": get("getSettings", "The settings (steps, sources, action and task types, tags, custom fields, limits…)", "settings", resource="Settings",
                                description="The ETag is the settings stream's version.")},
    "/v1/settings/steps": {"post": settings_command("defineStep", "Add a pipeline step at the end", body="DefineStep")},
    "/v1/settings/steps/{key}": {
        "patch": settings_command("renameStep", "Rename a step", params=[KEY_PARAM], body="Rename"),
        "delete": settings_command("retireStep", "Retire a step", params=[KEY_PARAM]),
    },
    "/v1/settings/step-order": {"put": settings_command("reorderSteps", "Reorder the active steps", body="StepOrder")},
    "/v1/settings/deal-stages": {"post": settings_command("defineDealStage", "Add a deal stage at the end", body="DefineDealStage")},
    "/v1/settings/deal-stages/{key}": {
        "patch": settings_command("renameDealStage", "Rename a deal stage", params=[KEY_PARAM], body="Rename"),
        "delete": settings_command("retireDealStage", "Retire a deal stage", params=[KEY_PARAM]),
    },
    "/v1/settings/deal-stages/{key}/probability": {"put": settings_command("setDealStageProbability", "Set a deal stage's probability",
                                                                           params=[KEY_PARAM], body="DealStageProbability")},
    "/v1/settings/deal-stage-order": {"put": settings_command("reorderDealStages", "Reorder the active deal stages", body="StepOrder")},
    "/v1/settings/sources": {"post": settings_command("defineSource", "Add a source", body="CatalogueEntry")},
    "/v1/settings/sources/{key}": {
        "patch": settings_command("renameSource", "Rename a source", params=[KEY_PARAM], body="Rename"),
        "delete": settings_command("retireSource", "Retire a source", params=[KEY_PARAM]),
    },
    "/v1/settings/action-types": {"post": settings_command("defineActionType", "Add an action type", body="CatalogueEntry")},
    "/v1/settings/action-types/{key}": {"delete": settings_command("retireActionType", "Retire an action type", params=[KEY_PARAM])},
    "/v1/settings/task-types": {"post": settings_command("defineTaskType", "Add a task type", body="CatalogueEntry")},
    "/v1/settings/task-types/{key}": {"delete": settings_command("retireTaskType", "Retire a task type", params=[KEY_PARAM])},
    "/v1/settings/tags": {"post": settings_command("defineTag", "Define a tag", body="DefineTag")},
    "/v1/settings/tags/{name}": {"delete": settings_command("removeTag", "Remove a tag definition",
                                                            params=[path_param("name", "The tag.", {"type": "string", "minLength": 1})])},
    "/v1/settings/custom-fields/{key}": {
        "put": settings_command("defineCustomField", "Define or redefine a custom field", params=[KEY_PARAM], body="CustomField"),
        "delete": settings_command("retireCustomField", "Retire a custom field", params=[KEY_PARAM]),
    },
    "/v1/settings/import-mappings/{name}": {
        "put": settings_command("saveImportMapping", "Save (or replace) a named import mapping, with the mode and key it defaults to",
                                params=[path_param("name", "The mapping's name (a slug).", {"type": "string", "minLength": 1})],
                                body="ImportMappingRequest"),
        "delete": settings_command("removeImportMapping", "Remove a saved import mapping",
                                   params=[path_param("name", "The mapping's name.", {"type": "string", "minLength": 1})]),
    },
    "/v1/settings/forms/{key}": {
        "put": settings_command("saveLeadForm", "Save (or replace) a web-to-lead form: fields, defaults, allowed origins, honeypot",
                                params=[KEY_PARAM], body="LeadFormRequest"),
        "delete": settings_command("removeLeadForm", "Remove a web-to-lead form (its submissions are refused from then on)",
                                   params=[KEY_PARAM]),
    },
    "/v1/settings/message-templates/{key}": {
        "put": settings_command("saveMessageTemplate", "Save (or replace) a message template: subject, text and HTML bodies (Mustache)",
                                params=[KEY_PARAM], body="MessageTemplateRequest"),
        "delete": settings_command("removeMessageTemplate", "Remove a message template", params=[KEY_PARAM]),
    },
    "/v1/settings/mailboxes/{key}": {
        "put": settings_command("saveMailbox", "Save (or replace) a mailbox for e-mail intake: its Maildir, template, defaults",
                                params=[KEY_PARAM], body="MailboxRequest"),
        "delete": settings_command("removeMailbox", "Remove a mailbox (its Maildir is no longer read)", params=[KEY_PARAM]),
    },
    "/v1/settings/defaults": {"put": settings_command("setDefaults", "Set the default step and source", body="Defaults")},
    "/v1/settings/field-limits": {"put": settings_command("setFieldLimits", "Choose the field limits preset", body="FieldLimitsChoice")},
    "/v1/settings/required-fields": {"put": settings_command("setRequiredFields", "Set the required standard fields", body="RequiredFields")},
    "/v1/settings/assessment-scale": {"put": settings_command("setAssessmentScale", "Set the competitor assessment scale", body="AssessmentScale")},
    "/v1/settings/converted-lead-lock": {"put": settings_command("setConvertedLeadLock", "Lock or unlock converted leads", body="ConvertedLeadLock")},
    "/v1/settings/phone-country": {"put": settings_command("setPhoneCountry", "The country whose dialling plan reads numbers without a country code",
                                                           body="PhoneCountry")},
    "/v1/settings/currency-rates": {"put": settings_command("setCurrencyRates", "The reporting currency and the rates deal reports convert at",
                                                            body="CurrencyRates")},
}

ADMIN_ID = path_param("id", "The admin's id.")
admin_paths = {
    "/v1/admins": {"post": command("createAdmin", "Create an admin (needs `admins.manage`)", "admins", body="CreateAdmin", ok=201, resource="Admin", errors=(409, 422))},
    "/v1/admins/{id}": {"get": get("getAdmin", "An admin (yourself, or any with `admins.manage`)", "admins", params=[ADMIN_ID], resource="Admin", errors=(403, 404))},
    "/v1/admins/{id}/role": {"put": command("changeRole", "Change an admin's role", "admins", params=[ADMIN_ID], body="Role", resource="Admin", errors=(404, 409, 422))},
    "/v1/admins/{id}/permissions": {"put": command("setPermissions", "Replace an admin's permissions", "admins", params=[ADMIN_ID], body="Permissions", resource="Admin", errors=(404, 409, 422))},
    "/v1/admins/{id}/disable": {"post": command("disableAdmin", "Disable an admin: its tokens stop working", "admins", params=[ADMIN_ID], resource="Admin", errors=(404, 409, 422))},
    "/v1/admins/{id}/tokens": {"post": command("issueToken", "Issue an access token: the token is in this answer only", "admins", params=[ADMIN_ID], body="IssueToken", ok=201,
                                               resource="IssuedToken", errors=(404, 409, 422), idempotent=False)},
    "/v1/admins/{id}/tokens/{tokenId}": {"delete": command("revokeToken", "Revoke a token", "admins", params=[ADMIN_ID, path_param("tokenId", "The token.")], resource="Admin", errors=(404, 409, 422))},
}

event_paths = {
    "/v1/events": {"get": get("listEvents", "The event feed: every stored event after a position (needs `leads.read.all`)", "events",
                              params=[query("after", "Events after this log position.", {"type": "integer", "minimum": 0, "default": 0}),
                                      query("limit", "Page size.", {"type": "integer", "minimum": 1, "maximum": 1000, "default": 100})],
                              resource="EventPage", errors=(403, 422), etag=False)},
    "/v1/events/stream": {"get": get("streamEvents", "The event feed as server-sent events, live after catch-up (needs `leads.read.all`)", "events",
                                     params=[query("after", "Start after this position (Last-Event-ID wins).", {"type": "integer", "minimum": 0}),
                                             ref("parameters", "LastEventID")],
                                     content_type="text/event-stream", response_schema={
                                         "type": "object", "description": "One server-sent event.", "required": ["id", "data"],
                                         "properties": {
                                             "id": {"type": "string", "pattern": "^[0-9]+$", "description": "The log position."},
                                             "event": {"type": "string"},
                                             "data": {"type": "string", "description": "The event's JSON, as in /v1/events."}}}, errors=(403,), etag=False,
                                     description="Each event: `id: <position>` and `data: <the event's JSON, as in /v1/events>`; a comment line every 15 s.")},
}

PERIOD = [query("from", "Period start (inclusive).", TIME_INPUT), query("to", "Period end (exclusive).", TIME_INPUT)]


def report(op_id, summary, resource, params=()):
    return {"get": get(op_id, summary, "reports", params=list(params), resource=resource, errors=(403, 422))}


view_paths = {
    "/v1/kanban": {"get": get("getKanban", "The kanban board: one column per active step, each paged", "views",
                              params=[p for p in LIST_FILTERS if p.get("name") != "step"] + [
                                  query("step", "Only this column (to page it with `cursor`, which needs `step`).", {"type": "string"}),
                                  query("limit", "Rows per column.", {"type": "integer", "minimum": 1, "maximum": 200, "default": 20}),
                                  ref("parameters", "cursor")],
                              extra=CUSTOM_FIELD_FILTERS, resource="Kanban", errors=(422,))},
    "/v1/admins/{id}/watched": {"get": get("getWatchedLeads", "Leads an admin watches (yourself, or with `leads.read.all`)", "views",
                                           params=[ADMIN_ID] + LIST_FILTERS + [ref("parameters", "limit"), ref("parameters", "cursor"),
                                                                               query("count", "`true`: include `total`.", {"type": "boolean"})],
                                           extra=CUSTOM_FIELD_FILTERS, resource="LeadPage", errors=(403, 422))},
    "/v1/admins/{id}/actions/today": {"get": get("getActionsToday", "An admin's open actions planned today, and overdue ones", "views",
                                                 params=[ADMIN_ID, query("utcOffset", "Minutes east of UTC where the day is counted.",
                                                                         {"type": "integer", "minimum": -840, "maximum": 840, "default": 0}),
                                                         query("now", "The moment whose day is asked (default: now).", TIME_INPUT)],
                                                 resource="TodayActions", errors=(403, 422))},
    "/v1/tasks": {"get": get("listTasks", "Tasks across leads and deals, earliest due first (tasks without a due date last)", "views",
                             params=[query("owner", "Only this admin's tasks (the responsible, or who added a task without one).", UUID),
                                     query("mine", "`true`: only the caller's tasks.", {"type": "boolean"}),
                                     query("status", "Open (default) or closed tasks.", {"type": "string", "enum": ["open", "closed"], "default": "open"}),
                                     query("due", "`overdue`: open and due before now; `today`: due within the day (in `utcOffset`).",
                                           {"type": "string", "enum": ["overdue", "today"]}),
                                     query("dueFrom", "Due at or after.", TIME_INPUT), query("dueTo", "Due before.", TIME_INPUT),
                                     query("utcOffset", "Minutes east of UTC where `due=today` is counted.",
                                           {"type": "integer", "minimum": -840, "maximum": 840, "default": 0}),
                                     query("now", "The moment `overdue` and `today` are counted from (default: now).", TIME_INPUT),
                                     query("taskType", "Only tasks of one of these types.", TEXT_LIST),
                                     query("on", "Only tasks on leads, or only tasks on deals (default: both).",
                                           {"type": "string", "enum": ["lead", "deal"]}),
                                     ref("parameters", "limit"), ref("parameters", "cursor")],
                             resource="TaskPage", errors=(422,),
                             description="A manager without `leads.read.all` sees the tasks on the leads and deals they reach. A page passes "
                                         "at most 20,000 index entries; when it stops there it may hold fewer rows than `limit`, "
                                         "with a `nextCursor`.")},
    "/v1/duplicates": {"get": get("listDuplicates", "Groups of live leads sharing a phone or an e-mail, largest first (needs `leads.read.all`)", "views",
                                  params=[ref("parameters", "limit"), ref("parameters", "cursor")], resource="DuplicatePage", errors=(403, 422))},
    "/v1/customers/{id}/leads": {"get": get("getCustomerLeads", "Leads linked to a customer", "views",
                                            params=[path_param("id", "The customer.")], resource="LeadPage", errors=(404,))},
    "/v1/customers/{id}/matching-leads": {"get": get("getCustomerMatchingLeads", "Leads whose e-mail matches the customer's", "views",
                                                     params=[path_param("id", "The customer.")], resource="LeadPage", errors=(404,))},
    "/v1/reports/funnel": report("getFunnelReport", "How many leads reached each step (needs `reports.read`)", "FunnelReport", PERIOD),
    "/v1/reports/managers": report("getManagerReport", "Per responsible admin: leads, conversions, actions", "ManagerReport", PERIOD),
    "/v1/reports/sources": report("getSourceReport", "Per source: leads and conversion rate", "SourceReport", PERIOD),
    "/v1/reports/step-times": report("getStepTimeReport", "Time spent in each step", "StepTimeReport"),
    "/v1/reports/paused": report("getPausedReport", "Leads paused now, soonest resuming first", "PausedReport", [ref("parameters", "limit")]),
    "/v1/reports/competitors": report("getCompetitorReport", "Competitors and their assessments", "CompetitorReport"),
    "/v1/reports/deals": report("getDealReport", "Deals per stage and currency: count, budget sum, probability-weighted sum",
                                "DealReport", [query("responsible", "Only the deals this admin is responsible for.", UUID)]),
    "/v1/reports/deals/managers": report("getDealManagerReport", "The deal funnel per manager: stage and currency rows by responsible",
                                         "DealReport"),
    "/v1/reports/deal-outcomes": report("getDealOutcomeReport", "Won and lost deals closed in a period, by currency and by manager",
                                        "DealOutcomeReport", PERIOD),
}

IMPORT_READ = [
    query("format", "The file's format; without it, taken from Content-Type (`text/csv`, `application/json`, "
                    "`application/x-ndjson`, `application/vnd.openxmlformats-officedocument.spreadsheetml.sheet`).",
          {"type": "string", "enum": ["csv", "json", "ndjson", "xlsx"]}),
    query("delimiter", "CSV: one character, or `tab`; without it, detected from the header (`;` when undecided).",
          {"type": "string", "maxLength": 3}),
    query("encoding", "CSV: the text encoding; without it, UTF-8 (with or without BOM) or Windows-1251 by detection.",
          {"type": "string", "enum": ["utf-8", "windows-1251"]}),
    query("sheet", ".xlsx: the sheet to read, by name (default: the first).",
          {"type": "string", "maxLength": 31}),
]
RAW_FILE = {"required": True, "description": "The file itself, streamed (at most the server's upload limit).",
            # No schema: any bytes are a file to read; what they hold is judged by the import (422 naming the row).
            "content": {"text/csv": {}, "application/json": {}, "application/x-ndjson": {},
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {}}}


def with_raw_file(operation):
    operation["requestBody"] = RAW_FILE
    operation["responses"] = dict(sorted({**operation["responses"], "413": ref("responses", "ContentTooLarge")}.items()))
    return operation


IMPORT_ID = path_param("id", "The import.")
accepted = command(
    "startImport", "Import leads from a CSV, JSON, NDJSON or .xlsx file: a job", "imports", ok=202, resource="ImportJob",
    errors=(409, 422), if_match=False,
    params=IMPORT_READ + [
        query("mode", "`create` (default): new leads only; `update`: change the leads the key finds; `upsert`: both.",
              {"type": "string", "enum": ["create", "update", "upsert"]}),
        query("key", "How a row finds its lead in update and upsert modes: `email`, `phone` (by digits) or "
                     "`customFields.<key>` (an external id).", {"type": "string", "maxLength": 80}),
        query("mapping", "JSON object column → field (`fullName`, `company`, `phones`, `emails`, `source`, `step`, "
                         "`priority`, `responsible`, `tags`, `comment`, `address.city`…, `customFields.<key>`); "
                         "without it, the suggested mapping of the preview. At most 450 characters, so that the "
                         "URL stays under its 8 KiB limit whatever the script.", {"type": "string", "maxLength": 450}),
        query("mappingName", "A mapping saved in the settings (`PUT /v1/settings/import-mappings/{name}`), instead of "
                             "`mapping`; its mode and key apply unless the request names them.", {"type": "string", "maxLength": 80}),
        query("dryRun", "`true`: validate every row and count what would be created and updated; append nothing.",
              {"type": "boolean"}),
        query("fileName", "The file's name, kept in the job.", {"type": "string", "maxLength": 100}),
    ],
    description="The request and the file's header are checked before the job starts (422 naming the field). The job "
                "answers `202` at once and runs in the background; poll `Location`. Rows that break a rule are "
                "reported (row, column, code, message) and appended nothing; the others are applied in atomic batches, "
                "every event carrying the import's correlation id. With an Idempotency-Key the same file and request "
                "run once: a repeat answers the job (`200` once completed) and resumes it after an interruption.")
accepted["responses"]["200"] = {"description": "The same import, already completed.",
                                "content": {"application/json": {"schema": schema("ImportJob")}}}
accepted["responses"]["202"]["headers"]["Location"] = {"schema": {"type": "string"}}
accepted["responses"] = dict(sorted(accepted["responses"].items()))
import_paths = {
    "/v1/import-previews": {"post": with_raw_file(command(
        "previewImport", "A file's columns with sample values and a suggested mapping", "imports", params=IMPORT_READ,
        resource="ImportPreview", errors=(422,), if_match=False, idempotent=False,
        description="Reads the header and the first rows; appends nothing."))},
    "/v1/imports": {
        "post": with_raw_file(accepted),
        "get": get("listImports", "The latest imports, newest first (a manager sees their own)", "imports",
                   resource="ImportJobList", etag=False),
    },
    "/v1/imports/{id}": {"get": get("getImport", "An import: progress, counts, the error report", "imports",
                                    params=[IMPORT_ID], resource="ImportJob", errors=(404,), etag=False)},
    "/v1/imports/{id}/revert": {"post": command(
        "revertImport", "Undo a completed import: its created leads deleted, its updated fields set back", "imports",
        params=[IMPORT_ID], resource="ImportJob", errors=(403, 404, 409), if_match=False,
        description="Needs `leads.delete`. A field changed since the import keeps the later value and counts as a "
                    "conflict; a second revert changes nothing.")},
}

BULK_ID = path_param("id", "The bulk operation.")
bulk_create = command(
    "startBulkOperation", "Act on many leads at once: explicit ids or a lead-list filter", "bulk", body="BulkOperationRequest",
    resource="BulkOperation", errors=(403, 422), if_match=False,
    description="The set is read at one log position; each lead's commands are decided on its own state, so a locked, "
                "deleted or out-of-reach lead is refused alone (listed in `refusals`). Ids: at most 10,000 (use a "
                "filter for more); a filter: at most 200,000 leads. Up to 1,000 leads it runs before answering (200); "
                "a larger set answers 202 with the job (`Location`). Every event carries the operation's id as "
                "correlation id. An Idempotency-Key names the operation: a repeat answers it (and finishes one a "
                "restart interrupted). `delete` needs `leads.delete`, `restore` `leads.restore`.")
bulk_create["responses"]["202"] = {
    "description": "Started: the job, whose progress `GET /v1/bulk-operations/{id}` reports.",
    "headers": {"Location": {"schema": {"type": "string"}}, "X-Request-Id": ref("headers", "X-Request-Id")},
    "content": {"application/json": {"schema": schema("BulkOperation")}}}
bulk_paths = {
    "/v1/bulk-operations": {
        "post": bulk_create,
        "get": get("listBulkOperations", "The latest bulk operations, newest first (a manager sees their own)", "bulk",
                   resource="BulkOperationList", etag=False),
    },
    "/v1/bulk-operations/{id}": {"get": get("getBulkOperation", "A bulk operation: progress, counts, refusals", "bulk",
                                            params=[BULK_ID], resource="BulkOperation", errors=(404,), etag=False)},
    "/v1/bulk-operations/{id}/revert": {"post": command(
        "revertBulkOperation", "Undo a completed bulk operation on the leads it changed", "bulk",
        params=[BULK_ID], resource="BulkOperation", errors=(403, 404, 409), if_match=False, body_required=False,
        description="Each change is set back only while the lead still holds it (a later change is a conflict and "
                    "stays). Undoing a delete restores (needs `leads.restore`), undoing a restore deletes (`leads.delete`). "
                    "A pause is lifted; a resume is not undone. A second revert changes nothing.")},
}

EXPORT_OPTIONS = [
    query("format", "`csv` (default, RFC 4180, CRLF, UTF-8) or `xlsx` (one sheet, at most 1,048,575 rows).",
          {"type": "string", "enum": ["csv", "xlsx"], "default": "csv"}),
    query("columns", "Column names in order, comma-separated (default: every column). The names are the import's "
                     "field names (`fullName`, `phones`, `address.city`, `customFields.<key>` …), so a lead export "
                     "imports back with the suggested mapping.",
          {"type": "string", "pattern": "^[^,]+(,[^,]+){0,199}$"}),
    query("delimiter", "CSV only: `,` (default), `;` or `tab`.", {"type": "string", "enum": [",", ";", "tab"]}),
    query("bom", "CSV only: start with a UTF-8 byte order mark (Excel needs one to read UTF-8).", {"type": "boolean"}),
]
EXPORT_DESCRIPTION = (
    "Needs `leads.export`; a manager without `leads.read.all` exports only what they reach. The file is read in one "
    "read transaction, so every row reflects the log position in `X-Log-Position`, and is streamed from disk with its "
    "length (`X-Export-Rows` counts its rows). Several values in a cell are joined with `, `; CSV cells a spreadsheet "
    "would run as a formula start with `'`. At most two exports run at once (503 with Retry-After beyond).")


def export(op_id, summary, params):
    operation = get(op_id, summary, "exports", params=list(params) + EXPORT_OPTIONS, errors=(403, 422, 503), etag=False,
                    description=EXPORT_DESCRIPTION)
    ok = operation["responses"]["200"]
    ok["content"] = {"text/csv": {"schema": {"type": "string"}},
                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {"schema": {"type": "string", "format": "binary"}}}
    ok["headers"]["X-Export-Rows"] = {"description": "The rows in the file, its header not counted.", "schema": {"type": "integer", "minimum": 0}}
    ok["headers"]["Content-Disposition"] = {"description": "`attachment` with a file name.", "schema": {"type": "string"}}
    return {"get": operation}


export_paths = {
    "/v1/exports/leads": export("exportLeads", "Export the leads a lead list filter selects, to CSV or .xlsx",
                                [p for p in LIST_FILTERS if p.get("name") not in ("sort", "order")] + [
                                    query("sort", "Sort key (default `created`, which no change moves while the file is read).",
                                          {"type": "string", "enum": ["updated", "created", "name", "step"], "default": "created"}),
                                    query("order", "Sort order (default `asc`).", {"type": "string", "enum": ["asc", "desc"], "default": "asc"})]),
    "/v1/exports/customers": export("exportCustomers", "Export the customer directory, to CSV or .xlsx", [
        query("q", "Search words, as in the customer list.", {"type": "string"}),
        query("kind", "Only persons or only companies.", {"type": "string", "enum": ["person", "company"]}),
        query("company", "Only the persons of this company customer.", UUID),
        query("deleted", "`true`: deleted customers instead.", {"type": "boolean"})]),
    "/v1/exports/deals": export("exportDeals", "Export deals, to CSV or .xlsx", [
        query("stage", "Only deals on one of these stages.", TEXT_LIST),
        query("outcome", "Only open, won or lost deals (comma-separated).",
              {"type": "string", "pattern": "^(open|won|lost)(,(open|won|lost))*$"}),
        query("responsible", "Only deals one of these admins is responsible for.", UUID_LIST),
        query("lead", "Only the deals of this lead.", UUID),
        query("customer", "Only the deals of this customer.", UUID),
        query("deleted", "`true`: deleted deals instead.", {"type": "boolean"})]),
}
export_paths["/v1/exports/leads"]["get"].update(CUSTOM_FIELD_FILTERS)

FORM_KEY = path_param("key", "The form's key.", {"type": "string", "minLength": 1})
FORM_DESCRIPTION = (
    "Public (no token). The mapped fields are checked as an import row is (422 naming the form field). The live lead "
    "one of the submission's e-mails or phones finds gets it as a note; otherwise a lead is created with the form's "
    "source, step and responsible, and the note. Every accepted submission, and one that fills the honeypot, "
    "answers the same 202. A browser must be at one of the form's allowed origins (403 otherwise); requests without "
    "`Origin` pass. At most 10 submissions per client address at once, one more every 6 s (429 with Retry-After).")
CORS_HEADERS = {"Access-Control-Allow-Origin": {"schema": {"type": "string"}}, "Vary": {"schema": {"type": "string"}}}
form_paths = {
    "/v1/forms/{key}/submissions": {
        "post": {
            "operationId": "submitForm", "tags": ["forms"], "summary": "Submit a web-to-lead form", "security": [],
            "description": FORM_DESCRIPTION, "parameters": [FORM_KEY],
            "requestBody": {"required": True, "content": {
                "application/x-www-form-urlencoded": {"schema": schema("FormSubmission")},
                "application/json": {"schema": schema("FormSubmission")}}},
            "responses": {
                "202": {"description": "Received (whatever became of it).", "headers": CORS_HEADERS,
                        "content": {"application/json": {"schema": schema("FormReceived")}}},
                "400": ref("responses", "BadRequest"), "403": ref("responses", "Forbidden"),
                "404": ref("responses", "NotFound"), "413": ref("responses", "ContentTooLarge"),
                "415": {"description": "The body is neither form-encoded nor JSON.",
                        "content": {"application/problem+json": {"schema": schema("Problem")}}},
                "422": ref("responses", "UnprocessableContent"),
                "429": {"description": "Too many submissions from this client; `Retry-After` says when to retry.",
                        "headers": {"Retry-After": {"schema": {"type": "integer"}}},
                        "content": {"application/problem+json": {"schema": schema("Problem")}}},
                "500": ref("responses", "InternalError"), "503": ref("responses", "Unavailable"),
            },
        },
        "options": {
            "operationId": "preflightForm", "tags": ["forms"], "summary": "CORS preflight for a form's allowed origins",
            "security": [], "parameters": [FORM_KEY],
            "responses": {
                "204": {"description": "The origin may post.", "headers": {
                    **CORS_HEADERS, "Access-Control-Allow-Methods": {"schema": {"type": "string"}},
                    "Access-Control-Allow-Headers": {"schema": {"type": "string"}},
                    "Access-Control-Max-Age": {"schema": {"type": "string"}}}},
                "403": ref("responses", "Forbidden"), "404": ref("responses", "NotFound"),
                "500": ref("responses", "InternalError"),
            },
        },
    },
}

MAILING_ID = path_param("id", "The mailing.")
mailing_create = command(
    "startMailing", "Send one e-mail or SMS per lead: explicit ids or a lead-list filter", "messages", body="MailingRequest",
    resource="Mailing", errors=(403, 422), if_match=False,
    description="Needs `messages.send`. Checked before anything is appended: the template (its variables), the action "
                "type, the relay or gateway, the selection (ids: at most 10,000; a filter: at most 100,000 leads). Leads "
                "without an address, and ids the caller does not reach, are refused and listed in `refusals`; none left is "
                "a 422 `noRecipients`. Answers 202: the server sends in the background, throttled, 4xx retried with "
                "backoff, 5xx stopped for that lead; each sent message is a `MessageSent` action on its lead. An "
                "unreachable relay pauses the mailing; a restart goes on without sending anything twice (a message "
                "in flight at a crash is `inDoubt`, not resent). An Idempotency-Key names the mailing.")
mailing_create["responses"]["202"] = {
    "description": "Started: the mailing, whose progress `GET /v1/mailings/{id}` reports.",
    "headers": {"Location": {"schema": {"type": "string"}}, "X-Request-Id": ref("headers", "X-Request-Id")},
    "content": {"application/json": {"schema": schema("Mailing")}}}
del mailing_create["responses"]["200"]
mailing_paths = {
    "/v1/settings/smtp-relay": {
        "put": settings_command("setSMTPRelay", "Set the SMTP relay mass e-mail goes through", body="SMTPRelay"),
        "get": get("getSMTPRelay", "The SMTP relay", "settings", etag=False, response_schema=schema("SMTPRelay"),
                   errors=(403, 404)),
        "delete": settings_command("removeSMTPRelay", "Remove the SMTP relay (mass e-mail is off)"),
    },
    "/v1/settings/sms-gateway": {
        "put": settings_command("setSMSGateway", "Set the HTTP gateway SMS go through", body="SMSGateway"),
        "get": get("getSMSGateway", "The SMS gateway", "settings", etag=False, response_schema=schema("SMSGateway"),
                   errors=(403, 404)),
        "delete": settings_command("removeSMSGateway", "Remove the SMS gateway (SMS is off)"),
    },
    "/v1/mailings": {
        "post": mailing_create,
        "get": get("listMailings", "The latest mailings, newest first (a manager sees their own)", "messages",
                   resource="MailingList", etag=False),
    },
    "/v1/mailings/{id}": {"get": get("getMailing", "A mailing: progress, counts, refusals, failures", "messages",
                                     params=[MAILING_ID], resource="Mailing", errors=(404,), etag=False)},
    **{f"/v1/mailings/{{id}}/{action}": {"post": command(
        op, summary, "messages", params=[MAILING_ID], resource="Mailing", errors=(403, 404, 409), if_match=False,
        body_required=False, description="Needs `messages.send`.")}
       for action, op, summary in [
           ("pause", "pauseMailing", "Pause a running mailing (the message in flight still gets its outcome)"),
           ("resume", "resumeMailing", "Resume a paused mailing"),
           ("cancel", "cancelMailing", "Cancel a running or paused mailing: the remaining recipients get nothing")]},
}

MAILBOX_KEY = path_param("key", "The mailbox's key.", {"type": "string", "minLength": 1})
template_paths = {
    "/v1/message-templates/{key}/preview": {"post": {
        "operationId": "previewMessageTemplate", "tags": ["messages"], "summary": "A message template rendered for one lead",
        "description": "The subject, text and HTML bodies as a send renders them for a lead the caller reaches "
                       "(otherwise a 422 on `leadId`, whether or not the lead exists).",
        "parameters": [path_param("key", "The template's key.", {"type": "string", "minLength": 1})],
        "requestBody": {"required": True, "content": {"application/json": {"schema": schema("MessagePreviewRequest")}}},
        "responses": {
            "200": {"description": "Rendered.", "headers": {"X-Log-Position": ref("headers", "X-Log-Position")},
                    "content": {"application/json": {"schema": schema("RenderedMessage")}}},
            "400": ref("responses", "BadRequest"), "401": ref("responses", "Unauthorized"), "404": ref("responses", "NotFound"),
            "413": ref("responses", "ContentTooLarge"), "422": ref("responses", "UnprocessableContent"),
            "500": ref("responses", "InternalError"), "503": ref("responses", "Unavailable"),
        }}},
}

mail_paths = {
    "/v1/mailboxes/{key}/intake": {"post": {
        "operationId": "runMailIntake", "tags": ["mail"], "summary": "Read the mailbox's new messages into leads now",
        "description": "Needs `settings.manage`. Each message in `new/` becomes a lead (or an e-mail on the live lead its "
                       "addresses or phones find) and moves to `cur/` with the seen flag; one that cannot be read goes to "
                       "`<maildir>/quarantine/` with its reason. The Message-Id makes it idempotent. The server also reads "
                       "every enabled mailbox every `serve --mail-poll-seconds`.",
        "parameters": [MAILBOX_KEY],
        "responses": {
            "200": {"description": "What the pass did.", "headers": {"X-Log-Position": ref("headers", "X-Log-Position")},
                    "content": {"application/json": {"schema": schema("MailIntakeReport")}}},
            "400": ref("responses", "BadRequest"), "401": ref("responses", "Unauthorized"), "403": ref("responses", "Forbidden"),
            "404": ref("responses", "NotFound"), "500": ref("responses", "InternalError"), "503": ref("responses", "Unavailable"),
        }}},
    "/v1/mailboxes/{key}/quarantine": {"get": get(
        "listMailQuarantine", "The messages intake could not take in, with their reasons", "mail", params=[MAILBOX_KEY],
        etag=False, response_schema=schema("Quarantine"), errors=(403, 404))},
}

operations_paths = {
    "/healthz": {"get": {
        "operationId": "getHealth", "tags": ["operations"], "summary": "Liveness, the log head and the applied position",
        "security": [],
        "responses": {
            "200": {"description": "Healthy.", "headers": {"X-Request-Id": ref("headers", "X-Request-Id")},
                    "content": {"application/json": {"schema": schema("Health")}}},
            "503": {"description": "Up but not ready.", "content": {"application/json": {"schema": schema("Health")}}},
        },
    }},
    "/metrics": {"get": {
        "operationId": "getMetrics", "tags": ["operations"], "summary": "Prometheus metrics (text exposition format)",
        "security": [],
        "responses": {"200": {"description": "Metrics.", "content": {"text/plain": {"schema": {"type": "string"}}}}},
    }},
}

STRING_LIST = {"type": "array", "items": {"type": "string"}}


def string_list(limit_name):
    return {"type": "array", "items": {"type": "string"}, "maxItems": LIMITS[limit_name]}


SETTINGS_LIST = string_list("settingsList")
ADDRESS = {"type": "object", "properties": {k: {"type": "string"} for k in ["country", "city", "street", "building", "flat"]},
           "additionalProperties": False}
CUSTOM_FIELD_VALUE = {
    "type": "object", "required": ["type", "value"], "additionalProperties": False,
    "description": "A typed value: `{\"type\": \"int\", \"value\": 5}`; `date` values are `YYYY-MM-DD`.",
    "properties": {"type": {"type": "string", "enum": ["string", "int", "list", "text", "flag", "url", "date"]},
                   "value": {"type": ["string", "integer", "boolean"]}},
}
PRIORITY = {"type": "string", "enum": ["low", "normal", "high", "urgent"]}
LEAD_FIELD = {"type": "string", "enum": ["fullName", "company", "phones", "emails", "address", "source", "priority",
                                         "responsible", "competitor", "assessment", "comment", "customFields"]}
PERMISSION = {"type": "string", "enum": ["leads.read.all", "leads.delete", "leads.restore", "leads.merge",
                                         "settings.manage", "admins.manage", "reports.read", "leads.export",
                                         "messages.send"]}


def obj(required, properties, description=None):
    o = {"type": "object"}
    if description:
        o["description"] = description
    if required:
        o["required"] = required
    o["properties"] = properties
    return o


lead_summary_props = {
    "id": UUID, "fullName": {"type": "string"}, "company": {"type": "string"}, "phones": STRING_LIST,
    "emails": STRING_LIST, "source": {"type": "string"}, "step": {"type": "string"}, "responsible": UUID,
    "priority": PRIORITY, "tags": STRING_LIST, "paused": {"type": "boolean"}, "converted": {"type": "boolean"},
    "deleted": {"type": "boolean"}, "linkedCustomer": UUID, "createdAt": TIME, "updatedAt": TIME,
    "version": {"type": "integer", "minimum": 1},
}
entry_common = {"id": UUID, "step": {"type": "string"}, "text": {"type": "string"}, "createdBy": UUID, "createdAt": TIME}
lead_props = dict(lead_summary_props)
lead_props.update({
    "address": ADDRESS, "competitor": {"type": "string"}, "assessment": {"type": "string"},
    "customFields": {"type": "object", "additionalProperties": CUSTOM_FIELD_VALUE}, "comment": {"type": "string"},
    "watchers": {"type": "array", "items": UUID},
    "notes": {"type": "array", "items": obj(list(entry_common) + ["format"], dict(entry_common, format={"type": "string", "enum": ["plain", "markdown"]}))},
    "actions": {"type": "array", "items": obj(list(entry_common) + ["pinned", "completed"], dict(
        entry_common, actionType={"type": "string"}, admin=UUID, plannedAt=TIME, pinned={"type": "boolean"}, completed={"type": "boolean"}))},
    "tasks": {"type": "array", "items": schema("Task")},
    "calls": {"type": "array", "description": f"The latest {LIMITS['callsKept']} incoming calls, oldest first.", "items": obj(
        ["id", "number", "digits", "at"], {"id": UUID, "number": {"type": "string"},
                                           "digits": {"type": "string", "pattern": "^[0-9]{5,15}$", "description": "International form."},
                                           "takenBy": UUID, "at": TIME})},
    "receivedEmails": {"type": "array", "description": f"The latest {LIMITS['emailsKept']} e-mails intake recorded, oldest first "
                       "(their text is in the history).", "items": obj(
        ["id", "mailbox", "messageId", "from", "subject", "at"], {
            "id": UUID, "mailbox": {"type": "string"}, "messageId": {"type": "string"}, "from": {"type": "string"},
            "subject": {"type": "string"}, "sentAt": TIME, "at": TIME})},
    "pausedUntil": TIME, "mergedInto": UUID, "mergedFrom": {"type": "array", "items": UUID}, "updatedBy": UUID,
})
LEAD_REQUIRED = ["id", "fullName", "phones", "emails", "source", "step", "priority", "tags", "customFields", "watchers",
                 "notes", "actions", "tasks", "calls", "receivedEmails", "paused", "converted", "mergedFrom", "deleted", "createdBy", "createdAt",
                 "updatedBy", "updatedAt", "version"]

schemas = {
    "Problem": obj(["type", "title", "status", "code", "errors"], {
        "type": {"type": "string", "format": "uri"}, "title": {"type": "string"},
        "status": {"type": "integer", "minimum": 400, "maximum": 599},
        "code": {"type": "string", "description": "Stable code: the domain's (`validationFailed`, `leadNotFound`, `leadDeleted`…) or the HTTP layer's (`badRequest`, `versionMismatch`…)."},
        "detail": {"type": "string"}, "instance": {"type": "string", "description": "The request id."},
        "errors": {"type": "array", "items": schema("FieldError")}},
        "RFC 9457 problem details with a stable `code` and per-field errors."),
    "FieldError": obj(["field", "code", "message"], {
        "field": {"type": "string", "description": "A body path as sent (`emails[1]`, `address.city`), a query parameter or a header."},
        "code": {"type": "string"}, "message": {"type": "string"}}),
    "Health": obj(["status"], {"status": {"type": "string"}, "logPosition": {"type": "integer", "minimum": 0},
                               "appliedPosition": {"type": "integer", "minimum": 0}}),
    "Address": ADDRESS,
    "CustomFieldValue": CUSTOM_FIELD_VALUE,
    "Lead": obj(LEAD_REQUIRED, lead_props, "A lead with its notes, actions and tasks."),
    "LeadSummary": obj(["id", "fullName", "phones", "emails", "source", "step", "priority", "tags", "paused", "converted",
                        "deleted", "createdAt", "updatedAt", "version"], lead_summary_props, "A lead's card in lists."),
    "LeadPage": obj(["items", "nextCursor"], {
        "items": {"type": "array", "items": schema("LeadSummary")},
        "nextCursor": {"type": ["string", "null"], "description": "Pass as `cursor` for the next page; null on the last."},
        "total": {"type": "integer", "minimum": 0, "description": "With `count=true`."}}),
    "HistoryPage": obj(["items", "nextCursor"], {
        "items": {"type": "array", "items": obj(["position", "recordedAt", "actor", "type", "summary", "changes"], {
            "position": {"type": "integer", "minimum": 1}, "recordedAt": TIME, "actor": {"type": "string"},
            "type": {"type": "string"}, "summary": {"type": "string"},
            "changes": {"type": "array", "items": obj(["field"], {"field": {"type": "string"},
                                                                 "from": {"type": "string"}, "to": {"type": "string"}})}})},
        "nextCursor": {"type": ["string", "null"]}}),
    "Event": obj(["position", "id", "streamId", "streamVersion", "type", "schemaVersion", "recordedAt", "recordedAtMicros", "actor", "data"], {
        "position": {"type": "integer", "minimum": 1}, "id": UUID, "streamId": {"type": "string"},
        "streamVersion": {"type": "integer", "minimum": 1}, "type": {"type": "string"},
        "schemaVersion": {"type": "integer", "minimum": 1}, "recordedAt": TIME,
        "recordedAtMicros": {"type": "integer", "description": "µs since 1970, exact."},
        "actor": {"type": "string", "description": "The acting admin's id."}, "correlationId": UUID,
        "data": {"type": "object", "description": "The payload; its schema is schemas/events/<type>.v<schemaVersion>.json."}},
        "A stored event."),
    "EventPage": obj(["items", "next"], {"items": {"type": "array", "items": schema("Event")},
                                         "next": {"type": "integer", "minimum": 0, "description": "The `after` of the next page."}}),
    "Settings": obj(["steps", "sources", "actionTypes", "taskTypes", "tags", "customFields", "defaultStep", "defaultSource",
                     "fieldLimitsPreset", "fieldLimits", "requiredFields", "assessmentScale", "lockConvertedLeads", "dealStages",
                     "currencyRates", "version"], {
        "reportingCurrency": {"type": "string", "pattern": "^[A-Z]{3}$", "description": "The currency deal reports convert into."},
        "currencyRates": {"type": "array", "items": schema("CurrencyRate")},
        "leadForms": {"type": "array", "description": "Web-to-lead forms, by key, with who saved each.", "items": obj(
            ["form", "savedBy", "savedAt"], {
                "form": obj(["key", "name", "fields", "allowedOrigins"], {
                    "key": {"type": "string"}, "name": {"type": "string"},
                    "fields": {"type": "array", "items": obj(["column", "field"], {"column": {"type": "string"}, "field": {"type": "string"}})},
                    "source": {"type": "string"}, "step": {"type": "string"}, "responsible": UUID,
                    "allowedOrigins": {"type": "array", "items": {"type": "string"}}, "honeypot": {"type": "string"}}),
                "savedBy": UUID, "savedAt": {"type": "integer", "description": "µs since 1970."}})},
        "messageTemplates": {"type": "array", "description": "Message templates, by key, with who saved each.", "items": obj(
            ["template", "savedBy", "savedAt"], {
                "template": obj(["key", "name", "subject"], {
                    "key": {"type": "string"}, "name": {"type": "string"}, "subject": {"type": "string"},
                    "text": {"type": "string"}, "html": {"type": "string"}}),
                "savedBy": UUID, "savedAt": {"type": "integer", "description": "µs since 1970."}})},
        "mailboxes": {"type": "array", "description": "Mailboxes for e-mail intake, by key, with who saved each.", "items": obj(
            ["mailbox", "savedBy", "savedAt"], {
                "mailbox": obj(["key", "name", "maildir", "enabled"], {
                    "key": {"type": "string"}, "name": {"type": "string"}, "maildir": {"type": "string"},
                    "template": {"type": "string"}, "source": {"type": "string"}, "step": {"type": "string"},
                    "responsible": UUID, "enabled": {"type": "boolean"}}),
                "savedBy": UUID, "savedAt": {"type": "integer", "description": "µs since 1970."}})},
        "importMappings": {"type": "array", "description": "Saved import mappings, by name.", "items": obj(["name", "columns"], {
            "name": {"type": "string"},
            "columns": {"type": "array", "items": obj(["column", "field"], {"column": {"type": "string"}, "field": {"type": "string"}})},
            "mode": {"type": "string", "enum": ["create", "update", "upsert"]}, "key": {"type": "string"}})},
        "phoneCountry": {"type": "string", "pattern": "^[A-Z]{2}$",
                         "description": "Whose dialling plan reads numbers written without a country code."},
        "dealStages": {"type": "array", "description": "In order; retired ones marked.", "items": obj(
            ["key", "name", "probability", "kind", "retired"], {
                "key": {"type": "string"}, "name": {"type": "string"}, "probability": {"type": "integer", "minimum": 0, "maximum": 100},
                "kind": {"type": "string", "enum": ["open", "won", "lost"]}, "retired": {"type": "boolean"}})},
        "steps": {"type": "array", "description": "In pipeline order; retired ones marked.", "items": obj(
            ["key", "name", "colour", "retired"], {"key": {"type": "string"}, "name": {"type": "string"},
                                                  "colour": {"type": "string"}, "description": {"type": "string"},
                                                  "retired": {"type": "boolean"}})},
        "sources": {"type": "array", "items": schema("CatalogueItem")},
        "actionTypes": {"type": "array", "items": schema("CatalogueItem")},
        "taskTypes": {"type": "array", "items": schema("CatalogueItem")},
        "tags": {"type": "array", "items": obj(["name"], {"name": {"type": "string"}, "colour": {"type": "string"}})},
        "customFields": {"type": "array", "items": obj(["key", "name", "type", "required", "retired"], {
            "key": {"type": "string"}, "name": {"type": "string"},
            "type": {"type": "string", "enum": ["string", "int", "list", "text", "flag", "url", "date"]},
            "required": {"type": "boolean"}, "maxLength": {"type": "integer"}, "minValue": {"type": "integer"},
            "maxValue": {"type": "integer"}, "options": STRING_LIST, "retired": {"type": "boolean"}})},
        "defaultStep": {"type": "string"}, "defaultSource": {"type": "string"},
        "fieldLimitsPreset": {"type": "string", "enum": ["default", "compact", "custom"]},
        "fieldLimits": schema("FieldLimits"),
        "requiredFields": {"type": "array", "items": LEAD_FIELD},
        "assessmentScale": STRING_LIST, "lockConvertedLeads": {"type": "boolean"},
        "version": {"type": "integer", "minimum": 0}}, "The settings in force."),
    "CatalogueItem": obj(["key", "name", "retired"], {"key": {"type": "string"}, "name": {"type": "string"},
                                                       "retired": {"type": "boolean"}}),
    "FieldLimits": obj(["name", "customText", "note", "comment", "taskDescription"],
                       {k: {"type": "integer", "minimum": 1} for k in ["name", "customText", "note", "comment", "taskDescription"]},
                       "The longest text each kind of field accepts, in characters."),
    "Admin": obj(["id", "name", "role", "permissions", "disabled", "tokens", "createdAt", "updatedAt", "version"], {
        "id": UUID, "name": {"type": "string"}, "email": {"type": "string"}, "role": {"type": "string", "enum": ["admin", "manager"]},
        "permissions": {"type": "array", "items": PERMISSION}, "disabled": {"type": "boolean"},
        "tokens": {"type": "array", "items": obj(["id", "label", "issuedAt", "revoked"], {
            "id": UUID, "label": {"type": "string"}, "issuedAt": TIME, "expiresAt": TIME, "revoked": {"type": "boolean"}})},
        "createdAt": TIME, "updatedAt": TIME, "version": {"type": "integer", "minimum": 1}},
        "An admin account; token hashes are never shown."),
    "IssuedToken": obj(["tokenId", "token", "admin"], {
        "tokenId": UUID, "token": {"type": "string", "description": "The access token: shown only here."},
        "admin": schema("Admin")}),
    "Kanban": obj(["columns"], {"columns": {"type": "array", "items": obj(["step", "name", "colour", "count", "items", "nextCursor"], {
        "step": {"type": "string"}, "name": {"type": "string"}, "colour": {"type": "string"},
        "count": {"type": "integer", "minimum": 0}, "items": {"type": "array", "items": schema("LeadSummary")},
        "nextCursor": {"type": ["string", "null"]}})}}),
    "TodayActions": obj(["today", "overdue", "tasksToday", "tasksOverdue"], {
        **{k: {"type": "array", "items": obj(["leadId", "leadName", "actionId", "text", "overdue"], {
            "leadId": UUID, "leadName": {"type": "string"}, "actionId": UUID, "text": {"type": "string"},
            "actionType": {"type": "string"}, "plannedAt": TIME, "overdue": {"type": "boolean"}})} for k in ["today", "overdue"]},
        **{k: {"type": "array", "items": schema("TaskItem")} for k in ["tasksToday", "tasksOverdue"]}}),
    "Task": obj(["id", "taskType", "description", "closed", "createdBy", "createdAt"], {
        "id": UUID, "taskType": {"type": "string"}, "description": {"type": "string"}, "responsible": UUID, "due": TIME,
        "closed": {"type": "boolean"}, "createdBy": UUID, "createdAt": TIME}, "A task on a lead."),
    "TaskItem": obj(["on", "task", "overdue"], {
        "on": {"type": "string", "enum": ["lead", "deal"], "description": "What the task is on."},
        "leadId": UUID, "leadName": {"type": "string", "description": "The lead the task is on, or the deal's lead."},
        "dealId": UUID, "dealName": {"type": "string"}, "task": schema("Task"), "overdue": {"type": "boolean"}},
        "A task with its lead."),
    "TaskPage": obj(["items", "nextCursor"], {"items": {"type": "array", "items": schema("TaskItem")},
                                             "nextCursor": {"type": ["string", "null"]}}),
    "DuplicatePage": obj(["items", "nextCursor", "total"], {
        "items": {"type": "array", "items": obj(["kind", "value", "leadIds"], {
            "kind": {"type": "string", "enum": ["phone", "email"]}, "value": {"type": "string"},
            "leadIds": {"type": "array", "items": UUID}})},
        "nextCursor": {"type": ["string", "null"]}, "total": {"type": "integer", "minimum": 0}}),
    "FunnelReport": obj(["period", "created", "converted", "steps"], {
        "period": obj([], {"from": TIME, "to": TIME}), "created": {"type": "integer"}, "converted": {"type": "integer"},
        "steps": {"type": "array", "items": obj(["step", "name", "reached"], {
            "step": {"type": "string"}, "name": {"type": "string"}, "reached": {"type": "integer", "minimum": 0},
            "conversionFromPrevious": {"type": "number"}})}}),
    "ManagerReport": obj(["items"], {"items": {"type": "array", "items": obj(
        ["admin", "responsible", "created", "converted", "actionsCompleted"], {
            "admin": UUID, "name": {"type": "string"}, "responsible": {"type": "integer"}, "created": {"type": "integer"},
            "converted": {"type": "integer"}, "actionsCompleted": {"type": "integer"},
            "medianSecondsToConvert": {"type": "number"}})}}),
    "SourceReport": obj(["items"], {"items": {"type": "array", "items": obj(
        ["source", "name", "count", "converted", "conversionRate"], {
            "source": {"type": "string"}, "name": {"type": "string"}, "count": {"type": "integer"},
            "converted": {"type": "integer"}, "conversionRate": {"type": "number"}})}}),
    "StepTimeReport": obj(["items"], {"items": {"type": "array", "items": obj(["step", "name", "count"], {
        "step": {"type": "string"}, "name": {"type": "string"}, "count": {"type": "integer"},
        "meanSeconds": {"type": "number"}, "medianSeconds": {"type": "number"}})}}),
    "CompetitorReport": obj(["items"], {"items": {"type": "array", "items": obj(["competitor", "total", "assessments"], {
        "competitor": {"type": "string"}, "total": {"type": "integer"},
        "assessments": {"type": "array", "items": obj(["assessment", "count"], {
            "assessment": {"type": "string"}, "count": {"type": "integer"}})}})}}),
    "PausedReport": obj(["count", "leads"], {"count": {"type": "integer"}, "leads": {"type": "array", "items": obj(
        ["leadId", "fullName", "until"], {"leadId": UUID, "fullName": {"type": "string"}, "until": TIME})}}),
    "Deal": obj(["id", "name", "amount", "currency", "stage", "outcome", "probability", "responsible", "deleted", "tasks", "createdBy",
                 "createdAt", "updatedBy", "updatedAt", "version"], {
        "id": UUID, "name": {"type": "string"}, "amount": {"type": "string", "pattern": AMOUNT},
        "currency": {"type": "string", "pattern": "^[A-Z]{3}$"}, "stage": {"type": "string"},
        "outcome": {"type": "string", "enum": ["open", "won", "lost"]},
        "probability": {"type": "integer", "minimum": 0, "maximum": 100, "description": "The chance of winning in force."},
        "ownProbability": {"type": "integer", "minimum": 0, "maximum": 100, "description": "The deal's own, when set apart from its stage's."},
        "expectedCloseAt": TIME, "responsible": UUID, "leadId": UUID, "customerId": UUID, "lostReason": {"type": "string"},
        "closedAt": TIME, "deleted": {"type": "boolean"}, "tasks": {"type": "array", "items": schema("Task")},
        "createdBy": UUID, "createdAt": TIME, "updatedBy": UUID,
        "updatedAt": TIME, "version": {"type": "integer", "minimum": 1}}),
    "DealList": obj(["items"], {"items": {"type": "array", "items": schema("Deal")}}),
    "DealReport": obj(["items"], {"items": {"type": "array", "items": obj(
        ["stage", "name", "kind", "currency", "count", "amount", "weighted"], {
            "responsible": UUID,
            "stage": {"type": "string"}, "name": {"type": "string"}, "kind": {"type": "string", "enum": ["open", "won", "lost"]},
            "currency": {"type": "string", "pattern": "^[A-Z]{3}$"}, "count": {"type": "integer", "minimum": 1},
            "amount": {"type": "string", "description": "The budgets' sum, a decimal, in `currency`."},
            "weighted": {"type": "string", "description": "Σ budget × probability / 100; won deals whole, lost ones 0."},
            "convertedAmount": {"type": "string", "description": "`amount` in the reporting currency, when a rate is set."},
            "convertedWeighted": {"type": "string", "description": "`weighted` in the reporting currency, when a rate is set."}})},
        "reportingCurrency": {"type": "string"},
        "convertedAmount": {"type": "string", "description": "The total in the reporting currency; absent when a currency has no rate."},
        "convertedWeighted": {"type": "string"},
        "missingRates": {"type": "array", "items": {"type": "string"}, "description": "Currencies without a rate."}}),
    "DealOutcomeReport": obj(["period", "items", "byManager"], {
        "period": obj([], {"from": TIME, "to": TIME}),
        **{k: {"type": "array", "items": obj(["outcome", "currency", "count", "amount"], {
            "responsible": UUID, "outcome": {"type": "string", "enum": ["won", "lost"]},
            "currency": {"type": "string", "pattern": "^[A-Z]{3}$"}, "count": {"type": "integer", "minimum": 1},
            "amount": {"type": "string"}, "convertedAmount": {"type": "string"}})} for k in ["items", "byManager"]},
        "reportingCurrency": {"type": "string"},
        "converted": {"type": "array", "items": obj(["outcome"], {"outcome": {"type": "string", "enum": ["won", "lost"]},
                                                              "amount": {"type": ["string", "null"]}})},
        "missingRates": {"type": "array", "items": {"type": "string"}}}),
    # Request bodies.
    "Customer": obj(["id", "kind", "fullName", "phones", "emails", "deleted", "createdBy", "createdAt", "updatedBy", "updatedAt",
                     "version"], {
        "id": UUID, "kind": {"type": "string", "enum": ["person", "company"]}, "fullName": {"type": "string"},
        "company": {"type": "string"}, "companyId": UUID, "phones": {"type": "array", "items": {"type": "string"}},
        "emails": {"type": "array", "items": {"type": "string"}}, "address": ADDRESS, "fromLeadId": UUID,
        "deleted": {"type": "boolean"}, "createdBy": UUID, "createdAt": TIME, "updatedBy": UUID, "updatedAt": TIME,
        "version": {"type": "integer", "minimum": 1}}, "A customer: a person or a company."),
    "CustomerPage": obj(["items", "nextCursor"], {"items": {"type": "array", "items": schema("Customer")},
                                                 "nextCursor": {"type": ["string", "null"]}}),
    "CreateCustomer": obj(["fullName"], {
        "kind": {"type": "string", "enum": ["person", "company"], "default": "person"}, "fullName": TEXT,
        "company": {"type": "string"}, "companyId": UUID, "phones": string_list("phones"), "emails": string_list("emails"),
        "address": ADDRESS}),
    "CustomerPatch": obj([], {"fullName": TEXT, "company": {"type": "string"}, "phones": string_list("phones"),
                              "emails": string_list("emails"), "address": {"oneOf": [ADDRESS, {"type": "null"}]}},
                         "Only the fields present change; an empty string or list, or `address: null`, clears."),
    "CustomerCompany": obj(["companyId"], {"companyId": NULLABLE_UUID}),
    "EmailCheck": obj(["leadIds"], {"leadIds": {"type": "array", "items": UUID, "minItems": 1, "maxItems": 500}}),
    "EmailCheckResult": obj(["items"], {"items": {"type": "array", "items": obj(["leadId", "customerIds"], {
        "leadId": UUID, "customerIds": {"type": "array", "items": UUID}})}}),
    "CreateDeal": obj(["name", "amount", "currency"], {
        "name": TEXT, "amount": {"type": "string", "pattern": AMOUNT, "description": "A non-negative decimal, e.g. `1200.50`."},
        "currency": {"type": "string", "description": "ISO 4217 code in use."}, "stage": {"type": "string"},
        "probability": {"type": "integer", "minimum": 0, "maximum": 100}, "expectedCloseAt": TIME_INPUT, "responsible": UUID,
        "leadId": UUID, "customerId": UUID}),
    "DealPatch": obj([], {
        "name": TEXT, "amount": {"type": "string", "pattern": AMOUNT}, "currency": {"type": "string"},
        "probability": {"type": ["integer", "null"], "minimum": 0, "maximum": 100},
        "expectedCloseAt": {"oneOf": [TIME_INPUT, {"type": "null"}]}, "responsible": UUID,
        "leadId": NULLABLE_UUID, "customerId": NULLABLE_UUID},
        "Only the fields present change; null clears `probability` (back to the stage's), `expectedCloseAt`, `leadId`, "
        "`customerId` (a deal keeps a lead or a customer)."),
    "DealStageChoice": obj(["stage"], {"stage": {"type": "string"}}),
    "DealOutcome": obj([], {"stage": {"type": "string"}, "reason": {"type": "string"}}),
    "DefineDealStage": obj(["key", "name", "probability", "kind"], {
        "key": KEY, "name": TEXT, "probability": {"type": "integer", "minimum": 0, "maximum": 100},
        "kind": {"type": "string", "enum": ["open", "won", "lost"]}}),
    "DealStageProbability": obj(["probability"], {"probability": {"type": "integer", "minimum": 0, "maximum": 100}}),
    "CreateLead": obj(["fullName"], {
        "fullName": TEXT, "company": {"type": "string"}, "phones": string_list("phones"), "emails": string_list("emails"),
        "address": ADDRESS, "source": {"type": "string"}, "step": {"type": "string"}, "priority": PRIORITY,
        "responsible": UUID, "competitor": {"type": "string"}, "assessment": {"type": "string"}, "tags": string_list("tags"),
        "customFields": {"type": "object", "maxProperties": LIMITS["customFields"], "additionalProperties": CUSTOM_FIELD_VALUE},
        "comment": {"type": "string"}}),
    "LeadPatch": obj([], {
        "fullName": TEXT, "company": {"type": "string"}, "phones": string_list("phones"), "emails": string_list("emails"),
        "address": ADDRESS, "source": {"type": "string"}, "priority": PRIORITY, "competitor": {"type": "string"},
        "assessment": {"type": "string"}, "comment": {"type": "string"},
        "customFields": {"type": "object", "maxProperties": LIMITS["customFields"],
                         "additionalProperties": {"oneOf": [CUSTOM_FIELD_VALUE, {"type": "null"}]}}},
        "Only the fields present change; an empty string or list clears a field (null is refused: it would say "
        "nothing); a custom field set to null is cleared."),
    "MarkStep": obj(["step"], {"step": {"type": "string"}}),
    "AddNote": obj(["text"], {"text": TEXT, "step": {"type": "string"}, "format": {"type": "string", "enum": ["plain", "markdown"]}}),
    "LogAction": obj(["text", "actionType"], {"text": TEXT, "actionType": {"type": "string"}, "admin": UUID,
                                              "plannedAt": TIME_INPUT, "step": {"type": "string"}}),
    "AddTask": obj(["taskType", "description"], {"taskType": {"type": "string"}, "description": TEXT, "responsible": UUID, "due": TIME_INPUT}),
    "TaskPatch": obj([], {"taskType": {"type": "string"}, "description": TEXT, "due": {"oneOf": [TIME_INPUT, {"type": "null"}]}},
                     "Only the fields present change; `due: null` removes the due date."),
    "Assign": obj(["responsible"], {"responsible": NULLABLE_UUID}),
    "Pause": obj(["until"], {"until": TIME_INPUT}),
    "Merge": obj(["sourceIds"], {"sourceIds": {"type": "array", "items": UUID, "minItems": 1, "maxItems": LIMITS["mergeSources"]}}),
    "CopyFrom": obj(["sourceId", "fields"], {"sourceId": UUID, "fields": {"type": "array", "items": LEAD_FIELD, "minItems": 1,
                                                                          "maxItems": len(LEAD_FIELD["enum"])}}),
    "LinkCustomer": obj(["customerId"], {"customerId": UUID}),
    "DefineStep": obj(["key", "name", "colour"], {"key": KEY, "name": TEXT, "colour": {"type": "string", "pattern": "^#[0-9a-f]{6}$"},
                                                  "description": {"type": "string"}}),
    "Rename": obj(["name"], {"name": TEXT}),
    "StepOrder": obj(["order"], {"order": SETTINGS_LIST}),
    "CatalogueEntry": obj(["key", "name"], {"key": KEY, "name": TEXT}),
    "DefineTag": obj(["name"], {"name": TEXT, "colour": {"type": "string", "pattern": "^#[0-9a-f]{6}$"}}),
    "CustomField": obj(["name", "type"], {"name": TEXT, "type": {"type": "string", "enum": ["string", "int", "list", "text", "flag", "url", "date"]},
                                          "required": {"type": "boolean"}, "maxLength": {"type": "integer", "minimum": 1},
                                          "minValue": {"type": "integer"}, "maxValue": {"type": "integer"}, "options": SETTINGS_LIST}),
    "Defaults": obj(["step", "source"], {"step": {"type": "string"}, "source": {"type": "string"}}),
    "FieldLimitsChoice": obj(["preset"], {"preset": {"type": "string", "enum": ["default", "compact", "custom"]},
                                          "custom": schema("FieldLimits")}),
    "RequiredFields": obj(["fields"], {"fields": {"type": "array", "items": LEAD_FIELD, "maxItems": len(LEAD_FIELD["enum"])}}),
    "AssessmentScale": obj(["values"], {"values": SETTINGS_LIST}),
    "ConvertedLeadLock": obj(["locked"], {"locked": {"type": "boolean"}}),
    "CurrencyRate": obj(["currency", "rate"], {
        "currency": {"type": "string", "description": "ISO 4217 code in use."},
        "rate": {"type": "string", "pattern": AMOUNT, "description": "Units of the reporting currency per unit of `currency`."}}),
    "PhoneCountry": obj(["country"], {
        "country": {"type": ["string", "null"], "description": "ISO 3166-1 alpha-2 code of a country with a known dialling plan; null: none."}}),
    "Call": obj(["number"], {"number": {"type": "string", "maxLength": 64, "description": "The caller's number as the phone system has it."},
                             "takenBy": UUID}),
    "LeadFormRequest": obj(["name", "fields"], {
        "name": {"type": "string", "minLength": 1, "maxLength": 200},
        "fields": {"type": "object", "minProperties": 1, "maxProperties": 50,
                   "additionalProperties": {"type": "string", "minLength": 1, "maxLength": 200},
                   "description": "Form field name → lead field path (`fullName`, `emails`, `phones`, `comment`, `customFields.<key>` …)."},
        "source": {"type": "string", "minLength": 1, "description": "Source of new leads (default `website`)."},
        "step": {"type": "string", "minLength": 1, "description": "Step of new leads (default: the settings' default step)."},
        "responsible": UUID,
        "allowedOrigins": {"type": "array", "maxItems": 20, "items": {"type": "string", "minLength": 1, "maxLength": 270},
                           "description": "Origins (`https://example.com`) a browser may post from."},
        "honeypot": {"type": "string", "minLength": 1, "maxLength": 100,
                     "description": "A field people never see: a submission filling it is dropped, answered as accepted."}}),
    "BulkOperationRequest": obj(["operation"], {
        "ids": {"type": "array", "minItems": 1, "maxItems": 10000, "items": UUID, "description": "The leads (or send `filter`)."},
        "filter": {"type": "string", "maxLength": 4096,
                   "description": "`GET /v1/leads` filter parameters as a query string (`step=new&tag=vip&cf.city=Vilnius`); "
                                  "no sort, order, limit, cursor or count."},
        "operation": obj(["kind"], {
            "kind": {"type": "string", "enum": ["assign", "markStep", "tag", "untag", "setFields", "addTask", "addWatchers",
                                                 "pause", "resume", "delete", "restore"]},
            "responsible": {**UUID, "description": "assign: the new responsible (absent: nobody)."},
            "step": {"type": "string", "minLength": 1, "description": "markStep: an active step."},
            "tags": {"type": "array", "minItems": 1, "maxItems": 20, "items": {"type": "string", "minLength": 1}, "description": "tag, untag."},
            "fields": {"type": "object", "minProperties": 1, "maxProperties": 50,
                       "additionalProperties": {"type": "string", "minLength": 1},
                       "description": "setFields: lead field path → value, read as an import cell (phones, e-mails and tags are added)."},
            "task": obj(["taskType", "description"], {
                "taskType": {"type": "string", "minLength": 1}, "description": {"type": "string", "minLength": 1},
                "due": {"type": "string", "description": "ISO 8601 (a date: the end of that day)."},
                "responsible": {**UUID, "description": "Default: each lead's responsible."}}),
            "watchers": {"type": "array", "minItems": 1, "maxItems": 20, "items": UUID, "description": "addWatchers."},
            "until": {"type": "string", "description": "pause: ISO 8601, in the future."},
            "withDeals": {"type": "boolean", "description": "delete, restore: the lead's deals too."},
            "reason": {"type": "string", "maxLength": 1000, "description": "delete: why."}})}),
    "BulkOperation": obj(["id", "state", "kind", "leads", "done", "applied", "unchanged", "refused", "refusals", "startedAt", "author"], {
        "id": UUID, "state": {"type": "string", "enum": ["running", "completed", "reverted"]},
        "kind": {"type": "string"}, "filter": {"type": "string"},
        "leads": {"type": "integer", "minimum": 0, "description": "Leads in the set."},
        "done": {"type": "integer", "minimum": 0, "description": "Progress: leads gone through."},
        "applied": {"type": "integer", "minimum": 0}, "unchanged": {"type": "integer", "minimum": 0},
        "refused": {"type": "integer", "minimum": 0},
        "refusals": {"type": "array", "maxItems": 1000, "items": obj(["leadId", "code", "message"], {
            "leadId": UUID, "code": {"type": "string"}, "message": {"type": "string"}})},
        "revert": obj(["reverted", "conflicts", "at", "by"], {
            "reverted": {"type": "integer", "minimum": 0}, "conflicts": {"type": "integer", "minimum": 0}, "at": TIME, "by": UUID}),
        "startedAt": TIME, "completedAt": TIME, "author": UUID}),
    "BulkOperationList": obj(["items"], {"items": {"type": "array", "maxItems": 200, "items": schema("BulkOperation")}}),
    "SMTPRelay": obj(["host", "senderAddress"], {
        "host": {"type": "string", "minLength": 1, "maxLength": 253},
        "port": {"type": "integer", "minimum": 1, "maximum": 65535, "default": 587},
        "security": {"type": "string", "enum": ["none", "starttls", "tls"], "default": "starttls",
                     "description": "`starttls` (RFC 3207) or `tls` (SMTPS); AUTH is only sent over TLS."},
        "username": {"type": "string", "minLength": 1, "maxLength": 256},
        "passwordVariable": {"type": "string", "pattern": "^LEADLEDGER_[A-Z0-9_]{1,53}$",
                             "description": "The server's environment variable holding the password (secrets are not stored)."},
        "caFile": {"type": "string", "description": "Absolute path of a PEM file of extra trust roots."},
        "senderAddress": {"type": "string", "format": "email"},
        "senderName": {"type": "string", "maxLength": 200},
        "messagesPerMinute": {"type": "integer", "minimum": 1, "maximum": 6000, "default": 60},
        "maxAttempts": {"type": "integer", "minimum": 1, "maximum": 10, "default": 5, "description": "Tries on 4xx."},
        "retrySeconds": {"type": "integer", "minimum": 1, "maximum": 3600, "default": 60,
                         "description": "The first wait before a retry; each later one doubles."}}),
    "SMSGateway": obj(["url"], {
        "url": {"type": "string", "minLength": 8, "maxLength": 2048,
                "description": "http(s) URL; `{{to}}` (+ and digits), `{{text}}`, `{{from}}` percent-encoded."},
        "method": {"type": "string", "enum": ["GET", "POST"], "default": "POST"},
        "body": {"type": "string", "maxLength": 2048,
                 "description": "Body template: JSON-escaped values with a JSON content type, else percent-encoded."},
        "contentType": {"type": "string", "maxLength": 128},
        "authHeader": {"type": "string", "maxLength": 64}, "authVariable": {"type": "string", "pattern": "^LEADLEDGER_[A-Z0-9_]{1,53}$"},
        "from": {"type": "string", "maxLength": 64},
        "successContains": {"type": "string", "maxLength": 256, "description": "A 2xx answer must contain this."},
        "messagesPerMinute": {"type": "integer", "minimum": 1, "maximum": 6000, "default": 60},
        "maxAttempts": {"type": "integer", "minimum": 1, "maximum": 10, "default": 5},
        "retrySeconds": {"type": "integer", "minimum": 1, "maximum": 3600, "default": 60}}),
    "MailingRequest": obj(["channel", "template"], {
        "channel": {"type": "string", "enum": ["email", "sms"]},
        "template": {"type": "string", "minLength": 1, "description": "A message template's key (SMS use its text body)."},
        "actionType": {"type": "string", "minLength": 1, "description": "What each sent message is recorded as (default `email`)."},
        "ids": {"type": "array", "minItems": 1, "maxItems": 10000, "items": UUID, "description": "The leads (or send `filter`)."},
        "filter": {"type": "string", "maxLength": 4096, "description": "`GET /v1/leads` filter parameters as a query string."}}),
    "Mailing": obj(["id", "state", "channel", "template", "subject", "actionType", "leads", "recipients", "sent", "failed",
                    "inDoubt", "pending", "refused", "refusals", "failures", "startedAt", "author"], {
        "id": UUID, "state": {"type": "string", "enum": ["running", "paused", "completed", "cancelled"]},
        "channel": {"type": "string", "enum": ["email", "sms"]}, "template": {"type": "string"}, "subject": {"type": "string"},
        "actionType": {"type": "string"}, "filter": {"type": "string"},
        "leads": {"type": "integer", "minimum": 0}, "recipients": {"type": "integer", "minimum": 0},
        "sent": {"type": "integer", "minimum": 0}, "failed": {"type": "integer", "minimum": 0},
        "inDoubt": {"type": "integer", "minimum": 0, "description": "Failed as in doubt: the relay may have them; not resent."},
        "pending": {"type": "integer", "minimum": 0}, "refused": {"type": "integer", "minimum": 0},
        "refusals": {"type": "array", "maxItems": 1000, "description": "Leads refused at the start (`notFound`, `noAddress`).",
                     "items": obj(["leadId", "code", "message"], {"leadId": UUID, "code": {"type": "string"}, "message": {"type": "string"}})},
        "failures": {"type": "array", "maxItems": 1000, "description": "The last failed messages (`permanent`, "
                     "`attemptsExhausted`, `inDoubt`, `noAddress`, `unavailable`).",
                     "items": obj(["leadId", "code", "message"], {"leadId": UUID, "code": {"type": "string"}, "message": {"type": "string"}})},
        "pausedReason": {"type": "string"}, "startedAt": TIME, "completedAt": TIME, "author": UUID}),
    "MailingList": obj(["items"], {"items": {"type": "array", "maxItems": 200, "items": schema("Mailing")}}),
    "MessageTemplateRequest": obj(["name", "subject"], {
        "name": {"type": "string", "minLength": 1, "maxLength": 200},
        "subject": {"type": "string", "minLength": 1, "maxLength": 998},
        "text": {"type": "string", "maxLength": 65536, "description": "Plain-text body (Mustache, not escaped)."},
        "html": {"type": "string", "maxLength": 65536, "description": "HTML body (Mustache: `{{x}}` HTML-escaped, `{{{x}}}` not)."}},
        ) | {"description": "Variables: fullName, company, email, phone, emails, phones, source, step, priority, comment, "
                             "address.{country,city,street,building,flat}, responsible.{name,email}, customFields.<key>. "
                             "Text or HTML (or both) is required; an unknown variable is a 422."},
    "MessagePreviewRequest": obj(["leadId"], {"leadId": UUID}),
    "RenderedMessage": obj(["subject"], {"subject": {"type": "string"}, "text": {"type": "string"}, "html": {"type": "string"}}),
    "MailboxRequest": obj(["name", "maildir"], {
        "name": {"type": "string", "minLength": 1, "maxLength": 200},
        "maildir": {"type": "string", "minLength": 1, "maxLength": 200, "pattern": "^[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*$",
                    "description": "The Maildir (with new/, cur/, tmp/), relative to the server's mail root (`serve --mail-root`, "
                                   "default `<data>/mail`); `.` and `..` segments are refused."},
        "template": {"type": "string", "maxLength": 4096,
                     "description": "Lines `Label: {{variable}}` (variables: lead field paths, and `name`, `phone`, `email`) read "
                                    "from the body; without one, or when it finds nothing, the lead is the sender's."},
        "source": {"type": "string", "minLength": 1, "description": "Source of new leads (default `email`)."},
        "step": {"type": "string", "minLength": 1, "description": "Step of new leads (default: the settings' default step)."},
        "responsible": UUID,
        "enabled": {"type": "boolean", "description": "Whether the server reads it (default true)."}}),
    "QuarantinedMail": obj(["file", "code", "message", "at"], {
        "file": {"type": "string", "description": "The file's name in `<maildir>/quarantine/`."},
        "code": {"type": "string", "description": "Why: `unterminatedMultipart`, `unknownCharset`, `invalidField`, `noSender`…"},
        "message": {"type": "string"}, "at": TIME}),
    "Quarantine": obj(["items"], {"items": {"type": "array", "items": schema("QuarantinedMail")}}),
    "MailIntakeReport": obj(["mailbox", "read", "created", "attached", "duplicates", "quarantined", "more"], {
        "mailbox": {"type": "string"},
        "read": {"type": "integer", "minimum": 0, "description": "Messages taken from new/."},
        "created": {"type": "integer", "minimum": 0, "description": "Leads created."},
        "attached": {"type": "integer", "minimum": 0, "description": "E-mails recorded on leads their addresses found."},
        "duplicates": {"type": "integer", "minimum": 0, "description": "Messages whose Message-Id was taken in before."},
        "quarantined": {"type": "array", "items": schema("QuarantinedMail")},
        "skipped": {"type": "string", "description": "Why the pass did not run (disabled, no Maildir, already running)."},
        "more": {"type": "boolean", "description": "Messages are left in new/ for the next pass (at most 500 a pass)."}}),
    "FormSubmission": {"type": "object", "maxProperties": 100,
                       "additionalProperties": {"type": ["string", "number", "boolean", "null"]},
                       "description": "The form's fields by name; unmapped ones go into the note only."},
    "FormReceived": obj(["status"], {"status": {"type": "string", "enum": ["received"]}}),
    "ImportMappingRequest": obj(["columns"], {
        "columns": {"type": "object", "minProperties": 1, "maxProperties": 1000,
                    "additionalProperties": {"type": "string", "minLength": 1, "maxLength": 200},
                    "description": "Source column → lead field path (`fullName`, `phones`, `address.city`, `customFields.<key>` …)."},
        "mode": {"type": "string", "enum": ["create", "update", "upsert"], "description": "The mode imports using it run in unless they name one."},
        "key": {"type": "string", "maxLength": 80, "description": "`email`, `phone` or `customFields.<key>`: what finds the lead a row updates."}}),
    "CurrencyRates": obj(["reportingCurrency"], {
        "reportingCurrency": {"type": ["string", "null"], "description": "ISO 4217 code; null (and no rates) turns conversion off."},
        "rates": {"type": "array", "items": schema("CurrencyRate")}}),
    "CreateAdmin": obj(["name", "role"], {"name": TEXT, "email": {"type": "string", "format": "email"},
                                          "role": {"type": "string", "enum": ["admin", "manager"]},
                                          "permissions": {"type": "array", "items": PERMISSION, "maxItems": LIMITS["settingsList"]}}),
    "Role": obj(["role"], {"role": {"type": "string", "enum": ["admin", "manager"]}}),
    "Permissions": obj(["permissions"], {"permissions": {"type": "array", "items": PERMISSION, "maxItems": LIMITS["settingsList"]}}),
    "IssueToken": obj(["label"], {"label": TEXT, "expiresAt": TIME_INPUT}),
    "ImportJob": obj(["id", "state", "dryRun", "format", "fileBytes", "bytesRead", "mode", "mapping", "rows", "created",
                       "updated", "unchanged", "skipped", "failed", "errors", "startedAt", "author"], {
        "id": UUID, "state": {"type": "string", "enum": ["running", "completed", "failed", "reverted"]},
        "dryRun": {"type": "boolean"}, "format": {"type": "string", "enum": ["csv", "json", "ndjson", "xlsx"]},
        "fileName": {"type": "string"}, "sheet": {"type": "string", "description": "The .xlsx sheet read (absent: the first)."},
        "fileBytes": {"type": "integer", "minimum": 0},
        "bytesRead": {"type": "integer", "minimum": 0, "description": "Progress: the bytes of the file read so far."},
        "mode": {"type": "string", "enum": ["create", "update", "upsert"]}, "key": {"type": "string"},
        "mapping": {"type": "object", "additionalProperties": {"type": "string"}},
        "rows": {"type": "integer", "minimum": 0, "description": "Data rows read so far."},
        "created": {"type": "integer", "minimum": 0}, "updated": {"type": "integer", "minimum": 0},
        "unchanged": {"type": "integer", "minimum": 0},
        "skipped": {"type": "integer", "minimum": 0, "description": "Empty rows."},
        "failed": {"type": "integer", "minimum": 0, "description": "Rows refused; the first of them in `errors`."},
        "errors": {"type": "array", "maxItems": 1000, "items": obj(["row", "code", "message"], {
            "row": {"type": "integer", "minimum": 1, "description": "CSV: the record, the header being row 1 (as a "
                                                                  "spreadsheet numbers it); NDJSON: the line; a JSON array: the element, from 1."},
            "column": {"type": "string"}, "field": {"type": "string"}, "code": {"type": "string"},
            "message": {"type": "string"}})},
        "failure": obj(["code", "message"], {"field": {"type": "string"}, "row": {"type": "integer"},
                                             "code": {"type": "string"}, "message": {"type": "string"}},
                       "Why a job stopped (state `failed`)."),
        "revert": obj(["deleted", "reverted", "conflicts", "at", "by"], {
            "deleted": {"type": "integer"}, "reverted": {"type": "integer"}, "conflicts": {"type": "integer"},
            "at": TIME, "by": UUID}),
        "startedAt": TIME, "completedAt": TIME,
        "position": {"type": "integer", "description": "The log position of the job's last event."}, "author": UUID,
    }),
    "ImportJobList": obj(["items"], {"items": {"type": "array", "items": schema("ImportJob"), "maxItems": 200}}),
    "ImportPreview": obj(["format", "columns", "suggestedMapping"], {
        "format": {"type": "string", "enum": ["csv", "json", "ndjson"]},
        "encoding": {"type": "string", "enum": ["utf-8", "windows-1251"]}, "delimiter": {"type": "string"},
        "columns": {"type": "array", "items": obj(["name", "samples"], {
            "name": {"type": "string"}, "samples": STRING_LIST, "suggested": {"type": "string"}})},
        "suggestedMapping": {"type": "object", "additionalProperties": {"type": "string"}},
    }),
}

responses = {}
for code, name in ERRORS.items():
    description = {
        400: "The request cannot be read: malformed JSON, a bad parameter or header (named in `errors`).",
        401: "Missing, malformed, unknown or revoked access token, or a disabled admin.",
        403: "The token's admin lacks the permission named in `errors`.",
        404: "No such resource, or a lead outside a manager's reach.",
        409: "The command conflicts with the current state (e.g. `leadDeleted`, `leadLocked`).",
        412: "If-Match does not name the current version; the answer's ETag does.",
        413: "The body is over the configured limit.",
        422: "The input breaks a rule; `errors` lists every failing field.",
        500: "Unexpected error; quote `instance` when reporting it.",
        503: "The server is shutting down.",
    }[code]
    response = {"description": description, "content": {"application/problem+json": {"schema": schema("Problem")}}}
    if code == 401:
        response["headers"] = {"WWW-Authenticate": {"schema": {"type": "string"}}}
    if code == 412:
        response["headers"] = {"ETag": ref("headers", "ETag")}
    responses[name] = response
responses["MethodNotAllowed"] = {
    "description": "The path does not serve this method; `Allow` lists those it does.",
    "headers": {"Allow": {"schema": {"type": "string"}}},
    "content": {"application/problem+json": {"schema": schema("Problem")}},
}

document = {
    "openapi": "3.1.0",
    "info": {
        "title": "LeadLedger API",
        "version": "1.0.0",
        "description": (
            "Event-sourced CRM backend. JSON (camelCase) under /v1, bearer tokens, problem+json errors.\n"
            "Commands answer the new state with `ETag` (stream version, e.g. \"v7\") and `X-Log-Position`, after the "
            "read models applied it (read-your-writes). `If-Match` gives optimistic concurrency (412 on mismatch); "
            "`Idempotency-Key` makes retries safe (the same answer, nothing appended twice). Queries carry "
            "`X-Log-Position` and an ETag; `If-None-Match` gets 304. Times are ISO-8601 UTC strings.\n"
            "Generated by tools/openapi/generate.py; OpenAPIDocumentTests checks it lists exactly the served routes."
        ),
    },
    "servers": [{"url": "http://127.0.0.1:8080", "description": "Local server (`make run`)"}],
    "security": [{"bearerAuth": []}],
    "tags": [{"name": n, "description": d} for n, d in [
        ("operations", "Health and metrics, without authentication."),
        ("leads", "Lead commands and queries."), ("entries", "Notes, actions and tasks on a lead."),
        ("deals", "Deals (opportunities) on leads and customers."),
        ("customers", "The customer directory: persons and companies."),
        ("settings", "CRM configuration (changes need `settings.manage`)."),
        ("admins", "Admin accounts and tokens (need `admins.manage`)."),
        ("views", "Kanban, watcher views, agenda, duplicates, customers' leads."),
        ("reports", "Reports (need `reports.read`)."),
        ("events", "The event feed."),
        ("imports", "Imports of leads from files, as jobs."),
        ("exports", "Exports of leads, customers and deals to CSV and .xlsx files."),
        ("forms", "Web-to-lead forms: public submissions from a website."),
        ("bulk", "Bulk operations: one action on many leads, as a job, revertible."),
        ("messages", "Message templates (Mustache) and mailings: mass e-mail through SMTP and SMS through an HTTP gateway."),
        ("mail", "E-mail intake: Maildirs read into leads, and what could not be read."),
    ]],
    "paths": {**operations_paths, **lead_paths, **deal_paths, **customer_paths, **view_paths, **settings_paths, **admin_paths, **event_paths, **import_paths, **export_paths, **form_paths, **mail_paths, **bulk_paths, **template_paths, **mailing_paths},
    "components": {
        "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer",
                                           "description": "An access token (`llt_` + 43 base64url characters); only its SHA-256 is stored."}},
        "headers": {
            "X-Request-Id": {"description": "The request's id; also the problem's `instance`.", "schema": {"type": "string"}},
            "ETag": {"description": "Stream version of a resource (`\"v7\"`) or log position of a query result (`\"p1234\"`).",
                     "schema": {"type": "string"}},
            "X-Log-Position": {"description": "The log position the answer reflects.", "schema": {"type": "string", "pattern": "^[0-9]+$"}},
        },
        "parameters": {
            "limit": query("limit", "Page size.", {"type": "integer", "minimum": 1, "maximum": 200, "default": 50}),
            "cursor": query("cursor", "Opaque cursor from the previous page's `nextCursor`.",
                            {"type": "string", "pattern": "^[A-Za-z0-9_-]+$", "maxLength": 4096}),
            "IfMatch": {"name": "If-Match", "in": "header", "required": False,
                        "description": "The stream version the command expects, e.g. `\"v7\"`; 412 if it changed.",
                        "schema": {"type": "string", "pattern": "^\"v[0-9]{1,18}\"$"}},
            "IfNoneMatch": {"name": "If-None-Match", "in": "header", "required": False,
                            "description": "ETags the client holds; 304 if the current one is among them.",
                            "schema": {"type": "string",
                                       "pattern": "^(\\*|(W/)?\"[pv][0-9]{1,18}\"( *, *(W/)?\"[pv][0-9]{1,18}\")*)$"}},
            "IdempotencyKey": {"name": "Idempotency-Key", "in": "header", "required": False,
                               "description": "Makes a retried command write nothing twice. 1–200 visible ASCII characters.",
                               "schema": {"type": "string", "minLength": 1, "maxLength": 200, "pattern": "^[!-~]+$"}},
            "LastEventID": {"name": "Last-Event-ID", "in": "header", "required": False,
                            "description": "The last event id (log position) a reconnecting client saw; empty means none.",
                            "schema": {"type": "string", "pattern": "^[0-9]{0,18}$"}},
        },
        "schemas": schemas,
        "responses": responses,
    },
}


# Request bodies are closed: a key they do not define is refused (the server reads APIContract's copy).
def json_body(op):
    """The name of the JSON request body schema an operation reads, or None (no body, or a raw file)."""
    found = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {}).get("$ref")
    return found.rsplit("/", 1)[1] if found else None


request_bodies = sorted({json_body(op) for item in document["paths"].values() for op in item.values()
                         if isinstance(op, dict) and json_body(op)})
for name in request_bodies:
    schemas[name]["additionalProperties"] = False


class Dumper(yaml.SafeDumper):
    def increase_indent(self, flow=False, indentless=False):  # lists indented under their key
        return super().increase_indent(flow, False)

    def ignore_aliases(self, data):
        return True


def resolve(node):
    while isinstance(node, dict) and "$ref" in node:
        kind, name = node["$ref"].split("/")[-2:]
        node = document["components"][kind][name]
    return node


def swift_string(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def is_nullable(node):
    node = resolve(node)
    types = node.get("type")
    return (isinstance(types, list) and "null" in types) or any(resolve(o).get("type") == "null" for o in node.get("oneOf", []))


def swift_shape(node, indent):
    """The Swift `APIContract.Shape` literal of a schema: which keys an object may have, which may be null."""
    node = resolve(node)
    if "oneOf" in node:
        options = [resolve(o) for o in node["oneOf"] if resolve(o).get("type") != "null"]
        return swift_shape(options[0], indent) if len(options) == 1 else ".any"
    kind = node.get("type")
    if kind == "array":
        return ".array(" + swift_shape(node.get("items", {}), indent) + ")"
    if kind == "object" and ("properties" in node or isinstance(node.get("additionalProperties"), dict)):
        pad = " " * (indent + 4)
        fields = []
        for key, value in node.get("properties", {}).items():
            fields.append(f"{pad}{swift_string(key)}: .init(nullable: {str(is_nullable(value)).lower()}, "
                          f"shape: {swift_shape(value, indent + 4)}),")
        other = node.get("additionalProperties")
        if isinstance(other, dict):
            others = f".init(nullable: {str(is_nullable(other)).lower()}, shape: {swift_shape(other, indent + 4)})"
        else:
            others = "nil" if "properties" in node else ".init(nullable: true, shape: .any)"
        body = "\n".join(fields)
        field_list = "[:]" if not fields else "[\n" + body + "\n" + " " * indent + "]"
        return f".object(fields: {field_list}, others: {others})"
    return ".any"


def lower_camel(name):
    return name[0].lower() + name[1:]


def swift_contract():
    lines = [
        "// Generated by tools/openapi/generate.py from the description that also writes schemas/openapi.yaml:",
        "// change the generator and run it. `make test` runs `generate.py --check`, which fails when this is stale.",
        "",
        "extension APIContract {",
        "    /// Every operation by `METHOD /path/{template}`: the query parameters it reads and its body's shape.",
        "    static let operations: [String: Operation] = [",
    ]
    for path, item in document["paths"].items():
        for method, op in item.items():
            if not isinstance(op, dict) or method not in ("get", "put", "post", "patch", "delete"):
                continue
            names = sorted(p["name"] for p in (resolve(p) for p in op.get("parameters", [])) if p["in"] == "query")
            prefixes = op.get("x-query-prefixes", [])
            body = json_body(op)
            shape = "." + lower_camel(body) if body else "nil"
            query = f"query: [{', '.join(swift_string(n) for n in names)}]"
            prefix_list = f"queryPrefixes: [{', '.join(swift_string(n) for n in prefixes)}]"
            lines.append(f"        {swift_string(method.upper() + ' ' + path)}: Operation({query}, {prefix_list}, body: {shape}),")
    lines += ["    ]", "}", "", "extension APIContract.Shape {"]
    for name in request_bodies:
        lines.append(f"    /// The `{name}` request body.")
        lines.append(f"    static let {lower_camel(name)}: Self = {swift_shape(schemas[name], 4)}")
        lines.append("")
    lines[-1:] = ["}", ""]
    return "\n".join(lines)


text = "# Generated by tools/openapi/generate.py: edit that, then run it.\n" + yaml.dump(
    document, Dumper=Dumper, sort_keys=False, allow_unicode=True, width=120, indent=2, default_flow_style=False)
outputs = {OUT: text, CONTRACT_OUT: swift_contract()}
if "--check" in sys.argv:
    stale = [path for path, content in outputs.items()
             if not os.path.exists(path) or open(path, encoding="utf-8").read() != content]
    for path in stale:
        print(f"stale: {os.path.relpath(path, ROOT)} differs from what tools/openapi/generate.py writes; run it",
              file=sys.stderr)
    sys.exit(1 if stale else 0)
os.makedirs(os.path.dirname(CONTRACT_OUT), exist_ok=True)
for path, content in outputs.items():
    with open(path, "w", encoding="utf-8") as f:
        f.write(content)
print(f"wrote {OUT}: {len(document['paths'])} paths, and {CONTRACT_OUT}", file=sys.stderr)
