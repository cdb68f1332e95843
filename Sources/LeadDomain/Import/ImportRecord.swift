import Foundation

/// A problem with one row of an import: the row (as the source numbers it: a CSV or sheet row counting the
/// header as row 1, a JSON element from 1), the column it came from when it came from one, the lead field
/// path, a code and a message.
public struct ImportRowError: Error, Sendable, Hashable, Codable {
    public var row: Int
    public var column: String?
    public var field: String?
    public var code: String
    public var message: String

    public init(row: Int, column: String?, field: String?, code: String, message: String) {
        self.row = row
        self.column = column
        self.field = field
        self.code = code
        self.message = message
    }
}

/// The lead data of one import row, read from its cells through a mapping: empty cells are absent, list
/// cells (phones, e-mails, tags) split on `,` `;` and line breaks, steps, sources and list options given by
/// key or by name, numbers, flags and dates checked for their custom field's type. What the decider checks
/// anyway (lengths, e-mail and phone forms, required fields, ranges, dates) it is left to check.
public struct ImportRecord: Sendable, Hashable {
    public var fullName: String?
    public var company: String?
    public var phones: [String] = []
    public var emails: [String] = []
    public var address = Address()
    public var source: String?
    public var step: String?
    public var priority: LeadPriority?
    public var responsible: UUID?
    public var competitor: String?
    public var assessment: String?
    public var tags: [String] = []
    public var comment: String?
    public var customFields: [String: CustomFieldValue] = [:]

    public init() {}

    /// How a source's columns are read: for each mapped column present in the header, its index and target.
    public struct Plan: Sendable {
        public let header: [String]
        let cells: [(index: Int, column: String, target: ImportTarget)]
        let settings: SettingsState
        let definitions: [String: CustomFieldDefinition]

        /// The plan for `header`; mapped columns missing from it are `missingColumns`.
        public init(header: [String], mapping: ImportMapping, settings: SettingsState) {
            self.header = header
            self.settings = settings
            var cells: [(Int, String, ImportTarget)] = []
            for (index, column) in header.enumerated() {
                if let target = mapping.columns[column] { cells.append((index, column, target)) }
            }
            self.cells = cells
            definitions = Dictionary(settings.customFields.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
            missingColumns = mapping.columns.keys.filter { !header.contains($0) }.sorted()
        }

        /// Mapped columns the source does not have.
        public let missingColumns: [String]

        /// The column a field path of a domain error came from (`phones[1]` → the first phone column).
        public func column(forField path: String) -> String? {
            var base = path
            if let bracket = base.firstIndex(of: "[") { base = String(base[..<bracket]) }
            if let target = ImportTarget(rawValue: base) {
                return cells.first { $0.target == target }?.column
            }
            return nil
        }

        /// Reads one row's values (aligned with the header; missing trailing cells count as empty).
        public func record(_ values: [String], row: Int) -> (record: ImportRecord, errors: [ImportRowError]) {
            var record = ImportRecord()
            var errors: [ImportRowError] = []
            for (index, column, target) in cells {
                guard index < values.count else { continue }
                let raw = values[index]
                let text = raw.trimmedWhitespace
                guard !text.isEmpty else { continue }
                func fail(_ code: FieldError.Code, _ message: String) {
                    errors.append(
                        ImportRowError(row: row, column: column, field: target.rawValue, code: code.rawValue, message: message))
                }
                switch target {
                case .fullName: record.fullName = text
                case .company: record.company = text
                case .phones: record.phones += Self.split(text)
                case .emails: record.emails += Self.split(text)
                case .tags: record.tags += Self.split(text)
                case .competitor: record.competitor = text
                case .assessment: record.assessment = text
                case .comment: record.comment = raw.trimmingCharacters(in: .whitespaces)
                case .address(let part):
                    switch part {
                    case .country: record.address.country = text
                    case .city: record.address.city = text
                    case .street: record.address.street = text
                    case .building: record.address.building = text
                    case .flat: record.address.flat = text
                    }
                case .step:
                    if let step = Self.entry(text, in: settings.activeSteps.map { ($0.key, $0.name) }) {
                        record.step = step
                    } else {
                        fail(.unknownStep, "\(column): \(text) is not an active pipeline step (key or name)")
                    }
                case .source:
                    if let source = Self.entry(text, in: settings.sources.filter { !$0.retired }.map { ($0.key, $0.name) }) {
                        record.source = source
                    } else {
                        fail(.unknownSource, "\(column): \(text) is not an active source (key or name)")
                    }
                case .priority:
                    if let priority = LeadPriority(rawValue: text.lowercased()) {
                        record.priority = priority
                    } else {
                        fail(.invalidValue, "\(column): priority must be low, normal, high or urgent")
                    }
                case .responsible:
                    if let id = UUID(uuidString: text) {
                        record.responsible = id
                    } else {
                        fail(.invalidValue, "\(column): the responsible must be an admin id (a UUID)")
                    }
                case .customField(let key):
                    guard let definition = definitions[key] else { continue }  // the mapping was checked
                    switch Self.value(text, raw: raw, definition) {
                    case .success(let value): record.customFields[key] = value
                    case .failure(let error): fail(error.code, "\(column): \(error.message)")
                    }
                }
            }
            return (record, errors)
        }

        /// A catalogue entry named by its key or its name (case and accents folded).
        static func entry(_ text: String, in entries: [(key: String, name: String)]) -> String? {
            if let exact = entries.first(where: { $0.key == text }) { return exact.key }
            let folded = SearchText.fold(text)
            return entries.first { SearchText.fold($0.name) == folded || SearchText.fold($0.key) == folded }?.key
        }

        static func split(_ text: String) -> [String] {
            text.split(whereSeparator: { $0 == "," || $0 == ";" || $0.isNewline })
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }

        struct CellError: Error {
            var code: FieldError.Code
            var message: String
        }

        /// A cell as a value of the custom field's type.
        static func value(_ text: String, raw: String, _ definition: CustomFieldDefinition) -> Result<CustomFieldValue, CellError> {
            switch definition.type {
            case .string: return .success(.string(text))
            case .text: return .success(.text(raw.trimmingCharacters(in: .whitespaces)))
            case .url: return .success(.url(text))
            case .date:
                guard CustomFieldValue.isValidDate(text) else {
                    return .failure(CellError(code: .invalidDate, message: "\(text) is not a date YYYY-MM-DD"))
                }
                return .success(.date(text))
            case .int:
                // Digit groups as spreadsheets write them: "12 500", "12 500" (no-break space), "12'500".
                let digits = text.filter { !($0.isWhitespace || $0 == "'") }
                guard let number = Int64(digits) else {
                    return .failure(CellError(code: .invalidValue, message: "\(text) is not a whole number (numbers only)"))
                }
                return .success(.int(number))
            case .flag:
                switch SearchText.fold(text) {
                case "1", "yes", "y", "true", "x", "да", "д": return .success(.flag(true))
                case "0", "no", "n", "false", "нет", "н": return .success(.flag(false))
                default: return .failure(CellError(code: .invalidValue, message: "\(text) is not yes or no"))
                }
            case .list:
                let options = (definition.options ?? []).map { ($0, $0) }
                guard let option = entry(text, in: options) else {
                    return .failure(CellError(code: .invalidValue, message: "\(text) is not one of the field's options"))
                }
                return .success(.list(option))
            }
        }
    }

