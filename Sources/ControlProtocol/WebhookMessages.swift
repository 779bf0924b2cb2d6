import Foundation

/// A webhook as `authyctl webhooks list` shows it.
public struct WebhookRecord: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var url: String?
    public var events: [String]
    /// `authy` (pulled by sync), `created` (made by authyctl), `config` (a SigningKey= in the configuration),
    /// or `remote` (a live answer from Authy).
    public var source: String
    /// Masked (`WSK_…` + `****`) unless explicitly asked for.
    public var signingKey: String?
    public var lastSyncedAt: Date?

    enum CodingKeys: String, CodingKey {
        case id, name, url, events, source
        case signingKey = "signing_key"
        case lastSyncedAt = "last_synced_at"
    }

    public init(id: String, name: String, url: String?, events: [String], source: String, signingKey: String?, lastSyncedAt: Date?) {
        self.id = id
        self.name = name
        self.url = url
        self.events = events
        self.source = source
        self.signingKey = signingKey
        self.lastSyncedAt = lastSyncedAt
    }

    /// Hides a signing key but for its prefix, so operators can tell keys apart without exposing them.
    public static func mask(_ key: String?) -> String? {
        guard let key else { return nil }
        return key.hasPrefix("WSK_") ? "WSK_********" : "********"
    }
}

/// `GET /v1/webhooks`.
public struct WebhookListResponse: Codable, Sendable, Equatable {
    public var webhooks: [WebhookRecord]
    /// True when the list came live from Authy (`--remote`).
    public var remote: Bool

    public init(webhooks: [WebhookRecord], remote: Bool) {
        self.webhooks = webhooks
        self.remote = remote
    }
}

/// `POST /v1/webhooks`.
public struct CreateWebhookRequest: Codable, Sendable, Equatable {
    public var name: String
    public var url: String
    public var events: [String]
    public var allowUnknownEvents: Bool

    enum CodingKeys: String, CodingKey {
        case name, url, events
        case allowUnknownEvents = "allow_unknown_events"
    }

    public init(name: String, url: String, events: [String], allowUnknownEvents: Bool) {
        self.name = name
        self.url = url
        self.events = events
        self.allowUnknownEvents = allowUnknownEvents
    }
}

/// `DELETE /v1/webhooks/{id or name}`.
public struct DeleteWebhookResponse: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    /// Set when the webhook was already gone at Authy and was only removed locally.
    public var note: String?

    public init(id: String, name: String, note: String?) {
        self.id = id
        self.name = name
        self.note = note
    }
}

/// `POST /v1/webhooks/sync`.
public struct SyncRequest: Codable, Sendable, Equatable {
    public var dryRun: Bool
    public var prune: Bool
    public var recreate: Bool

    enum CodingKeys: String, CodingKey {
        case prune, recreate
        case dryRun = "dry_run"
    }

    public init(dryRun: Bool, prune: Bool, recreate: Bool) {
        self.dryRun = dryRun
        self.prune = prune
        self.recreate = recreate
    }
}

/// One line of the sync plan and its outcome.
public struct SyncEntry: Codable, Sendable, Equatable {
    /// What sync did (or, with `--dry-run`, would do) with one webhook.
    public enum Action: String, Codable, Sendable, CaseIterable {
        case unchanged, added, created, drift, recreated, deleted
        case removedLocally = "removed-locally"
    }

    public var name: String
    public var id: String?
    public var action: Action
    /// Why, in a few words (e.g. "events differ: +user_added").
    public var detail: String

    public init(name: String, id: String?, action: Action, detail: String) {
        self.name = name
        self.id = id
        self.action = action
        self.detail = detail
    }
}

/// `POST /v1/webhooks/sync` answer.
public struct SyncResponse: Codable, Sendable, Equatable {
    public var dryRun: Bool
    public var entries: [SyncEntry]

    enum CodingKeys: String, CodingKey {
        case entries
        case dryRun = "dry_run"
    }

    public init(dryRun: Bool, entries: [SyncEntry]) {
        self.dryRun = dryRun
        self.entries = entries
    }
}
