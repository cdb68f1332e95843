/// The body of every error response: RFC 9457 problem details, plus a stable machine `code` and a list of
/// per-field errors.
///
/// ```json
/// {"type": "https://leadledger.dev/problems/validation", "title": "Unprocessable Content", "status": 422,
///  "code": "validation_failed", "detail": "The lead is not valid.",
///  "errors": [{"field": "email", "code": "invalid_format", "message": "Not an e-mail address."}]}
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
    /// Stable, machine-readable code, e.g. `validation_failed`, `not_found`, `version_mismatch`.
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
        self.type = Self.typeBase + code.replacingOccurrences(of: "_", with: "-")
        self.title = title
        self.status = status
        self.code = code
        self.detail = detail
        self.errors = errors
        self.instance = instance
    }
}
