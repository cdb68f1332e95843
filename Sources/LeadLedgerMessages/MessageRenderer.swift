import Foundation
import LeadDomain
import Mustache

/// A template rendered for one lead.
public struct RenderedMessage: Sendable, Hashable {
    public var subject: String
    public var text: String?
    public var html: String?
}

/// Renders message templates (`MessageTemplate`) with swift-mustache over a lead and its responsible.
///
/// Variables: `fullName`, `company`, `email` and `phone` (the first), `emails` and `phones` (lists, for sections),
/// `source`, `step`, `priority`, `comment`, `address.country|city|street|building|flat`,
/// `responsible.name|email`, `customFields.<key>` (defined fields). In the HTML body `{{x}}` is HTML-escaped and
/// `{{{x}}}` is not; the subject and the text body are never escaped. A variable outside this list, an unknown
/// custom field or a template Mustache cannot read is refused when the template is saved (`problems`), so a
/// send never meets one.
public enum MessageRenderer {
    static let leadFields: Set<String> = [
        "fullName", "company", "email", "phone", "emails", "phones", "source", "step", "priority", "comment",
    ]
    static let nested: [String: Set<String>] = [
        "address": ["country", "city", "street", "building", "flat"],
        "responsible": ["name", "email"],
    ]
    /// Mustache's pragma for the parts that are not HTML: no escaping.
    static let textPragma = "{{% CONTENT_TYPE: TEXT}}"

    /// Every problem with `template`'s variables and syntax, each naming its part (`subject`, `text`, `html`).
    public static func problems(_ template: MessageTemplate, settings: SettingsState) -> [FieldError] {
        var errors: [FieldError] = []
        let customKeys = Set(settings.customFields.filter { !$0.retired }.map(\.key))
        for (field, source, isHTML) in parts(template) {
            do {
                _ = try MustacheTemplate(string: isHTML ? source : textPragma + source)  // the syntax
            } catch {
                errors.append(FieldError(field: field, code: .invalidValue, message: "not a Mustache template: \(error)"))
                continue
            }
            errors += check(source, field: field, customKeys: customKeys)
        }
        return errors
    }

    /// The template rendered for `lead` (its responsible `responsible`, if any).
    public static func render(_ template: MessageTemplate, lead: LeadState, responsible: AdminState?, settings: SettingsState)
        -> RenderedMessage
    {
        let context = variables(lead: lead, responsible: responsible, settings: settings)
        func render(_ source: String, html: Bool) -> String {
            // `problems` refused templates that do not parse; one that does not is rendered as its own text.
            guard let parsed = try? MustacheTemplate(string: html ? source : textPragma + source) else { return source }
            return parsed.render(context)
        }
        return RenderedMessage(
            subject: render(template.subject, html: false).replacingOccurrences(of: "\r", with: " ")
                .replacingOccurrences(of: "\n", with: " "),
            text: template.text.map { render($0, html: false) }, html: template.html.map { render($0, html: true) })
    }

    /// The variables of one lead, as Mustache reads them (dictionaries and arrays).
    static func variables(lead: LeadState, responsible: AdminState?, settings: SettingsState) -> [String: Any] {
        var customFields: [String: String] = [:]
        for (key, value) in lead.customFields {
            switch value {
            case .string(let s), .list(let s), .text(let s), .url(let s), .date(let s): customFields[key] = s
            case .int(let n): customFields[key] = String(n)
            case .flag(let b): customFields[key] = b ? "yes" : "no"
            }
        }
        var address: [String: String] = [:]
        if let a = lead.address {
            address = ["country": a.country, "city": a.city, "street": a.street, "building": a.building, "flat": a.flat]
                .compactMapValues { $0 }
        }
        var values: [String: Any] = [
            "fullName": lead.fullName,
            "emails": lead.emails,
            "phones": lead.phones.map(\.typed),
            "source": settings.sources.first(where: { $0.key == lead.source })?.name ?? lead.source,
            "step": settings.steps.first(where: { $0.key == lead.step })?.name ?? lead.step,
            "priority": lead.priority.rawValue,
            "address": address,
            "customFields": customFields,
        ]
        if let company = lead.company { values["company"] = company }
        if let email = lead.emails.first { values["email"] = email }
        if let phone = lead.phones.first { values["phone"] = phone.typed }
        if let comment = lead.comment { values["comment"] = comment }
        if let responsible {
            var admin: [String: String] = ["name": responsible.name]
            if let email = responsible.email { admin["email"] = email }
            values["responsible"] = admin
        }
        return values
    }

    private static func parts(_ template: MessageTemplate) -> [(String, String, Bool)] {
        var parts = [("subject", template.subject, false)]
        if let text = template.text { parts.append(("text", text, false)) }
        if let html = template.html { parts.append(("html", html, true)) }
        return parts
    }
}

extension MessageRenderer {
    /// The tags of a template that Mustache parsed, checked against the variables: `{{name}}`, `{{{name}}}`,
    /// `{{&name}}` and sections (`#`, `^`, `/`), where a bare name inside `responsible`, `address` or `customFields`
    /// may be one of its children and `.` is the current item. Comments and pragmas are skipped; partials, blocks
    /// and changed delimiters are refused (a template is one file, and the check reads `{{ }}` only).
    static func check(_ source: String, field: String, customKeys: Set<String>) -> [FieldError] {
        var errors: [FieldError] = []
        var sections: [String] = []
        func known(_ name: String) -> Bool {
            if name == "." { return !sections.isEmpty }
            let parts = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            func resolves(_ parts: [String], under parent: String?) -> Bool {
                guard let first = parts.first else { return false }
                switch parent {
                case nil:
                    if parts.count == 1 { return leadFields.contains(first) || nested[first] != nil || first == "customFields" }
                    return (nested[first] != nil || first == "customFields") && resolves(Array(parts.dropFirst()), under: first)
                case "customFields"?: return parts.count == 1 && customKeys.contains(first)
                case let parent?: return parts.count == 1 && nested[parent]?.contains(first) == true
                }
            }
            if resolves(parts, under: nil) { return true }
            return sections.contains { resolves(parts, under: $0) }
        }
        var rest = Substring(source)
        while let open = rest.range(of: "{{") {
            rest = rest[open.upperBound...]
            let triple = rest.hasPrefix("{")
            guard let close = rest.range(of: triple ? "}}}" : "}}") else { break }
            var tag = rest[rest.index(rest.startIndex, offsetBy: triple ? 1 : 0)..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            rest = rest[close.upperBound...]
            let sigil = tag.first
            switch sigil {
            case "!", "%": continue
            case "=", ">", "<", "$":
                errors.append(FieldError(field: field, code: .invalidValue, message: "partials, blocks and changed delimiters are not supported"))
                continue
            case "#", "^", "/", "&":
                tag = String(tag.dropFirst()).trimmingCharacters(in: .whitespaces)
            default: break
            }
            if sigil == "/" {
                if sections.last == tag { sections.removeLast() }
                continue
            }
            if !known(tag) {
                errors.append(FieldError(field: field, code: .invalidValue, message: "{{\(tag)}} is not a template variable"))
            }
            if sigil == "#" || sigil == "^" { sections.append(tag) }
        }
        return errors
    }
}
