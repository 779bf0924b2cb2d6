@testable import EventStore
import Foundation
import GRDB
import Synchronization
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

    /// Under a steady write load a background pass never copies the last commits in time, so without the round's
    /// catch-up passes and its last checkpoint on the writer's connection the WAL would only start over at the
    /// writer's own safety-net checkpoint (8,192 frames), inside a commit that waits for the whole backlog.
    @Test func underASteadyWriteLoadTheUpkeepRoundsRestartTheWAL() async throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteEventStore(path: directory.file("restart.sqlite3"), options: .init(durability: .normal))
        var rounds: [WALUpkeepRound] = []
        // Not task cancellation: GRDB would abandon the commit in flight.
        let stop = StopFlag()
        let written = try await withThrowingTaskGroup(of: Int.self) { group in
            group.addTask {
                var count = 0
                while !stop.isSet {
                    _ = try await store.record([delivery(token: "steady-\(count)")])
                    count += 1
                }
                return count
            }
            // Rounds every 10 ms, until three of them have let the WAL start over (or 90 s under a loaded CI).
            let deadline = ContinuousClock.now + .seconds(90)
            while Self.restarts(in: rounds).count < 3, ContinuousClock.now < deadline {
                // nil: that pass was refused (the writer's own checkpoint held the lock); the next one is not.
                if let round = await store.foldWAL() { rounds.append(round) }
                try await Task.sleep(for: .milliseconds(10))
            }
            stop.set()
            return try await group.next() ?? 0
        }
        let restarts = Self.restarts(in: rounds)
        #expect(restarts.count >= 3, "the WAL started over after \(restarts.count) of \(rounds.count) rounds")
        for round in rounds {
            let large = round.walFrames >= SQLiteEventStore.walRestartFrames
            #expect(round.finishedOnWriter == large, "only a WAL of walRestartFrames or more ends on the writer")
            #expect(large || round.catchUpPasses == 0, "a small WAL gets one plain background pass")
        }
        #expect(try await store.statistics().deliveries == written, "every commit made during the rounds is kept")
        try await store.close()
    }

    /// Rounds that ended on the writer's connection and after which the next round found a shorter WAL: it started
    /// over at the commit after the round.
    static func restarts(in rounds: [WALUpkeepRound]) -> [WALUpkeepRound] {
        zip(rounds, rounds.dropFirst()).filter { $0.finishedOnWriter && $1.walFrames < $0.walFrames }.map(\.0)
    }

    final class StopFlag: Sendable {
        private let flag = Mutex(false)
        var isSet: Bool { flag.withLock { $0 } }
        func set() { flag.withLock { $0 = true } }
    }

    @Test func anInMemoryStoreNeedsNoUpkeep() async throws {
        let store = try SQLiteEventStore(inMemoryWith: .init())
        #expect(store.backgroundMaintenanceInterval == nil)
        await store.performBackgroundMaintenance()
        try await store.close()
    }
}

/// The upkeep rounds run only after a write, so an idle daemon stays asleep.
@Suite("Upkeep only after writes")
struct MaintenanceSignalTests {
    @Test func aWriteMakesMaintenanceDueAndAnIdleStoreWaits() async throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteEventStore(path: directory.file("signal.sqlite3"))
        // Due once at open: a round folds whatever an earlier run left in the WAL.
        await store.waitUntilMaintenanceIsDue()
        await store.performBackgroundMaintenance()

        let woken = CheckpointTests.StopFlag()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                await store.waitUntilMaintenanceIsDue()
                woken.set()
            }
            // Nothing written: the wait goes on (however slow the machine, it cannot end early).
            try await Task.sleep(for: .milliseconds(300))
            #expect(!woken.isSet, "an idle store asked for upkeep")
            _ = try await store.record([delivery(token: "wakes-the-upkeep")])
            try await group.next()
            #expect(woken.isSet)
        }
        // Several writes while nobody waits count as one.
        _ = try await store.record([delivery(token: "one")])
        _ = try await store.record([delivery(token: "two")])
        await store.waitUntilMaintenanceIsDue()
        try await store.close()
    }

    @Test func cancellingTheWaitEndsIt() async throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteEventStore(path: directory.file("cancel.sqlite3"))
        await store.waitUntilMaintenanceIsDue()
        let waiter = Task { await store.waitUntilMaintenanceIsDue() }
        try await Task.sleep(for: .milliseconds(50))
        waiter.cancel()
        await waiter.value
        // A write made after the cancelled wait is still noticed by the next one.
        _ = try await store.record([delivery(token: "after-cancel")])
        await store.waitUntilMaintenanceIsDue()
        try await store.close()
    }
}
