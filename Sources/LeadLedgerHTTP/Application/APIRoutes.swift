public import Hummingbird

/// The one way routes are added: registers each on Hummingbird's router (in the public or the authenticated
/// group) and records it in the ``RouteTable``, which the 405 answer and the OpenAPI check read.
///
/// Paths use OpenAPI's template syntax, so the route and the document spell them the same way:
///
/// ```swift
/// routes.patch("/v1/leads/{id}") { request, context in
///     let principal = try context.require(permission: "leads.write")
///     let id = try context.parameters.require("id", as: UUID.self)
///     ...
/// }
/// ```
public struct APIRoutes {
    public typealias Handler<Output: ResponseGenerator> = @Sendable (Request, APIRequestContext) async throws -> Output

    public let table: RouteTable
    let publicGroup: RouterGroup<APIRequestContext>
    let authenticatedGroup: RouterGroup<APIRequestContext>

    /// Call after the router's middleware are added: Hummingbird applies middleware to routes added later.
    init(router: Router<APIRequestContext>, table: RouteTable, verifier: any AccessTokenVerifier) {
        self.table = table
        // The contract is checked after authentication: a caller without a token learns nothing but 401.
        self.publicGroup = router.group().add(middleware: ContractMiddleware())
        self.authenticatedGroup = router.group()
            .add(middleware: BearerAuthMiddleware(verifier: verifier))
            .add(middleware: ContractMiddleware())
    }

    @discardableResult
    public func on(
        _ path: String,
        method: HTTPRequest.Method,
        access: RouteAccess = .authenticated,
        use handler: @escaping Handler<some ResponseGenerator>
    ) -> APIRoutes {
        table.record(method: method, path: path)
        let group = access == .public ? publicGroup : authenticatedGroup
        group.on(RouterPath(RouteTable.normalize(path)), method: method, use: handler)
        return self
    }

    /// A GET route, and HEAD on the same path: the GET's status and headers (`Content-Length` included)
    /// without its body (RFC 9110 §9.3.2). The table records the GET; HEAD is implied wherever GET is served.
    @discardableResult
    public func get(
        _ path: String, access: RouteAccess = .authenticated, use handler: @escaping Handler<some ResponseGenerator>
    ) -> APIRoutes {
        on(path, method: .get, access: access, use: handler)
        let group = access == .public ? publicGroup : authenticatedGroup
        group.on(RouterPath(RouteTable.normalize(path)), method: .head) { request, context in
            var response = try await handler(request, context).response(from: request, context: context)
            // A body that announces the GET's length and writes nothing: the length is what HEAD is asked for.
            let length = response.body.contentLength
            response.body = ResponseBody(contentLength: length) { writer in try await writer.finish(nil) }
            return response
        }
        return self
    }

    @discardableResult
    public func post(
        _ path: String, access: RouteAccess = .authenticated, use handler: @escaping Handler<some ResponseGenerator>
    ) -> APIRoutes {
        on(path, method: .post, access: access, use: handler)
    }

    @discardableResult
    public func put(
        _ path: String, access: RouteAccess = .authenticated, use handler: @escaping Handler<some ResponseGenerator>
    ) -> APIRoutes {
        on(path, method: .put, access: access, use: handler)
    }

    @discardableResult
    public func patch(
        _ path: String, access: RouteAccess = .authenticated, use handler: @escaping Handler<some ResponseGenerator>
    ) -> APIRoutes {
        on(path, method: .patch, access: access, use: handler)
    }

    @discardableResult
    public func delete(
        _ path: String, access: RouteAccess = .authenticated, use handler: @escaping Handler<some ResponseGenerator>
    ) -> APIRoutes {
        on(path, method: .delete, access: access, use: handler)
    }

    /// Adds a controller's routes.
    @discardableResult
    public func add(_ collection: some APIRouteCollection) -> APIRoutes {
        collection.register(on: self)
        return self
    }
}
