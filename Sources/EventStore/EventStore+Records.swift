import Foundation

/// A verified delivery, ready to be stored.
public struct NewDelivery: Sendable {
    /// The JWT exactly as received.
    public var token: String
    /// SHA-256 of the token: the same delivery in any envelope has the same digest.
    public var tokenSHA256: [UInt8]
    /// Where it came from (`203.0.113.7:51234`), for the log and `events show`.
    public var remoteAddress: String?
    /// Name of the webhook whose signing key verified it.
    public var webhook: String
    /// Authy's id of that webhook, when known.
    public var webhookID: String?
    /// The events it carries; at least one (an unreadable payload is one event without a type).
    public var events: [NewEvent]

    public init(token: String, tokenSHA256: [UInt8], remoteAddress: String?, webhook: String, webhookID: String? = nil, events: [NewEvent]) {
        self.token = token
        self.tokenSHA256 = tokenSHA256
        self.remoteAddress = remoteAddress
        self.webhook = webhook
        self.webhookID = webhookID
        self.events = events
    }
}

/// One event item of a delivery.
public struct NewEvent: Sendable, Equatable {
    /// The `event` name; nil when the payload could not be read.
    public var type: String?
    /// The item's `time`, as sent.
    public var occurredAt: String?
    /// The item's `request.id`.
    public var requestID: String?
    /// The item as received (JSON text).
    public var payload: String

    public init(type: String?, occurredAt: String?, requestID: String?, payload: String) {
        self.type = type
        self.occurredAt = occurredAt
        self.requestID = requestID
        self.payload = payload
    }
}

/// What happened to one delivery of a batch.
public struct RecordOutcome: Sendable, Equatable {
    public var deliveryID: Int64
    public var duplicate: Bool
    /// Number of events the delivery holds (also for a duplicate: the original's count).
    public var eventCount: Int
    /// The events written by this call (empty for a duplicate): what `--follow` subscribers are sent.
    public var storedEvents: [StoredEvent]

    public init(deliveryID: Int64, duplicate: Bool, eventCount: Int, storedEvents: [StoredEvent]) {
        self.deliveryID = deliveryID
        self.duplicate = duplicate
        self.eventCount = eventCount
        self.storedEvents = storedEvents
    }
}

/// A stored event, as read back.
public struct StoredEvent: Sendable, Equatable {
    public var id: Int64
    public var deliveryID: Int64
    /// Microseconds since the Unix epoch.
    public var receivedAtMicros: Int64
    public var type: String?
    public var occurredAt: String?
    public var requestID: String?
    public var webhook: String
    public var payload: String

    public init(id: Int64, deliveryID: Int64, receivedAtMicros: Int64, type: String?, occurredAt: String?, requestID: String?, webhook: String, payload: String) {
        self.id = id
        self.deliveryID = deliveryID
        self.receivedAtMicros = receivedAtMicros
        self.type = type
        self.occurredAt = occurredAt
        self.requestID = requestID
        self.webhook = webhook
        self.payload = payload
    }

    /// The receive time as a `Date`.
    public var receivedAt: Date { Date(timeIntervalSince1970: Double(receivedAtMicros) / 1_000_000) }
}

/// A stored delivery, as read back.
public struct StoredDelivery: Sendable, Equatable {
    public var id: Int64
    public var token: String
    public var receivedAtMicros: Int64
    public var remoteAddress: String?
    public var webhook: String
    public var webhookID: String?
    public var eventCount: Int

    public init(id: Int64, token: String, receivedAtMicros: Int64, remoteAddress: String?, webhook: String, webhookID: String?, eventCount: Int) {
        self.id = id
        self.token = token
        self.receivedAtMicros = receivedAtMicros
        self.remoteAddress = remoteAddress
        self.webhook = webhook
        self.webhookID = webhookID
        self.eventCount = eventCount
    }
}

/// Filters of `authyctl events`. Empty lists mean "any".
public struct EventQuery: Sendable, Equatable {
    /// Received at or after.
    public var since: Date?
    /// Received before.
    public var until: Date?
    /// Event types; `unknown` matches events whose payload could not be read.
    public var types: [String]
    /// Webhook names.
    public var webhooks: [String]
    /// Only events with an id greater than this (used by `--follow` to continue without gaps).
    public var afterID: Int64?

    public init(since: Date? = nil, until: Date? = nil, types: [String] = [], webhooks: [String] = [], afterID: Int64? = nil) {
        self.since = since
        self.until = until
        self.types = types
        self.webhooks = webhooks
        self.afterID = afterID
    }

    /// The type name shown for (and used to filter) events whose payload could not be read.
    public static let unknownType = "unknown"

}

/// Reading direction.
public enum EventOrder: Sendable {
    /// Oldest first.
    case ascending
    /// Newest first.
    case descending
}

/// Where the previous page ended: events are ordered by (receive time, id).
public struct EventCursor: Sendable, Equatable {
    public var receivedAtMicros: Int64
    public var id: Int64

    public init(receivedAtMicros: Int64, id: Int64) {
        self.receivedAtMicros = receivedAtMicros
        self.id = id
    }

    /// The cursor just past `event`.
    public init(after event: StoredEvent) {
        self.init(receivedAtMicros: event.receivedAtMicros, id: event.id)
    }
}

/// Counts and times for `authyctl status`.
public struct StoreStatistics: Sendable, Equatable {
    public var deliveries: Int
    public var events: Int
    public var lastEventAt: Date?
    /// Bytes of the database file and its WAL.
    public var sizeBytes: Int64
    public var location: String
    /// How commits really reach the disk, read from the connection that commits (not from the configuration):
    /// `full` (fsync per commit), `normal`, `off` or `extra`.
    public var durability: String
}

/// The outcome of a prune.
public struct PruneResult: Sendable, Equatable {
    public var deliveries: Int
    public var events: Int
    public var dryRun: Bool

    public init(deliveries: Int, events: Int, dryRun: Bool) {
        self.deliveries = deliveries
        self.events = events
        self.dryRun = dryRun
    }
}
