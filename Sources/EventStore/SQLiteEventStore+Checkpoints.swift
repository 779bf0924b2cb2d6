import Foundation
import GRDB

/// Folds the WAL back into the database from a connection of its own, so that deliveries rarely wait for a
/// checkpoint.
///
/// SQLite's automatic checkpoint runs inside the COMMIT that crosses `wal_autocheckpoint` pages: that commit, every
/// delivery group-committed with it and every delivery queued behind it wait while the whole backlog is copied and
/// the database file is fsynced (12–20 ms here, once a second at 1,000 deliveries/s: the p99 of bench/latency.sh).
/// So the daemon runs a PASSIVE checkpoint, which never blocks the writer or readers, every
/// ``SQLiteEventStore/checkpointInterval`` through ``SQLiteEventStore/performBackgroundMaintenance()``.
///
/// Passive checkpoints alone cannot bound the WAL under a steady load. SQLite starts the WAL over from its beginning
/// only at a commit that begins when every frame is already in the database, and with commits arriving every few
/// milliseconds a background pass never copies the last ones in time. So once the WAL holds
/// ``SQLiteEventStore/walRestartFrames`` frames, an upkeep round ends the WAL's run in three steps:
/// 1. More background passes follow at once, each copying what was committed during the one before, until one copies
///    at most ``SQLiteEventStore/framesLeftToWriter`` frames (or after ``SQLiteEventStore/catchUpPasses``).
/// 2. A last passive checkpoint runs on the writer's own connection, between two of its transactions, so no commit
///    can slip in: it copies the few frames left and fsyncs the database file, a stall of a few milliseconds.
/// 3. The next commit finds the WAL fully copied and starts it over (unless a reader still uses an older snapshot;
///    then a later round tries again).
///
/// A fsync of the database costs about 80 µs per page written on this kind of disk (measured), so the writer's stall
/// depends only on how little is left for it, not on the size of the WAL. The writer's automatic checkpoint stays
/// as a safety net at ``SQLiteEventStore/writerAutoCheckpointPages``, should these rounds keep failing.
///
/// Durability is unchanged: commits are fsynced exactly as before, and this connection has the same `synchronous`
/// setting, so a checkpoint syncs the WAL before copying and the database after.
struct WALCheckpointer: Sendable {
    /// The WAL after one checkpoint.
    struct Pass: Sendable {
        /// Frames in the WAL.
        var walFrames: Int
        /// Frames of the WAL that are now in the database file.
        var checkpointedFrames: Int
    }

    private let connection: DatabaseQueue

    init(path: String, configuration: Configuration) throws {
        connection = try DatabaseQueue(path: path, configuration: configuration)
    }

    /// One passive checkpoint, or nil if it failed. A failure (the disk is full, another process holds a lock) is
    /// left to the next round; the writer's own checkpoint still bounds the WAL meanwhile.
    func checkpoint() async -> Pass? {
        try? await connection.writeWithoutTransaction { db in
            let result = try db.checkpoint(.passive)
            return Pass(walFrames: result.walFrameCount, checkpointedFrames: result.checkpointedFrameCount)
        }
    }

    func close() {
        try? connection.close()
    }
}

/// What one upkeep round did (``SQLiteEventStore/foldWAL()``), for tests.
struct WALUpkeepRound: Sendable {
    /// Frames in the WAL at the round's first pass.
    var walFrames: Int
    /// Background passes after the first one (step 1 of ``WALCheckpointer``).
    var catchUpPasses = 0
    /// Whether the writer's connection ran the last checkpoint (step 2), so the next commit can restart the WAL.
    var finishedOnWriter = false
}

extension SQLiteEventStore {
    public var backgroundMaintenanceInterval: Duration? {
        checkpointer == nil ? nil : Self.checkpointInterval
    }

    public func performBackgroundMaintenance() async {
        await foldWAL()
    }

    public func waitUntilMaintenanceIsDue() async {
        await writeSignal.waitForWrite()
    }

    /// One upkeep round (see ``WALCheckpointer``); nil in memory or when the first pass fails.
    @discardableResult
    func foldWAL() async -> WALUpkeepRound? {
        guard let checkpointer, var pass = await checkpointer.checkpoint() else { return nil }
        var round = WALUpkeepRound(walFrames: pass.walFrames)
        guard pass.walFrames >= Self.walRestartFrames else { return round }
        while round.catchUpPasses < Self.catchUpPasses, let next = await checkpointer.checkpoint() {
            round.catchUpPasses += 1
            let copied = next.checkpointedFrames - pass.checkpointedFrames
            pass = next
            if copied <= Self.framesLeftToWriter { break }
        }
        // On the writer's serial queue, between two of its transactions: nothing commits until this returns.
        round.finishedOnWriter = (try? await writer.writeWithoutTransaction { db in try db.checkpoint(.passive) }) != nil
        return round
    }
}
