/// Why a message could not be read. A message that gives one of these is quarantined with `code` and `message`.
public enum MailParseError: Error, Sendable, Hashable, CustomStringConvertible {
    case tooLarge(bytes: Int, limit: Int)
    case malformedHeader(line: Int)
    case tooManyHeaders(limit: Int)
    case noSender
    case unknownCharset(String)
    case unknownTransferEncoding(String)
    case invalidBase64(part: String)
    case missingBoundary(part: String)
    case unterminatedMultipart(part: String)
    case tooDeep(limit: Int)
    case tooManyParts(limit: Int)

    /// A stable, machine-readable name.
    public var code: String {
        switch self {
        case .tooLarge: "tooLarge"
        case .malformedHeader: "malformedHeader"
        case .tooManyHeaders: "tooManyHeaders"
        case .noSender: "noSender"
        case .unknownCharset: "unknownCharset"
        case .unknownTransferEncoding: "unknownTransferEncoding"
        case .invalidBase64: "invalidBase64"
        case .missingBoundary: "missingBoundary"
        case .unterminatedMultipart: "unterminatedMultipart"
        case .tooDeep: "tooDeep"
        case .tooManyParts: "tooManyParts"
        }
    }

    public var message: String {
        switch self {
        case .tooLarge(let bytes, let limit): "the message has \(bytes) bytes; at most \(limit) are read"
        case .malformedHeader(let line): "header line \(line) is neither a field (Name: value) nor a continuation"
        case .tooManyHeaders(let limit): "more than \(limit) header fields"
        case .noSender: "the message has no From address"
        case .unknownCharset(let name): "charset \(name) is not known"
        case .unknownTransferEncoding(let name): "Content-Transfer-Encoding \(name) is not known"
        case .invalidBase64(let part): "part \(part) is not valid base64"
        case .missingBoundary(let part): "multipart part \(part) has no boundary parameter"
        case .unterminatedMultipart(let part): "multipart part \(part) ends without its closing boundary (truncated?)"
        case .tooDeep(let limit): "multiparts nested more than \(limit) deep"
        case .tooManyParts(let limit): "more than \(limit) MIME parts"
        }
    }

    public var description: String { "\(code): \(message)" }
}
