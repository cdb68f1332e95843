public import Hummingbird

/// Refuses query parameters the routed operation does not define, or sends empty (``APIContract``), before
/// the handler runs: a frontend that misspells a filter gets a 400 naming it instead of an unfiltered answer.
/// Bodies are checked where they are decoded (``ProblemJSONDecoder``).
public struct ContractMiddleware: RouterMiddleware {
    public typealias Context = APIRequestContext

    public init() {}

    public func handle(
        _ request: Request,
        context: APIRequestContext,
        next: (Request, APIRequestContext) async throws -> Response
    ) async throws -> Response {
        if let operation = APIContract.operation(for: request, endpointPath: context.endpointPath) {
            try APIContract.checkQuery(request.uri.queryParameters, of: operation)
        }
        return try await next(request, context)
    }
}
