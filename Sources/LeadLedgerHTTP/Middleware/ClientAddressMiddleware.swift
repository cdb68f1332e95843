import Hummingbird

/// Behind reverse proxies: when the socket's peer is one of `trustedProxies`, the client is the rightmost address of
/// `X-Forwarded-For` that is not a trusted proxy (each proxy appends the peer it saw, so the entries left of the
/// first untrusted one are the client's own claims and are not believed).
struct ClientAddressMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext
    let trustedProxies: Set<String>

    init(trustedProxies: [String]) { self.trustedProxies = Set(trustedProxies) }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.clientAddress = Self.client(
            peer: context.clientAddress, forwarded: request.headers[values: .xForwardedFor], trusted: trustedProxies)
        return try await next(request, context)
    }

    static func client(peer: String?, forwarded: [String], trusted: Set<String>) -> String? {
        guard let peer, trusted.contains(peer) else { return peer }
        let hops = forwarded.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
        return hops.last(where: { !$0.isEmpty && !trusted.contains($0) }) ?? peer
    }
}
