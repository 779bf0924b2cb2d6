import Crypto
import Foundation

/// libFuzzer target for the JWT parser: `JWSCompact` (segments, strict base64url), `DeliveryVerifier.checkHeader`
/// and the claim checks, `ClaimsDocument` (event items) and the `StrictJSON` reader under them.
///
/// Each input is used three ways:
/// 1. as a token string given to `DeliveryVerifier.verify` with the reference key (`WSK_example_signing_key`);
/// 2. split at its first newline into a header and a claims text, which the harness signs correctly with that key
///    and verifies, so the checks behind the signature (`alg`, `crit`, `exp`/`nbf`, `url`, event items) see
///    fuzzed input too; the same token with its signature's last byte flipped must then be refused;
/// 3. as JSON text for `StrictJSON` and as text for `Base64URL`, each compared with Foundation.
///
/// Invariants (a violation traps, which libFuzzer reports as a crash):
/// - nothing traps, whatever the input (the parsers' documented promise);
/// - a token verifies only in its canonical spelling: re-encoding its decoded segments gives the input back, and its
///   signature is the key's HMAC of `header.payload` (so no second spelling of a delivery defeats de-duplication);
/// - a correctly signed token is never refused with `invalid_signature`, and a tampered one is never accepted;
/// - every refusal carries one of the verifier's documented codes and statuses, and never the signing key;
/// - an accepted delivery keeps the header and claims bytes exactly; its header is an object whose `alg` is
///   `"HS256"` (cross-checked with `JSONSerialization`); every event item's payload is JSON text the store can keep
///   (`StrictJSON`, depth ≤ `DeliveryVerifier.fallbackMaxDepth`); readable events match `params.events` as
///   Foundation reads it;
/// - `StrictJSON` strings decode exactly as `JSONSerialization` decodes them; node ranges stay inside the input;
/// - `Base64URL.decode` accepts exactly the canonical unpadded base64url texts, with the bytes Foundation decodes.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJWT(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    JWTFuzz.checkShimOnce()
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    JWTFuzz.rawToken(bytes)
    JWTFuzz.mintedToken(bytes)
    JWTFuzz.strictJSON(bytes)
    JWTFuzz.base64URL(bytes)
    return 0
}

enum JWTFuzz {
    static let secret = "WSK_example_signing_key"
    static let key = WebhookSigningKey(webhook: "example", secret: secret)
    /// 2017-06-16T23:01:00Z, the reference delivery's time.
    static let now = Date(timeIntervalSince1970: 1_497_654_060)
    static let publicURL = "https://example.com/authy/webhook"
    static let verifiers = [
        DeliveryVerifier(keys: [key]), DeliveryVerifier(keys: [key], publicURL: publicURL),
    ]
    static let verifierCodes: Set<String> = [
        ReceiverErrorCode.malformedToken.rawValue, ReceiverErrorCode.unsupportedAlgorithm.rawValue, ReceiverErrorCode.invalidSignature.rawValue,
        ReceiverErrorCode.tokenExpired.rawValue, ReceiverErrorCode.tokenNotYetValid.rawValue, ReceiverErrorCode.invalidClaims.rawValue,
        ReceiverErrorCode.urlMismatch.rawValue,
    ]

    /// The reference delivery (reference §4), signed with Authy's algorithm: it verifying here proves the shim's
    /// HMAC-SHA256 is the real one.
    static let shimChecked: Bool = {
        let token = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ1cmwiOiJodHRwczovL2V4YW1wbGUuY29tL2F1dGh5L3dlYmhvb2siLCJ"
            + "wYXJhbXMiOnsiZXZlbnRzIjpbeyJldmVudCI6InBob25lX3ZlcmlmaWNhdGlvbl9zdGFydGVkIiwib2JqZWN0cyI6eyJhcHAiOns"
            + "ic19pZCI6IjEyMzQ1Iiwic190eXBlIjoiZnVsbCJ9LCJwaG9uZV92ZXJpZmljYXRpb24iOnsic19pZCI6InB2XzEiLCJzX3N0YXR"
            + "1cyI6InBlbmRpbmciLCJpX2NvZGVfbGVuZ3RoIjo0fX0sInJlcXVlc3QiOnsiaWQiOiJyZXFfMSIsImlwIjoiMjAzLjAuMTEzLjc"
            + "ifSwidGltZSI6IjIwMTctMDYtMTZUMjM6MDA6MDBaIn1dfSwiaWF0IjoxNDk3NjU0MDAwfQ.sYM9X_1PUbL7ud9JMxtYEEULMfvA"
            + "0Kp-FUcySjW_kJk"
        let delivery = try? verifiers[1].verify(token: token, now: now)
        require(delivery?.events.first?.type == "phone_verification_started",
                "the Crypto shim is not HMAC-SHA256")
        return true
    }()

    static func checkShimOnce() { require(shimChecked) }

    // MARK: 1. The input as a token

    static func rawToken(_ bytes: [UInt8]) {
        let token = String(decoding: bytes, as: UTF8.self)
        for verifier in verifiers {
            do {
                let delivery = try verifier.verify(token: token, now: now)
                // Only a canonical, correctly signed spelling gets here.
                let parts = token.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
                require(parts.count == 3)
                let decoded = try? DeliveryVerifier.decodeUnverified(token: delivery.token)
                require(decoded != nil, "an accepted token does not decode")
                guard let decoded else { return }
                require(parts[0] == encode(decoded.header) && parts[1] == encode(decoded.claims),
                        "accepted a non-canonical token")
                require(parts[2] == encode(sign(parts[0] + "." + parts[1])), "accepted a wrong signature")
                checkAccepted(delivery, header: decoded.header, claims: decoded.claims)
            } catch {
                checkRefusal(error)
            }
        }
        if let (header, claims) = try? DeliveryVerifier.decodeUnverified(token: token) {
            let parts = token.split(separator: ".", omittingEmptySubsequences: false)
            require(parts.count == 3 && parts[0] == encode(header) && parts[1] == encode(claims))
        }
    }

