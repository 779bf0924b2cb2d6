import Crypto
import Foundation

/// Signs claims as Authy does (HS256 JWT with a webhook's signing key): for `events simulate` and tests.
enum WebhookTokenSigner {
    static func sign(claims: String, key: String, header: String = #"{"alg":"HS256","typ":"JWT"}"#) -> String {
        let signingInput = base64URL(Array(header.utf8)) + "." + base64URL(Array(claims.utf8))
        let mac = HMAC<SHA256>.authenticationCode(for: Array(signingInput.utf8), using: SymmetricKey(data: Array(key.utf8)))
        return signingInput + "." + base64URL(Array(mac))
    }

    static func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
