/// One server-sent event (the `text/event-stream` format of the HTML standard).
public struct ServerSentEvent: Sendable, Hashable {
    /// Becomes the client's `Last-Event-ID` on reconnect; for the event feed, the log position.
    public var id: String?
    /// The `event:` name; `nil` means the default `message`.
    public var event: String?
    /// The payload, usually one line of JSON; newlines become several `data:` lines.
    public var data: String
    /// Reconnection delay the client should use, in milliseconds.
    public var retryMilliseconds: Int?

    public init(id: String? = nil, event: String? = nil, data: String, retryMilliseconds: Int? = nil) {
        self.id = id
        self.event = event
        self.data = data
        self.retryMilliseconds = retryMilliseconds
    }

    /// The wire form, ending with the blank line that dispatches the event.
    public var encoded: String {
        var text = ""
        // A line break inside `id` or `event` would start a new field: strip them.
        if let id { text += "id: \(Self.singleLine(id))\n" }
        if let event { text += "event: \(Self.singleLine(event))\n" }
        if let retryMilliseconds { text += "retry: \(retryMilliseconds)\n" }
        let lines = data.split(
            omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
        for line in lines { text += "data: \(line)\n" }
        return text + "\n"
    }

    private static func singleLine(_ value: String) -> String {
        String(value.unicodeScalars.filter { $0 != "\n" && $0 != "\r" && $0 != "\0" })
    }
}
