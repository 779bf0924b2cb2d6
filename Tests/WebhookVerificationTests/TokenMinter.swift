import Crypto
import Foundation
import Testing
import WebhookVerification
import _CryptoExtras

/// Builds JWTs for tests with swift-crypto, so tests state what a token contains instead of pasting opaque strings.
/// The base64url encoder here is deliberately independent of the module's decoder.
enum TokenMinter {
    /// The reference's synthetic delivery (authy-webhooks.md §4), verbatim, signed with `referenceKey`.
    static let referenceToken =
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ1cmwiOiJodHRwczovL2V4YW1wbGUuY29tL2F1dGh5L3dlYmhvb2siLCJwYXJhbXMiOnsiZXZlbnRzIjpbeyJldmVudCI6InBob25lX3ZlcmlmaWNhdGlvbl9zdGFydGVkIiwib2JqZWN0cyI6eyJhcHAiOnsic19pZCI6IjEyMzQ1Iiwic190eXBlIjoiZnVsbCJ9LCJwaG9uZV92ZXJpZmljYXRpb24iOnsic19pZCI6InB2XzEiLCJzX3N0YXR1cyI6InBlbmRpbmciLCJpX2NvZGVfbGVuZ3RoIjo0fX0sInJlcXVlc3QiOnsiaWQiOiJyZXFfMSIsImlwIjoiMjAzLjAuMTEzLjcifSwidGltZSI6IjIwMTctMDYtMTZUMjM6MDA6MDBaIn1dfSwiaWF0IjoxNDk3NjU0MDAwfQ.sYM9X_1PUbL7ud9JMxtYEEULMfvA0Kp-FUcySjW_kJk"
    static let referenceKey = "WSK_example_signing_key"
    /// The reference token's decoded claims, as the reference document prints them.
    static let referenceClaims =
        #"{"url":"https://example.com/authy/webhook","params":{"events":[{"event":"phone_verification_started","objects":{"app":{"s_id":"12345","s_type":"full"},"phone_verification":{"s_id":"pv_1","s_status":"pending","i_code_length":4}},"request":{"id":"req_1","ip":"203.0.113.7"},"time":"2017-06-16T23:00:00Z"}]},"iat":1497654000}"#
    /// The reference token's `iat`, a convenient fixed "now".
    static let referenceTime = Date(timeIntervalSince1970: 1_497_654_000)

    static let standardHeader = #"{"alg":"HS256","typ":"JWT"}"#

    static func base64url(_ bytes: some Sequence<UInt8>) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func base64url(_ text: String) -> String { base64url(Array(text.utf8)) }

    /// `header.payload` for raw header and claims texts.
    static func signingInput(header: String, claims: String) -> String {
        base64url(header) + "." + base64url(claims)
    }

    /// An HMAC-signed token; `alg` picks the hash (HS256/HS384/HS512) unless `header` overrides the header text,
    /// in which case `signAs` picks the hash.
    static func hmac(
        claims: String, secret: String = referenceKey, header: String? = nil, signAs: String = "HS256"
    ) -> String {
        let headerText = header ?? #"{"alg":"\#(signAs)","typ":"JWT"}"#
        let input = signingInput(header: headerText, claims: claims)
        return input + "." + base64url(hmacSignature(Array(input.utf8), secret: secret, alg: signAs))
    }

    /// An HMAC-SHA256 token over raw (already decoded) claims bytes, e.g. not UTF-8.
    static func hs256(claimsBytes: [UInt8], secret: String = referenceKey, header: String = standardHeader) -> String {
        let input = base64url(header) + "." + base64url(claimsBytes)
        return input + "." + base64url(hmacSignature(Array(input.utf8), secret: secret, alg: "HS256"))
    }

    static func hmacSignature(_ input: [UInt8], secret: String, alg: String) -> [UInt8] {
        let key = SymmetricKey(data: Array(secret.utf8))
        switch alg {
        case "HS384": return Array(HMAC<SHA384>.authenticationCode(for: input, using: key))
        case "HS512": return Array(HMAC<SHA512>.authenticationCode(for: input, using: key))
        default: return Array(HMAC<SHA256>.authenticationCode(for: input, using: key))
        }
    }

    /// A genuinely RSA-signed RS256 token (RSASSA-PKCS1-v1_5 with SHA-256, 2048-bit throwaway key).
    static func rs256(claims: String) throws -> String {
        let input = signingInput(header: #"{"alg":"RS256","typ":"JWT"}"#, claims: claims)
        let key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let signature = try key.signature(for: Data(input.utf8), padding: .insecurePKCS1v1_5)
        return input + "." + base64url(signature.rawRepresentation)
    }

    /// A genuinely ECDSA-signed ES256 token (P-256, raw r‖s signature as RFC 7518 §3.4 requires).
    static func es256(claims: String) throws -> String {
        let input = signingInput(header: #"{"alg":"ES256","typ":"JWT"}"#, claims: claims)
        let signature = try P256.Signing.PrivateKey().signature(for: Data(input.utf8))
        return input + "." + base64url(signature.rawRepresentation)
    }

    /// Claims with one event and optional registered claims.
    static func claims(
        event: String = "phone_verification_started", exp: Double? = nil, nbf: Double? = nil,
        url: String? = "https://example.com/authy/webhook"
    ) -> String {
        var fields: [String] = []
        if let url { fields.append(#""url":"\#(url)""#) }
        fields.append(#""params":{"events":[{"event":"\#(event)","time":"2017-06-16T23:00:00Z"}]}"#)
        if let exp { fields.append(#""exp":\#(exp)"#) }
        if let nbf { fields.append(#""nbf":\#(nbf)"#) }
        return "{" + fields.joined(separator: ",") + "}"
    }

    /// A verifier holding only the reference key, labelled `example`.
    static func referenceVerifier(publicURL: String? = nil, leeway: TimeInterval = 60) -> DeliveryVerifier {
        DeliveryVerifier(
            keys: [WebhookSigningKey(webhook: "example", secret: referenceKey)], publicURL: publicURL, leeway: leeway)
    }

    /// The `DeliveryError` that `body` throws, or nil when it succeeds. (Closures do not infer typed throws, so the
    /// closure is untyped here; any other error type is recorded as a test failure.)
    static func deliveryError<T>(_ body: () throws -> T) -> DeliveryError? {
        do {
            _ = try body()
            return nil
        } catch let error as DeliveryError {
            return error
        } catch {
            Issue.record("unexpected error type: \(error)")
            return nil
        }
    }
}
