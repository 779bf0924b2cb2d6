import Foundation
import GRDB

/// Folds the WAL back into the database from a connection of its own, so that deliveries rarely wait for a
/// checkpoint.
///
/// SQLite's automatic checkpoint runs inside the COMMIT that crosses `wal_autocheckpoint` pages: that commit, every
/// delivery group-committed with it and every delivery queued behind it wait while pages are copied and the
/// database file is fsynced. Profiling the ingest benchmark (bench/) showed those commits as the tail of the
/// latency distribution (fdatasync p50 2.5 ms, p90 51 ms). So the daemon runs a PASSIVE checkpoint (it never blocks
/// the writer or readers) every ``SQLiteEventStore/checkpointInterval`` through
/// ``SQLiteEventStore/performBackgroundMaintenance()``, and the writer's own automatic checkpoint is kept only as a
/// safety net at a much higher threshold (``SQLiteEventStore/writerAutoCheckpointPages``): under a sustained write
/// load the background checkpoint never catches up completely, and only a checkpoint inside a commit lets SQLite
/// restart the WAL from its beginning, which bounds its size.
///
/// Durability is unchanged: commits are fsynced exactly as before, and this connection has the same `synchronous`
/// setting, so a checkpoint syncs the WAL before copying and the database after.
struct WALCheckpointer: Sendable {
    private let connection: DatabaseQueue

    init(path: String, configuration: Configuration) throws {
        connection = try DatabaseQueue(path: path, configuration: configuration)
    }

    /// One passive checkpoint. A failure (the disk is full, another process holds a lock) is left to the next
    /// round; the writer's own checkpoint still bounds the WAL meanwhile.
    func checkpoint() async {
        _ = try? await connection.writeWithoutTransaction { db in try db.checkpoint(.passive) }
    }

    func close() {
        try? connection.close()
    }
}

extension SQLiteEventStore {
    public var backgroundMaintenanceInterval: Duration? {
        checkpointer == nil ? nil : Self.checkpointInterval
    }

    public func performBackgroundMaintenance() async {
        await checkpointer?.checkpoint()
    }
}
