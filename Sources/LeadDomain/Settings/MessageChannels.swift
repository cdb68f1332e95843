import Foundation

/// How a connection to the SMTP relay is protected.
public enum SMTPSecurity: String, Sendable, Hashable, Codable, CaseIterable {
    /// Plain SMTP (a relay on the same host or a trusted network).
    case none
    /// Plain SMTP upgraded with STARTTLS before AUTH and MAIL (RFC 3207); the relay must offer it.
    case starttls
    /// TLS from the first byte (SMTPS, port 465; RFC 8314).
    case tls
}

/// The SMTP relay mass e-mail is sent through (ABillS's `ADMIN_MAIL` is `senderAddress`).
///
/// Secrets are not settings: the log is append-only and hash-chained, so a password in it could never be erased.
/// `passwordVariable` names the server's environment variable that holds the AUTH password (`LEADLEDGER_…`).
/// `caFile` is a PEM file of extra trust roots for a relay whose certificate the system does not trust.
public struct SMTPRelay: Sendable, Hashable, Codable {
    public static let maxPerMinute: Int64 = 6_000
    public static let maxAttempts: Int64 = 10
    public static let maxRetrySeconds: Int64 = 3_600

    public var host: String
    public var port: Int64
    public var security: SMTPSecurity
    public var username: String?
    public var passwordVariable: String?
    public var caFile: String?
    public var senderAddress: String
    public var senderName: String?
    /// At most this many messages a minute (throttling).
    public var messagesPerMinute: Int64
    /// Tries per message on temporary failures (4xx), the first included.
    public var maxAttempts: Int64
    /// The wait before the second try; each later wait doubles.
    public var retrySeconds: Int64

    public init(
        host: String, port: Int64 = 587, security: SMTPSecurity = .starttls, username: String? = nil,
        passwordVariable: String? = nil, caFile: String? = nil, senderAddress: String, senderName: String? = nil,
        messagesPerMinute: Int64 = 60, maxAttempts: Int64 = 5, retrySeconds: Int64 = 60
    ) {
        self.host = host
        self.port = port
        self.security = security
        self.username = username
        self.passwordVariable = passwordVariable
        self.caFile = caFile
        self.senderAddress = senderAddress
        self.senderName = senderName
        self.messagesPerMinute = messagesPerMinute
        self.maxAttempts = maxAttempts
        self.retrySeconds = retrySeconds
    }
}

/// An HTTP SMS gateway (NCRM's "send SMS"): one request per message.
///
/// `url` and `body` are templates over `{{to}}` (the number in international form, digits with a leading `+`),
/// `{{text}}` and `{{from}}`, percent-encoded in the URL and in a form body, JSON-escaped in a JSON body (the
/// content type says which). A message is sent when the status is 2xx and, if `successContains` is set, the
/// response body contains it; 429 and 5xx are temporary, other statuses permanent. `authHeader` names a request
/// header whose value is the server's environment variable `authVariable` (secrets are not settings).
public struct SMSGateway: Sendable, Hashable, Codable {
    public static let maxTemplate = 2_048
    /// Variables the URL and body templates may use.
    public static let variables: Set<String> = ["to", "text", "from"]

    public var url: String
    public var method: SMSMethod
    public var body: String?
    public var contentType: String?
    public var authHeader: String?
    public var authVariable: String?
    public var from: String?
    public var successContains: String?
    public var messagesPerMinute: Int64
    public var maxAttempts: Int64
    public var retrySeconds: Int64

    public init(
        url: String, method: SMSMethod = .POST, body: String? = nil, contentType: String? = nil, authHeader: String? = nil,
        authVariable: String? = nil, from: String? = nil, successContains: String? = nil, messagesPerMinute: Int64 = 60,
        maxAttempts: Int64 = 5, retrySeconds: Int64 = 60
    ) {
        self.url = url
        self.method = method
        self.body = body
        self.contentType = contentType
        self.authHeader = authHeader
        self.authVariable = authVariable
        self.from = from
        self.successContains = successContains
        self.messagesPerMinute = messagesPerMinute
        self.maxAttempts = maxAttempts
        self.retrySeconds = retrySeconds
    }

    /// Whether the body is JSON (its values JSON-escaped) rather than a form (percent-encoded).
    public var isJSONBody: Bool { contentType?.lowercased().contains("json") == true }
}

/// The HTTP method an SMS gateway is called with.
public enum SMSMethod: String, Sendable, Hashable, Codable, CaseIterable {
    case GET, POST
}

/// The channel a mailing sends through.
public enum MessageChannel: String, Sendable, Hashable, Codable, CaseIterable {
    case email
    case sms
}

/// Names of environment variables a setting may read a secret from: `LEADLEDGER_` and upper-case letters, digits
/// or `_` (so the settings API cannot read the server's other variables).
public enum SecretVariable {
    public static func isValid(_ name: String) -> Bool {
        name.hasPrefix("LEADLEDGER_") && name.utf8.count <= 64 && name.utf8.count > 11
            && name.utf8.allSatisfy { ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F }
    }
}

