import LeadDomain

/// The JSON form of the settings (`GET /v1/settings` and every settings command's answer): the settings
/// state as the domain defines it, steps in pipeline order with retired ones marked.
struct SettingsResource: Encodable, Sendable {
    var settings: SettingsState

    init(_ settings: SettingsState) { self.settings = settings }

    func encode(to encoder: any Encoder) throws { try settings.encode(to: encoder) }
}

struct DefineStepRequest: Decodable, Sendable {
    var key: String
    var name: String
    var colour: String
    var description: String?
}

struct RenameRequest: Decodable, Sendable {
    var name: String
}

struct StepOrderRequest: Decodable, Sendable {
    var order: [String]
}

struct CatalogueEntryRequest: Decodable, Sendable {
    var key: String
    var name: String
}

struct DefineTagRequest: Decodable, Sendable {
    var name: String
    var colour: String?
}

struct CustomFieldRequest: Decodable, Sendable {
    var name: String
    var type: CustomFieldType
    var required: Bool?
    var maxLength: Int?
    var minValue: Int64?
    var maxValue: Int64?
    var options: [String]?
}

/// `PUT /v1/settings/import-mappings/{name}`: column → field path, and the mode and key imports default to.
struct ImportMappingRequest: Decodable, Sendable {
    var columns: [String: String]
    var mode: ImportMode?
    var key: String?
}

struct DefaultsRequest: Decodable, Sendable {
    var step: String
    var source: String
}

struct FieldLimitsRequest: Decodable, Sendable {
    var preset: FieldLimitsPreset
    var custom: FieldLimits?
}

struct RequiredFieldsRequest: Decodable, Sendable {
    var fields: [LeadField]
}

struct AssessmentScaleRequest: Decodable, Sendable {
    var values: [String]
}

/// `reportingCurrency: null` with no rates turns conversion off; the key itself is required.
struct CurrencyRatesRequest: Decodable, Sendable {
    var reportingCurrency: String?
    var rates: [CurrencyRate]

    private enum CodingKeys: String, CodingKey { case reportingCurrency, rates }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        reportingCurrency = try container.decodeRequiredNullable(String.self, forKey: .reportingCurrency, nullMeans: "none")
        rates = try container.decodeIfPresent([CurrencyRate].self, forKey: .rates) ?? []
    }
}

/// `country: null` turns the dialling plan off; the key itself is required.
struct PhoneCountryRequest: Decodable, Sendable {
    var country: String?

    private enum CodingKeys: String, CodingKey { case country }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        country = try container.decodeRequiredNullable(String.self, forKey: .country, nullMeans: "none")
    }
}

struct ConvertedLeadLockRequest: Decodable, Sendable {
    var locked: Bool
}
