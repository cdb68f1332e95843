import Foundation
import Hummingbird

extension APIRequestContext {
    /// A UUID path parameter; a 400 problem naming it when it is not a UUID.
    func uuidParameter(_ name: String) throws -> UUID {
        guard let raw = parameters.get(name), let id = UUID(uuidString: raw) else {
            throw APIError.badRequest(field: name, code: "invalidId", message: "\(name) must be a UUID.")
        }
        return id
    }

    /// A text path parameter, percent-decoded.
    func textParameter(_ name: String) throws -> String {
        guard let raw = parameters.get(name), let text = raw.removingPercentEncoding, !text.isEmpty else {
            throw APIError.badRequest(field: name, code: "invalidValue", message: "\(name) is missing.")
        }
        return text
    }
}