/// The checks of the relay and gateway settings (the decider's `setSMTPRelay` and `setSMSGateway`).
enum MessageChannelRules {
    static func checked(_ relay: SMTPRelay, _ v: inout FieldValidator) throws(DomainError) -> SMTPRelay {
        var r = relay
        r.host = relay.host.trimmedWhitespace
        if r.host.isEmpty || r.host.utf8.count > 253
            || !r.host.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || ".-:".unicodeScalars.contains($0)) })
        {
            v.add("host", .invalidValue, "host must be a host name or an IP address (at most 253 characters)")
        }
        range(relay.port, 1, 65_535, "port", &v)
        r.username = v.text(relay.username, field: "username", limit: 256)
        secret(relay.passwordVariable, field: "passwordVariable", &v)
        if relay.passwordVariable != nil, r.username == nil {
            v.add("username", .required, "username is required with passwordVariable")
        }
        if r.username != nil, relay.passwordVariable == nil {
            v.add("passwordVariable", .required, "passwordVariable is required with username")
        }
        if r.username != nil, relay.security == .none {
            v.add("security", .invalidValue, "AUTH is only sent over TLS: choose starttls or tls")
        }
        r.caFile = v.text(relay.caFile, field: "caFile", limit: 1_024)
        if let ca = r.caFile, !ca.hasPrefix("/") { v.add("caFile", .invalidValue, "caFile must be an absolute path") }
        r.senderAddress = EmailAddress.normalize(relay.senderAddress)
        if !EmailAddress.isValid(r.senderAddress) || !r.senderAddress.unicodeScalars.allSatisfy(\.isASCII) {
            v.add("senderAddress", .invalidEmail, "senderAddress must be an ASCII e-mail address")
        }
        r.senderName = v.text(relay.senderName, field: "senderName", limit: v.limits.name)
        range(relay.messagesPerMinute, 1, SMTPRelay.maxPerMinute, "messagesPerMinute", &v)
        range(relay.maxAttempts, 1, SMTPRelay.maxAttempts, "maxAttempts", &v)
        range(relay.retrySeconds, 1, SMTPRelay.maxRetrySeconds, "retrySeconds", &v)
        try v.check()
        return r
    }

    static func checked(_ gateway: SMSGateway, _ v: inout FieldValidator) throws(DomainError) -> SMSGateway {
        var g = gateway
        g.url = gateway.url.trimmedWhitespace
        let lower = g.url.lowercased()
        if !(lower.hasPrefix("http://") || lower.hasPrefix("https://")) || g.url.utf8.count > SMSGateway.maxTemplate {
            v.add("url", .invalidURL, "url must be an http or https URL of at most \(SMSGateway.maxTemplate) bytes")
        } else if URL(string: placeholders(g.url)) == nil {
            v.add("url", .invalidURL, "url is not a URL once its variables are filled in")
        }
        variables(g.url, field: "url", &v)
        g.body = v.text(gateway.body, field: "body", limit: SMSGateway.maxTemplate, multiline: true)
        if let body = g.body { variables(body, field: "body", &v) }
        if g.method == .GET, g.body != nil { v.add("body", .invalidValue, "a GET request has no body") }
        g.contentType = v.text(gateway.contentType, field: "contentType", limit: 128)
        g.authHeader = v.text(gateway.authHeader, field: "authHeader", limit: 64)
        if let header = g.authHeader, !header.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-") }) {
            v.add("authHeader", .invalidValue, "authHeader must be a header name (letters, digits, -)")
        }
        secret(gateway.authVariable, field: "authVariable", &v)
        if (g.authHeader == nil) != (gateway.authVariable == nil) {
            v.add(g.authHeader == nil ? "authHeader" : "authVariable", .required, "authHeader and authVariable go together")
        }
        g.from = v.text(gateway.from, field: "from", limit: 64)
        g.successContains = v.text(gateway.successContains, field: "successContains", limit: 256)
        range(gateway.messagesPerMinute, 1, SMTPRelay.maxPerMinute, "messagesPerMinute", &v)
        range(gateway.maxAttempts, 1, SMTPRelay.maxAttempts, "maxAttempts", &v)
        range(gateway.retrySeconds, 1, SMTPRelay.maxRetrySeconds, "retrySeconds", &v)
        try v.check()
        return g
    }

    /// The `{{name}}` tags of a gateway template: only `to`, `text` and `from`, nothing else Mustache reads.
    static func variables(_ template: String, field: String, _ v: inout FieldValidator) {
        var rest = Substring(template)
        while let open = rest.range(of: "{{") {
            rest = rest[open.upperBound...]
            guard let close = rest.range(of: "}}") else {
                v.add(field, .invalidValue, "an unclosed {{")
                return
            }
            let tag = rest[..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            if !SMSGateway.variables.contains(tag) {
                v.add(field, .invalidValue, "{{\(tag)}} is not a gateway variable (to, text, from)")
            }
            rest = rest[close.upperBound...]
        }
    }

    /// `template` with each variable replaced by a harmless value, to check that it is a URL.
    static func placeholders(_ template: String) -> String {
        var s = template
        for name in SMSGateway.variables {
            s = s.replacingOccurrences(of: "{{\(name)}}", with: "x").replacingOccurrences(of: "{{ \(name) }}", with: "x")
        }
        return s
    }

    static func secret(_ name: String?, field: String, _ v: inout FieldValidator) {
        if let name, !SecretVariable.isValid(name) {
            v.add(field, .invalidValue, "\(field) must name an environment variable LEADLEDGER_[A-Z0-9_]")
        }
    }

    static func range(_ value: Int64, _ low: Int64, _ high: Int64, _ field: String, _ v: inout FieldValidator) {
        if value < low || value > high { v.add(field, .outOfRange, "\(field) must be \(low)–\(high)") }
    }
}
