import AuthyWebhooksConfig
import EventStore
import Foundation
import Synchronization
import WebhookVerification

/// The signing keys the receiver verifies against. Rebuilt and swapped in one step whenever the registry or the
/// configuration changes, so a webhook created a moment ago verifies without a restart.
final class KeyRing: Sendable {
    /// A key replaced or deleted a short while ago: it still verifies until `expiresAt`.
    struct RetiredKey: Sendable {
        var key: WebhookSigningKey
        var expiresAt: Date
    }

    struct Snapshot: Sendable {
        var verifier: DeliveryVerifier
        var retired: [RetiredKey]
        /// Webhook name → Authy id, for the deliveries' `webhook_id`.
        var ids: [String: String]
        /// Webhook name → signing key, for `events simulate` (never logged).
        var signingKeys: [String: String]
        var publicURL: String?
    }

    private let snapshot: Mutex<Snapshot>

    init() {
        snapshot = Mutex(Snapshot(verifier: DeliveryVerifier(keys: []), retired: [], ids: [:], signingKeys: [:], publicURL: nil))
    }

    /// Rebuilds from the configuration's `[Webhook] SigningKey=` entries, the registry and the retired keys.
    func rebuild(configuration: DaemonConfiguration, registry: [RegisteredWebhook], retired: [RetiredSigningKey]) {
        var keys: [WebhookSigningKey] = []
        var ids: [String: String] = [:]
        var signingKeys: [String: String] = [:]
        for webhook in configuration.webhooks {
            guard let secret = webhook.signingKey else { continue }
            keys.append(WebhookSigningKey(webhook: webhook.name, secret: secret))
            signingKeys[webhook.name] = secret
        }
        for webhook in registry {
            guard let secret = webhook.signingKey else { continue }
            keys.append(WebhookSigningKey(webhook: webhook.name, secret: secret))
            ids[webhook.name] = webhook.id
            signingKeys[webhook.name] = signingKeys[webhook.name] ?? secret
        }
        let grace = configuration.receiver.retiredKeyGrace.timeInterval
        let retiredKeys = retired.map {
            RetiredKey(key: WebhookSigningKey(webhook: $0.webhookName, secret: $0.signingKey), expiresAt: $0.retiredAt.addingTimeInterval(grace))
        }
        let publicURL = configuration.receiver.publicURL
        let next = Snapshot(
            verifier: DeliveryVerifier(keys: keys, publicURL: publicURL), retired: retiredKeys, ids: ids,
            signingKeys: signingKeys, publicURL: publicURL)
        snapshot.withLock { $0 = next }
    }

    /// Verifies a token against every current key, then against retired keys still inside their grace period.
    func verify(token: String, now: Date = Date()) throws(DeliveryError) -> VerifiedDelivery {
        let current = snapshot.withLock { $0 }
        do {
            return try current.verifier.verify(token: token, now: now)
        } catch where error.code == "invalid_signature" {
            let stillValid = current.retired.filter { $0.expiresAt > now }.map(\.key)
            guard !stillValid.isEmpty else { throw error }
            return try DeliveryVerifier(keys: stillValid, publicURL: current.publicURL).verify(token: token, now: now)
        }
    }

    func webhookID(forName name: String) -> String? {
        snapshot.withLock { $0.ids[name] }
    }

    func signingKey(forName name: String) -> String? {
        snapshot.withLock { $0.signingKeys[name] }
    }

    /// Names of the webhooks with a usable key, sorted.
    var webhookNames: [String] {
        snapshot.withLock { $0.signingKeys.keys.sorted() }
    }
}

extension Duration {
    /// Seconds as a `TimeInterval`.
    var timeInterval: TimeInterval {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
