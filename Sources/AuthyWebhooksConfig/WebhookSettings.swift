/// One `[Webhook]` section (sections with the same `Name=` merged): a webhook the receiver verifies deliveries
/// for, and/or one `authyctl webhooks sync` should make exist at Authy.
///
/// `signingKey` is a secret: `description`, `debugDescription` and reflection show it as `<masked>`.
public struct WebhookSettings: Sendable, Equatable {
    /// `Name=`: the webhook's unique name (required); the same name at Authy is the same webhook.
    public var name: String
    /// `SigningKey=`: the webhook's `WSK_…` signing key, for webhooks made elsewhere. Secret. Default unset.
    public var signingKey: String?
    /// `URL=`: the URL Authy should call (desired state for `webhooks sync`); requires `Events=`. Default unset.
    public var url: String?
    /// `Events=`: event names the webhook subscribes to; space-separated, repeatable (accumulates), an empty
    /// `Events=` clears the list. Kept in first-seen order without duplicates.
    public var events: [String]
    /// `file:line` of the first `[Webhook]` header that declared this name.
    public var location: String

    /// Creates a webhook description (tests and callers building a configuration in code).
    public init(name: String, signingKey: String? = nil, url: String? = nil, events: [String] = [], location: String) {
        self.name = name
        self.signingKey = signingKey
        self.url = url
        self.events = events
        self.location = location
    }
}

extension WebhookSettings: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String {
        "WebhookSettings(name: \(name), signingKey: \(masked(signingKey)), url: \(url ?? "<unset>"), "
            + "events: \(events), location: \(location))"
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror {
        Mirror(self, children: [
            "name": name,
            "signingKey": masked(signingKey),
            "url": url as Any,
            "events": events,
            "location": location,
        ])
    }
}
