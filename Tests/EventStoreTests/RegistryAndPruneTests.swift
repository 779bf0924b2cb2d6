import EventStore
import Foundation
import GRDB
import Testing

@Suite("Webhook registry and pruning")
struct RegistryAndPruneTests {
    func webhook(_ id: String, name: String, key: String?, source: RegisteredWebhook.Source = .authy) -> RegisteredWebhook {
        RegisteredWebhook(id: id, name: name, url: "https://example.com/\(name)", events: ["user_added"], signingKey: key, source: source, createdAt: Date(timeIntervalSince1970: 1_700_000_000), lastSyncedAt: nil)
    }

    @Test func upsertReplaceAndRemoveRetireKeys() async throws {
        let store = try SQLiteEventStore(inMemoryWith: .init())
        let start = Date()
        try await store.applyRegistryChanges([.upsert(webhook("WH_1", name: "prod", key: "WSK_one")), .upsert(webhook("WH_2", name: "staging", key: "WSK_two"))], at: start)
        #expect(try await store.webhooks().map(\.name) == ["prod", "staging"])
        #expect(try await store.retiredSigningKeys(since: .distantPast).isEmpty)

        // Same id, new key (a recreate): the old key is retired, not forgotten.
        try await store.applyRegistryChanges([.upsert(webhook("WH_1", name: "prod", key: "WSK_one_b"))], at: start.addingTimeInterval(1))
        try await store.applyRegistryChanges([.remove(id: "WH_2")], at: start.addingTimeInterval(2))
        let registry = try await store.webhooks()
        #expect(registry.map(\.signingKey) == ["WSK_one_b"])
        let retired = try await store.retiredSigningKeys(since: .distantPast)
        #expect(retired.map(\.signingKey) == ["WSK_one", "WSK_two"])
        #expect(retired.map(\.webhookName) == ["prod", "staging"])
        #expect(try await store.retiredSigningKeys(since: start.addingTimeInterval(1.5)).map(\.signingKey) == ["WSK_two"])
    }

    @Test func markSyncedSetsTheTime() async throws {
        let store = try SQLiteEventStore(inMemoryWith: .init())
        try await store.applyRegistryChanges([.upsert(webhook("WH_1", name: "prod", key: "k"))], at: Date())
        #expect(try await store.webhooks()[0].lastSyncedAt == nil)
        let time = Date(timeIntervalSince1970: 1_800_000_000)
        try await store.applyRegistryChanges([.markSynced(ids: ["WH_1"])], at: time)
        #expect(try await store.webhooks()[0].lastSyncedAt == time)
    }

    @Test func pruneRemovesOldDeliveriesInBatchesAndDryRunOnlyCounts() async throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteEventStore(path: directory.file("prune.sqlite3"))
        for index in 0..<25 {
            _ = try await store.record([delivery(token: "old\(index)", types: ["user_added", "token_verified"])])
        }
        let cutoff = Date().addingTimeInterval(1)
        let dry = try await store.prune(receivedBefore: cutoff, batchSize: 10, dryRun: true)
        #expect(dry == PruneResult(deliveries: 25, events: 50, dryRun: true))
        #expect(try await store.statistics().events == 50)

        let pruned = try await store.prune(receivedBefore: cutoff, batchSize: 10, dryRun: false)
        #expect(pruned == PruneResult(deliveries: 25, events: 50, dryRun: false))
        #expect(try await store.statistics().events == 0)
        #expect(try await store.statistics().deliveries == 0)
        // Nothing newer than the cutoff is touched.
        _ = try await store.record([delivery(token: "new")])
        #expect(try await store.prune(receivedBefore: Date().addingTimeInterval(-3600), batchSize: 10, dryRun: false).deliveries == 0)
        #expect(try await store.statistics().events == 1)
        try await store.close()
    }

    @Test func pruneGivesPagesBack() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("vacuum.sqlite3")
        let store = try SQLiteEventStore(path: path)
        let bulky = String(repeating: "x", count: 2000)
        for index in 0..<300 {
            var d = delivery(token: "bulk\(index)")
            d.events[0].payload = "\"\(bulky)\""
            _ = try await store.record([d])
        }
        _ = try await store.prune(receivedBefore: Date().addingTimeInterval(1), batchSize: 100, dryRun: false)
        try await store.close()
        let queue = try DatabaseQueue(path: path)
        let freePages = try await queue.read { db in try Int.fetchOne(db, sql: "PRAGMA freelist_count") ?? -1 }
        #expect(freePages == 0, "incremental vacuum should have returned the freed pages")
    }
}
