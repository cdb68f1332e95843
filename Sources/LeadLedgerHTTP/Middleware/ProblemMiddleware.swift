public import Hummingbird
import Logging

/// Renders every error as problem+json, in one place.
///
/// - ``ProblemConvertible`` (``APIError`` and the domain errors that conform) → its own problem
/// - `DecodingError` → 400 naming the field
/// - Hummingbird's `HTTPError` (413 from body collection, 404, …) → a problem with its status
/// - anything else → 500 with no internals; the error itself is logged with the request id
///
/// It returns a response rather than rethrowing, so the logging, metrics and request-id middleware outside it
/// see the final status.
public struct ProblemMiddleware: RouterMiddleware {
    public typealias Context = APIRequestContext

    public init() {}

    public func handle(
        _ request: Request,
        context: APIRequestContext,
        next: (Request, APIRequestContext) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let apiError = Self.apiError(for: error)
            if apiError.category == .internalError {
                context.logger.error(
                    "unhandled error",
                    metadata: ["error": "\(String(reflecting: error))", "request_id": "\(context.requestId)"]
                )
            }
            return try apiError.response(from: request, context: context)
        }
    }

    /// The problem an error is answered with.
    public static func apiError(for error: any Error) -> APIError {
        switch error {
        case let error as any ProblemConvertible:
            return error.apiError
        case let error as DecodingError:
            return APIError(decoding: error)
        case let error as HTTPError:
            return apiError(forStatus: error.status, message: error.body, headers: error.headers)
        case let error as any HTTPResponseError:
            return apiError(forStatus: error.status, message: nil, headers: [:])
        default:
            return .internalError
        }
    }

    private static func apiError(forStatus status: HTTPResponse.Status, message: String?, headers: HTTPFields)
        -> APIError
    {
        let category = ProblemCategory(status: status)
        switch category {
        case .internalError:
            return .internalError
        case .notFound:
            return .notFound()
        case .contentTooLarge:
            return APIError(.contentTooLarge, code: "contentTooLarge", detail: "The request body is too large.")
        default:
            // Hummingbird's messages for 4xx describe the request (e.g. a bad query), never server internals.
            let code = ProblemDetails.code(fromWords: status.reasonPhrase)
            return APIError(category, code: code, detail: message, headers: headers)
        }
    }
}
