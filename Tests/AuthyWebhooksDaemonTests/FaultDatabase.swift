import Foundation
import GRDB

/// Reads a daemon's database from the test process, read-only, so a crashed database is left exactly as the
/// crash left it (a read-write connection would checkpoint the WAL when it closes, doing the restart's work).
enum FaultDatabase {
    static func open(_ path: String) throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.readonly = true
        return try DatabaseQueue(path: path, configuration: configuration)
    }

    /// `PRAGMA integrity_check`'s answer: `ok`, or the list of problems.
    static func integrityCheck(_ path: String) throws -> String {
        let database = try open(path)
        defer { try? database.close() }
        return try database.read { db in
            try String.fetchAll(db, sql: "PRAGMA integrity_check").joined(separator: "\n")
        }
    }

    /// How many events each request ID has (each test delivery carries one event with a unique request ID).
    static func eventsPerRequestID(_ path: String) throws -> [String: Int] {
        let database = try open(path)
        defer { try? database.close() }
        return try database.read { db in
            var counts: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT request_id, count(*) FROM event GROUP BY request_id") {
                counts[row[0] ?? "<null>"] = row[1]
            }
            return counts
        }
    }
}
