import HTTPTypes

/// Reads the (method, path) pairs declared under `paths:` in `schemas/openapi.yaml`.
///
/// There is no YAML library in the build, and the document only needs to be read for this one check, so this
/// is a strict reader of the subset the document is written in: block style, two-space indentation,
/// `paths:` at column 0, each path key at column 2 starting with `/`, each operation key at column 4.
/// Anything else under `paths:` at those columns (flow style, tabs, `$ref` path items) is an error, so a
/// document the reader does not understand fails the test instead of passing silently.
public enum OpenAPIPathExtractor {
    public struct Failure: Error, CustomStringConvertible {
        public var line: Int
        public var message: String
        public var description: String { "openapi.yaml line \(line): \(message)" }
    }

    static let operationKeys: Set<String> = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]
    /// Path-item keys that are not operations.
    static let otherPathItemKeys: Set<String> = ["summary", "description", "servers", "parameters"]

    public static func operations(inYAML text: String) throws -> [RouteTable.Entry] {
        var result: [RouteTable.Entry] = []
        var inPaths = false
        var currentPath: String?
        for (offset, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNumber = offset + 1
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            if line.contains("\t") { throw Failure(line: lineNumber, message: "tab character") }
            let trimmed = line.drop { $0 == " " }
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let indent = line.count - trimmed.count
            if indent == 0 {
                inPaths = trimmed == "paths:"
                if !inPaths && trimmed.hasPrefix("paths:") {
                    throw Failure(line: lineNumber, message: "`paths:` must be a block mapping")
                }
                currentPath = nil
                continue
            }
            guard inPaths else { continue }
            switch indent {
            case 2:
                let path = String(trimmed.dropLast()).trimmingQuotes()
                guard trimmed.hasSuffix(":"), path.hasPrefix("/") else {
                    throw Failure(line: lineNumber, message: "expected a path key like `/v1/leads:`")
                }
                guard !path.contains(" ") else { throw Failure(line: lineNumber, message: "space in path `\(path)`") }
                currentPath = path
            case 4:
                guard let currentPath else { throw Failure(line: lineNumber, message: "operation outside a path") }
                guard let colon = trimmed.firstIndex(of: ":") else {
                    throw Failure(line: lineNumber, message: "expected a key")
                }
                let key = String(trimmed[..<colon])
                if operationKeys.contains(key) {
                    guard trimmed[trimmed.index(after: colon)...].allSatisfy({ $0 == " " }) else {
                        throw Failure(line: lineNumber, message: "operation `\(key)` must be a block mapping")
                    }
                    result.append(.init(method: HTTPRequest.Method(key.uppercased())!, path: currentPath))
                } else if !otherPathItemKeys.contains(key) {
                    throw Failure(line: lineNumber, message: "unexpected path item key `\(key)`")
                }
            default:
                if indent < 4 { throw Failure(line: lineNumber, message: "unexpected indentation \(indent)") }
            }
        }
        return result.sorted()
    }
}

extension String {
    fileprivate func trimmingQuotes() -> String {
        if (hasPrefix("\"") && hasSuffix("\"")) || (hasPrefix("'") && hasSuffix("'")), count >= 2 {
            return String(dropFirst().dropLast())
        }
        return self
    }
}
