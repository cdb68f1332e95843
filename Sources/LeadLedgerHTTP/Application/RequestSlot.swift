import Synchronization

/// Per-request state that outer middleware read after inner middleware wrote it (see ``APIRequestContext``).
final class RequestSlot: Sendable {
    private struct State {
        var principal: Principal?
        var requestId: String = ""
    }

    private let state = Mutex(State())

    var principal: Principal? {
        get { state.withLock { $0.principal } }
        set { state.withLock { $0.principal = newValue } }
    }

    var requestId: String {
        get { state.withLock { $0.requestId } }
        set { state.withLock { $0.requestId = newValue } }
    }
}
