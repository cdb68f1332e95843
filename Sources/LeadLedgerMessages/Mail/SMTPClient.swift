import Foundation
import LeadDomain
import NIOCore
import NIOPosix
import NIOSSL

/// A reply of an SMTP server (RFC 5321 §4.2): its code and its lines' texts.
public struct SMTPReply: Sendable, Hashable, CustomStringConvertible {
    public var code: Int
    public var lines: [String]

    public var isPositive: Bool { (200..<400).contains(code) }
    /// 4xx: try again later.
    public var isTransient: Bool { (400..<500).contains(code) }
    public var description: String { "\(code) " + lines.joined(separator: " / ") }
}

/// What became of one message handed to `SMTPSession.send`.
public enum SMTPOutcome: Sendable, Hashable {
    /// The server took it (250 after the data).
    case accepted(SMTPReply)
    /// Not delivered, try again later: a 4xx, or the connection broke before the data was complete.
    case transient(String)
    /// Not delivered, never will be: a 5xx.
    case permanent(SMTPReply)
    /// The data was complete but no answer came: the server may have the message.
    case inDoubt(String)
}

/// Why an SMTP session could not be opened (or broke outside a message): the relay is unreachable, refuses us,
/// or speaks something else. A mailing pauses on it.
public struct SMTPSessionError: Error, Sendable, CustomStringConvertible {
    public var message: String
    /// True for a 4xx greeting or a broken connection (worth retrying later), false for refused credentials or
    /// a missing STARTTLS.
    public var transient: Bool
    public var description: String { message }
}

/// How to reach the relay (the settings' `SMTPRelay` with the password read from the environment).
public struct SMTPClientConfiguration: Sendable {
    public var host: String
    public var port: Int
    public var security: SMTPSecurity
    public var username: String?
    public var password: String?
    /// A PEM file of trust roots (none: the system's).
    public var caFile: String?
    /// The name we greet with (EHLO).
    public var heloName: String
    /// The longest wait for a reply (RFC 5321 §4.5.3.2 suggests minutes; a relay that takes this long is broken).
    public var replyTimeout: TimeAmount

    public init(
        host: String, port: Int, security: SMTPSecurity, username: String? = nil, password: String? = nil,
        caFile: String? = nil, heloName: String = "leadledger.localdomain", replyTimeout: TimeAmount = .seconds(120)
    ) {
        self.host = host
        self.port = port
        self.security = security
        self.username = username
        self.password = password
        self.caFile = caFile
        self.heloName = heloName
        self.replyTimeout = replyTimeout
    }
}

/// One SMTP session with the relay: greeting, EHLO, STARTTLS, AUTH, then any number of messages, each its own
/// transaction (MAIL, RCPT, DATA), without pipelining. Not `Sendable`: one task owns it.
///
/// Hand-written on SwiftNIO and NIOSSL: the package set has no SMTP client. Replies are read by `SMTPReplyDecoder`
/// (bounded lines) and handed to this session through an `AsyncThrowingStream`, one per command.
public final class SMTPSession {
    private let channel: any Channel
    private var replies: AsyncThrowingStream<SMTPReply, any Error>.AsyncIterator
    private let configuration: SMTPClientConfiguration
    private var extensions: [String: String] = [:]
    private var dirty = false

    private init(
        channel: any Channel, replies: AsyncThrowingStream<SMTPReply, any Error>, configuration: SMTPClientConfiguration
    ) {
        self.channel = channel
        self.replies = replies.makeAsyncIterator()
        self.configuration = configuration
    }

    /// Whether the connection is still up.
    public var isActive: Bool { channel.isActive }

