import Foundation

/// A form in the settings: the form and who saved it, when.
public struct LeadFormEntry: Sendable, Hashable, Codable {
    public var form: LeadForm
    public var savedBy: UUID
    public var savedAt: Timestamp
}

/// A web-to-lead form (ONLYOFFICE's "contacts from the website"): a website posts its submissions to
/// `POST /v1/forms/{key}/submissions`; each becomes a lead (or a note on the lead its e-mail or phone finds).
///
/// `fields` maps a form field's name (`column`) to a lead field path, as an import mapping does; `source`, `step`
/// and `responsible` are what new leads get; `allowedOrigins` are the `scheme://host[:port]` origins a browser may
/// post from (CORS); `honeypot` names a field people never see: a submission filling it is taken for a bot's,
/// answered as if accepted and dropped.
public struct LeadForm: Sendable, Hashable, Codable {
    public static let maxForms = 50
    public static let maxFields = 50
    public static let maxOrigins = 20
    /// Longest origin (`https://` and a host name at most 253 characters, a port).
    public static let maxOriginLength = 270

    public var key: String
    public var name: String
    public var fields: [ImportColumn]
    public var source: String?
    public var step: String?
    public var responsible: UUID?
    public var allowedOrigins: [String]
    public var honeypot: String?

    public init(
        key: String, name: String, fields: [ImportColumn], source: String? = nil, step: String? = nil,
        responsible: UUID? = nil, allowedOrigins: [String] = [], honeypot: String? = nil
    ) {
        self.key = key
        self.name = name
        self.fields = fields
        self.source = source
        self.step = step
        self.responsible = responsible
        self.allowedOrigins = allowedOrigins
        self.honeypot = honeypot
    }

    /// The fields as a mapping (form field → lead field).
    public var mapping: ImportMapping { ImportMapping(stored: fields) }

    /// A form field's name: 1–100 ASCII letters, digits, `_`, `-`, `.`, `[`, `]` (what HTML forms name inputs).
    public static func isFieldName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 100
            && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "_-.[]".contains($0)) }
    }

    /// Whether a browser at `origin` (the `Origin` header, lowercased) may post.
    public func allows(origin: String) -> Bool { allowedOrigins.contains(origin.lowercased()) }

    /// `scheme://host[:port]` with an http(s) scheme, lowercase, no path: what browsers send as `Origin`.
    public static func isOrigin(_ text: String) -> Bool {
        guard text.count <= maxOriginLength, text == text.lowercased() else { return false }
        let rest: Substring
        if text.hasPrefix("https://") { rest = text.dropFirst(8) } else if text.hasPrefix("http://") { rest = text.dropFirst(7) } else { return false }
        guard !rest.isEmpty, !rest.contains("/"), !rest.contains("?"), !rest.contains("#"), !rest.contains("@") else { return false }
        return rest.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == ":" || $0 == "[" || $0 == "]") }
    }
}
