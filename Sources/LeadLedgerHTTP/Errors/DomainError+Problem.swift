import EventLog
import HTTPTypes
import LeadDomain
import LeadLedgerCore
import LeadLedgerExport
import LeadLedgerImport

// The one place the domain's and the runtime's errors become problems. Handlers just `throw`.
//
// | error | status | `code` |
// |---|---|---|
// | `DomainError`, category validation | 422 | the domain code, e.g. `validationFailed`, with every field error |
// | `DomainError`, category notFound | 404 | e.g. `leadNotFound` |
// | `DomainError`, category conflict | 409 | e.g. `leadDeleted`, `leadLocked`, `alreadyExists` |
// | `DomainError`, category forbidden | 403 | `forbidden` |
// | `LedgerError.preconditionFailed` | 412 | `versionMismatch`, with the current `ETag` |
// | `LedgerError.concurrentModification` | 409 | `concurrentModification` |
// | `LedgerError.invalidArgument` | 400 | `invalidArgument` |
// | `LedgerError.idempotencyKeyReused` | 422 | `idempotencyKeyReused`, naming `Idempotency-Key` |
// | `LedgerError.closed` | 503 | `unavailable` |
// | anything else from the core or the log | 500 | `internalError` (logged, never shown) |

extension DomainError: ProblemConvertible {
    public var apiError: APIError {
        let category: ProblemCategory =
            switch self.category {
            case .validation: .validation
            case .notFound: .notFound
            case .conflict: .conflict
            case .forbidden: .forbidden
            }
        return APIError(
            category,
            code: code.rawValue,
            detail: message,
            errors: fieldErrors.map { .init(field: $0.field, code: $0.code.rawValue, message: $0.message) }
        )
    }
}

extension LedgerError: ProblemConvertible {
    public var apiError: APIError {
        switch code {
        case .preconditionFailed:
            return .preconditionFailed(current: actualVersion.map { EntityTag.streamVersion($0) })
        case .concurrentModification:
            return APIError(.conflict, code: "concurrentModification", detail: "The resource changed concurrently; retry.")
        case .invalidArgument:
            return APIError(.badRequest, code: "invalidArgument", detail: message)
        case .idempotencyKeyReused:
            let message = "This Idempotency-Key was used for a different request; use a new key for a new request."
            return APIError(
                .validation, code: "idempotencyKeyReused", detail: message,
                errors: [.init(field: "Idempotency-Key", code: "idempotencyKeyReused", message: message)])
        case .closed:
            return APIError(.unavailable, code: "unavailable", detail: "The server is shutting down.")
        default:
            return .internalError
        }
    }
}

// | `ImportError` | 422, `notFound` 404, `notCompleted` 409 | its code, naming the request's field or the file's row |
extension ImportError: ProblemConvertible {
    public var apiError: APIError {
        let category: ProblemCategory =
            switch code {
            case "notFound": .notFound
            case "notCompleted": .conflict
            default: .validation
            }
        var errors = details.map { ProblemDetails.FieldError(field: $0.field ?? "file", code: $0.code, message: $0.message) }
        if errors.isEmpty { errors = [.init(field: field ?? "file", code: code, message: description)] }
        return APIError(category, code: code, detail: description, errors: errors)
    }
}

// | `ExportError` | 422 | its code (`unknownColumn`, `tooManyRows` …), naming the query parameter |
extension ExportError: ProblemConvertible {
    public var apiError: APIError {
        APIError(.validation, code: code, detail: message, errors: [.init(field: field, code: code, message: message)])
    }
}
