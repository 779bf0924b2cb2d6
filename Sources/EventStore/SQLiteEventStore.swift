import Foundation
import GRDB
import Migrations

/// The SQLite implementation of ``EventStore`` (GRDB, system libsqlite3, WAL mode).
///
/// Durability: every acknowledged delivery is committed with `synchronous=FULL` by default, so the WAL is fsynced
/// before ``record(_:)`` returns. `synchronous=NORMAL` (``Durability/normal``) is the explicit, weaker choice.
public final class SQLiteEventStore: EventStore {
    /// How hard a commit waits for the disk.
    public enum Durability: String, Sendable {
        /// fsync of the WAL on every commit: nothing acknowledged is lost, even on power loss.
        case full
        /// No fsync on commit: a process crash loses nothing, an OS crash or power loss may lose the last commits.
        case normal

        /// The value of `PRAGMA synchronous` for this choice.
        var pragmaValue: String { self == .full ? "FULL" : "NORMAL" }
    }

    /// Settings of the store.
    public struct Options: Sendable {
        public var durability: Durability
        /// How long a write waits for a lock held by another process before failing with ``StoreError/Code/busy``.
        public var busyTimeout: Duration

        public init(durability: Durability = .full, busyTimeout: Duration = .seconds(5)) {
            self.durability = durability
            self.busyTimeout = busyTimeout
        }
    }

    let writer: any DatabaseWriter
    /// The connection for background WAL checkpoints of a file database (nil in memory).
    let checkpointer: WALCheckpointer?
    /// The file path, or `:memory:`.
    public let location: String
    /// Raised by every write, so the upkeep rounds stop while the daemon is idle. Raised at first, so that one round
    /// folds whatever an earlier run left in the WAL.
    let writeSignal = WriteSignal(pending: true)

