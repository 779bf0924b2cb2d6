// The versioned SQL files of this folder, embedded into the binary by SwiftPM (`.embedInCode`).

/// One schema migration: a stable identifier and its SQL text.
public struct SchemaMigration: Sendable {
    /// The identifier recorded in GRDB's `grdb_migrations` table; never changes once shipped.
    public let identifier: String
    /// The SQL text, exactly as in the file.
    public let sql: String
}

/// Every migration, in the order it must be applied. Forward-only: append, never edit or reorder.
public enum SchemaMigrations {
    public static let all: [SchemaMigration] = [
        SchemaMigration(identifier: "V0001__initial", sql: text(PackageResources.V0001__initial_sql)),
        SchemaMigration(identifier: "V0002__forwarding", sql: text(PackageResources.V0002__forwarding_sql)),
    ]

    private static func text(_ bytes: [UInt8]) -> String {
        String(decoding: bytes, as: UTF8.self)
    }
}