    /// Connects, reads the greeting, says EHLO, upgrades with STARTTLS (when asked; a relay that does not offer it
    /// is refused rather than spoken to in the clear) and authenticates (PLAIN, else LOGIN).
    public static func open(_ configuration: SMTPClientConfiguration, group: any EventLoopGroup) async throws -> SMTPSession {
        let tls: NIOSSLContext? = try makeTLSContext(configuration)
        let (stream, continuation) = AsyncThrowingStream<SMTPReply, any Error>.makeStream()
        let host = configuration.host
        let implicitTLS = configuration.security == .tls ? tls : nil
        let timeout = configuration.replyTimeout
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: group)
                .connectTimeout(.seconds(30))
                .channelOption(ChannelOptions.socketOption(.so_keepalive), value: 1)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let sync = channel.pipeline.syncOperations
                        if let implicitTLS {
                            try sync.addHandler(try NIOSSLClientHandler(context: implicitTLS, serverHostname: serverName(host)))
                        }
                        try sync.addHandler(IdleStateHandler(readTimeout: timeout))
                        try sync.addHandler(ByteToMessageHandler(SMTPReplyDecoder()))
                        try sync.addHandler(SMTPReplyForwarder(continuation))
                    }
                }
                .connect(host: configuration.host, port: configuration.port).get()
        } catch {
            throw SMTPSessionError(message: "cannot connect to \(host):\(configuration.port): \(error)", transient: true)
        }
        let session = SMTPSession(channel: channel, replies: stream, configuration: configuration)
        do {
            try await session.handshake(tls: tls)
        } catch let error as SMTPSessionError {
            await session.close()
            throw error
        } catch {
            // A TLS failure, a timeout, a reply we cannot read: the session cannot be had, whatever the cause.
            await session.close()
            throw SMTPSessionError(message: "SMTP session with \(host):\(configuration.port) failed: \(error)", transient: true)
        }
        return session
    }

    private func handshake(tls: NIOSSLContext?) async throws {
        let greeting = try await reply(during: "the greeting")
        guard greeting.code == 220 else {
            throw SMTPSessionError(message: "the relay greeted with \(greeting)", transient: greeting.isTransient)
        }
        try await ehlo()
        if configuration.security == .starttls {
            guard extensions["STARTTLS"] != nil else {
                throw SMTPSessionError(message: "the relay does not offer STARTTLS", transient: false)
            }
            let answer = try await command("STARTTLS")
            guard answer.code == 220 else {
                throw SMTPSessionError(message: "STARTTLS was refused: \(answer)", transient: answer.isTransient)
            }
            guard let tls else { throw SMTPSessionError(message: "no TLS context", transient: false) }
            let channel = channel
            let name = Self.serverName(configuration.host)
            try await channel.eventLoop.submit {
                try channel.pipeline.syncOperations.addHandler(
                    try NIOSSLClientHandler(context: tls, serverHostname: name), position: .first)
            }.get()
            // RFC 3207 §4.2: forget what was learnt before TLS and ask again.
            try await ehlo()
        }
        if let username = configuration.username {
            try await authenticate(username: username, password: configuration.password ?? "")
        }
    }

    private func ehlo() async throws {
        let answer = try await command("EHLO \(configuration.heloName)")
        guard answer.code == 250 else {
            throw SMTPSessionError(message: "EHLO was refused: \(answer)", transient: answer.isTransient)
        }
        extensions = [:]
        for line in answer.lines.dropFirst() {
            let parts = line.split(separator: " ", maxSplits: 1)
            guard let name = parts.first else { continue }
            extensions[name.uppercased()] = parts.count > 1 ? String(parts[1]) : ""
        }
    }

    private func authenticate(username: String, password: String) async throws {
        let mechanisms = Set((extensions["AUTH"] ?? "").uppercased().split(separator: " ").map(String.init))
        let answer: SMTPReply
        if mechanisms.contains("PLAIN") || mechanisms.isEmpty {
            let token = Data(("\0" + username + "\0" + password).utf8).base64EncodedString()
            answer = try await command("AUTH PLAIN \(token)", secret: true)
        } else if mechanisms.contains("LOGIN") {
            let first = try await command("AUTH LOGIN")
            guard first.code == 334 else { throw SMTPSessionError(message: "AUTH LOGIN was refused: \(first)", transient: first.isTransient) }
            let second = try await command(Data(username.utf8).base64EncodedString(), secret: true)
            guard second.code == 334 else { throw SMTPSessionError(message: "AUTH LOGIN was refused: \(second)", transient: second.isTransient) }
            answer = try await command(Data(password.utf8).base64EncodedString(), secret: true)
        } else {
            throw SMTPSessionError(message: "the relay offers no AUTH mechanism we speak (PLAIN, LOGIN)", transient: false)
        }
        guard answer.code == 235 else {
            throw SMTPSessionError(message: "authentication failed: \(answer)", transient: answer.isTransient)
        }
    }

    /// Sends one message to one recipient. Errors of the transaction are outcomes; a broken connection before the
    /// data was complete is `transient` (RFC 5321 §4.1.1.4: the server must not deliver an incomplete message),
    /// after it `inDoubt`.
    public func send(from: String, to: String, message: [UInt8]) async -> SMTPOutcome {
        // An address that cannot stand in a command line is refused here, not sent half-written.
        for address in [from, to] where address.isEmpty || address.unicodeScalars.contains(where: { $0.value < 0x21 || "<>".unicodeScalars.contains($0) }) {
            return .permanent(SMTPReply(code: 501, lines: ["\(address.debugDescription) cannot be written in an SMTP command"]))
        }
        do {
            if dirty {
                let reset = try await command("RSET")
                guard reset.code == 250 else { return .transient("RSET was refused: \(reset)") }
            }
            dirty = true
            let mail = try await command("MAIL FROM:<\(from)>" + (extensions["8BITMIME"] != nil ? " BODY=8BITMIME" : ""))
            if let failed = Self.failure(mail, expected: 250) { return failed }
            let rcpt = try await command("RCPT TO:<\(to)>")
            if let failed = Self.failure(rcpt, expected: 250) { return failed }
            let data = try await command("DATA")
            if let failed = Self.failure(data, expected: 354) { return failed }
            try await write(Self.dotStuffed(message))
        } catch {
            return .transient("\(error)")
        }
        do {
            let done = try await reply(during: "the end of the data")
            if let failed = Self.failure(done, expected: 250) { return failed }
            dirty = false
            return .accepted(done)
        } catch {
            return .inDoubt("no answer after the data: \(error)")
        }
    }

    /// Says QUIT (briefly) and closes.
    public func close() async {
        if channel.isActive {
            _ = try? await write(Array("QUIT\r\n".utf8))
        }
        try? await channel.close().get()
    }

    private static func failure(_ reply: SMTPReply, expected: Int) -> SMTPOutcome? {
        if reply.code == expected { return nil }
        return reply.isTransient ? .transient(reply.description) : .permanent(reply)
    }

    private func command(_ line: String, secret: Bool = false) async throws -> SMTPReply {
        guard !line.contains("\r"), !line.contains("\n") else {
            throw SMTPSessionError(message: "an SMTP command must be one line", transient: false)
        }
        try await write(Array((line + "\r\n").utf8))
        return try await reply(during: secret ? "AUTH" : line.prefix(4).description)
    }

    private func write(_ bytes: [UInt8]) async throws {
        try await channel.writeAndFlush(channel.allocator.buffer(bytes: bytes)).get()
    }

    private func reply(during step: String) async throws -> SMTPReply {
        var iterator = replies
        defer { replies = iterator }
        guard let reply = try await iterator.next() else {
            throw SMTPSessionError(message: "the relay closed the connection during \(step)", transient: true)
        }
        return reply
    }

    /// The message's lines with CRLF ends, a `.` doubled where it opens a line (RFC 5321 §4.5.2), and the
    /// closing `.` line.
    static func dotStuffed(_ message: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(message.count + message.count / 64 + 5)
        var atLineStart = true
        var previous: UInt8 = 0
        for byte in message {
            if byte == 0x0A && previous != 0x0D { out.append(0x0D) }
            if atLineStart && byte == 0x2E { out.append(0x2E) }
            out.append(byte)
            atLineStart = byte == 0x0A
            previous = byte
        }
        if !atLineStart { out += [0x0D, 0x0A] }
        out += [0x2E, 0x0D, 0x0A]
        return out
    }

    private static func makeTLSContext(_ configuration: SMTPClientConfiguration) throws -> NIOSSLContext? {
        guard configuration.security != .none else { return nil }
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.minimumTLSVersion = .tlsv12
        if let caFile = configuration.caFile {
            do {
                tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(caFile))
            } catch {
                throw SMTPSessionError(message: "cannot read caFile \(caFile): \(error)", transient: false)
            }
        }
        return try NIOSSLContext(configuration: tls)
    }

    /// The name TLS checks the certificate against: the host, unless it is an IP address (SNI names no addresses;
    /// the certificate's IP entries are checked instead).
    static func serverName(_ host: String) -> String? {
        var v4 = in_addr()
        var v6 = in6_addr()
        if inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1 { return nil }
        return host
    }
}