    // MARK: 2. The input as header and claims, correctly signed

    static func mintedToken(_ bytes: [UInt8]) {
        let newline = bytes.firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
        let header = Array(bytes[..<newline])
        let claims = newline < bytes.count ? Array(bytes[(newline + 1)...]) : []
        guard !header.isEmpty, !claims.isEmpty else { return }
        let signingInput = encode(header) + "." + encode(claims)
        var signature = sign(signingInput)
        let verifier = verifiers[bytes.count % 2]
        do {
            let delivery = try verifier.verify(token: signingInput + "." + encode(signature), now: now)
            checkAccepted(delivery, header: header, claims: claims)
        } catch {
            checkRefusal(error)
            require(error.code != ReceiverErrorCode.invalidSignature.rawValue, "refused a correct signature")
        }
        signature[signature.count - 1] ^= 0x01
        do {
            _ = try verifier.verify(token: signingInput + "." + encode(signature), now: now)
            fail("accepted a tampered signature")
        } catch {
            checkRefusal(error)
        }
    }

    // MARK: Shared checks

    static func checkRefusal(_ error: DeliveryError) {
        require(verifierCodes.contains(error.code), "undocumented code \(error.code)")
        require(error.httpStatus == (error.code == ReceiverErrorCode.malformedToken.rawValue ? 400 : 401))
        require(!error.message.contains(secret) && !error.description.contains(secret), "the signing key in an error")
    }

    static func checkAccepted(_ delivery: VerifiedDelivery, header: [UInt8], claims: [UInt8]) {
        let stored = try? DeliveryVerifier.decodeUnverified(token: delivery.token)
        require(stored?.header == header && stored?.claims == claims, "stored bytes differ")
        require(delivery.webhook == "example")
        if let object = (try? JSONSerialization.jsonObject(with: Data(header))) as? [String: Any] {
            require(object["alg"] as? String == "HS256", "accepted a header whose alg is not HS256")
        }
        require(!delivery.events.isEmpty || delivery.eventsReadable, "unreadable claims stored no fallback item")
        for item in delivery.events {
            require((try? StrictJSON.validate(
                item.payloadJSON, maxDepth: DeliveryVerifier.fallbackMaxDepth, allowDuplicateKeys: true)) != nil,
                "an event payload is not storable JSON")
        }
        if delivery.eventsReadable,
            let object = (try? JSONSerialization.jsonObject(with: Data(claims))) as? [String: Any],
            let params = object["params"] as? [String: Any], let events = params["events"] as? [Any] {
            require(events.count == delivery.events.count, "event count differs from Foundation's reading")
            for (event, item) in zip(events, delivery.events) {
                let type = (event as? [String: Any])?["event"] as? String
                require(type == item.type, "event type differs from Foundation's reading")
            }
        }
    }

    // MARK: 3. StrictJSON and Base64URL against Foundation

    static func strictJSON(_ bytes: [UInt8]) {
        if let document = try? StrictJSON.parse(bytes, maxDepth: 48) {
            require(document.nodes[0].next == document.nodes.count)
            for index in document.nodes.indices {
                let node = document.nodes[index]
                require(node.start < node.end && node.end <= bytes.count)
                require(node.next > index && node.next <= document.nodes.count)
                switch node.kind {
                case .object:
                    _ = document.member(index, "body")
                case .array:
                    require(document.elements(index).count == node.count)
                case .string:
                    let ours = document.string(index)
                    require(ours != nil)
                    let wrapped = Data(("[" + document.rawText(index) + "]").utf8)
                    if let theirs = (try? JSONSerialization.jsonObject(with: wrapped)) as? [String], theirs.count == 1 {
                        require(Array(theirs[0].utf8) == ours.map { Array($0.utf8) },
                                "string decodes differently from JSONSerialization")
                    }
                case .number:
                    _ = document.number(index)
                default:
                    break
                }
            }
        }
        _ = try? StrictJSON.validate(bytes, maxDepth: 100_000, allowDuplicateKeys: true)
    }

    static func base64URL(_ bytes: [UInt8]) {
        let ours = bytes.withUnsafeBufferPointer { Base64URL.decode($0) }
        guard !bytes.contains(0), let text = String(validating: bytes, as: UTF8.self),
            !text.contains(where: { $0 == "+" || $0 == "/" || $0 == "=" || $0.isWhitespace })
        else {
            if let ours { require(encode(ours) == String(decoding: bytes, as: UTF8.self)) }
            return
        }
        var standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while standard.utf8.count % 4 != 0 { standard += "=" }
        let theirs = Data(base64Encoded: standard).map { Array($0) }
        if let theirs, encode(theirs) == text { require(ours == theirs, "rejected canonical base64url") }
        if let ours { require(encode(ours) == text, "accepted non-canonical base64url") }
    }

    // MARK: Helpers

    static func encode(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func sign(_ signingInput: String) -> [UInt8] {
        var hmac = HMAC<SHA256>(key: SymmetricKey(data: Array(secret.utf8)))
        Array(signingInput.utf8).withUnsafeBytes { hmac.update(data: $0) }
        return hmac.finalize().bytes
    }
}
