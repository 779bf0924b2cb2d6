import Foundation
import ServiceLifecycle
import Synchronization

/// Tells `events --follow` streams that new events were committed. It carries only the newest event id: each
/// follower reads what it has not seen from the store, so a slow follower costs no memory and misses nothing.
final class EventNotifier: Service, Sendable {
    private struct State {
        var subscribers: [UUID: AsyncStream<Int64>.Continuation] = [:]
        var finished = false
    }

    private let state = Mutex(State())

    /// A stream of "the newest event id is now N" signals, ending when the daemon stops.
    func subscribe() -> (id: UUID, signals: AsyncStream<Int64>) {
        let id = UUID()
        let (stream, continuation) = AsyncStream.makeStream(of: Int64.self, bufferingPolicy: .bufferingNewest(1))
        let alreadyFinished = state.withLock { state -> Bool in
            if state.finished { return true }
            state.subscribers[id] = continuation
            return false
        }
        if alreadyFinished { continuation.finish() }
        return (id, stream)
    }

    func unsubscribe(_ id: UUID) {
        let continuation = state.withLock { $0.subscribers.removeValue(forKey: id) }
        continuation?.finish()
    }

    func publish(newestEventID: Int64) {
        let subscribers = state.withLock { Array($0.subscribers.values) }
        for subscriber in subscribers {
            subscriber.yield(newestEventID)
        }
    }

    /// Runs until shutdown, then ends every follow stream so the control socket can drain.
    func run() async throws {
        try? await gracefulShutdown()
        let subscribers = state.withLock { state -> [AsyncStream<Int64>.Continuation] in
            state.finished = true
            defer { state.subscribers.removeAll() }
            return Array(state.subscribers.values)
        }
        for subscriber in subscribers {
            subscriber.finish()
        }
    }
}
