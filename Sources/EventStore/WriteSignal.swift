import Synchronization

/// "Something was written since you last looked": lets the background upkeep sleep for as long as the daemon is
/// idle, instead of waking up every round to find nothing to do (and each forward worker, to sleep until there is
/// work). Writes that arrive while nobody waits are
/// remembered as one; each signal has a single waiter.
public final class WriteSignal: Sendable {
    private struct State {
        var pending = false
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let state: Mutex<State>

    /// - Parameter pending: whether a write counts as already noted.
    public init(pending: Bool = false) {
        state = Mutex(State(pending: pending))
    }

    /// Marks a write; wakes the waiter if there is one.
    public func noteWrite() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiter else {
                state.pending = true
                return nil
            }
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    /// Returns once a write was noted since the last call (at once if one already was), or when the task is
    /// cancelled.
    public func waitForWrite() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if state.pending {
                        state.pending = false
                        return true
                    }
                    if Task.isCancelled { return true }
                    assert(state.waiter == nil, "WriteSignal has a single waiter")
                    state.waiter = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume()
        }
    }
}
