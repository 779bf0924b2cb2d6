import EventStore
import Foundation
import GRDB
import Testing

@Suite("Recording and reading deliveries")
struct DeliveryStoreTests {
    @Test func aDeliveryIsStoredWithItsEvents() async throws {
        let store = try SQLiteEventStore(inMemoryWith: .init())
        let outcomes = try await store.record([delivery(token: "t1", types: ["user_added", "token_verified"])])
        #expect(outcomes.count == 1)
        #expect(outcomes[0].duplicate == false)
        #expect(outcomes[0].eventCount == 2)
        #expect(outcomes[0].storedEvents.map(\.type) == ["user_added", "token_verified"])
        let events = try await store.events(matching: EventQuery(), order: .ascending, after: nil, limit: 10)
        #expect(events.map(\.type) == ["user_added", "token_verified"])
        #expect(events.allSatisfy { $0.deliveryID == outcomes[0].deliveryID && $0.webhook == "main" })
        let detail = try #require(try await store.event(id: events[0].id))
        #expect(detail.1.token == "t1")
        #expect(detail.1.remoteAddress == "127.0.0.1:5000")
    }

    @Test func theSameTokenIsStoredOnceAcrossCallsAndWithinABatch() async throws {
        let store = try SQLiteEventStore(inMemoryWith: .init())
        let first = try await store.record([delivery(token: "same"), delivery(token: "same"), delivery(token: "other")])
        #expect(first.map(\.duplicate) == [false, true, false])
        #expect(first[1].deliveryID == first[0].deliveryID)
        let again = try await store.record([delivery(token: "same")])
        #expect(again[0].duplicate)
        #expect(again[0].deliveryID == first[0].deliveryID)
        #expect(again[0].eventCount == 1)
        #expect(try await store.statistics().deliveries == 2)
        #expect(try await store.statistics().events == 2)
    }

    @Test func dedupeSurvivesReopeningTheFile() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("store.sqlite3")
        let store = try SQLiteEventStore(path: path)
        let first = try await store.record([delivery(token: "persisted")])
        try await store.close()
        let reopened = try SQLiteEventStore(path: path)
        let second = try await reopened.record([delivery(token: "persisted")])
        #expect(second[0].duplicate)
        #expect(second[0].deliveryID == first[0].deliveryID)
        try await reopened.close()
    }

    @Test func receiveTimesNeverGoBackwards() async throws {
        let store = try SQLiteEventStore(inMemoryWith: .init())
        for index in 0..<20 {
            _ = try await store.record([delivery(token: "t\(index)")])
        }
        let events = try await store.events(matching: EventQuery(), order: .ascending, after: nil, limit: 100)
        #expect(events.map(\.id) == events.map(\.id).sorted())
        #expect(events.map(\.receivedAtMicros) == events.map(\.receivedAtMicros).sorted())
    }

    @Test func filtersByTypeWebhookAndUnknown() async throws {
        let store = try SQLiteEventStore(inMemoryWith: .init())
        _ = try await store.record([
            delivery(token: "a", webhook: "prod", types: ["user_added"]),
            delivery(token: "b", webhook: "staging", types: ["token_verified"]),
            delivery(token: "c", webhook: "prod", types: [nil]),
        ])
        func types(_ query: EventQuery) async throws -> [String?] {
            try await store.events(matching: query, order: .ascending, after: nil, limit: 100).map(\.type)
        }
        #expect(try await types(EventQuery(types: ["user_added"])) == ["user_added"])
        #expect(try await types(EventQuery(types: ["unknown"])) == [nil])
        #expect(try await types(EventQuery(types: ["unknown", "token_verified"])) == ["token_verified", nil])
        #expect(try await types(EventQuery(webhooks: ["prod"])) == ["user_added", nil])
        #expect(try await types(EventQuery(types: ["user_added"], webhooks: ["staging"])) == [])
    }

    @Test func filtersByTimeAndPagesInBothDirections() async throws {
        let store = try SQLiteEventStore(inMemoryWith: .init())
        for index in 0..<10 {
            _ = try await store.record([delivery(token: "t\(index)")])
        }
        let all = try await store.events(matching: EventQuery(), order: .ascending, after: nil, limit: 100)
        #expect(all.count == 10)
        let middle = all[4].receivedAt
        let since = try await store.events(matching: EventQuery(since: middle), order: .ascending, after: nil, limit: 100)
        #expect(since.first?.id == all.first { $0.receivedAt >= middle }?.id)
        let until = try await store.events(matching: EventQuery(until: middle), order: .ascending, after: nil, limit: 100)
        #expect(until.allSatisfy { $0.receivedAt < middle })
        #expect(since.count + until.count == 10)

        var pagedAscending: [Int64] = []
        var cursor: EventCursor?
        while true {
            let page = try await store.events(matching: EventQuery(), order: .ascending, after: cursor, limit: 3)
            pagedAscending += page.map(\.id)
            guard let last = page.last else { break }
            cursor = EventCursor(after: last)
        }
        #expect(pagedAscending == all.map(\.id))

        let newestThree = try await store.events(matching: EventQuery(), order: .descending, after: nil, limit: 3)
        #expect(newestThree.map(\.id) == all.suffix(3).reversed().map(\.id))
        let nextThree = try await store.events(matching: EventQuery(), order: .descending, after: EventCursor(after: newestThree[2]), limit: 3)
        #expect(nextThree.map(\.id) == Array(all.dropLast(3).suffix(3).reversed().map(\.id)))
        #expect(try await store.newestEventID() == all.last?.id)
    }

    @Test func everyFilterIsServedByAnIndex() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("plans.sqlite3")
        let store = try SQLiteEventStore(path: path)
        try await store.close()
        let queue = try DatabaseQueue(path: path)
        let now = Date()
        let queries: [EventQuery] = [
            EventQuery(), EventQuery(since: now), EventQuery(since: now, until: now),
            EventQuery(types: ["user_added"]), EventQuery(since: now, types: ["user_added"]),
            EventQuery(webhooks: ["prod"]), EventQuery(since: now, webhooks: ["prod"]),
            EventQuery(types: ["unknown"]), EventQuery(afterID: 5),
        ]
        for query in queries {
            for order in [EventOrder.ascending, .descending] {
                for cursor in [nil, EventCursor(receivedAtMicros: 1, id: 1)] {
                    let (sql, arguments) = SQLiteEventStore.explainableEventsSQL(query: query, order: order, cursor: cursor, limit: 100)
                    let plan = try await queue.read { db in
                        try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: arguments).map { $0["detail"] as String }
                    }
                    let text = plan.joined(separator: "; ")
                    #expect(!plan.contains { $0.hasPrefix("SCAN event") && !$0.contains("INDEX") }, "full scan for \(query): \(text)")
                    #expect(!text.contains("USE TEMP B-TREE"), "sort in memory for \(query) \(order): \(text)")
                }
            }
        }
    }

    @Test func healthProbeWrites() async throws {
        let store = try SQLiteEventStore(inMemoryWith: .init())
        try await store.probeWrite()
    }
}
