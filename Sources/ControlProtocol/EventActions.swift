import Foundation

/// `POST /v1/events/simulate`: build a correctly signed delivery for a known webhook and POST it to the receiver.
public struct SimulateRequest: Codable, Sendable, Equatable {
    public var type: String
    /// Webhook name or id; nil = the only (or first) webhook with a signing key.
    public var webhook: String?

    public init(type: String, webhook: String?) {
        self.type = type
        self.webhook = webhook
    }
}

/// What the receiver answered to a simulated delivery.
public struct SimulateResponse: Codable, Sendable, Equatable {
    public var webhook: String
    /// The receiver's HTTP status.
    public var status: Int
    public var deliveryID: Int64?
    public var events: Int?
    public var duplicate: Bool?
    /// The receiver's URL that was called.
    public var url: String

    enum CodingKeys: String, CodingKey {
        case webhook, status, events, duplicate, url
        case deliveryID = "delivery_id"
    }

    public init(webhook: String, status: Int, deliveryID: Int64?, events: Int?, duplicate: Bool?, url: String) {
        self.webhook = webhook
        self.status = status
        self.deliveryID = deliveryID
        self.events = events
        self.duplicate = duplicate
        self.url = url
    }
}

/// `POST /v1/events/prune`.
public struct PruneRequest: Codable, Sendable, Equatable {
    public var before: Date
    public var dryRun: Bool

    enum CodingKeys: String, CodingKey {
        case before
        case dryRun = "dry_run"
    }

    public init(before: Date, dryRun: Bool) {
        self.before = before
        self.dryRun = dryRun
    }
}

/// What a prune removed (or, with `dry_run`, would remove).
public struct PruneResponse: Codable, Sendable, Equatable {
    public var deliveries: Int
    public var events: Int
    public var dryRun: Bool

    enum CodingKeys: String, CodingKey {
        case deliveries, events
        case dryRun = "dry_run"
    }

    public init(deliveries: Int, events: Int, dryRun: Bool) {
        self.deliveries = deliveries
        self.events = events
        self.dryRun = dryRun
    }
}

/// The receiver's answer to a delivery (also the body `simulate` decodes).
public struct DeliveryAnswer: Codable, Sendable, Equatable {
    public var deliveryID: Int64
    public var events: Int
    public var duplicate: Bool

    enum CodingKeys: String, CodingKey {
        case events, duplicate
        case deliveryID = "delivery_id"
    }

    public init(deliveryID: Int64, events: Int, duplicate: Bool) {
        self.deliveryID = deliveryID
        self.events = events
        self.duplicate = duplicate
    }
}