    /// The data of a new lead from this record.
    public var leadInput: LeadInput {
        LeadInput(
            fullName: fullName ?? "", company: company, phones: phones, emails: emails,
            address: address.isEmpty ? nil : address, source: source, step: step, priority: priority,
            responsible: responsible, competitor: competitor, assessment: assessment, tags: tags,
            customFields: customFields, comment: comment)
    }

    /// The commands that bring `lead` to this record: the given fields set (phones and e-mails the lead lacks
    /// added to its own, address parts replaced one by one), the step marked, the responsible assigned, missing
    /// tags added. A record equal to the lead gives no commands; absent fields are left as they are.
    public func commands(updating lead: LeadState) -> [LeadCommand] {
        var patch = LeadPatch()
        if let fullName, fullName != lead.fullName { patch.fullName = fullName }
        if let company, company != lead.company { patch.company = company }
        let knownPhones = Set(lead.phones.map(\.digits))
        let newPhones = phones.filter { !knownPhones.contains(PhoneNumber.normalize($0)) }
        if !newPhones.isEmpty { patch.phones = lead.phones.map(\.typed) + newPhones }
        let knownEmails = Set(lead.emails.map(EmailAddress.normalize))
        let newEmails = emails.filter { !knownEmails.contains(EmailAddress.normalize($0)) }
        if !newEmails.isEmpty { patch.emails = lead.emails + newEmails }
        if !address.isEmpty {
            var merged = lead.address ?? Address()
            if let v = address.country { merged.country = v }
            if let v = address.city { merged.city = v }
            if let v = address.street { merged.street = v }
            if let v = address.building { merged.building = v }
            if let v = address.flat { merged.flat = v }
            if merged != (lead.address ?? Address()) { patch.address = merged }
        }
        if let source, source != lead.source { patch.source = source }
        if let priority, priority != lead.priority { patch.priority = priority }
        if let competitor, competitor != lead.competitor { patch.competitor = competitor }
        if let assessment, assessment != lead.assessment { patch.assessment = assessment }
        if let comment, comment != lead.comment { patch.comment = comment }
        let changedFields = customFields.filter { lead.customFields[$0.key] != $0.value }
        if !changedFields.isEmpty { patch.customFields = changedFields.mapValues { $0 } }
        var commands: [LeadCommand] = []
        if patch != LeadPatch() { commands.append(.update(patch)) }
        if let step, step != lead.step { commands.append(.markStep(step)) }
        if let responsible, responsible != lead.responsible { commands.append(.assign(responsible)) }
        let knownTags = Set(lead.tags.map(TagName.key))
        var added = Set<String>()
        for tag in tags where !knownTags.contains(TagName.key(tag)) && added.insert(TagName.key(tag)).inserted {
            commands.append(.tag(tag))
        }
        return commands
    }
}
