/// An error that knows its problem+json form.
///
/// Domain errors conform in one place (an extension in this module), and ``ProblemMiddleware`` renders them;
/// handlers just `throw`. For example, once `LeadDomain` has its error type:
///
/// ```swift
/// extension DomainError: ProblemConvertible {
///     public var apiError: APIError {
///         APIError(ProblemCategory(self.category), code: self.code, detail: self.message,
///                  errors: self.fields.map { .init(field: $0.path, code: $0.code, message: $0.message) })
///     }
/// }
/// ```
public protocol ProblemConvertible: Error {
    var apiError: APIError { get }
}

extension APIError: ProblemConvertible {
    public var apiError: APIError { self }
}
