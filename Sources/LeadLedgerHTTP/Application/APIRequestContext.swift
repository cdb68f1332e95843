public import Hummingbird
import EventLog
import Foundation
import Logging

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The request context of every LeadLedger route: who is calling and which request this is.
///
/// `principal` is set by ``BearerAuthMiddleware`` on authenticated routes; read it with
/// ``principalOrThrow()`` or check permissions with ``require(permission:)``.
public struct APIRequestContext: RequestContext {
    public typealias Decoder = ProblemJSONDecoder

    public var coreContext: CoreRequestContextStorage
    /// The authenticated caller; `nil` on public routes.
    public var principal: Principal? {
        didSet { slot.principal = principal }
    }
    /// The `X-Request-Id` of this request (the client's if it sent a usable one, otherwise generated).
    public var requestId: String {
        didSet { slot.requestId = requestId }
    }
    /// Set by ``BodyLimitMiddleware`` from the configuration; Hummingbird's decoders honour it.
    public var maxUploadSize: Int
    /// The client's IP address, for per-client limits: the socket's peer, or behind a trusted proxy what it
    /// forwarded (``ClientAddressMiddleware``).
    public var clientAddress: String?
    /// Set by ``RequestFingerprintMiddleware`` for a request with an `Idempotency-Key`.
    public var requestFingerprint: String?
    /// Shared with the middleware that wrap this one, so logging and metrics see the principal that an inner
    /// middleware authenticated (the context itself is a value, copied on the way in).
    let slot: RequestSlot

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.clientAddress = source.channel.remoteAddress?.ipAddress
        self.principal = nil
        self.requestId = UUID.random().lowercased
        self.maxUploadSize = HTTPServerConfiguration.defaultMaxBodySize
        self.requestFingerprint = nil
        self.slot = RequestSlot()
        self.slot.requestId = requestId
    }

    public var requestDecoder: ProblemJSONDecoder { ProblemJSONDecoder() }
}
