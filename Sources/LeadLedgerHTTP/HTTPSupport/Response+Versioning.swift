public import Hummingbird

extension Response {
    /// Sets `ETag` and, when given, `X-Log-Position`: what a command's response carries.
    public mutating func setVersioning(etag: EntityTag?, logPosition: UInt64?) {
        if let etag { headers[.eTag] = etag.headerValue }
        if let logPosition { headers[.logPosition] = String(logPosition) }
    }
}
