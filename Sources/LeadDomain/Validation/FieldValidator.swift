import Foundation

/// Collects every failing field of a command, then throws them all at once.
struct FieldValidator {
    private(set) var errors: [FieldError] = []
    let limits: FieldLimits

    init(limits: FieldLimits) { self.limits = limits }

    mutating func add(_ field: String, _ code: FieldError.Code, _ message: String) {
        errors.append(FieldError(field: field, code: code, message: message))
    }

    /// Throws `validationFailed` listing every collected field error, if any.
    func check() throws(DomainError) {
        if !errors.isEmpty { throw DomainError.validation(errors) }
    }

    /// Trims `value`; checks presence (if `required`), length and control characters (`multiline` texts may
    /// hold line breaks and tabs). Returns the trimmed text, `nil` when empty.
    @discardableResult
    mutating func text(
        _ value: String?, field: String, limit: Int, required: Bool = false, multiline: Bool = false
    ) -> String? {
        let trimmed = value?.trimmedWhitespace ?? ""
        if trimmed.isEmpty {
            if required { add(field, .required, "\(field) is required") }
            return nil
        }
        if trimmed.count > limit { add(field, .tooLong, "\(field) is longer than \(limit) characters") }
        controlCharacters(trimmed, field: field, multiline: multiline)
        return trimmed
    }

    /// Adds `controlCharacter` when `text` holds a control character (NUL, escape, DEL, C1 controls…); line
    /// feed, carriage return and tab are allowed in `multiline` text.
    mutating func controlCharacters(_ text: String, field: String, multiline: Bool) {
        let bad = text.unicodeScalars.first { scalar in
            scalar.properties.generalCategory == .control && !(multiline && (scalar == "\n" || scalar == "\r" || scalar == "\t"))
        }
        if let bad {
            add(field, .controlCharacter, "\(field) contains the control character \(String(format: "U+%04X", bad.value))")
        }
    }

    /// Whether a list of `count` items fits `limit`; adds `tooMany` on `field` when it does not, so the caller
    /// skips looking at the items.
    mutating func fits(_ count: Int, field: String, limit: Int) -> Bool {
        guard count > limit else { return true }
        add(field, .tooMany, "\(field) has \(count) items; at most \(limit) are allowed")
        return false
    }

    /// Validates typed phone numbers; duplicates (same digits) are reported on the later one.
    mutating func phones(_ typed: [String], field: String = "phones") -> [PhoneNumber] {
        guard fits(typed.count, field: field, limit: CountLimits.phones) else { return [] }
        var seen: Set<String> = []
        var result: [PhoneNumber] = []
        for (index, text) in typed.enumerated() {
            let phone = PhoneNumber(typed: text)
            let path = "\(field)[\(index)]"
            if !phone.isValid {
                add(path, .invalidPhone, "\(path) must have 5–15 digits and only phone punctuation")
            } else if !seen.insert(phone.digits).inserted {
                add(path, .duplicate, "\(path) repeats another phone number")
            }
            result.append(phone)
        }
        return result
    }

    /// Validates e-mail addresses (trimmed); duplicates (case-insensitive) are reported on the later one.
    mutating func emails(_ typed: [String], field: String = "emails") -> [String] {
        guard fits(typed.count, field: field, limit: CountLimits.emails) else { return [] }
        var seen: Set<String> = []
        var result: [String] = []
        for (index, text) in typed.enumerated() {
            let email = text.trimmedWhitespace
            let path = "\(field)[\(index)]"
            if !EmailAddress.isValid(email) {
                add(path, .invalidEmail, "\(path) is not a valid e-mail address")
            } else if !seen.insert(EmailAddress.normalize(email)).inserted {
                add(path, .duplicate, "\(path) repeats another e-mail address")
            }
            result.append(email)
        }
        return result
    }

    /// Trims and length-checks every address part; an address with no parts becomes `nil`.
    mutating func address(_ address: Address?, field: String = "address") -> Address? {
        guard let address else { return nil }
        var result = Address()
        result.country = text(address.country, field: "\(field).country", limit: limits.name)
        result.city = text(address.city, field: "\(field).city", limit: limits.name)
        result.street = text(address.street, field: "\(field).street", limit: limits.name)
        result.building = text(address.building, field: "\(field).building", limit: limits.name)
        result.flat = text(address.flat, field: "\(field).flat", limit: limits.name)
        return result.isEmpty ? nil : result
    }

    /// Checks a settings key is a slug `[a-z0-9][a-z0-9-]{0,63}`.
    mutating func key(_ key: String, field: String) {
        if !Slug.isValid(key) { add(field, .invalidKey, "\(field) must match [a-z0-9][a-z0-9-]{0,63}") }
    }

    /// Validates a list of tag names: cleaned, and united by `TagName.key` (the first spelling is kept), in
    /// one pass.
    mutating func tags(_ names: [String], field: String = "tags") -> [String] {
        guard fits(names.count, field: field, limit: CountLimits.tags) else { return [] }
        var seen: Set<String> = []
        var result: [String] = []
        for (index, name) in names.enumerated() {
            let tag = self.tag(name, field: "\(field)[\(index)]")
            if !tag.isEmpty, seen.insert(TagName.key(tag)).inserted { result.append(tag) }
        }
        return result
    }

    /// Checks a tag name: trimmed, non-empty, at most 50 characters. Returns the cleaned name.
    mutating func tag(_ name: String, field: String) -> String {
        let clean = TagName.clean(name)
        controlCharacters(clean, field: field, multiline: false)
        if clean.isEmpty {
            add(field, .required, "\(field) is required")
        } else if clean.count > TagName.maxLength {
            add(field, .tooLong, "\(field) is longer than \(TagName.maxLength) characters")
        }
        return clean
    }
}
