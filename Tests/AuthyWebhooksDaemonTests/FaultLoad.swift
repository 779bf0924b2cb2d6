import AsyncHTTPClient
import Foundation
import Synchronization

/// A steady load of distinct signed deliveries from a few concurrent clients, recording what each client was
/// answered. Each client sends one delivery after another and stops at its first answer that is not a 2xx (the
/// daemon died, is stopping or is refusing), so every client ends with exactly one unacknowledged delivery.
final class FaultLoad: Sendable {
    struct Sent: Sendable {
        var id: String
        var token: String
        var answer: DeliveryAnswer
        /// The request ID of the delivery's single event, as stored in the `event` table.
        var requestID: String { id + "_0" }
    }

    let acknowledgedCount = Atomic<Int>(0)
    private let sent = Mutex<[Sent]>([])

    /// Every delivery sent so far and its answer.
    var results: [Sent] { sent.withLock { $0 } }

    /// Runs `clients` clients against `url` until each got a non-2xx answer (or sent `limit` deliveries).
    func run(clients: Int, prefix: String, url: String, http: HTTPClient, limit: Int = 3000) async {
        await withTaskGroup(of: Void.self) { group in
            for client in 0..<clients {
                group.addTask {
                    for index in 0..<limit {
                        let id = "\(prefix)_c\(client)_\(index)"
                        let token = FaultClient.token(id)
                        let answer = await FaultClient.deliver(token, to: url, http: http)
                        self.sent.withLock { $0.append(Sent(id: id, token: token, answer: answer)) }
                        guard answer.isAcknowledged else { return }
                        self.acknowledgedCount.add(1, ordering: .relaxed)
                    }
                }
            }
        }
    }

    /// Waits until at least `count` deliveries were acknowledged; throws (with the daemon's log) if that takes
    /// longer than a generous minute or the daemon dies first.
    func waitForAcknowledged(_ count: Int, daemon: SpawnedDaemon) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while acknowledgedCount.load(ordering: .relaxed) < count {
            guard ContinuousClock.now < deadline, daemon.isRunning else {
                throw SpawnedDaemon.Failure(description: "only \(acknowledgedCount.load(ordering: .relaxed)) of \(count) deliveries acknowledged; daemon log:\n\(daemon.log)")
            }
            try await Task.sleep(for: .milliseconds(5))
        }
    }
}

/// Runs `body` with an HTTP client for the fault tests, shutting it down on every path (AsyncHTTPClient traps if
/// a client is deinitialised while running).
func withFaultClient<T: Sendable>(connections: Int = 8, _ body: (HTTPClient) async throws -> T) async throws -> T {
    let http = FaultClient.make(connections: connections)
    do {
        let result = try await body(http)
        try await http.shutdown()
        return result
    } catch {
        try? await http.shutdown()
        throw error
    }
}

/// A value shared by concurrent tasks of a test (a `Mutex` itself cannot be captured by an escaping closure).
final class SharedValue<Value: Sendable>: Sendable {
    private let value: Mutex<Value>

    init(_ value: Value) { self.value = Mutex(value) }

    func withLock<R: Sendable>(_ body: (inout Value) -> R) -> R { value.withLock { body(&$0) } }
}
