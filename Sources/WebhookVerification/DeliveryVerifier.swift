import Crypto
import Foundation

/// Verifies webhook deliveries: HS256 JWTs signed with one of the configured webhook signing keys.
///
/// Order of checks, each refusing with a stable code (see `ReceiverErrorCode`):
/// 1. structure: three canonical base64url segments, a strict JSON object header → 400 `malformed_token`;
/// 2. algorithm: `alg` exactly `"HS256"`, no `crit` → 401 `unsupported_algorithm` (so `none`, `HS384`, and the
///    RS256 "key confusion" trick fail before any key is used); `kid`, `jku`, `x5u`, `jwk`, `x5c` are ignored, never
///    followed: the key is chosen by us, not by the token; only then is an empty signature segment refused →
///    400 `malformed_token`, so an unsecured `HEADER.PAYLOAD.` token (RFC 7519 §6) is `unsupported_algorithm`;
/// 3. signature: HMAC-SHA256 of `header.payload` compared in constant time with each configured key in turn →
///    401 `invalid_signature`;
/// 4. only then the claims: `exp`/`nbf` when present (with `leeway`), `url` when `publicURL` is configured.
///
/// A correctly signed delivery is never refused for the shape of its payload: see `VerifiedDelivery.eventsReadable`.
/// When the claims are not a readable object (not JSON, a repeated key, nested deeper than 64), `exp` and `nbf`
/// cannot be read and are not checked, and a configured `publicURL` cannot be confirmed, so that case is refused
/// with `url_mismatch`.
public struct DeliveryVerifier: Sendable {
    /// Nesting allowed in the header and in claims read for events.
    static let maxDepth = StrictJSON.defaultMaxDepth
    /// Nesting up to which unreadable-but-valid claims are still stored verbatim as the fallback item's payload. Kept
    /// well under SQLite's JSON nesting limit (1000) so the store's JSON functions can read every payload we hand on.
    public static let fallbackMaxDepth = 512

    let keys: [WebhookSigningKey]
    let publicURL: String?
    let leeway: TimeInterval

    /// - Parameters:
    ///   - keys: every webhook's signing key; a delivery is attributed to the first key that verifies it.
    ///   - publicURL: when set, the `url` claim must equal it exactly (no normalisation: not even a trailing slash is
    ///     forgiven, because this is the URL registered with Authy and Authy signs what it was given). Compare with a
    ///     configured URL, never the request's own, which a proxy may change (reference §4).
    ///   - leeway: seconds of clock skew forgiven on `exp` and `nbf` (negative or NaN counts as 0).
    public init(keys: [WebhookSigningKey], publicURL: String? = nil, leeway: TimeInterval = 60) {
        self.keys = keys
        self.publicURL = publicURL
        self.leeway = leeway.isNaN ? 0 : max(0, leeway)
    }

    /// Verifies `token` (as extracted by `DeliveryEnvelope.extractToken`) at time `now`.
    public func verify(token: String, now: Date = Date()) throws(DeliveryError) -> VerifiedDelivery {
        let parts = try JWSCompact(token: token)
        try Self.checkHeader(parts.header)
        // After the header: `alg` none with the customary empty signature is an unsupported algorithm, not garbage.
        guard !parts.signature.isEmpty else { throw DeliveryError(.malformedToken, "the token's signature segment is empty") }
        let webhook = try matchingWebhook(parts)

        let claims = ClaimsDocument(parts.claims)
        try checkClaims(claims, now: now)
        let (events, readable) = claims.eventItems()
        return VerifiedDelivery(
            token: token, webhook: webhook, events: events, eventsReadable: readable)
    }

    /// The decoded header and claims of a token, without verifying anything but its structure (three canonical
    /// base64url segments; 400 `malformed_token` otherwise). For tokens already verified and stored, e.g.
    /// `authyctl events show --raw`.
    public static func decodeUnverified(token: String) throws(DeliveryError) -> (header: [UInt8], claims: [UInt8]) {
        let parts = try JWSCompact(token: token)
        return (parts.header, parts.claims)
    }

    // MARK: Header

