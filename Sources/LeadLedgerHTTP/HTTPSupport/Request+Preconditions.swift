import HTTPTypes
public import Hummingbird

extension Request {
    /// The `If-Match` condition, `nil` if absent; a 400 problem if malformed.
    public func ifMatchCondition() throws -> EntityTagCondition? {
        try condition(.ifMatch)
    }

    /// The `If-None-Match` condition, `nil` if absent; a 400 problem if malformed.
    public func ifNoneMatchCondition() throws -> EntityTagCondition? {
        try condition(.ifNoneMatch)
    }

    /// The stream version a command expects from `If-Match: "v<n>"`, for `EventLog.append(expectedVersion:)`.
    /// `nil` without the header; a 400 problem for `*`, lists or tags that are not stream versions.
    public func expectedStreamVersion() throws -> UInt64? {
        guard let condition = try ifMatchCondition() else { return nil }
        guard case .tags(let tags) = condition, tags.count == 1, let version = tags[0].streamVersion else {
            throw APIError.badRequest(
                field: "If-Match",
                code: "invalidETag",
                message: "If-Match must be one strong ETag of the form \"v<version>\"."
            )
        }
        return version
    }

    /// Throws a 412 problem unless `If-Match` is absent or matches `current` (the resource's ETag, `nil` if
    /// the resource does not exist).
    public func checkIfMatch(current: EntityTag?) throws {
        guard let condition = try ifMatchCondition() else { return }
        guard condition.matchesForIfMatch(current) else { throw APIError.preconditionFailed(current: current) }
    }

    /// Conditional GET: a 304 with the ETag if `If-None-Match` matches `current`, otherwise the response
    /// `build` makes, with `ETag` set.
    ///
    /// ```swift
    /// return try await request.conditionalGET(etag: .streamVersion(lead.version), context: context) {
    ///     LeadResponse(lead)
    /// }
    /// ```
    public func conditionalGET<Context: RequestContext>(
        etag: EntityTag,
        context: Context,
        build: () async throws -> some ResponseGenerator
    ) async throws -> Response {
        if let condition = try ifNoneMatchCondition(), condition.matchesForIfNoneMatch(etag) {
            var headers = HTTPFields()
            headers[.eTag] = etag.headerValue
            return Response(status: .notModified, headers: headers)
        }
        var response = try await build().response(from: self, context: context)
        response.headers[.eTag] = etag.headerValue
        return response
    }

    private func condition(_ name: HTTPField.Name) throws -> EntityTagCondition? {
        let values = headers[values: name]
        guard !values.isEmpty else { return nil }
        guard let condition = EntityTagCondition.parse(values) else {
            throw APIError.badRequest(
                field: name.rawName, code: "invalidETag", message: "\(name) is not a list of quoted ETags or *.")
        }
        return condition
    }
}
