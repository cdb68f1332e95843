public import HTTPTypes
import Synchronization

/// Every (method, path pattern) the application serves, recorded by ``APIRoutes`` as routes are registered.
///
/// ``MethodNotAllowedMiddleware`` asks it which methods a path serves, and the OpenAPI test compares it with
/// `schemas/openapi.yaml`. Patterns use OpenAPI's `{name}` for parameters.
public final class RouteTable: Sendable {
    public struct Entry: Sendable, Hashable, Comparable, CustomStringConvertible {
        public var method: HTTPRequest.Method
        /// Normalized: leading `/`, no trailing `/`, parameters as `{name}`.
        public var path: String

        public static func < (lhs: Entry, rhs: Entry) -> Bool {
            (lhs.path, lhs.method.rawValue) < (rhs.path, rhs.method.rawValue)
        }

        public var description: String { "\(method.rawValue) \(path)" }
    }

    private let entries = Mutex<[Entry]>([])

    public init() {}

    public var all: [Entry] { entries.withLock { $0.sorted() } }

    func record(method: HTTPRequest.Method, path: String) {
        let entry = Entry(method: method, path: Self.normalize(path))
        entries.withLock { entries in
            if !entries.contains(entry) { entries.append(entry) }
        }
    }

    /// The methods served on the routes matching a concrete request path, empty if no route matches it
    /// (HEAD wherever GET is: ``APIRoutes/get(_:access:use:)`` serves both).
    public func allowedMethods(forRequestPath requestPath: String) -> [HTTPRequest.Method] {
        let segments = Self.segments(requestPath)
        var methods = Set(
            entries.withLock { entries in
                entries.filter { Self.matches(pattern: Self.segments($0.path), segments: segments[...]) }.map(\.method)
            })
        if methods.contains(.get) { methods.insert(.head) }
        return methods.sorted { $0.rawValue < $1.rawValue }
    }

    /// `/v1/leads/:id/` → `/v1/leads/{id}`.
    static func normalize(_ path: String) -> String {
        "/"
            + segments(path).map { segment in
                segment.hasPrefix(":") ? "{\(segment.dropFirst())}" : segment
            }.joined(separator: "/")
    }

    private static func segments(_ path: String) -> [Substring] {
        path.split(separator: "/", omittingEmptySubsequences: true)
    }

    /// The subset of Hummingbird's path grammar the API uses: literals, `{name}` / `:name`, `*`, and a final `**`.
    private static func matches(pattern: [Substring], segments: ArraySlice<Substring>) -> Bool {
        var segments = segments
        for (index, part) in pattern.enumerated() {
            if part == "**" { return index == pattern.count - 1 }
            guard let segment = segments.popFirst() else { return false }
            let isParameter = part == "*" || part.hasPrefix(":") || (part.hasPrefix("{") && part.hasSuffix("}"))
            if !isParameter && part != segment { return false }
        }
        return segments.isEmpty
    }
}
