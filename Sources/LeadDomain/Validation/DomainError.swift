/// Why a command was refused. Nothing is appended when `decide` throws one.
///
/// `code` says what went wrong for machines, `category` how the HTTP layer answers (`validation` → 422,
/// `notFound` → 404, `conflict` → 409, `forbidden` → 403), `message` is for people, and `fieldErrors` lists
/// every failing input field at once (for `validationFailed`, and as detail for some other codes).
///
/// ```swift
/// do { let decision = try LeadDecider.decide(state, command, context: context) }
/// catch { for field in error.fieldErrors { print(field.field, field.code, field.message) } }
/// ```
public struct DomainError: Error, Sendable, Hashable, CustomStringConvertible {
    public var code: Code
    public var message: String
    public var fieldErrors: [FieldError]

    public init(_ code: Code, _ message: String, fieldErrors: [FieldError] = []) {
        self.code = code
        self.message = message
        self.fieldErrors = fieldErrors
    }

    /// How the error maps onto a response.
    public var category: Category { code.category }

    public var description: String {
        ([code.rawValue + ": " + message] + fieldErrors.map { "  \($0.field) \($0.code.rawValue): \($0.message)" })
            .joined(separator: "\n")
    }

    /// Error classes for the HTTP layer.
    public enum Category: String, Sendable, Hashable, Codable {
        case validation
        case notFound
        case conflict
        case forbidden
    }

    /// A machine-readable error code. A struct, not an enum, so codes can be added without breaking callers.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        public let rawValue: String
        public let category: Category

        public init(_ rawValue: String, _ category: Category) {
            self.rawValue = rawValue
            self.category = category
        }

        public var description: String { rawValue }

        /// One or more input fields are invalid; see `fieldErrors`.
        public static let validationFailed = Code("validationFailed", .validation)
        public static let leadNotFound = Code("leadNotFound", .notFound)
        public static let customerNotFound = Code("customerNotFound", .notFound)
        public static let dealNotFound = Code("dealNotFound", .notFound)
        public static let adminNotFound = Code("adminNotFound", .notFound)
        /// A pin/unpin/complete named an action the lead does not have.
        public static let actionNotFound = Code("actionNotFound", .notFound)
        public static let taskNotFound = Code("taskNotFound", .notFound)
        public static let tokenNotFound = Code("tokenNotFound", .notFound)
        /// A create for an id that already exists.
        public static let alreadyExists = Code("alreadyExists", .conflict)
        /// The lead is soft-deleted: it refuses every command but restore.
        public static let leadDeleted = Code("leadDeleted", .conflict)
        /// A command other than restore on a deleted customer.
        public static let customerDeleted = Code("customerDeleted", .conflict)
        /// A command other than restore on a deleted deal.
        public static let dealDeleted = Code("dealDeleted", .conflict)
        /// A stage change a deal's outcome does not allow (moving a won deal, reopening an open one).
        public static let dealClosed = Code("dealClosed", .conflict)
        /// The lead is converted and settings lock converted leads.
        public static let leadLocked = Code("leadLocked", .conflict)
        /// The lead was merged into another; it refuses every command.
        public static let leadMerged = Code("leadMerged", .conflict)
        /// Conversion needs the lead on the last active step.
        public static let notOnLastStep = Code("notOnLastStep", .conflict)
        public static let alreadyConverted = Code("alreadyConverted", .conflict)
        /// A merge into itself, of a deleted or already merged source.
        public static let invalidMerge = Code("invalidMerge", .conflict)
        /// The admin is disabled.
        public static let adminDisabled = Code("adminDisabled", .conflict)
        /// Disabling oneself, or removing the last enabled admin who can manage admins.
        public static let invalidAdminChange = Code("invalidAdminChange", .conflict)
        /// The actor lacks the permission the command needs.
        public static let forbidden = Code("forbidden", .forbidden)
    }
}

/// One failing input field: a JSON path (`fullName`, `phones[1]`, `address.city`, `customFields.budget`), a code
/// and a human message.
public struct FieldError: Sendable, Hashable, Codable {
    public var field: String
    public var code: Code
    public var message: String

    public init(field: String, code: Code, message: String) {
        self.field = field
        self.code = code
        self.message = message
    }

    /// A field error code (a struct so codes can be added without breaking callers).
    public struct Code: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        public static let required = Code(rawValue: "required")
        public static let tooLong = Code(rawValue: "tooLong")
        /// A list with more items than `CountLimits` allows.
        public static let tooMany = Code(rawValue: "tooMany")
        /// Text holding NUL or another control character (line breaks and tabs are allowed in long texts).
        public static let controlCharacter = Code(rawValue: "controlCharacter")
        public static let invalidEmail = Code(rawValue: "invalidEmail")
        public static let invalidPhone = Code(rawValue: "invalidPhone")
        /// A value not allowed for the field (not an option, not on the scale, a bad colour, wrong type...).
        public static let invalidValue = Code(rawValue: "invalidValue")
        public static let invalidURL = Code(rawValue: "invalidURL")
        public static let invalidDate = Code(rawValue: "invalidDate")
        /// Not a slug `[a-z0-9][a-z0-9-]{0,63}`.
        public static let invalidKey = Code(rawValue: "invalidKey")
        public static let outOfRange = Code(rawValue: "outOfRange")
        public static let unknownStep = Code(rawValue: "unknownStep")
        /// A deal stage key that names no active deal stage (or one of the wrong kind).
        public static let unknownDealStage = Code(rawValue: "unknownDealStage")
        /// A currency that is not an ISO 4217 code in use.
        public static let unknownCurrency = Code(rawValue: "unknownCurrency")
        public static let unknownSource = Code(rawValue: "unknownSource")
        public static let unknownActionType = Code(rawValue: "unknownActionType")
        public static let unknownTaskType = Code(rawValue: "unknownTaskType")
        public static let unknownCustomField = Code(rawValue: "unknownCustomField")
        public static let unknownPermission = Code(rawValue: "unknownPermission")
        public static let invalidRole = Code(rawValue: "invalidRole")
        /// An admin id (responsible, watcher, action admin) that names no admin.
        public static let unknownAdmin = Code(rawValue: "unknownAdmin")
        /// An admin id that names a disabled admin, where a working one is needed.
        public static let disabledAdmin = Code(rawValue: "disabledAdmin")
        /// The same value twice in a list, or a key/name that already exists.
        public static let duplicate = Code(rawValue: "duplicate")
        /// Something referenced does not exist.
        public static let notFound = Code(rawValue: "notFound")
        /// The value clashes with the current state (e.g. retiring the default step).
        public static let conflict = Code(rawValue: "conflict")
        /// A time that must be in the future is not.
        public static let notInFuture = Code(rawValue: "notInFuture")
        /// A reorder that is not a permutation of the active steps.
        public static let notAPermutation = Code(rawValue: "notAPermutation")
        /// Retiring the last remaining active step.
        public static let lastStep = Code(rawValue: "lastStep")
    }
}

extension DomainError {
    static func validation(_ errors: [FieldError]) -> DomainError {
        let fields = errors.map(\.field).joined(separator: ", ")
        return DomainError(.validationFailed, "Invalid input: \(fields)", fieldErrors: errors)
    }

    static func notFound(_ code: Code, field: String, _ message: String) -> DomainError {
        DomainError(code, message, fieldErrors: [FieldError(field: field, code: .notFound, message: message)])
    }
}
