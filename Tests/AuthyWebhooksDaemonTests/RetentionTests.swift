import Crypto
import EventStore
import Foundation
import GRDB
import Testing

/// Bounded growth: `[Store] Retention=` prunes in the background, `authyctl events prune` by hand, and both give
/// the freed pages back to the file system.
@Suite("retention and pruning through the daemon")
struct RetentionTests {
    /// Stores `old` bulky deliveries received `age` ago and `recent` small ones received now, before the daemon starts.
    func seed(_ path: String, old: Int, recent: Int, age: TimeInterval) async throws {
        try await record(path, count: old, type: "old_event", payload: "{\"pad\":\"\(String(repeating: "x", count: 3000))\"}")
        // The store only stamps "now", so move what is there `age` into the past.
        let queue = try DatabaseQueue(path: path)
        let shift = Int64(age * 1_000_000)
        try await queue.write { db in
            try db.execute(sql: "UPDATE delivery SET received_at = received_at - ?", arguments: [shift])
            try db.execute(sql: "UPDATE event SET received_at = received_at - ?", arguments: [shift])
        }
        try queue.close()
        try await record(path, count: recent, type: "recent_event", payload: "{}")
    }

    private func record(_ path: String, count: Int, type: String, payload: String) async throws {
        let store = try SQLiteEventStore(path: path)
        for index in 0..<count {
            let token = "\(type)-\(index)-\(UUID().uuidString)"
            _ = try await store.record([NewDelivery(
                token: token, tokenSHA256: Array(SHA256.hash(data: Data(token.utf8))), remoteAddress: "127.0.0.1:1", webhook: "main",
                events: [NewEvent(type: type, occurredAt: nil, requestID: "req_\(index)", payload: payload)])])
        }
        try await store.close()
    }

    func pages(_ path: String) throws -> (total: Int, free: Int) {
        let queue = try DatabaseQueue(path: path, configuration: { var c = Configuration(); c.readonly = true; return c }())
        return try queue.read { db in
            (try Int.fetchOne(db, sql: "PRAGMA page_count") ?? -1, try Int.fetchOne(db, sql: "PRAGMA freelist_count") ?? -1)
        }
    }

    func eventTypes(_ daemon: RunningDaemon) async throws -> [String: Int] {
        let listed = try await CommandRunner.authyctl(["events", "--limit", "0", "--output", "jsonl"], socket: daemon.endpoints.controlSocket)
        var counts: [String: Int] = [:]
        for line in listed.stdout.split(separator: "\n") {
            if let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], let type = object["type"] as? String {
                counts[type, default: 0] += 1
            }
        }
        return counts
    }

    @Test func retentionPrunesOldEventsInTheBackgroundAndGivesTheSpaceBack() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("db.sqlite3")
        try await seed(path, old: 300, recent: 5, age: 3 * 86_400)
        let before = try pages(path)
        try await withDaemon("[Store]\nRetention=2d\n", directory: directory) { daemon in
            // The service prunes once at start, then every few minutes.
            var counts: [String: Int] = [:]
            for _ in 0..<100 {
                counts = try await eventTypes(daemon)
                if counts["old_event"] == nil { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(counts == ["recent_event": 5], "only what is younger than Retention=2d is left")
            #expect(daemon.log.all.contains { $0.contains("retention: pruned 300 events") })
        }
        let after = try pages(path)
        #expect(after.free == 0, "incremental vacuum returned the freed pages")
        #expect(after.total < before.total / 2, "the file shrank: \(before.total) pages before, \(after.total) after")
    }

    @Test func eventsPruneByHandCountsFirstThenDeletesAndGivesTheSpaceBack() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("db.sqlite3")
        try await seed(path, old: 200, recent: 3, age: 10 * 86_400)
        let before = try pages(path)
        try await withDaemon(directory: directory) { daemon in
            let socket = daemon.endpoints.controlSocket
            let dry = try await CommandRunner.authyctl(["events", "prune", "--before", "7 days ago", "--dry-run", "--output", "json"], socket: socket)
            #expect(dry.status == 0, "\(dry.stderr)")
            let counted = try #require(try JSONSerialization.jsonObject(with: Data(dry.stdout.utf8)) as? [String: Any])
            #expect(counted["events"] as? Int == 200 && counted["dry_run"] as? Bool == true, "\(dry.stdout)")
            #expect(try await eventTypes(daemon) == ["old_event": 200, "recent_event": 3], "a dry run deletes nothing")

            let pruned = try await CommandRunner.authyctl(["events", "prune", "--before", "7 days ago", "--output", "json"], socket: socket)
            #expect(pruned.status == 0, "\(pruned.stderr)")
            let done = try #require(try JSONSerialization.jsonObject(with: Data(pruned.stdout.utf8)) as? [String: Any])
            #expect(done["events"] as? Int == 200 && done["deliveries"] as? Int == 200 && done["dry_run"] as? Bool == false)
            #expect(try await eventTypes(daemon) == ["recent_event": 3])

            let bad = try await CommandRunner.authyctl(["events", "prune", "--before", "the day after never"], socket: socket)
            #expect(bad.status == 64, "an unreadable time is a usage error: \(bad.stderr)")
        }
        let after = try pages(path)
        #expect(after.free == 0)
        #expect(after.total < before.total / 2, "\(before.total) pages before, \(after.total) after")
    }
}
