public import HTTPTypes
public import Hummingbird

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// An error that reaches the client as `application/problem+json`.
///
/// Handlers throw it (or a ``ProblemConvertible`` domain error); ``ProblemMiddleware`` turns every other
/// error into one, so there is exactly one error body format.
///
/// ```swift
/// throw APIError(.validation, code: "invalidEmail", detail: "Not an e-mail address.",
///                errors: [.init(field: "email", code: "invalidFormat", message: "Not an e-mail address.")])
/// ```
public struct APIError: Error, HTTPResponseError, Sendable, Hashable {
    public var category: ProblemCategory
    public var code: String
    public var detail: String?
    public var errors: [ProblemDetails.FieldError]
    /// Extra response headers, e.g. `Allow` on 405 or `WWW-Authenticate` on 401.
    public var headers: HTTPFields

    public init(
        _ category: ProblemCategory,
        code: String,
        detail: String? = nil,
        errors: [ProblemDetails.FieldError] = [],
        headers: HTTPFields = [:]
    ) {
        self.category = category
        self.code = code
        self.detail = detail
        self.errors = errors
        self.headers = headers
    }

    public var status: HTTPResponse.Status { category.status }

    /// The problem body, with the request id as `instance`.
    public func problem(requestId: String?) -> ProblemDetails {
        ProblemDetails(
            status: status.code,
            title: status.reasonPhrase,
            code: code,
            detail: detail,
            errors: errors,
            instance: requestId
        )
    }

    /// The problem body's JSON bytes (keys sorted).
    public func encodedProblem(requestId: String?) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Strings, integers and arrays of them: encoding cannot fail.
        return Array((try? encoder.encode(problem(requestId: requestId))) ?? Data())
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let requestId = (context as? APIRequestContext)?.requestId
        let data = encodedProblem(requestId: requestId)
        var headers = self.headers
        headers[.contentType] = ProblemDetails.mediaType
        headers[.contentLength] = String(data.count)
        // A HEAD answer carries the headers of the GET answer, without its body.
        let body: ResponseBody = request.method == .head ? .init() : .init(byteBuffer: ByteBuffer(bytes: data))
        return Response(status: status, headers: headers, body: body)
    }
}

extension APIError {
    /// 400 naming one bad input (a body field path, query parameter or header).
    public static func badRequest(field: String, code: String, message: String) -> APIError {
        APIError(
            .badRequest, code: "badRequest", detail: message,
            errors: [.init(field: field, code: code, message: message)])
    }

    /// 422 naming one input that was read but breaks a rule.
    public static func invalid(field: String, code: String, message: String) -> APIError {
        APIError(
            .validation,
            code: "validationFailed",
            detail: message,
            errors: [.init(field: field, code: code, message: message)]
        )
    }

    public static func notFound(_ detail: String = "No resource at this address.") -> APIError {
        APIError(.notFound, code: "notFound", detail: detail)
    }

    /// 405 with the `Allow` header listing the methods the path does serve.
    public static func methodNotAllowed(allowed: [HTTPRequest.Method]) -> APIError {
        let list = allowed.map(\.rawValue).joined(separator: ", ")
        var headers = HTTPFields()
        headers[.allow] = list
        return APIError(
            .methodNotAllowed,
            code: "methodNotAllowed",
            detail: "This path serves \(list).",
            headers: headers
        )
    }

    /// 413, with `Connection: close`: the rest of such a body is not worth reading (see `BodyLimitMiddleware`).
    public static func contentTooLarge(limit: Int) -> APIError {
        var headers = HTTPFields()
        headers[.connection] = "close"
        return APIError(
            .contentTooLarge, code: "contentTooLarge", detail: "The request body is over \(limit) bytes.", headers: headers)
    }

    /// 412 for a failed `If-Match` or expected-version check; `current` is the resource's current ETag.
    public static func preconditionFailed(current: EntityTag?) -> APIError {
        var headers = HTTPFields()
        if let current { headers[.eTag] = current.headerValue }
        return APIError(
            .precondition,
            code: "versionMismatch",
            detail: "The resource has changed since the version named in If-Match.",
            errors: [
                .init(field: "If-Match", code: "versionMismatch", message: "Does not match the current version.")
            ],
            headers: headers
        )
    }

    /// The only body a 500 ever has: no internals.
    public static let internalError = APIError(
        .internalError,
        code: "internalError",
        detail: "An unexpected error occurred. Quote the instance id when reporting it."
    )
}
