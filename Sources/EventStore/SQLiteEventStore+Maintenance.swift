import Foundation
import GRDB

extension SQLiteEventStore {
    public func prune(receivedBefore before: Date, batchSize: Int, dryRun: Bool) async throws(StoreError) -> PruneResult {
        let cutoff = Self.microseconds(before)
        if dryRun {
            return try await read { db in
                let deliveries = try Int.fetchOne(db, sql: "SELECT count(*) FROM delivery WHERE received_at < ?", arguments: [cutoff]) ?? 0
                let events = try Int.fetchOne(db, sql: "SELECT count(*) FROM event WHERE received_at < ?", arguments: [cutoff]) ?? 0
                return PruneResult(deliveries: deliveries, events: events, dryRun: true)
            }
        }
        var total = PruneResult(deliveries: 0, events: 0, dryRun: false)
        let batch = max(1, batchSize)
        // Small transactions, so deliveries arriving meanwhile wait for one batch at most.
        while true {
            let removed = try await write { db -> (Int, Int) in
                let ids = try Int64.fetchAll(db, sql: """
                    SELECT id FROM delivery WHERE received_at < ? ORDER BY received_at LIMIT ?
                    """, arguments: [cutoff, batch])
                if ids.isEmpty { return (0, 0) }
                let idList = ids.map(String.init).joined(separator: ",")
                try db.execute(sql: "DELETE FROM event WHERE delivery_id IN (\(idList))")
                let events = db.changesCount
                try db.execute(sql: "DELETE FROM delivery WHERE id IN (\(idList))")
                return (db.changesCount, events)
            }
            total.deliveries += removed.0
            total.events += removed.1
            if removed.0 < batch { break }
        }
        if total.deliveries > 0 {
            // Give the freed pages back to the file system.
            do {
                try await writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA incremental_vacuum") }
            } catch {
                throw StoreError(mapping: error, context: "incremental vacuum failed")
            }
        }
        return total
    }
}
