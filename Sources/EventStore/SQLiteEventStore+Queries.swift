import Foundation
import GRDB

extension SQLiteEventStore {
    static let eventColumns = "id, delivery_id, received_at, type, occurred_at, request_id, webhook, payload"

    public func events(matching query: EventQuery, order: EventOrder, after cursor: EventCursor?, limit: Int) async throws(StoreError) -> [StoredEvent] {
        let (sql, arguments) = Self.explainableEventsSQL(query: query, order: order, cursor: cursor, limit: limit)
        return try await read { db in
            try Row.fetchAll(db.cachedStatement(sql: sql), arguments: arguments).map(Self.storedEvent)
        }
    }

    /// The query behind ``events(matching:order:after:limit:)``; every filter is served by an index
    /// (Tests/EventStoreTests checks the plans).
    /// Public so that tests can check its plan with `EXPLAIN QUERY PLAN`.
    public static func explainableEventsSQL(query: EventQuery, order: EventOrder, cursor: EventCursor?, limit: Int) -> (String, StatementArguments) {
        var (conditions, arguments) = eventConditions(query)
        if let cursor {
            conditions.append(order == .ascending ? "(received_at, id) > (?, ?)" : "(received_at, id) < (?, ?)")
            _ = arguments.append(contentsOf: [cursor.receivedAtMicros, cursor.id])
        }
        let direction = order == .ascending ? "ASC" : "DESC"
        var sql = "SELECT \(eventColumns) FROM event"
        if !conditions.isEmpty {
            sql += " WHERE " + conditions.joined(separator: " AND ")
        }
        sql += " ORDER BY received_at \(direction), id \(direction) LIMIT \(max(0, limit))"
        return (sql, arguments)
    }

    /// The WHERE terms of `query` over the event table, each served by an index.
    static func eventConditions(_ query: EventQuery) -> ([String], StatementArguments) {
        var conditions: [String] = []
        var arguments = StatementArguments()
        if let since = query.since {
            conditions.append("received_at >= ?")
            _ = arguments.append(contentsOf: [microseconds(since)])
        }
        if let until = query.until {
            conditions.append("received_at < ?")
            _ = arguments.append(contentsOf: [microseconds(until)])
        }
        if !query.types.isEmpty {
            let named = query.types.filter { $0 != EventQuery.unknownType }
            var alternatives: [String] = []
            if !named.isEmpty {
                alternatives.append("type IN (\(Array(repeating: "?", count: named.count).joined(separator: ", ")))")
                _ = arguments.append(contentsOf: StatementArguments(named))
            }
            if named.count != query.types.count {
                alternatives.append("type IS NULL")
            }
            conditions.append("(\(alternatives.joined(separator: " OR ")))")
        }
        if !query.webhooks.isEmpty {
            conditions.append("webhook IN (\(Array(repeating: "?", count: query.webhooks.count).joined(separator: ", ")))")
            _ = arguments.append(contentsOf: StatementArguments(query.webhooks))
        }
        if let afterID = query.afterID {
            conditions.append("id > ?")
            _ = arguments.append(contentsOf: [afterID])
        }
        return (conditions, arguments)
    }

    static func storedEvent(_ row: Row) -> StoredEvent {
        StoredEvent(
            id: row[0], deliveryID: row[1], receivedAtMicros: row[2], type: row[3], occurredAt: row[4],
            requestID: row[5], webhook: row[6], payload: row[7])
    }

    public func newestEventID() async throws(StoreError) -> Int64 {
        try await read { db in try Int64.fetchOne(db, sql: "SELECT max(id) FROM event") ?? 0 }
    }

    public func event(id: Int64) async throws(StoreError) -> (StoredEvent, StoredDelivery)? {
        try await read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT \(Self.eventColumns) FROM event WHERE id = ?", arguments: [id]) else {
                return nil
            }
            let event = Self.storedEvent(row)
            guard let delivery = try Row.fetchOne(db, sql: """
                SELECT id, token, received_at, remote_addr, webhook, webhook_id, event_count FROM delivery WHERE id = ?
                """, arguments: [event.deliveryID])
            else { return nil }
            return (event, StoredDelivery(
                id: delivery[0], token: delivery[1], receivedAtMicros: delivery[2], remoteAddress: delivery[3],
                webhook: delivery[4], webhookID: delivery[5], eventCount: delivery[6]))
        }
    }

    public func statistics() async throws(StoreError) -> StoreStatistics {
        let location = self.location
        let counts = try await read { db in
            let deliveries = try Int.fetchOne(db, sql: "SELECT count(*) FROM delivery") ?? 0
            let events = try Int.fetchOne(db, sql: "SELECT count(*) FROM event") ?? 0
            let last = try Int64.fetchOne(db, sql: "SELECT max(received_at) FROM event")
            return (deliveries, events, last)
        }
        let durability = try await writerSynchronousLevel()
        var size: Int64 = 0
        for suffix in ["", "-wal"] {
            let attributes = try? FileManager.default.attributesOfItem(atPath: location + suffix)
            size += (attributes?[.size] as? NSNumber)?.int64Value ?? 0
        }
        return StoreStatistics(
            deliveries: counts.0, events: counts.1,
            lastEventAt: counts.2.map { Date(timeIntervalSince1970: Double($0) / 1_000_000) },
            sizeBytes: size, location: location, durability: durability)
    }

    /// `PRAGMA synchronous` of the writer's connection, by name. Asked of the writer itself: readers and the
    /// checkpointer have their own value, and GRDB's pool once overrode the writer's behind the configuration's back.
    func writerSynchronousLevel() async throws(StoreError) -> String {
        let level: Int?
        do {
            level = try await writer.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") }
        } catch {
            throw StoreError(mapping: error, context: "cannot read the commit durability")
        }
        switch level {
        case 0: return "off"
        case 1: return "normal"
        case 2: return "full"
        case 3: return "extra"
        default: return "unknown"
        }
    }

    public func probeWrite() async throws(StoreError) {
        let now = Self.microseconds(Date())
        try await write { db in
            try db.execute(sql: "UPDATE health_probe SET checked_at = ? WHERE id = 1", arguments: [now])
        }
        // The probe's one page fits in space the WAL already holds, so it succeeds on a full disk while a delivery,
        // which needs new pages, fails: check the room a delivery needs as well.
        if location != ":memory:", let free = Self.availableBytes(near: location), free < Self.minimumFreeBytes {
            throw StoreError(.full, "less than \(Self.minimumFreeBytes >> 20) MiB free on the database's file system (\(free) bytes)")
        }
    }

    /// Free space below which ``probeWrite()`` reports the store full: a few of the largest deliveries and their
    /// index pages.
    static let minimumFreeBytes: UInt64 = 1 << 20

    /// Bytes available to unprivileged writers on the file system holding `path`, or nil if it cannot be read.
    static func availableBytes(near path: String) -> UInt64? {
        var info = statvfs()
        let directory = (path as NSString).deletingLastPathComponent
        guard statvfs(directory.isEmpty ? "." : directory, &info) == 0 else { return nil }
        return UInt64(info.f_bavail) * UInt64(info.f_frsize)
    }
}
