import Crypto
import EventStore
import Foundation
import GRDB
import Migrations
import Testing

@Suite("Migrations")
struct MigrationTests {
    /// Shipped migrations are never edited: a change here means a new V000N file is needed instead.
    static let pinnedChecksums: [String: String] = [
        "V0001__initial.sql": "0b31f67a2e8f5e22be7c96335a8f2362e7baafb9b5480cdefdef83f6126d2233",
        "V0002__forwarding.sql": "3d5cdf1fdaafc0f899d83206d26e53dcda472e034239fa332656c6d851cf76a8",
    ]

    static var migrationsFolder: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Migrations")
    }

    @Test func everyShippedMigrationKeepsItsChecksum() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.migrationsFolder.path).filter { $0.hasSuffix(".sql") }.sorted()
        #expect(files == Self.pinnedChecksums.keys.sorted(), "every .sql file in Migrations/ must be pinned here")
        for file in files {
            let data = try Data(contentsOf: Self.migrationsFolder.appendingPathComponent(file))
            let digest = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
            #expect(digest == Self.pinnedChecksums[file], "\(file) was edited after it shipped; add a new migration instead")
        }
    }

    @Test func everyFileIsRegisteredInOrderAndEmbeddedVerbatim() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.migrationsFolder.path).filter { $0.hasSuffix(".sql") }.sorted()
        #expect(SchemaMigrations.all.map { $0.identifier + ".sql" } == files)
        for migration in SchemaMigrations.all {
            let text = try String(contentsOf: Self.migrationsFolder.appendingPathComponent(migration.identifier + ".sql"), encoding: .utf8)
            #expect(migration.sql == text)
        }
    }

    @Test func migratesAnEmptyFileAndReopensIt() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("store.sqlite3")
        let store = try SQLiteEventStore(path: path)
        #expect(try await store.appliedMigrations() == SchemaMigrations.all.map(\.identifier))
        try await store.close()
        let reopened = try SQLiteEventStore(path: path)
        #expect(try await reopened.appliedMigrations() == SchemaMigrations.all.map(\.identifier))
        try await reopened.close()

        let queue = try DatabaseQueue(path: path)
        let (journal, autoVacuum, tables) = try await queue.read { db in
            (try String.fetchOne(db, sql: "PRAGMA journal_mode"),
             try Int.fetchOne(db, sql: "PRAGMA auto_vacuum"),
             try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"))
        }
        #expect(journal == "wal")
        #expect(autoVacuum == 2, "incremental auto-vacuum lets prune give pages back")
        #expect(tables.contains("delivery") && tables.contains("event") && tables.contains("webhook") && tables.contains("retired_signing_key"))
    }

    @Test func migratesInMemory() async throws {
        let store = try SQLiteEventStore(inMemoryWith: .init())
        #expect(try await store.appliedMigrations() == ["V0001__initial", "V0002__forwarding"])
        #expect(try await store.statistics().events == 0)
    }

    @Test func databaseFilesArePrivate() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("sub/store.sqlite3")
        let store = try SQLiteEventStore(path: path)
        _ = try await store.record([delivery(token: "a.b.c")])
        for file in [path, path + "-wal"] {
            let mode = try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? NSNumber
            #expect(mode?.intValue == 0o600, "\(file) must be readable by the daemon's user only")
        }
        try await store.close()
    }

    @Test func aFileThatIsNotADatabaseIsAClearError() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("junk.sqlite3")
        try Data(repeating: 0x41, count: 4096).write(to: URL(fileURLWithPath: path))
        #expect {
            _ = try SQLiteEventStore(path: path)
        } throws: { error in
            (error as? StoreError)?.code == .corrupt
        }
    }
}
