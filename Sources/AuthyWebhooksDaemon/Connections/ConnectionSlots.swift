import Synchronization

/// The `MaxConnections=` slots of one listener, and which of their connections sit idle between requests.
///
/// Why: at the limit, Hummingbird stops accepting until a connection closes, and a kept-alive connection that sent
/// its last request may sit idle for the whole `IdleTimeout=` (60 s by default). So idle clients could keep a new
/// one (Authy with a delivery) waiting in the kernel's accept queue for a minute: measured, after a half-second
/// stall under 1,000 deliveries/s, one request waited 60 s. As nginx does, a listener at its limit closes its
/// longest-idle kept-alive connection to make room; a connection with a request in flight is never closed.
///
/// Shared by the connections of one listener, which live on different event loops; each
/// ``IdleConnectionReclaimer`` reports its connection's state here.
final class ConnectionSlots: Sendable {
    /// Closes one idle connection on its own event loop, if it is still idle there.
    typealias Reclaim = @Sendable () -> Void

    private struct Idle {
        var since: UInt64
        var reclaim: Reclaim
    }

    private struct State {
        var open = 0
        var idle: [ObjectIdentifier: Idle] = [:]
        var clock: UInt64 = 0
    }

    /// `MaxConnections=`.
    let limit: Int
    private let state = Mutex(State())

    init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// A connection opened. If that fills the last slot, the longest-idle connection is returned, already taken off
    /// the idle list: the caller closes it so that the listener goes on accepting.
    func opened() -> Reclaim? {
        state.withLock { state in
            state.open += 1
            guard state.open >= limit, let oldest = state.idle.min(by: { $0.value.since < $1.value.since }) else {
                return nil
            }
            state.idle[oldest.key] = nil
            return oldest.value.reclaim
        }
    }

    /// Whether every slot is taken: Hummingbird has stopped accepting, and somebody may be waiting.
    var areAllTaken: Bool {
        state.withLock { $0.open >= limit }
    }

    /// The connection `id` has answered everything it was sent.
    func becameIdle(_ id: ObjectIdentifier, reclaim: @escaping Reclaim) {
        state.withLock { state in
            state.clock += 1
            state.idle[id] = Idle(since: state.clock, reclaim: reclaim)
        }
    }

    /// The connection `id` received a request head.
    func becameBusy(_ id: ObjectIdentifier) {
        _ = state.withLock { $0.idle.removeValue(forKey: id) }
    }

    /// The connection `id` closed.
    func closed(_ id: ObjectIdentifier) {
        state.withLock { state in
            state.open -= 1
            state.idle[id] = nil
        }
    }
}
