import Foundation

extension FieldValidator {
    /// Validates custom field values against their definitions in settings; returns the cleaned values
    /// (strings trimmed; empty values dropped).
    mutating func customFields(
        _ values: [String: CustomFieldValue], settings: SettingsState, field: String = "customFields"
    ) -> [String: CustomFieldValue] {
        guard fits(values.count, field: field, limit: CountLimits.customFields) else { return [:] }
        var result: [String: CustomFieldValue] = [:]
        for key in values.keys.sorted() {
            guard let value = values[key] else { continue }
            let path = "\(field).\(key)"
            guard let definition = settings.customField(key) else {
                add(path, .unknownCustomField, "\(path) is not a custom field")
                continue
            }
            if let cleaned = customField(value, definition: definition, path: path) { result[key] = cleaned }
        }
        return result
    }

    /// Validates one value; `nil` when it is empty (clears the field).
    mutating func customField(_ value: CustomFieldValue, definition: CustomFieldDefinition, path: String)
        -> CustomFieldValue?
    {
        guard value.type == definition.type else {
            add(path, .invalidValue, "\(path) must be a \(definition.type.rawValue) value")
            return nil
        }
        if value.isEmpty { return nil }
        switch value {
        case .string(let s), .text(let s):
            let limit = min(definition.maxLength ?? limits.customText, limits.customText)
            let trimmed = s.trimmedWhitespace
            if trimmed.count > limit { add(path, .tooLong, "\(path) is longer than \(limit) characters") }
            controlCharacters(trimmed, field: path, multiline: value.type == .text)
            return value.type == .string ? .string(trimmed) : .text(trimmed)
        case .int(let i):
            if let min = definition.minValue, i < min { add(path, .outOfRange, "\(path) must be at least \(min)") }
            if let max = definition.maxValue, i > max { add(path, .outOfRange, "\(path) must be at most \(max)") }
        case .list(let option):
            if !(definition.options ?? []).contains(option) {
                add(path, .invalidValue, "\(path) must be one of \((definition.options ?? []).joined(separator: ", "))")
            }
        case .flag: break
        case .url(let s):
            let trimmed = s.trimmedWhitespace
            if !CustomFieldValue.isValidURL(trimmed) { add(path, .invalidURL, "\(path) must be an http(s) URL") }
            if trimmed.count > limits.customText {
                add(path, .tooLong, "\(path) is longer than \(limits.customText) characters")
            }
            return .url(trimmed)
        case .date(let s):
            if !CustomFieldValue.isValidDate(s) { add(path, .invalidDate, "\(path) must be a date YYYY-MM-DD") }
        }
        return value
    }
}

extension CustomFieldValue {
    /// An absolute `http` or `https` URL with a host and no spaces.
    static func isValidURL(_ text: String) -> Bool {
        guard !text.contains(where: \.isWhitespace), let url = URL(string: text),
            let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = url.host, !host.isEmpty
        else { return false }
        return true
    }

    /// A real calendar date written `YYYY-MM-DD` (Gregorian).
    static func isValidDate(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            (1...12).contains(month), day >= 1
        else { return false }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return day <= days[month - 1]
    }
}