/// Decodes SMTP replies: lines `NNN-text` continue, `NNN text` ends (RFC 5321 §4.2.1). A line longer than 2,000
/// bytes or a reply of more than 100 lines is an error (NIOExtras' line decoder has no bound).
struct SMTPReplyDecoder: ByteToMessageDecoder {
    typealias InboundOut = SMTPReply
    static let maxLine = 2_000
    static let maxLines = 100
    private var lines: [String] = []

    struct Malformed: Error, CustomStringConvertible {
        var description: String
    }

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let newline = buffer.readableBytesView.firstIndex(of: 0x0A) else {
            if buffer.readableBytes > Self.maxLine { throw Malformed(description: "a reply line longer than \(Self.maxLine) bytes") }
            return .needMoreData
        }
        let length = newline - buffer.readerIndex
        guard length <= Self.maxLine, var line = buffer.readString(length: length) else {
            throw Malformed(description: "a reply line longer than \(Self.maxLine) bytes")
        }
        buffer.moveReaderIndex(forwardBy: 1)
        if line.hasSuffix("\r") { line.removeLast() }
        let bytes = Array(line.utf8)
        guard bytes.count >= 3, bytes[0...2].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let code = Int(String(line.prefix(3))),
            bytes.count == 3 || bytes[3] == 0x20 || bytes[3] == 0x2D
        else {
            throw Malformed(description: "not an SMTP reply: \(line.prefix(80))")
        }
        lines.append(bytes.count > 4 ? String(line.dropFirst(4)) : "")
        if lines.count > Self.maxLines { throw Malformed(description: "a reply of more than \(Self.maxLines) lines") }
        if bytes.count == 3 || bytes[3] == 0x20 {
            context.fireChannelRead(wrapInboundOut(SMTPReply(code: code, lines: lines)))
            lines = []
        }
        return .continue
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        return .needMoreData
    }
}

/// Hands decoded replies to the session's stream; ends it when the connection closes, fails or stays silent.
final class SMTPReplyForwarder: ChannelInboundHandler, Sendable {
    typealias InboundIn = SMTPReply
    private let continuation: AsyncThrowingStream<SMTPReply, any Error>.Continuation

    struct Timeout: Error, CustomStringConvertible {
        var description: String { "the relay did not answer in time" }
    }

    init(_ continuation: AsyncThrowingStream<SMTPReply, any Error>.Continuation) { self.continuation = continuation }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        continuation.yield(unwrapInboundIn(data))
    }

    func channelInactive(context: ChannelHandlerContext) {
        continuation.finish()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        continuation.finish(throwing: error)
        context.close(promise: nil)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let idle = event as? IdleStateHandler.IdleStateEvent, idle == .read {
            continuation.finish(throwing: Timeout())
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }
}
