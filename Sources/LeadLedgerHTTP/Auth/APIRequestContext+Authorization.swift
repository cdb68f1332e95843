extension APIRequestContext {
    /// The authenticated caller, or a 401 problem on a route that is (wrongly) public.
    public func principalOrThrow() throws -> Principal {
        guard let principal else {
            throw APIError.unauthenticated(detail: "An access token is required.", invalidToken: false)
        }
        return principal
    }

    /// Returns the caller if they hold `permission`; otherwise throws a 403 problem.
    ///
    /// ```swift
    /// let principal = try context.require(permission: "leads.read.all")
    /// ```
    @discardableResult
    public func require(permission: String) throws -> Principal {
        let principal = try principalOrThrow()
        guard principal.has(permission: permission) else {
            throw APIError(
                .forbidden,
                code: "forbidden",
                detail: "This needs the \"\(permission)\" permission.",
                errors: [.init(field: "permission", code: "missing_permission", message: permission)]
            )
        }
        return principal
    }
}
