/// The `limit` query parameter of a listing: 1…200, 50 when absent.
public struct PageLimit: Sendable, Hashable {
    public static let range = 1...200
    public static let defaultValue = 50

    public let value: Int

    public init(_ value: Int = PageLimit.defaultValue) {
        precondition(Self.range.contains(value), "page limit out of range")
        self.value = value
    }

    /// Parses the raw query value: absent → default; not an integer → 400; out of range → 422.
    public static func parse(query value: String?) throws -> PageLimit {
        guard let value else { return PageLimit() }
        guard let number = Int(value) else {
            throw APIError.badRequest(field: "limit", code: "notAnInteger", message: "limit must be an integer.")
        }
        guard range.contains(number) else {
            throw APIError.invalid(
                field: "limit",
                code: "outOfRange",
                message: "limit must be between \(range.lowerBound) and \(range.upperBound)."
            )
        }
        return PageLimit(number)
    }
}
