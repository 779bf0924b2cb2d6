import Foundation
import GRDB

extension SQLiteEventStore {
    public func record(_ deliveries: [NewDelivery], forwardingTo routes: [ForwardRoute]) async throws(StoreError) -> [RecordOutcome] {
        if deliveries.isEmpty { return [] }
        let wallClock = Self.microseconds(Date())
        return try await write { db in
            // Receive times never go backwards, even if the wall clock does, so (received_at, id) order is
            // arrival order and one index serves both time filters and paging.
            let newest = try Int64.fetchOne(db.cachedStatement(sql: "SELECT max(received_at) FROM delivery")) ?? 0
            let receivedAt = max(wallClock, newest)
            var outcomes: [RecordOutcome] = []
            outcomes.reserveCapacity(deliveries.count)
            var storedInThisBatch: [[UInt8]: RecordOutcome] = [:]
            let findDelivery = try db.cachedStatement(sql: "SELECT id, event_count FROM delivery WHERE token_sha256 = ?")
            let insertDelivery = try db.cachedStatement(sql: """
                INSERT INTO delivery (token_sha256, token, received_at, remote_addr, webhook, webhook_id, event_count)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """)
            let insertEvent = try db.cachedStatement(sql: """
                INSERT INTO event (delivery_id, received_at, type, occurred_at, request_id, webhook, payload)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """)
            let insertJob = routes.isEmpty ? nil : try db.cachedStatement(sql: """
                INSERT INTO forward_job (target, event_id, state, scheduled_at, created_at) VALUES (?, ?, 'pending', ?, ?)
                """)
            for delivery in deliveries {
                if let earlier = storedInThisBatch[delivery.tokenSHA256] {
                    outcomes.append(RecordOutcome(deliveryID: earlier.deliveryID, duplicate: true, eventCount: earlier.eventCount, storedEvents: []))
                    continue
                }
                let digest = Data(delivery.tokenSHA256)
                if let row = try Row.fetchOne(findDelivery, arguments: [digest]) {
                    outcomes.append(RecordOutcome(deliveryID: row[0], duplicate: true, eventCount: row[1], storedEvents: []))
                    continue
                }
                try insertDelivery.execute(arguments: [
                    digest, delivery.token, receivedAt, delivery.remoteAddress, delivery.webhook, delivery.webhookID,
                    delivery.events.count,
                ])
                let deliveryID = db.lastInsertedRowID
                var stored: [StoredEvent] = []
                stored.reserveCapacity(delivery.events.count)
                for event in delivery.events {
                    try insertEvent.execute(arguments: [
                        deliveryID, receivedAt, event.type, event.occurredAt, event.requestID, delivery.webhook, event.payload,
                    ])
                    let eventID = db.lastInsertedRowID
                    if let insertJob {
                        for route in routes where route.matches(type: event.type, webhook: delivery.webhook) {
                            try insertJob.execute(arguments: [route.target, eventID, wallClock, wallClock])
                        }
                    }
                    stored.append(StoredEvent(
                        id: eventID, deliveryID: deliveryID, receivedAtMicros: receivedAt, type: event.type,
                        occurredAt: event.occurredAt, requestID: event.requestID, webhook: delivery.webhook, payload: event.payload))
                }
                let outcome = RecordOutcome(deliveryID: deliveryID, duplicate: false, eventCount: delivery.events.count, storedEvents: stored)
                storedInThisBatch[delivery.tokenSHA256] = outcome
                outcomes.append(outcome)
            }
            return outcomes
        }
    }

    static func microseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
    }
}
