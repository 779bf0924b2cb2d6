import Foundation
import GRDB

extension SQLiteEventStore {
    public func webhooks() async throws(StoreError) -> [RegisteredWebhook] {
        try await read { db in
            try Row.fetchAll(db, sql: """
                SELECT id, name, url, events, signing_key, source, created_at, last_synced_at
                FROM webhook ORDER BY name, id
                """).map(Self.registeredWebhook)
        }
    }

    public func retiredSigningKeys(since: Date) async throws(StoreError) -> [RetiredSigningKey] {
        let since = Self.microseconds(since)
        return try await read { db in
            try Row.fetchAll(db, sql: """
                SELECT webhook_id, webhook_name, signing_key, retired_at FROM retired_signing_key
                WHERE retired_at >= ? ORDER BY retired_at
                """, arguments: [since]).map { row in
                RetiredSigningKey(
                    webhookID: row[0], webhookName: row[1], signingKey: row[2],
                    retiredAt: Date(timeIntervalSince1970: Double(row[3] as Int64) / 1_000_000))
            }
        }
    }

    public func applyRegistryChanges(_ changes: [RegistryChange], at time: Date) async throws(StoreError) {
        let now = Self.microseconds(time)
        try await write { db in
            for change in changes {
                switch change {
                case .upsert(let webhook):
                    if let old = try Row.fetchOne(db, sql: "SELECT name, signing_key FROM webhook WHERE id = ?", arguments: [webhook.id]),
                       let oldKey = old["signing_key"] as String?, oldKey != webhook.signingKey {
                        try Self.retire(db, id: webhook.id, name: old["name"], key: oldKey, at: now)
                    }
                    try db.execute(sql: """
                        INSERT INTO webhook (id, name, url, events, signing_key, source, created_at, last_synced_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT(id) DO UPDATE SET name = excluded.name, url = excluded.url, events = excluded.events,
                            signing_key = excluded.signing_key, source = excluded.source,
                            last_synced_at = excluded.last_synced_at
                        """, arguments: [
                            webhook.id, webhook.name, webhook.url, Self.encodeEvents(webhook.events), webhook.signingKey,
                            webhook.source.rawValue, Self.microseconds(webhook.createdAt),
                            webhook.lastSyncedAt.map(Self.microseconds),
                        ])
                case .remove(let id):
                    if let old = try Row.fetchOne(db, sql: "SELECT name, signing_key FROM webhook WHERE id = ?", arguments: [id]),
                       let oldKey = old["signing_key"] as String? {
                        try Self.retire(db, id: id, name: old["name"], key: oldKey, at: now)
                    }
                    try db.execute(sql: "DELETE FROM webhook WHERE id = ?", arguments: [id])
                case .markSynced(let ids):
                    for id in ids {
                        try db.execute(sql: "UPDATE webhook SET last_synced_at = ? WHERE id = ?", arguments: [now, id])
                    }
                }
            }
        }
    }

    static func retire(_ db: Database, id: String, name: String, key: String, at time: Int64) throws {
        try db.execute(sql: """
            INSERT INTO retired_signing_key (webhook_id, webhook_name, signing_key, retired_at) VALUES (?, ?, ?, ?)
            """, arguments: [id, name, key, time])
    }

    static func registeredWebhook(_ row: Row) -> RegisteredWebhook {
        let source = RegisteredWebhook.Source(rawValue: row[5]) ?? .authy
        return RegisteredWebhook(
            id: row[0], name: row[1], url: row[2], events: decodeEvents(row[3]), signingKey: row[4], source: source,
            createdAt: Date(timeIntervalSince1970: Double(row[6] as Int64) / 1_000_000),
            lastSyncedAt: (row[7] as Int64?).map { Date(timeIntervalSince1970: Double($0) / 1_000_000) })
    }

    static func encodeEvents(_ events: [String]) -> String {
        (try? String(decoding: JSONEncoder().encode(events), as: UTF8.self)) ?? "[]"
    }

    static func decodeEvents(_ text: String) -> [String] {
        (try? JSONDecoder().decode([String].self, from: Data(text.utf8))) ?? []
    }
}
