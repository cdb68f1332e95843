/// The body of every error response: RFC 9457 problem details, plus a stable machine `code` and a list of
/// per-field errors.
///
/// ```json
/// {"type": "https://leadledger.dev/problems/validation", "title": "Unprocessable Content", "status": 422,
///  "code": "validationFailed", "detail": "The lead is not valid.",
///  "errors": [{"field": "email", "code": "invalidFormat", "message": "Not an e-mail address."}]}
/// ```
public struct ProblemDetails: Codable, Sendable, Hashable {
    /// One rejected input: which field (a dotted path such as `contacts.0.phone`, or a header or query name),
    /// a stable code and a human message.
    public struct FieldError: Codable, Sendable, Hashable {
        public var field: String
        public var code: String
        public var message: String

        public init(field: String, code: String, message: String) {
            self.field = field
            self.code = code
            self.message = message
        }
    }

    /// A URI naming the kind of problem; derived from `code`.
    public var type: String
    public var title: String
    public var status: Int
    /// Stable, machine-readable code, e.g. `validationFailed`, `notFound`, `versionMismatch`.
    public var code: String
    public var detail: String?
    public var errors: [FieldError]
    /// The request id, so a user can quote it and an operator can find the log line.
    public var instance: String?

    public static let mediaType = "application/problem+json"
    /// The base of every `type` URI.
    public static let typeBase = "https://leadledger.dev/problems/"

    public init(
        status: Int,
        title: String,
        code: String,
        detail: String? = nil,
        errors: [FieldError] = [],
        instance: String? = nil
    ) {
        self.type = Self.typeURI(code: code)
        self.title = title
        self.status = status
        self.code = code
        self.detail = detail
        self.errors = errors
        self.instance = instance
    }

    /// The `type` URI of a code: its words in kebab case under `typeBase` (`validationFailed` →
    /// `…/problems/validation-failed`, `invalidURL` → `…/invalid-url`).
    public static func typeURI(code: String) -> String {
        var slug = ""
        var previous: Character?
        for character in code {
            if character == "_" || character == "-" || character == " " {
                if !slug.isEmpty && slug.last != "-" { slug.append("-") }
            } else if character.isUppercase {
                // A word starts at an upper-case letter after a lower-case one or a digit (`invalidURL` → `invalid-url`).
                if let previous, previous.isLowercase || previous.isNumber, slug.last != "-" { slug.append("-") }
                slug.append(contentsOf: character.lowercased())
            } else {
                slug.append(character)
            }
            previous = character
        }
        return typeBase + slug
    }

    /// A code in the API's one spelling, lower camel case, from words (`"Unsupported Media Type"` →
    /// `unsupportedMediaType`): every `code`, top-level and per field, is spelled this way.
    public static func code(fromWords words: String) -> String {
        let parts = words.split { !$0.isLetter && !$0.isNumber }
        guard let first = parts.first else { return "error" }
        let rest = parts.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst().lowercased() }
        return first.lowercased() + rest.joined()
    }
}
