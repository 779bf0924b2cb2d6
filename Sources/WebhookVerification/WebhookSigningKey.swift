import Crypto

/// A webhook signing key (`WSK_…`, Authy's `signing_key`), held ready for HMAC: the `SymmetricKey` is built once here,
/// not per delivery.
///
/// The secret is never printed: `description`, `debugDescription` and `dump` show only the webhook label.
public struct WebhookSigningKey: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The label recorded on deliveries this key verifies (the webhook's name or id in our configuration).
    public let webhook: String
    /// HMAC-SHA256 keyed with the secret's UTF-8 bytes (as Authy's demo and public receivers use it), with the key
    /// already absorbed: copying it and feeding the message skips re-deriving the padded keys on every delivery.
    /// The digest state is copy-on-write, so concurrent verifications each work on their own copy. Any key length is
    /// accepted (the reference's example key is 23 bytes, shorter than the 32 bytes RFC 7518 recommends).
    let keyedHMAC: HMAC<SHA256>

    /// A key for `webhook` whose secret is `secret` (its UTF-8 text is the HMAC key).
    public init(webhook: String, secret: String) {
        self.webhook = webhook
        self.keyedHMAC = HMAC<SHA256>(key: SymmetricKey(data: Array(secret.utf8)))
    }

    /// Whether `signature` is this key's HMAC-SHA256 of `message`, compared in constant time.
    ///
    /// The same computation as `HMAC<SHA256>.isValidAuthenticationCode(_:authenticating:using:)` (init, update,
    /// finalize, then swift-crypto's constant-time `safeCompare` through `MessageAuthenticationCode.==`), minus the
    /// per-call key set-up.
    func isValidSignature(_ signature: [UInt8], for message: UnsafeRawBufferPointer) -> Bool {
        var hmac = keyedHMAC
        hmac.update(data: message)
        return hmac.finalize() == signature
    }

    /// `WebhookSigningKey(webhook: …, secret: <redacted>)`.
    public var description: String { "WebhookSigningKey(webhook: \(webhook), secret: <redacted>)" }
    /// Same as `description`: the secret is never shown.
    public var debugDescription: String { description }
    /// Only the webhook label, so `dump` and reflection-based loggers cannot reveal the secret.
    public var customMirror: Mirror { Mirror(self, children: ["webhook": webhook, "secret": "<redacted>"]) }
}