    /// Opens (creating it mode 0600 if needed) and migrates the database file at `path`.
    public init(path: String, options: Options = Options()) throws(StoreError) {
        self.location = path
        do {
            try Self.createPrivately(path: path)
            let pool = try DatabasePool(path: path, configuration: Self.configuration(options, walAutoCheckpoint: Self.writerAutoCheckpointPages))
            // GRDB's pool switches its writer to WAL mode after `prepareDatabase` has run, and sets
            // `synchronous = NORMAL` as it does so: without this second pragma every commit skipped its fsync,
            // whatever `Synchronous=` said. The writer is one connection for the pool's lifetime, so once is enough.
            try pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA synchronous = \(options.durability.pragmaValue)")
            }
            writer = pool
            try Self.migrator.migrate(writer)
            checkpointer = try WALCheckpointer(path: path, configuration: Self.configuration(options))
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(mapping: error, context: "cannot open the database \(path)")
        }
    }

    /// An in-memory store (tests).
    public init(inMemoryWith options: Options = Options()) throws(StoreError) {
        self.location = ":memory:"
        do {
            writer = try DatabaseQueue(configuration: Self.configuration(options))
            try Self.migrator.migrate(writer)
            checkpointer = nil
        } catch {
            throw StoreError(mapping: error, context: "cannot open an in-memory database")
        }
    }

    /// The migrator of ``SchemaMigrations/all``: applied in order, each once, each in its own transaction.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for migration in SchemaMigrations.all {
            migrator.registerMigration(migration.identifier) { db in
                try db.execute(sql: migration.sql)
            }
        }
        return migrator
    }

    /// Identifiers of the migrations applied to this database.
    public func appliedMigrations() async throws(StoreError) -> [String] {
        try await read { db in try Array(Self.migrator.appliedIdentifiers(db)).sorted() }
    }

    /// How often the daemon asks for a background checkpoint (``performBackgroundMaintenance()``).
    static let checkpointInterval: Duration = .milliseconds(100)
    /// WAL size (frames of 4 KB pages) from which an upkeep round ends the WAL's run, so that the next commit
    /// starts it over (``WALCheckpointer``): 16 MB, about half a second of deliveries at 1,000/s.
    static let walRestartFrames = 4_096
    /// A round's catch-up passes stop once one copies at most this many frames: what is left for the writer's stall.
    /// Measured with bench/latency.sh (p99 at 1,000/s, nine runs each): 16 gave a median of 5.0 ms, 4 gave 3.9 ms.
    static let framesLeftToWriter = 4
    /// At most this many catch-up passes per round, so a write load faster than the disk cannot keep one going.
    static let catchUpPasses = 8
    /// The writer's own automatic checkpoint: a safety net that bounds the WAL (32 MB of 4 KB pages) should the
    /// upkeep rounds keep failing. SQLite's default is 1,000 pages.
    static let writerAutoCheckpointPages = 8_192

    /// - Parameter walAutoCheckpoint: `PRAGMA wal_autocheckpoint` for writable connections; nil keeps SQLite's.
    static func configuration(_ options: Options, walAutoCheckpoint: Int? = nil) -> Configuration {
        var configuration = Configuration()
        configuration.busyMode = .timeout(TimeInterval(options.busyTimeout.components.seconds) + Double(options.busyTimeout.components.attoseconds) / 1e18)
        configuration.foreignKeysEnabled = true
        configuration.maximumReaderCount = 4
        let synchronous = options.durability.pragmaValue
        configuration.prepareDatabase { db in
            // Must precede the first table of a new database; has no effect on an existing one.
            // Readers are read-only connections, where the pragma would be refused.
            if !db.configuration.readonly {
                try db.execute(sql: "PRAGMA auto_vacuum = INCREMENTAL")
            }
            try db.execute(sql: "PRAGMA synchronous = \(synchronous)")
            if let walAutoCheckpoint, !db.configuration.readonly {
                try db.execute(sql: "PRAGMA wal_autocheckpoint = \(walAutoCheckpoint)")
            }
        }
        return configuration
    }

    /// Creates the file with mode 0600 before SQLite does, so the database and its -wal/-shm files (which
    /// SQLite creates with the database's mode) are private to the daemon's user.
    static func createPrivately(path: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty, !FileManager.default.fileExists(atPath: directory) {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        let fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw StoreError(.unavailable, "cannot create the database \(path): \(String(cString: strerror(errno)))")
        }
        Foundation.close(fd)
    }

    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        do {
            return try await writer.read(body)
        } catch {
            throw StoreError(mapping: error, context: "read failed")
        }
    }

    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        let result: T
        do {
            result = try await writer.write(body)
        } catch {
            throw StoreError(mapping: error, context: "write failed")
        }
        writeSignal.noteWrite()
        return result
    }

    public func close() async throws(StoreError) {
        checkpointer?.close()
        do {
            // Fold the WAL back into the database so the file is complete on its own.
            _ = try await writer.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
        } catch {
            // A checkpoint can be refused while another process reads; closing is still correct.
        }
        do {
            try writer.close()
        } catch {
            throw StoreError(mapping: error, context: "close failed")
        }
    }
}

extension StoreError {
    /// Maps SQLite's result codes onto the store's stable codes.
    init(mapping error: any Error, context: String) {
        if let error = error as? StoreError {
            self = error
            return
        }
        guard let error = error as? DatabaseError else {
            self.init(.failed, "\(context): \(error)")
            return
        }
        let detail = error.message ?? "\(error.resultCode)"
        switch error.resultCode {
        case .SQLITE_FULL: self.init(.full, "\(context): the disk is full (\(detail))")
        case .SQLITE_BUSY, .SQLITE_LOCKED: self.init(.busy, "\(context): the database is locked by another process (\(detail))")
        case .SQLITE_IOERR, .SQLITE_READONLY, .SQLITE_CANTOPEN, .SQLITE_PERM: self.init(.io, "\(context): \(detail)")
        case .SQLITE_CORRUPT, .SQLITE_NOTADB: self.init(.corrupt, "\(context): \(detail)")
        case .SQLITE_MISUSE where detail.contains("closed"): self.init(.closed, "\(context): the store is closed")
        default: self.init(.failed, "\(context): \(detail)")
        }
    }
}
