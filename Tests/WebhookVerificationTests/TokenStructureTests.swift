import Foundation
import Testing
import WebhookVerification

@Suite("DeliveryVerifier: token structure and tampering")
struct TokenStructureTests {
    let verifier = TokenMinter.referenceVerifier()
    let now = TokenMinter.referenceTime
    let token = TokenMinter.referenceToken
    var segments: [String] { token.split(separator: ".", omittingEmptySubsequences: false).map(String.init) }

    func code(_ token: String, verifier: DeliveryVerifier? = nil) -> String? {
        let verifier = verifier ?? self.verifier
        return TokenMinter.deliveryError { try verifier.verify(token: token, now: now) }?.code
    }

    /// `text` with the character at `offset` replaced by another base64url letter.
    func flipping(_ text: String, at offset: Int) -> String {
        var characters = Array(text)
        characters[offset] = characters[offset] == "A" ? "B" : "A"
        return String(characters)
    }

    @Test("one changed payload character breaks the signature")
    func tamperedPayload() {
        let payload = flipping(segments[1], at: 20)
        #expect(code([segments[0], payload, segments[2]].joined(separator: ".")) == "invalid_signature")
    }

    @Test("a changed header (still valid HS256 JSON) breaks the signature")
    func tamperedHeader() {
        let header = TokenMinter.base64url(#"{"alg":"HS256","typ":"JWS"}"#)
        #expect(code([header, segments[1], segments[2]].joined(separator: ".")) == "invalid_signature")
    }

    @Test("the signature of another token is refused")
    func signatureOfAnotherToken() {
        let other = TokenMinter.hmac(claims: TokenMinter.claims(event: "user_added"))
        let otherSignature = other.split(separator: ".").last.map(String.init) ?? ""
        #expect(code([segments[0], segments[1], otherSignature].joined(separator: ".")) == "invalid_signature")
    }

    @Test("a signature that is not 32 bytes is an invalid signature")
    func signatureLength() {
        let short = TokenMinter.base64url([UInt8](repeating: 7, count: 31))
        let long = TokenMinter.base64url([UInt8](repeating: 7, count: 33))
        let truncated = String(segments[2].prefix(40))  // 30 bytes, canonical
        for signature in [short, long, truncated] {
            #expect(code([segments[0], segments[1], signature].joined(separator: ".")) == "invalid_signature")
        }
    }

    @Test(
        "truncated tokens are malformed",
        arguments: [
            "", "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9", "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.",
            String(TokenMinter.referenceToken.prefix(60)),
        ])
    func truncated(token: String) {
        #expect(code(token) == "malformed_token")
    }

    @Test("the signature segment removed (header.payload.) is malformed")
    func signatureStripped() {
        #expect(code(segments[0] + "." + segments[1] + ".") == "malformed_token")
    }

    @Test("two and four segments are malformed")
    func segmentCounts() {
        #expect(code(segments[0] + "." + segments[1]) == "malformed_token")
        #expect(code(token + "." + segments[2]) == "malformed_token")
        #expect(code(token + ".") == "malformed_token")
    }

    @Test("empty segments are malformed")
    func emptySegments() {
        #expect(code("." + segments[1] + "." + segments[2]) == "malformed_token")
        #expect(code(segments[0] + ".." + segments[2]) == "malformed_token")
        #expect(code("..") == "malformed_token")
    }

    @Test("characters outside unpadded base64url are malformed", arguments: ["*", "=", "==", " ", "\n", "+", "/", "é", "\u{0}"])
    func badCharacters(bad: String) {
        for index in 0..<3 {
            var parts = segments
            parts[index] += bad
            #expect(code(parts.joined(separator: ".")) == "malformed_token")
        }
        // Inside a segment too, not only at its end.
        var parts = segments
        parts[1].insert(contentsOf: bad, at: parts[1].index(parts[1].startIndex, offsetBy: 8))
        #expect(code(parts.joined(separator: ".")) == "malformed_token")
    }

    @Test("padding a minted token's segments is malformed")
    func padding() {
        // A header whose base64 needs padding: 28 bytes → 38 characters, "==" in standard base64.
        let header = #"{"alg":"HS256","typ":"JWT"} "#
        let minted = TokenMinter.hmac(claims: TokenMinter.claims(), header: header)
        #expect(code(minted) == nil)
        let parts = minted.split(separator: ".").map(String.init)
        #expect(code([parts[0] + "==", parts[1], parts[2]].joined(separator: ".")) == "malformed_token")
        #expect(code([parts[0], parts[1], parts[2] + "="].joined(separator: ".")) == "malformed_token")
    }

    @Test("non-canonical trailing bits are malformed (one signature, one spelling)")
    func nonCanonical() {
        // 32 bytes are 43 characters: the last one carries 2 unused bits, which must be zero.
        var signature = Array(segments[2])
        #expect(signature.last == "k")  // 36: low bits 00
        signature[signature.count - 1] = "l"  // 37: low bits 01
        #expect(code([segments[0], segments[1], String(signature)].joined(separator: ".")) == "malformed_token")
    }

    @Test(
        "a header that is not a strict JSON object is malformed",
        arguments: [
            "not json", #"["alg","HS256"]"#, #""HS256""#, #"{"alg":"HS256",}"#, #"{"alg":"HS256","alg":"HS256"}"#,
            #"{"alg":"HS256","\u0061lg":"none"}"#, #"{'alg':'HS256'}"#, "{\"alg\":\"HS256\"}garbage",
            "\u{FEFF}{\"alg\":\"HS256\"}",
            "{\"alg\":\"HS256\",\"x\":" + String(repeating: "[", count: 100) + String(repeating: "]", count: 100) + "}",
        ])
    func badHeaders(header: String) {
        #expect(code(TokenMinter.hmac(claims: TokenMinter.claims(), header: header)) == "malformed_token")
    }

    @Test("a header that is not UTF-8 is malformed")
    func headerNotUTF8() {
        let header = TokenMinter.base64url(Array(#"{"alg":"HS256","x":"#.utf8) + [0x22, 0xC3, 0x28, 0x22, 0x7D])
        let input = header + "." + TokenMinter.base64url(TokenMinter.claims())
        let signature = TokenMinter.hmacSignature(Array(input.utf8), secret: TokenMinter.referenceKey, alg: "HS256")
        #expect(code(input + "." + TokenMinter.base64url(signature)) == "malformed_token")
    }

    @Test("a 60 KB header verifies when signed with the key and is refused when not (no size limit here: the receiver's)")
    func hugeHeader() {
        let header = #"{"alg":"HS256","pad":""# + String(repeating: "A", count: 60_000) + #""}"#
        #expect(code(TokenMinter.hmac(claims: TokenMinter.claims(), header: header)) == nil)
        #expect(code(TokenMinter.hmac(claims: TokenMinter.claims(), secret: "nope", header: header)) == "invalid_signature")
    }

    @Test("with no keys configured every token is refused, and the message says why")
    func noKeys() {
        let verifier = DeliveryVerifier(keys: [])
        let error = TokenMinter.deliveryError { try verifier.verify(token: token, now: now) }
        #expect(error?.code == "invalid_signature")
        #expect(error?.message.contains("no signing keys are configured") == true)
    }

    @Test("with several keys, the delivery is attributed to the one that signed it")
    func severalKeys() throws {
        let verifier = DeliveryVerifier(keys: [
            WebhookSigningKey(webhook: "first", secret: "WSK_first"),
            WebhookSigningKey(webhook: "second", secret: "WSK_second"),
            WebhookSigningKey(webhook: "third", secret: "k"),  // shorter than the digest: still usable
        ])
        #expect(try verifier.verify(token: TokenMinter.hmac(claims: "{}", secret: "WSK_second"), now: now).webhook == "second")
        #expect(try verifier.verify(token: TokenMinter.hmac(claims: "{}", secret: "k"), now: now).webhook == "third")
        #expect(try verifier.verify(token: TokenMinter.hmac(claims: "{}", secret: "WSK_first"), now: now).webhook == "first")
        #expect(code(TokenMinter.hmac(claims: "{}", secret: "WSK_fourth"), verifier: verifier) == "invalid_signature")
    }

    @Test("an error's message and description never contain the token or a key")
    func messagesAreClean() {
        let secret = "WSK_secret_that_must_not_leak"
        let verifier = DeliveryVerifier(keys: [WebhookSigningKey(webhook: "w", secret: secret)], publicURL: "https://x/")
        let tokens = [
            TokenMinter.hmac(claims: TokenMinter.claims(), secret: "other"),
            TokenMinter.hmac(claims: TokenMinter.claims(), secret: secret),  // url mismatch
            TokenMinter.hmac(claims: TokenMinter.claims(exp: 1), secret: secret),
            TokenMinter.hmac(claims: TokenMinter.claims(), secret: secret, header: #"{"alg":"none"}"#),
            TokenMinter.hmac(claims: TokenMinter.claims(), secret: secret, header: #"{"alg":"HS256","alg":"x"}"#),
            token + "*",
        ]
        for token in tokens {
            let error = TokenMinter.deliveryError { try verifier.verify(token: token, now: now) }
            #expect(error != nil)
            for text in [error?.message ?? "", error?.description ?? ""] {
                #expect(!text.contains(secret))
                for segment in token.split(separator: ".") where segment.count > 4 {
                    #expect(!text.contains(segment))
                }
            }
        }
    }

    @Test("a signing key never prints its secret")
    func keyDescription() {
        let key = WebhookSigningKey(webhook: "orders", secret: "WSK_hidden")
        var dumped = ""
        dump(key, to: &dumped)
        for text in [key.description, key.debugDescription, String(describing: key), String(reflecting: key), dumped] {
            #expect(!text.contains("WSK_hidden"))
            #expect(text.contains("orders"))
        }
    }
}
