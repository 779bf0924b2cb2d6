import AuthyWebhooksConfig
import Crypto
import Foundation

/// The Standard Webhooks signature (`webhook-signature: v1,<base64>`): HMAC-SHA256 with the key inside the
/// `whsec_` secret over `"{webhook-id}.{webhook-timestamp}.{body}"`, so any Standard Webhooks library verifies it.
struct StandardWebhookSignature: Sendable {
    private let key: SymmetricKey

    /// nil when `secret` is not a `whsec_` secret (the configuration has already refused those).
    init?(secret: String) {
        guard let bytes = ForwardSecret.key(secret) else { return nil }
        key = SymmetricKey(data: bytes)
    }

    func header(id: String, timestamp: Int64, body: [UInt8]) -> String {
        var hmac = HMAC<SHA256>(key: key)
        hmac.update(data: Array("\(id).\(timestamp).".utf8))
        hmac.update(data: body)
        return "v1," + Data(hmac.finalize()).base64EncodedString()
    }
}
