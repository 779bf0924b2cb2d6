import EventStore
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Why a delivery was not handed to the store.
struct WriteRejection: Error, Sendable {
    enum Reason: Sendable {
        /// More deliveries are waiting than `[Receiver] MaxPendingWrites=`: answer 503 at once, keep memory bounded.
        case overloaded
        /// The daemon is stopping.
        case stopping
        /// The store failed; the delivery was not committed.
        case store(StoreError)
    }

    var reason: Reason
}

/// Group commit: deliveries that arrive together are written in one transaction with one fsync, and each
/// request is answered only after the transaction holding it has committed.
///
/// It is a `Service`: on graceful shutdown it keeps writing until the queue is empty (the receivers, which stop
/// before it, have answered or refused every request by then), so nothing acknowledged is ever lost by a stop.
final class DeliveryWriter: Service, Sendable {
    private typealias Waiter = CheckedContinuation<Result<RecordOutcome, WriteRejection>, Never>

    private struct State {
        var pending: [(NewDelivery, Waiter)] = []
        var wakeUp: CheckedContinuation<Void, Never>?
        var stopping = false
    }

    private let store: any EventStore
    private let capacity: Int
    private let maxBatch: Int
    private let state = Mutex(State())
    private let logger: Logger
    private let routes: @Sendable () -> [ForwardRoute]
    private let onCommit: @Sendable ([(NewDelivery, RecordOutcome)]) -> Void

    /// - Parameters:
    ///   - capacity: deliveries that may wait for the store before new ones are refused.
    ///   - routes: the forward targets in force, read for each batch: their outbox rows go into the same transaction.
    ///   - onCommit: called after each committed batch with every delivery and its outcome (``CommittedDeliveries``).
    init(store: any EventStore, capacity: Int, maxBatch: Int = 256, logger: Logger,
         routes: @escaping @Sendable () -> [ForwardRoute] = { [] },
         onCommit: @escaping @Sendable ([(NewDelivery, RecordOutcome)]) -> Void) {
        self.store = store
        self.routes = routes
        self.capacity = max(1, capacity)
        self.maxBatch = max(1, maxBatch)
        self.logger = logger
        self.onCommit = onCommit
    }

    /// Queues one delivery and waits until it is committed (or refused).
    func submit(_ delivery: NewDelivery) async -> Result<RecordOutcome, WriteRejection> {
        await withCheckedContinuation { (waiter: Waiter) in
            let (refusal, wake) = state.withLock { state -> (WriteRejection.Reason?, CheckedContinuation<Void, Never>?) in
                if state.stopping { return (.stopping, nil) }
                if state.pending.count >= capacity { return (.overloaded, nil) }
                state.pending.append((delivery, waiter))
                defer { state.wakeUp = nil }
                return (nil, state.wakeUp)
            }
            if let refusal {
                waiter.resume(returning: .failure(WriteRejection(reason: refusal)))
            }
            wake?.resume()
        }
    }

    func run() async throws {
        await withGracefulShutdownHandler {
            while let batch = await nextBatch() {
                await write(batch)
            }
        } onGracefulShutdown: {
            let wake = self.state.withLock { state -> CheckedContinuation<Void, Never>? in
                state.stopping = true
                defer { state.wakeUp = nil }
                return state.wakeUp
            }
            wake?.resume()
        }
    }

    /// Waits for work; nil once stopping and drained.
    private func nextBatch() async -> [(NewDelivery, Waiter)]? {
        while true {
            enum Step { case batch([(NewDelivery, Waiter)]), done, wait }
            let step = state.withLock { state -> Step in
                if !state.pending.isEmpty {
                    let count = min(maxBatch, state.pending.count)
                    let batch = Array(state.pending.prefix(count))
                    state.pending.removeFirst(count)
                    return .batch(batch)
                }
                return state.stopping ? .done : .wait
            }
            switch step {
            case .batch(let batch): return batch
            case .done: return nil
            case .wait:
                await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                    let resumeNow = state.withLock { state -> Bool in
                        if !state.pending.isEmpty || state.stopping { return true }
                        state.wakeUp = continuation
                        return false
                    }
                    if resumeNow { continuation.resume() }
                }
            }
        }
    }

    private func write(_ batch: [(NewDelivery, Waiter)]) async {
        do {
            let deliveries = batch.map(\.0)
            let outcomes = try await store.record(deliveries, forwardingTo: routes())
            for (index, entry) in batch.enumerated() {
                entry.1.resume(returning: .success(outcomes[index]))
            }
            onCommit(Array(zip(deliveries, outcomes)))
        } catch {
            logger.error("could not commit \(batch.count) deliveries: \(error.message)", metadata: ["error_code": "\(error.code.rawValue)"])
            for entry in batch {
                entry.1.resume(returning: .failure(WriteRejection(reason: .store(error))))
            }
        }
    }
}
