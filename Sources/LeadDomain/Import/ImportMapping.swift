import Foundation

/// Where a source column of an import goes: a lead field, a part of the address, or a custom field.
///
/// Raw values are the JSON paths the domain's field errors use (`fullName`, `phones`, `address.city`,
/// `customFields.budget`), so an error on a field names the column it came from.
public enum ImportTarget: Sendable, Hashable, Codable, RawRepresentable, CustomStringConvertible {
    case fullName, company, phones, emails, source, step, priority, responsible, competitor, assessment, tags, comment
    case address(AddressPart)
    case customField(String)

    public enum AddressPart: String, Sendable, Hashable, CaseIterable {
        case country, city, street, building, flat
    }

    static let simple: [ImportTarget] = [
        .fullName, .company, .phones, .emails, .source, .step, .priority, .responsible, .competitor, .assessment,
        .tags, .comment,
    ]

    public init?(rawValue: String) {
        if let key = rawValue.dropPrefix("customFields.") {
            guard !key.isEmpty else { return nil }
            self = .customField(key)
        } else if let part = rawValue.dropPrefix("address.") {
            guard let part = AddressPart(rawValue: part) else { return nil }
            self = .address(part)
        } else if let target = Self.simple.first(where: { $0.rawValue == rawValue }) {
            self = target
        } else {
            return nil
        }
    }

    public var rawValue: String {
        switch self {
        case .fullName: "fullName"
        case .company: "company"
        case .phones: "phones"
        case .emails: "emails"
        case .source: "source"
        case .step: "step"
        case .priority: "priority"
        case .responsible: "responsible"
        case .competitor: "competitor"
        case .assessment: "assessment"
        case .tags: "tags"
        case .comment: "comment"
        case .address(let part): "address." + part.rawValue
        case .customField(let key): "customFields." + key
        }
    }

    public var description: String { rawValue }

    /// Targets that hold lists take several columns (two phone columns, tags from three columns).
    public var takesSeveralColumns: Bool { self == .phones || self == .emails || self == .tags }

    /// The custom field's key when the target is one.
    public var customFieldKey: String? {
        if case .customField(let key) = self { return key }
        return nil
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let target = ImportTarget(rawValue: text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "not an import target: \(text)"))
        }
        self = target
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// Which source column goes to which lead field; columns not named are ignored. Saved in settings under a
/// name (`SettingsCommand.saveImportMapping`) or sent with an import.
///
/// JSON: `{"columns": {"ФИО": "fullName", "Телефон": "phones", "Бюджет": "customFields.budget"}}`.
public struct ImportMapping: Sendable, Hashable, Codable {
    public var columns: [String: ImportTarget]

    public init(columns: [String: ImportTarget]) { self.columns = columns }

    /// The most columns a mapping names, and the longest column name.
    public static let maxColumns = 200
    public static let maxColumnName = 200

    /// The columns mapped to `target`, in name order.
    public func columns(for target: ImportTarget) -> [String] {
        columns.filter { $0.value == target }.map(\.key).sorted()
    }

    /// Every problem with the mapping under `settings`, each naming `columns.<column>`: a custom field that
    /// does not exist or is retired, a single-valued field mapped from two columns, too many or too long names.
    public func problems(settings: SettingsState) -> [FieldError] {
        var errors: [FieldError] = []
        if columns.isEmpty {
            errors.append(FieldError(field: "columns", code: .required, message: "map at least one column"))
        }
        if columns.count > Self.maxColumns {
            errors.append(
                FieldError(field: "columns", code: .tooMany, message: "at most \(Self.maxColumns) columns can be mapped"))
        }
        var seen: [ImportTarget: String] = [:]
        for (column, target) in columns.sorted(by: { $0.key < $1.key }) {
            let field = "columns." + column
            if column.isEmpty || column.utf8.count > Self.maxColumnName {
                errors.append(
                    FieldError(field: field, code: .invalidValue, message: "a column name must be 1–\(Self.maxColumnName) bytes"))
            }
            if case .customField(let key) = target {
                guard let definition = settings.customFields.first(where: { $0.key == key }) else {
                    errors.append(FieldError(field: field, code: .unknownCustomField, message: "no custom field \(key) is defined"))
                    continue
                }
                if definition.retired {
                    errors.append(FieldError(field: field, code: .invalidValue, message: "custom field \(key) is retired"))
                }
            }
            if !target.takesSeveralColumns, let other = seen[target] {
                errors.append(
                    FieldError(
                        field: field, code: .invalidValue,
                        message: "\(target) is already mapped from column \(other); map one column to it"))
            }
            seen[target] = seen[target] ?? column
        }
        return errors
    }

