/// Thrown by ``withDeadline(_:_:)`` when the work did not finish in time.
struct DeadlineExceeded: Error {}

/// Runs `work`, cancelling it and throwing ``DeadlineExceeded`` if it takes longer than `limit`.
/// Used for reading request bodies, so a client that stops sending cannot hold a request open forever.
func withDeadline<T: Sendable>(_ limit: Duration, _ work: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await work() }
        group.addTask {
            try await Task.sleep(for: limit)
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let value = first else {
            throw DeadlineExceeded()
        }
        return value
    }
}
