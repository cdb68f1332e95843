public import LeadDomain

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
    /// let principal = try context.require(.settingsManage)
    /// ```
    @discardableResult
    public func require(_ permission: Permission) throws -> Principal {
        let principal = try principalOrThrow()
        guard principal.has(permission) else { throw APIError.forbidden(missing: permission) }
        return principal
    }
}

extension APIError {
    /// 403 naming the permission the caller lacks.
    public static func forbidden(missing permission: Permission) -> APIError {
        APIError(
            .forbidden,
            code: "forbidden",
            detail: "This needs the \"\(permission.rawValue)\" permission.",
            errors: [.init(field: "permission", code: "missingPermission", message: permission.rawValue)]
        )
    }
}
