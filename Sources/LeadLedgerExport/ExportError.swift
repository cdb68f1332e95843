/// A refused export: the field (query parameter) at fault, a stable code and a message for people.
public struct ExportError: Error, Sendable, Hashable, CustomStringConvertible {
    public var field: String
    public var code: String
    public var message: String

    public init(field: String, code: String, message: String) {
        self.field = field
        self.code = code
        self.message = message
    }

    public var description: String { "\(field): \(message)" }
}
