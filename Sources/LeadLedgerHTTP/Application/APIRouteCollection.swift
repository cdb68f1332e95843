/// A group of routes a controller adds to the application, e.g. the leads controller.
///
/// ```swift
/// struct LeadRoutes: APIRouteCollection {
///     let service: CommandService
///     func register(on routes: APIRoutes) {
///         routes.get("/v1/leads/{id}") { request, context in ... }
///         routes.post("/v1/leads") { request, context in ... }
///     }
/// }
/// ```
public protocol APIRouteCollection: Sendable {
    func register(on routes: APIRoutes)
}
