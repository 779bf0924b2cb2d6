import ControlProtocol
import EventStore
import Foundation
import Hummingbird

extension ControlRouter {
    /// Rows read per page: bounds memory whatever the number of matches.
    static let pageSize = 500

    /// `GET /v1/events`: JSON lines, streamed straight from the store; with `follow`, kept open and fed as
    /// events are committed.
    func events(_ request: Request) async throws -> Response {
        let list = try EventListRequest(queryItems: request.uri.queryParameters.map { (String($0.key), String($0.value)) })
        var webhooks: [String] = []
        if let webhook = list.webhook {
            webhooks = [try await resolveWebhookName(webhook)]
        }
        let query = EventQuery(since: list.since, until: list.until, types: list.types, webhooks: webhooks)
        let store = state.store
        let notifier = state.notifier
        let body = ResponseBody { writer in
            let subscription = list.follow ? notifier.subscribe() : nil
            defer { if let subscription { notifier.unsubscribe(subscription.id) } }
            // Read before the backlog so that nothing committed meanwhile is missed: the follow loop resumes after it.
            var lastSeen = list.follow ? try await store.newestEventID() : 0
            if list.limit > 0 {
                let newest = try await store.events(matching: query, order: .descending, after: nil, limit: list.limit)
                let ordered = list.reverse && !list.follow ? newest : newest.reversed()
                try await writer.write(Self.lines(ordered))
                lastSeen = max(lastSeen, newest.first?.id ?? 0)
            } else {
                let order: EventOrder = list.reverse && !list.follow ? .descending : .ascending
                var cursor: EventCursor?
                while true {
                    let page = try await store.events(matching: query, order: order, after: cursor, limit: Self.pageSize)
                    guard let last = page.last else { break }
                    try await writer.write(Self.lines(page))
                    lastSeen = max(lastSeen, page.map(\.id).max() ?? 0)
                    cursor = EventCursor(after: last)
                    if page.count < Self.pageSize { break }
                }
            }
            if let subscription {
                for await _ in subscription.signals {
                    var followQuery = query
                    while true {
                        followQuery.afterID = lastSeen
                        let page = try await store.events(matching: followQuery, order: .ascending, after: nil, limit: Self.pageSize)
                        guard !page.isEmpty else { break }
                        try await writer.write(Self.lines(page))
                        lastSeen = page.map(\.id).max() ?? lastSeen
                        if page.count < Self.pageSize { break }
                    }
                }
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: ControlAPI.jsonLinesContentType], body: body)
    }

    static func lines(_ events: some Sequence<StoredEvent>) -> ByteBuffer {
        var buffer = ByteBuffer()
        for event in events {
            buffer.writeString(line(event))
            buffer.writeInteger(UInt8(ascii: "\n"))
        }
        return buffer
    }

    /// A webhook filter may name a webhook or give its Authy id; events record the name.
    func resolveWebhookName(_ nameOrID: String) async throws -> String {
        let registry = try await state.store.webhooks()
        return registry.first { $0.id == nameOrID }?.name ?? nameOrID
    }
}
