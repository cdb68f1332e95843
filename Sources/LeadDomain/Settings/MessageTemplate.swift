import Foundation

/// A message template in the settings, with the admin who saved it.
public struct MessageTemplateEntry: Sendable, Hashable, Codable {
    public var template: MessageTemplate
    public var savedBy: UUID
    public var savedAt: Timestamp
}

/// A message template for mass e-mail: a subject and a plain-text and/or HTML body, each a Mustache template
/// over the lead and its responsible (`{{fullName}}`, `{{company}}`, `{{responsible.name}}`,
/// `{{customFields.<key>}}`…; `LeadLedgerMessages.MessageRenderer` lists them and renders). The decider checks
/// the shape; the variables are checked where the template engine is (the route that saves it).
public struct MessageTemplate: Sendable, Hashable, Codable {
    public static let maxTemplates = 100
    public static let maxSubject = 998
    public static let maxBody = 65_536

    public var key: String
    public var name: String
    public var subject: String
    public var text: String?
    public var html: String?

    public init(key: String, name: String, subject: String, text: String? = nil, html: String? = nil) {
        self.key = key
        self.name = name
        self.subject = subject
        self.text = text
        self.html = html
    }
}