    /// A mapping guessed from column names: a field path as the mapping spells it (`address.city`,
    /// `customFields.<key>` of an active field: what an export writes), a lead field's JSON name or a usual header
    /// for it (English or Russian, case and accents folded), or a custom field's key or name. Columns that match
    /// nothing are left out; a single-valued field goes to the first column that matches it.
    public static func suggested(for header: [String], settings: SettingsState) -> ImportMapping {
        var columns: [String: ImportTarget] = [:]
        var taken = Set<ImportTarget>()
        for column in header where columns[column] == nil {
            let folded = SearchText.fold(column).filter { $0.isLetter || $0.isNumber }
            guard !folded.isEmpty else { continue }
            var found: ImportTarget?
            if let exact = ImportTarget(rawValue: column) {
                if case .customField(let key) = exact, !settings.customFields.contains(where: { $0.key == key && !$0.retired }) {
                    continue
                }
                found = exact
            } else if let field = settings.customFields.first(where: {
                !$0.retired
                    && (SearchText.fold($0.key).filter { $0.isLetter || $0.isNumber } == folded
                        || SearchText.fold($0.name).filter { $0.isLetter || $0.isNumber } == folded)
            }) {
                found = .customField(field.key)
            } else {
                found = synonyms.first { $0.names.contains(folded) }?.target
            }
            guard let target = found, target.takesSeveralColumns || !taken.contains(target) else { continue }
            taken.insert(target)
            columns[column] = target
        }
        return ImportMapping(columns: columns)
    }

    /// Usual column headers per target, folded as the column names are (lower case, accents and й folded,
    /// letters and digits only).
    private static let synonyms: [(target: ImportTarget, names: Set<String>)] = synonymTable.map { target, names in
        (target, Set(names.map { SearchText.fold($0).filter { $0.isLetter || $0.isNumber } }))
    }

    private static let synonymTable: [(ImportTarget, [String])] = [
        (.fullName, ["fullname", "name", "contact", "contactname", "person", "fio", "фио", "имя", "контакт", "клиент"]),
        (.company, ["company", "companyname", "organization", "organisation", "компания", "организация", "фирма"]),
        (.phones, ["phone", "phones", "tel", "telephone", "mobile", "cell", "телефон", "телефоны", "мобильный"]),
        (.emails, ["email", "emails", "mail", "emailaddress", "почта", "электроннаяпочта", "емейл"]),
        (.source, ["source", "leadsource", "источник"]),
        (.step, ["step", "stage", "status", "этап", "статус"]),
        (.priority, ["priority", "приоритет"]),
        (.responsible, ["responsible", "owner", "responsibleid", "ответственный"]),
        (.competitor, ["competitor", "конкурент"]),
        (.assessment, ["assessment", "rating", "оценка"]),
        (.tags, ["tag", "tags", "тег", "теги", "метки"]),
        (.comment, ["comment", "comments", "note", "notes", "комментарий", "примечание"]),
        (.address(.country), ["country", "страна"]),
        (.address(.city), ["city", "town", "город"]),
        (.address(.street), ["street", "address", "улица", "адрес"]),
        (.address(.building), ["building", "house", "дом"]),
        (.address(.flat), ["flat", "apartment", "office", "квартира", "офис"]),
    ]
}

extension String {
    /// The rest of the string after `prefix`, or nil when it does not start with it.
    fileprivate func dropPrefix(_ prefix: String) -> String? {
        hasPrefix(prefix) ? String(dropFirst(prefix.count)) : nil
    }
}

/// One entry of a mapping as an event stores it: a source column and the field path it goes to.
public struct ImportColumn: Sendable, Hashable, Codable {
    public var column: String
    public var field: String

    public init(column: String, field: String) {
        self.column = column
        self.field = field
    }
}

extension ImportMapping {
    /// The mapping as events store it, sorted by column name (one order for one mapping).
    public var stored: [ImportColumn] {
        columns.map { ImportColumn(column: $0.key, field: $0.value.rawValue) }.sorted { $0.column < $1.column }
    }

    /// The mapping an event stored (entries whose field no longer parses are dropped).
    public init(stored: [ImportColumn]) {
        var columns: [String: ImportTarget] = [:]
        for entry in stored { if let target = ImportTarget(rawValue: entry.field) { columns[entry.column] = target } }
        self.init(columns: columns)
    }
}
