import EventStore
import Foundation
import GRDB
import Testing

/// Background WAL checkpoints: commits leave their pages in the WAL, and the daemon's upkeep round folds them into
/// the database file without a commit paying for it.
@Suite("Background checkpoints")
struct CheckpointTests {
    func size(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? -1
    }

    @Test func maintenanceCopiesCommittedPagesIntoTheDatabaseFile() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("checkpoint.sqlite3")
        let store = try SQLiteEventStore(path: path)
        #expect(store.backgroundMaintenanceInterval == .milliseconds(100))
        for index in 0..<200 {
            _ = try await store.record([delivery(token: "checkpoint-\(index)")])
        }
        let walBefore = size(path + "-wal"), databaseBefore = size(path)
        #expect(walBefore > databaseBefore, "200 commits stay in the WAL (wal_autocheckpoint is a distant safety net)")

        await store.performBackgroundMaintenance()
        #expect(size(path) > databaseBefore, "the pages were copied into the database file")
        // Everything committed is still there, and a later commit still works.
        #expect(try await store.statistics().deliveries == 200)
        _ = try await store.record([delivery(token: "after")])
        try await store.close()
    }

    @Test func anInMemoryStoreNeedsNoUpkeep() async throws {
        let store = try SQLiteEventStore(inMemoryWith: .init())
        #expect(store.backgroundMaintenanceInterval == nil)
        await store.performBackgroundMaintenance()
        try await store.close()
    }
}
