import Foundation

/// A webhook in the local registry.
public struct RegisteredWebhook: Sendable, Equatable {
    /// Where the registry learned of a webhook.
    public enum Source: String, Sendable, Codable {
        /// Pulled from Authy's list by `webhooks sync`.
        case authy
        /// Made through `authyctl webhooks create`.
        case created
        /// Declared in the configuration with a `SigningKey=` (made elsewhere).
        case config
    }

    /// Authy's `WH_…` id, or `config:<name>` for a key known only from the configuration.
    public var id: String
    public var name: String
    public var url: String?
    public var events: [String]
    /// The `WSK_…` key deliveries are signed with. A secret: never logged.
    public var signingKey: String?
    public var source: Source
    public var createdAt: Date
    public var lastSyncedAt: Date?

    public init(id: String, name: String, url: String?, events: [String], signingKey: String?, source: Source, createdAt: Date, lastSyncedAt: Date?) {
        self.id = id
        self.name = name
        self.url = url
        self.events = events
        self.signingKey = signingKey
        self.source = source
        self.createdAt = createdAt
        self.lastSyncedAt = lastSyncedAt
    }
}

/// A signing key of a webhook that was deleted or recreated, verifying for a grace period.
public struct RetiredSigningKey: Sendable, Equatable {
    public var webhookID: String
    public var webhookName: String
    public var signingKey: String
    public var retiredAt: Date

    public init(webhookID: String, webhookName: String, signingKey: String, retiredAt: Date) {
        self.webhookID = webhookID
        self.webhookName = webhookName
        self.signingKey = signingKey
        self.retiredAt = retiredAt
    }
}

/// One change to the registry.
public enum RegistryChange: Sendable, Equatable {
    /// Insert or replace by id. When the replaced row had another signing key, that key is retired.
    case upsert(RegisteredWebhook)
    /// Remove by id; its signing key is retired.
    case remove(id: String)
    /// Marks rows as seen at Authy now.
    case markSynced(ids: [String])
}
