/// An HTTP entity tag (RFC 9110 §8.8.3).
///
/// Resources are tagged by stream version (`"v7"`), query results by log position (`"p1234"`):
///
/// ```swift
/// response.headers[.eTag] = EntityTag.streamVersion(7).headerValue   // "v7"
/// ```
public struct EntityTag: Sendable, Hashable, CustomStringConvertible {
    /// The opaque value between the quotes.
    public var opaqueTag: String
    public var isWeak: Bool

    /// `opaqueTag` must consist of etagc characters (visible ASCII except `"`); checked by ``parseList(_:)``
    /// for tags that come from clients.
    public init(_ opaqueTag: String, weak: Bool = false) {
        self.opaqueTag = opaqueTag
        self.isWeak = weak
    }

    public static func streamVersion(_ version: UInt64) -> EntityTag { EntityTag("v\(version)") }
    public static func logPosition(_ position: UInt64) -> EntityTag { EntityTag("p\(position)") }

    /// The stream version this tag names, if it is a strong `"v<n>"` tag.
    public var streamVersion: UInt64? {
        guard !isWeak, opaqueTag.hasPrefix("v") else { return nil }
        return UInt64(opaqueTag.dropFirst())
    }

    public var headerValue: String { (isWeak ? "W/" : "") + "\"\(opaqueTag)\"" }
    public var description: String { headerValue }

    /// Strong comparison (If-Match): both strong and equal.
    public func strongMatches(_ other: EntityTag) -> Bool {
        !isWeak && !other.isWeak && opaqueTag == other.opaqueTag
    }

    /// Weak comparison (If-None-Match): equal values, weakness ignored.
    public func weakMatches(_ other: EntityTag) -> Bool {
        opaqueTag == other.opaqueTag
    }
}
