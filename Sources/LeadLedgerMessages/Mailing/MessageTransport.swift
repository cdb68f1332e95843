import AsyncHTTPClient
import Foundation
import LeadDomain
import Mustache
import NIOCore
import NIOHTTP1
import NIOPosix

/// One rendered message of a mailing, to one lead.
public struct MailingMessage: Sendable, Hashable {
    public var to: String
    public var toName: String?
    public var subject: String
    public var text: String?
    public var html: String?
    /// `<…@…>` for e-mail; the id an SMS is known by.
    public var messageId: String
    /// When it is sent (the e-mail's Date header).
    public var date: Timestamp
}

/// What became of a message handed to a transport.
public enum TransportOutcome: Sendable, Hashable {
    case accepted(String)
    /// Not sent; worth trying again later.
    case transient(String)
    /// Not sent; never will be.
    case permanent(String)
    /// Handed over completely but unconfirmed: the relay may have it. Never resent.
    case inDoubt(String)
    /// Not sent: the relay or gateway cannot be reached. The mailing pauses.
    case unavailable(String)
}

/// The relay or gateway cannot be reached or refuses us (wrong credentials, no STARTTLS): the mailing pauses.
public struct TransportUnavailable: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// Sends a mailing's messages, one at a time, from the one task that runs the mailing.
public protocol MessageTransport: AnyObject {
    /// Makes ready to send (connects, authenticates); throws `TransportUnavailable`.
    func ready() async throws
    func send(_ message: MailingMessage) async -> TransportOutcome
    func close() async
}

/// Makes the transports mailings send through, from the settings and the server's environment (which holds the
/// secrets the settings only name).
public struct MailingTransports: Sendable {
    public var email: @Sendable (SMTPRelay) throws -> any MessageTransport
    public var sms: @Sendable (SMSGateway) throws -> any MessageTransport

    public init(
        email: @escaping @Sendable (SMTPRelay) throws -> any MessageTransport,
        sms: @escaping @Sendable (SMSGateway) throws -> any MessageTransport
    ) {
        self.email = email
        self.sms = sms
    }

    /// SMTP through SwiftNIO, SMS through AsyncHTTPClient; secrets read from `environment`.
    public static func live(environment: [String: String] = ProcessInfo.processInfo.environment) -> MailingTransports {
        MailingTransports(
            email: { relay in
                var password: String?
                if let name = relay.passwordVariable {
                    guard let value = environment[name] else {
                        throw TransportUnavailable(message: "the server has no environment variable \(name) (the relay's password)")
                    }
                    password = value
                }
                let configuration = SMTPClientConfiguration(
                    host: relay.host, port: Int(relay.port), security: relay.security, username: relay.username,
                    password: password, caFile: relay.caFile, heloName: heloName(relay.senderAddress))
                return SMTPTransport(configuration: configuration, relay: relay)
            },
            sms: { gateway in
                var auth: String?
                if let name = gateway.authVariable {
                    guard let value = environment[name] else {
                        throw TransportUnavailable(message: "the server has no environment variable \(name) (the gateway's \(gateway.authHeader ?? "auth") header)")
                    }
                    auth = value
                }
                return SMSTransport(gateway: gateway, authValue: auth)
            })
    }

    /// The name we greet the relay with: our sender's domain (RFC 5321 wants our own name; the sender's domain
    /// is the one the relay knows us by).
    static func heloName(_ sender: String) -> String {
        sender.split(separator: "@").last.map(String.init) ?? "localhost"
    }
}

/// E-mail through the SMTP relay: one session kept open across messages, opened again when it drops.
final class SMTPTransport: MessageTransport {
    let configuration: SMTPClientConfiguration
    let relay: SMTPRelay
    private var session: SMTPSession?

    init(configuration: SMTPClientConfiguration, relay: SMTPRelay) {
        self.configuration = configuration
        self.relay = relay
    }

    func ready() async throws {
        if let session, session.isActive { return }
        session = nil
        do {
            session = try await SMTPSession.open(configuration, group: MultiThreadedEventLoopGroup.singleton)
        } catch {
            throw TransportUnavailable(message: "\(error)")
        }
    }

