import Foundation

extension UUID {
    /// Ids in the HTTP API are lowercase, as in stream ids and the event feed.
    var lowercased: String { uuidString.lowercased() }
}

extension Optional where Wrapped == UUID {
    var lowercased: String? { map(\.lowercased) }
}

extension Array where Element == UUID {
    var lowercased: [String] { map(\.lowercased) }
}
