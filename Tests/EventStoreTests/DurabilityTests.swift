@testable import EventStore
import GRDB
import Testing

/// `[Store] Synchronous=` reaches the connection that commits deliveries. GRDB's pool sets `synchronous = NORMAL`
/// on its writer when it turns WAL mode on, after the store's own setup has run; the store must set it again, or a
/// "durable" commit is acknowledged before its fsync.
@Suite("Durability")
struct DurabilityTests {
    /// `PRAGMA synchronous` on the writer's connection, the one every `record(_:)` commits on: 2 is FULL, 1 NORMAL.
    func writerSynchronous(_ store: SQLiteEventStore) async throws -> Int? {
        try await store.writer.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") }
    }

    @Test(arguments: [(SQLiteEventStore.Durability.full, 2), (.normal, 1)])
    func commitsUseTheConfiguredSynchronousLevel(durability: SQLiteEventStore.Durability, pragma: Int) async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("durability.sqlite3")
        let store = try SQLiteEventStore(path: path, options: .init(durability: durability))
        _ = try await store.record([delivery(token: "durable")])
        #expect(try await writerSynchronous(store) == pragma)
        // What `authyctl status` shows comes from the same connection.
        #expect(try await store.statistics().durability == durability.rawValue)
        try await store.close()

        // Reopening an existing database (no migration to run) takes the same path.
        let reopened = try SQLiteEventStore(path: path, options: .init(durability: durability))
        #expect(try await writerSynchronous(reopened) == pragma)
        #expect(try await reopened.statistics().deliveries == 1)
        try await reopened.close()
    }

    @Test func theDefaultIsFull() async throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteEventStore(path: directory.file("default.sqlite3"))
        #expect(try await writerSynchronous(store) == 2)
        try await store.close()
    }
}