    func send(_ message: MailingMessage) async -> TransportOutcome {
        guard let session else { return .unavailable("no SMTP session") }
        let email = OutgoingEmail(
            fromAddress: relay.senderAddress, fromName: relay.senderName, toAddress: message.to, toName: message.toName,
            subject: message.subject, text: message.text, html: message.html, messageId: message.messageId,
            date: message.date)
        let outcome = await session.send(from: relay.senderAddress, to: message.to, message: email.encoded())
        if !session.isActive { self.session = nil }
        switch outcome {
        case .accepted(let reply): return .accepted(reply.description)
        case .transient(let why): return .transient(why)
        case .permanent(let reply): return .permanent(reply.description)
        case .inDoubt(let why): return .inDoubt(why)
        }
    }

    func close() async {
        await session?.close()
        session = nil
    }
}

/// SMS through an HTTP gateway: one request per message (see `SMSGateway`).
final class SMSTransport: MessageTransport {
    let gateway: SMSGateway
    let authValue: String?
    static let timeout: TimeAmount = .seconds(30)
    static let maxResponse = 64 * 1_024
    /// Its own client: connections to the gateway are retried for 5 seconds at most (the shared client waits as
    /// long as the request may take), then the mailing pauses.
    let client: HTTPClient

    init(gateway: SMSGateway, authValue: String?) {
        self.gateway = gateway
        self.authValue = authValue
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: .seconds(5), read: Self.timeout)
        configuration.redirectConfiguration = .disallow
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    func ready() async throws {}

    func send(_ message: MailingMessage) async -> TransportOutcome {
        let text = message.text ?? ""
        let from = gateway.from ?? ""
        let url = Self.render(gateway.url, to: message.to, text: text, from: from, escape: Self.percentEncoded)
        var request = HTTPClientRequest(url: url)
        request.method = gateway.method == .GET ? .GET : .POST
        if let header = gateway.authHeader, let authValue { request.headers.add(name: header, value: authValue) }
        request.headers.add(name: "Idempotency-Key", value: message.messageId)
        if let body = gateway.body {
            let escape = gateway.isJSONBody ? Self.jsonEscaped : Self.percentEncoded
            request.body = .bytes(ByteBuffer(string: Self.render(body, to: message.to, text: text, from: from, escape: escape)))
            request.headers.add(
                name: "Content-Type",
                value: gateway.contentType ?? (gateway.isJSONBody ? "application/json" : "application/x-www-form-urlencoded"))
        }
        let response: HTTPClientResponse
        do {
            response = try await client.execute(request, timeout: Self.timeout)
        } catch {
            // Not connected: the request never left, the mailing pauses. Anything later: it may have arrived.
            return Self.notConnected(error)
                ? .unavailable("cannot reach the SMS gateway: \(error)") : .inDoubt("the SMS gateway did not answer: \(error)")
        }
        let status = Int(response.status.code)
        let body = (try? await response.body.collect(upTo: Self.maxResponse)).map { String(buffer: $0) } ?? ""
        let summary = "HTTP \(status)" + (body.isEmpty ? "" : ": " + String(body.prefix(200)))
        if (200..<300).contains(status) {
            if let needle = gateway.successContains, !body.contains(needle) { return .permanent(summary + " (no \(needle))") }
            return .accepted(summary)
        }
        if status == 429 || status >= 500 { return .transient(summary) }
        return .permanent(summary)
    }

    func close() async {
        try? await client.shutdown()
    }

    static func notConnected(_ error: any Error) -> Bool {
        if error is NIOConnectionError { return true }
        if let error = error as? HTTPClientError, error == .connectTimeout { return true }
        if let error = error as? ChannelError, case .connectTimeout = error { return true }
        if let error = error as? IOError, [ECONNREFUSED, EHOSTUNREACH, ENETUNREACH].contains(error.errnoCode) { return true }
        return false
    }

    /// A gateway template with its variables filled in, each escaped by `escape` (the templates were checked
    /// to hold only `{{to}}`, `{{text}}` and `{{from}}`, so Mustache's own escaping is off).
    static func render(_ template: String, to: String, text: String, from: String, escape: (String) -> String) -> String {
        let values = ["to": escape(to), "text": escape(text), "from": escape(from)]
        guard let parsed = try? MustacheTemplate(string: MessageRenderer.textPragma + template) else { return template }
        return parsed.render(values)
    }

    static func percentEncoded(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    /// The inside of a JSON string.
    static func jsonEscaped(_ value: String) -> String {
        let data = (try? JSONEncoder().encode(value)) ?? Data("\"\"".utf8)
        return String(decoding: data.dropFirst().dropLast(), as: UTF8.self)
    }
}
