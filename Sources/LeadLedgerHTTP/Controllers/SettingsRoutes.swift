import Foundation
import Hummingbird
import LeadDomain
import LeadLedgerCore

/// `GET /v1/settings` (any caller) and the settings commands under `/v1/settings/...` (`settings.manage`).
struct SettingsRoutes: APIRouteCollection {
    let commands: CommandResponder

    func register(on routes: APIRoutes) {
        let commands = commands
        let reads = commands.reads
        routes.get("/v1/settings") { request, context in
            _ = try context.principalOrThrow()
            let settings = try reads.settings()
            return try await request.conditionalGET(etag: .streamVersion(settings.version), context: context) {
                try JSONResponse.make(SettingsResource(settings), logPosition: reads.appliedPosition)
            }
        }
        routes.post("/v1/settings/steps") { request, context in
            _ = try context.require(SettingsCommand.permission)  // before the body is read
            let body = try await request.decode(as: DefineStepRequest.self, context: context)
            return try await commands.settings(request, context) { _ in
                .defineStep(key: body.key, name: body.name, colour: body.colour, description: body.description)
            }
        }
        routes.patch("/v1/settings/steps/{key}") { request, context in
            _ = try context.require(SettingsCommand.permission)  // before the body is read
            let key = try context.textParameter("key")
            let body = try await request.decode(as: RenameRequest.self, context: context)
            return try await commands.settings(request, context) { _ in .renameStep(key: key, name: body.name) }
        }
        routes.delete("/v1/settings/steps/{key}") { request, context in
            _ = try context.require(SettingsCommand.permission)  // before the body is read
            let key = try context.textParameter("key")
            return try await commands.settings(request, context) { _ in .retireStep(key: key) }
        }
        routes.put("/v1/settings/step-order") { request, context in
            _ = try context.require(SettingsCommand.permission)  // before the body is read
            let body = try await request.decode(as: StepOrderRequest.self, context: context)
            return try await commands.settings(request, context) { _ in .reorderSteps(body.order) }
        }
        routes.post("/v1/settings/deal-stages") { request, context in
            _ = try context.require(SettingsCommand.permission)  // before the body is read
            let body = try await request.decode(as: DefineDealStageRequest.self, context: context)
            return try await commands.settings(request, context) { _ in
                .defineDealStage(key: body.key, name: body.name, probability: body.probability, kind: body.kind)
            }
        }
        routes.patch("/v1/settings/deal-stages/{key}") { request, context in
            _ = try context.require(SettingsCommand.permission)  // before the body is read
            let key = try context.textParameter("key")
            let body = try await request.decode(as: RenameRequest.self, context: context)
            return try await commands.settings(request, context) { _ in .renameDealStage(key: key, name: body.name) }
        }
        routes.put("/v1/settings/deal-stages/{key}/probability") { request, context in
            _ = try context.require(SettingsCommand.permission)  // before the body is read
            let key = try context.textParameter("key")
            let body = try await request.decode(as: DealStageProbabilityRequest.self, context: context)
            return try await commands.settings(request, context) { _ in
                .setDealStageProbability(key: key, probability: body.probability)
            }
        }
        routes.delete("/v1/settings/deal-stages/{key}") { request, context in
            _ = try context.require(SettingsCommand.permission)  // before the body is read
            let key = try context.textParameter("key")
            return try await commands.settings(request, context) { _ in .retireDealStage(key: key) }
        }
        routes.put("/v1/settings/deal-stage-order") { request, context in
            _ = try context.require(SettingsCommand.permission)  // before the body is read
            let body = try await request.decode(as: StepOrderRequest.self, context: context)
            return try await commands.settings(request, context) { _ in .reorderDealStages(body.order) }
        }
        routes.post("/v1/settings/sources") { request, context in
            _ = try context.require(SettingsCommand.permission)  // before the body is read
            let body = try await request.decode(as: CatalogueEntryRequest.self, context: context)
            return try await commands.settings(request, context) { _ in .defineSource(key: body.key, name: body.name) }
        }
        routes.patch("/v1/settings/sources/{key}") { request, context in
            _ = try context.require(SettingsCommand.permission)  // before the body is read
            let key = try context.textParameter("key")
            let body = try await request.decode(as: RenameRequest.self, context: context)
            return try await commands.settings(request, context) { _ in .renameSource(key: key, name: body.name) }
        }
        routes.delete("/v1/settings/sources/{key}") { request, context in
            _ = try context.require(SettingsCommand.permission)  // before the body is read
            let key = try context.textParameter("key")
            return try await commands.settings(request, context) { _ in .retireSource(key: key) }
        }
        routes.post("/v1/settings/action-types") { request, context in
            _ = try context.require(SettingsCommand.permission)  // before the body is read
            let body = try await request.decode(as: CatalogueEntryRequest.self, context: context)
            return try await commands.settings(request, context) { _ in .defineActionType(key: body.key, name: body.name) }
        }
        routes.delete("/v1/settings/action-types/{key}") { request, context in
            _ = try context.require(SettingsCommand.permission)  // before the body is read
            let key = try context.textParameter("key")
            return try await commands.settings(request, context) { _ in .retireActionType(key: key) }
        }
        routes.post("/v1/settings/task-types") { request, context in
            _ = try context.require(SettingsCommand.permission)  // before the body is read
            let body = try await request.decode(as: CatalogueEntryRequest.self, context: context)
            return try await commands.settings(request, context) { _ in .defineTaskType(key: body.key, name: body.name) }
        }
        routes.delete("/v1/settings/task-types/{key}") { request, context in
            _ = try context.require(SettingsCommand.permission)  // before the body is read
            let key = try context.textParameter("key")
            return try await commands.settings(request, context) { _ in .retireTaskType(key: key) }
        }
        routes.post("/v1/settings/tags") { request, context in
            _ = try context.require(SettingsCommand.permission)  // before the body is read
            let body = try await request.decode(as: DefineTagRequest.self, context: context)
            return try await commands.settings(request, context) { _ in .defineTag(name: body.name, colour: body.colour) }
        }
        routes.delete("/v1/settings/tags/{name}") { request, context in
            _ = try context.require(SettingsCommand.permission)  // before the body is read
            let name = try context.textParameter("name")
            return try await commands.settings(request, context) { _ in .removeTag(name: name) }
        }
        routes.put("/v1/settings/custom-fields/{key}") { request, context in
            _ = try context.require(SettingsCommand.permission)  // before the body is read
            let key = try context.textParameter("key")
            let body = try await request.decode(as: CustomFieldRequest.self, context: context)
            return try await commands.settings(request, context) { _ in
                .defineCustomField(
                    CustomFieldDefinition(
                        key: key, name: body.name, type: body.type, required: body.required ?? false,
                        maxLength: body.maxLength, minValue: body.minValue, maxValue: body.maxValue,
                        options: body.options))
            }
        }
        routes.delete("/v1/settings/custom-fields/{key}") { request, context in
            _ = try context.require(SettingsCommand.permission)  // before the body is read
            let key = try context.textParameter("key")
            return try await commands.settings(request, context) { _ in .retireCustomField(key: key) }
        }
        routes.put("/v1/settings/import-mappings/{name}") { request, context in
            _ = try context.require(SettingsCommand.permission)  // before the body is read
            let name = try context.textParameter("name")
            let body = try await request.decode(as: ImportMappingRequest.self, context: context)
            return try await commands.settings(request, context) { _ in
                .saveImportMapping(
                    SavedImportMapping(
                        name: name, columns: body.columns.map { ImportColumn(column: $0.key, field: $0.value) }.sorted { $0.column < $1.column },
                        mode: body.mode, key: body.key))
            }
        }
        routes.delete("/v1/settings/import-mappings/{name}") { request, context in
            _ = try context.require(SettingsCommand.permission)  // before the body is read
            let name = try context.textParameter("name")
            return try await commands.settings(request, context) { _ in .removeImportMapping(name: name) }
        }
        routes.put("/v1/settings/defaults") { request, context in
            _ = try context.require(SettingsCommand.permission)  // before the body is read
            let body = try await request.decode(as: DefaultsRequest.self, context: context)
            return try await commands.settings(request, context) { _ in .setDefaults(step: body.step, source: body.source) }
        }
        routes.put("/v1/settings/field-limits") { request, context in
            _ = try context.require(SettingsCommand.permission)  // before the body is read
            let body = try await request.decode(as: FieldLimitsRequest.self, context: context)
            return try await commands.settings(request, context) { _ in .setFieldLimits(body.preset, custom: body.custom) }
        }
        routes.put("/v1/settings/required-fields") { request, context in
            _ = try context.require(SettingsCommand.permission)  // before the body is read
            let body = try await request.decode(as: RequiredFieldsRequest.self, context: context)
            return try await commands.settings(request, context) { _ in .setRequiredFields(body.fields) }
        }
        routes.put("/v1/settings/assessment-scale") { request, context in
            _ = try context.require(SettingsCommand.permission)  // before the body is read
            let body = try await request.decode(as: AssessmentScaleRequest.self, context: context)
            return try await commands.settings(request, context) { _ in .setAssessmentScale(body.values) }
        }
        routes.put("/v1/settings/currency-rates") { request, context in
            _ = try context.require(SettingsCommand.permission)  // before the body is read
            let body = try await request.decode(as: CurrencyRatesRequest.self, context: context)
            return try await commands.settings(request, context) { _ in
                .setCurrencyRates(reporting: body.reportingCurrency, rates: body.rates)
            }
        }
        routes.put("/v1/settings/phone-country") { request, context in
            _ = try context.require(SettingsCommand.permission)  // before the body is read
            let body = try await request.decode(as: PhoneCountryRequest.self, context: context)
            return try await commands.settings(request, context) { _ in .setPhoneCountry(body.country) }
        }
        routes.put("/v1/settings/converted-lead-lock") { request, context in
            _ = try context.require(SettingsCommand.permission)  // before the body is read
            let body = try await request.decode(as: ConvertedLeadLockRequest.self, context: context)
            return try await commands.settings(request, context) { _ in .setConvertedLeadLock(body.locked) }
        }
    }
}
