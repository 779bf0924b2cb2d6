import Foundation

/// `GET /v1/status`: what `authyctl status` shows.
public struct StatusResponse: Codable, Sendable, Equatable {
    public var version: String
    public var startedAt: Date
    public var uptimeSeconds: Double
    public var databasePath: String
    public var databaseSizeBytes: Int64
    public var deliveries: Int
    public var events: Int
    public var lastEventAt: Date?
    /// Receiver addresses, e.g. `127.0.0.1:8080`.
    public var listeners: [String]
    public var deliveryPath: String
    public var controlSocket: String
    /// Webhooks the receiver verifies against (registry and configuration), by name.
    public var webhooks: [String]
    /// Whether webhook commands can reach Authy; if not, which keys are missing.
    public var missingCredentials: [String]
    /// How commits reach the disk, as the database connection reports it: `full` (fsync per commit) or `normal`.
    /// Optional so that this authyctl still reads the status of a daemon older than the field.
    public var durability: String?
    /// One entry per forward target (absent from daemons older than forwarding).
    public var forwarding: [ForwardTargetStatus]?

    enum CodingKeys: String, CodingKey {
        case version, deliveries, events, listeners, webhooks, durability, forwarding
        case startedAt = "started_at"
        case uptimeSeconds = "uptime_seconds"
        case databasePath = "database_path"
        case databaseSizeBytes = "database_size_bytes"
        case lastEventAt = "last_event_at"
        case deliveryPath = "delivery_path"
        case controlSocket = "control_socket"
        case missingCredentials = "missing_credentials"
    }

    public init(
        version: String, startedAt: Date, uptimeSeconds: Double, databasePath: String, databaseSizeBytes: Int64,
        deliveries: Int, events: Int, lastEventAt: Date?, listeners: [String], deliveryPath: String,
        controlSocket: String, webhooks: [String], missingCredentials: [String], durability: String? = nil,
        forwarding: [ForwardTargetStatus]? = nil
    ) {
        self.version = version
        self.startedAt = startedAt
        self.uptimeSeconds = uptimeSeconds
        self.databasePath = databasePath
        self.databaseSizeBytes = databaseSizeBytes
        self.deliveries = deliveries
        self.events = events
        self.lastEventAt = lastEventAt
        self.listeners = listeners
        self.deliveryPath = deliveryPath
        self.controlSocket = controlSocket
        self.webhooks = webhooks
        self.missingCredentials = missingCredentials
        self.durability = durability
        self.forwarding = forwarding
    }
}