    static func checkHeader(_ header: [UInt8]) throws(DeliveryError) {
        let document: JSONDocument
        do throws(StrictJSONError) {
            document = try StrictJSON.parse(header, maxDepth: maxDepth)
        } catch {
            if error.kind == .duplicateKey {
                throw DeliveryError(.malformedToken, "the token header repeats a key")
            }
            throw DeliveryError(.malformedToken, "the token header is not strict JSON (\(error.message))")
        }
        let root = document.root
        guard document.kind(root) == .object else {
            throw DeliveryError(.malformedToken, "the token header is not a JSON object")
        }
        guard let alg = document.member(root, "alg") else {
            throw DeliveryError(.unsupportedAlgorithm, "the token header has no alg; only HS256 is accepted")
        }
        // Exact and case-sensitive (RFC 7515 §4.1.1): "hs256" is not HS256, and "none" never is.
        guard document.kind(alg) == .string, document.stringBytes(alg) == Array("HS256".utf8) else {
            throw DeliveryError(.unsupportedAlgorithm, "the token's alg is not HS256, the only algorithm accepted")
        }
        if let typ = document.member(root, "typ"), document.kind(typ) != .string {
            throw DeliveryError(.malformedToken, "the token header's typ is not a string")
        }
        // RFC 7515 §4.1.11: a recipient that does not understand a listed extension must reject; we understand none.
        if document.member(root, "crit") != nil {
            throw DeliveryError(.unsupportedAlgorithm, "the token header lists crit extensions, and none is supported")
        }
    }

    // MARK: Signature

    private func matchingWebhook(_ parts: JWSCompact) throws(DeliveryError) -> String {
        guard !keys.isEmpty else {
            throw DeliveryError(.invalidSignature, "no signing keys are configured, so no delivery can be verified")
        }
        guard parts.signature.count == SHA256.byteCount else {
            throw DeliveryError(.invalidSignature, "the signature is not the 32 bytes of an HMAC-SHA256")
        }
        let matched: String? = parts.bytes.withUnsafeBytes { buffer in
            let signingInput = UnsafeRawBufferPointer(rebasing: buffer[..<parts.signingInputEnd])
            // Each comparison is constant-time. Stopping at the first match reveals only which key matched, and
            // only to someone who already holds a correctly signed token.
            for key in keys where key.isValidSignature(parts.signature, for: signingInput) {
                return key.webhook
            }
            return nil
        }
        guard let matched else {
            throw DeliveryError(.invalidSignature, "the signature does not match any configured webhook signing key")
        }
        return matched
    }

    // MARK: Claims

    private func checkClaims(_ claims: ClaimsDocument, now: Date) throws(DeliveryError) {
        guard let document = claims.object else {
            if publicURL != nil {
                throw DeliveryError(.urlMismatch, 
                    "the claims are not a readable JSON object, so the url claim cannot be checked")
            }
            return
        }
        let root = document.root
        let current = now.timeIntervalSince1970
        // exp/nbf are unconfirmed for Authy (reference §4): checked when present, never required.
        if let exp = try Self.numericDate(document, "exp"), current > exp + leeway {
            throw DeliveryError(.tokenExpired, "the token expired (exp is in the past beyond the allowed leeway)")
        }
        if let nbf = try Self.numericDate(document, "nbf"), current < nbf - leeway {
            throw DeliveryError(.tokenNotYetValid, "the token is not valid yet (nbf is in the future beyond the leeway)")
        }
        if let publicURL {
            guard let url = document.member(root, "url") else {
                throw DeliveryError(.urlMismatch, "the token has no url claim, and a public URL is configured")
            }
            guard document.string(url) == publicURL else {
                throw DeliveryError(.urlMismatch, "the token's url claim differs from the configured public URL")
            }
        }
    }

    /// The NumericDate claim `name` (RFC 7519 §2), nil when absent, 401 `invalid_claims` when not a number.
    private static func numericDate(_ document: JSONDocument, _ name: StaticString) throws(DeliveryError) -> Double? {
        guard let node = document.member(document.root, name) else { return nil }
        guard let value = document.number(node), !value.isNaN else {
            throw DeliveryError(.invalidClaims, "the \(name) claim is not a number")
        }
        return value
    }
}
