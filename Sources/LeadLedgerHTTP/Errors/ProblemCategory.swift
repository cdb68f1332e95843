public import HTTPTypes

/// The kinds of failure an API error can be; each decides one HTTP status.
///
/// Domain errors name their category, and the HTTP layer maps it, so no handler picks status codes.
public enum ProblemCategory: String, Sendable, Hashable, CaseIterable {
    /// The request could not be read: malformed JSON, bad query parameter, bad header. 400.
    case badRequest
    /// The request was read but its content breaks a rule. 422.
    case validation
    /// No or invalid credentials. 401.
    case unauthenticated
    /// Valid credentials without the needed permission. 403.
    case forbidden
    /// The resource does not exist (or is not visible to the caller). 404.
    case notFound
    /// The method is not served on this path. 405.
    case methodNotAllowed
    /// The request conflicts with the current state, e.g. a duplicate. 409.
    case conflict
    /// A precondition (`If-Match`, expected version) failed. 412.
    case precondition
    /// The body is over the configured limit. 413.
    case contentTooLarge
    /// The body has a media type the endpoint does not read. 415.
    case unsupportedMediaType
    /// The URL is over the server's limit. 414.
    case uriTooLong
    /// The request's header block is over the server's limit. 431.
    case headersTooLarge
    /// Too many requests. 429.
    case rateLimited
    /// A bug or an unavailable dependency; details go to the log, never to the client. 500.
    case internalError
    /// The service cannot serve right now (starting, shutting down). 503.
    case unavailable

    public var status: HTTPResponse.Status {
        switch self {
        case .badRequest: .badRequest
        case .validation: .unprocessableContent
        case .unauthenticated: .unauthorized
        case .forbidden: .forbidden
        case .notFound: .notFound
        case .methodNotAllowed: .methodNotAllowed
        case .conflict: .conflict
        case .precondition: .preconditionFailed
        case .contentTooLarge: .contentTooLarge
        case .unsupportedMediaType: .unsupportedMediaType
        case .uriTooLong: .uriTooLong
        case .headersTooLarge: .requestHeaderFieldsTooLarge
        case .rateLimited: .tooManyRequests
        case .internalError: .internalServerError
        case .unavailable: .serviceUnavailable
        }
    }

    /// The category a bare HTTP status belongs to, for errors thrown by Hummingbird itself.
    public init(status: HTTPResponse.Status) {
        if let match = Self.allCases.first(where: { $0.status == status }) {
            self = match
        } else if status.code >= 500 {
            self = .internalError
        } else {
            self = .badRequest
        }
    }
}
