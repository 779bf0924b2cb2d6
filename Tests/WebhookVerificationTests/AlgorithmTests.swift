import Foundation
import Testing
import WebhookVerification

@Suite("DeliveryVerifier: only HS256 is accepted")
struct AlgorithmTests {
    let verifier = TokenMinter.referenceVerifier()
    let claims = TokenMinter.claims()
    let now = TokenMinter.referenceTime

    @Test(
        "a header other than alg HS256 is refused even when HMAC-SHA256-signed with the webhook key",
        arguments: [
            #"{"alg":"none","typ":"JWT"}"#, #"{"alg":"None"}"#, #"{"alg":"NONE"}"#, #"{"alg":"hs256"}"#,
            #"{"alg":"HS256 "}"#, #"{"alg":"HS384"}"#, #"{"alg":"HS512"}"#, #"{"alg":"RS256"}"#, #"{"alg":"ES256"}"#,
            #"{"alg":"PS256"}"#, #"{"typ":"JWT"}"#, #"{"alg":256}"#, #"{"alg":["HS256"]}"#, #"{"alg":null}"#,
            #"{"ALG":"HS256"}"#, #"{"alg":"HS256","crit":["exp"],"exp":1}"#, #"{"alg":"HS256","crit":[]}"#,
        ])
    func refusedHeaders(header: String) {
        let token = TokenMinter.hmac(claims: claims, header: header)
        let error = TokenMinter.deliveryError { try verifier.verify(token: token, now: now) }
        #expect(error?.code == "unsupported_algorithm")
        #expect(error?.httpStatus == 401)
    }

    @Test(
        "an unsecured JWT (alg none in any case, empty signature) is an unsupported algorithm, not malformed",
        arguments: [#"{"alg":"none"}"#, #"{"alg":"None","typ":"JWT"}"#, #"{"alg":"NONE"}"#, #"{"alg":"nOnE"}"#])
    func noneWithEmptySignature(header: String) {
        let token = TokenMinter.signingInput(header: header, claims: claims) + "."
        let error = TokenMinter.deliveryError { try verifier.verify(token: token, now: now) }
        #expect(error?.code == "unsupported_algorithm")
        #expect(error?.httpStatus == 401)
    }

    @Test("an HS256 header with an empty or non-base64url signature segment is still malformed",
          arguments: ["", "A", "!!!!"])
    func hs256WithEmptySignature(signature: String) {
        let token = TokenMinter.signingInput(header: #"{"alg":"HS256","typ":"JWT"}"#, claims: claims) + "." + signature
        let error = TokenMinter.deliveryError { try verifier.verify(token: token, now: now) }
        #expect(error?.code == "malformed_token")
        #expect(error?.httpStatus == 400)
    }

    @Test("genuine HS384 and HS512 signatures with the webhook key are refused", arguments: ["HS384", "HS512"])
    func longerHMACs(alg: String) {
        let token = TokenMinter.hmac(claims: claims, signAs: alg)
        let error = TokenMinter.deliveryError { try verifier.verify(token: token, now: now) }
        #expect(error?.code == "unsupported_algorithm")
    }

    @Test("a genuine RS256 signature is refused")
    func rs256() throws {
        let token = try TokenMinter.rs256(claims: claims)
        let error = TokenMinter.deliveryError { try verifier.verify(token: token, now: now) }
        #expect(error?.code == "unsupported_algorithm")
    }

    @Test("a genuine ES256 signature is refused")
    func es256() throws {
        let token = try TokenMinter.es256(claims: claims)
        let error = TokenMinter.deliveryError { try verifier.verify(token: token, now: now) }
        #expect(error?.code == "unsupported_algorithm")
    }

    @Test("key confusion: HMAC-signed with the webhook key while the header says RS256")
    func keyConfusion() {
        let header = #"{"alg":"RS256","typ":"JWT"}"#
        let token = TokenMinter.hmac(claims: claims, header: header, signAs: "HS256")
        let error = TokenMinter.deliveryError { try verifier.verify(token: token, now: now) }
        #expect(error?.code == "unsupported_algorithm")
    }

    @Test(
        "kid, jku, x5u, jwk and x5c are ignored: a token signed with the webhook key verifies",
        arguments: [
            #"{"alg":"HS256","kid":"../../etc/passwd"}"#,
            #"{"alg":"HS256","jku":"https://attacker.example/jwks.json"}"#,
            #"{"alg":"HS256","x5u":"https://attacker.example/cert.pem"}"#,
            #"{"alg":"HS256","jwk":{"kty":"oct","k":"YXR0YWNrZXI"}}"#,
            #"{"alg":"HS256","x5c":["MIIB"]}"#,
            #"{"alg":"HS256","typ":"JOSE"}"#,
            #"{"alg":"HS256"}"#,
        ])
    func ignoredHeaderFieldsCorrectlySigned(header: String) throws {
        let token = TokenMinter.hmac(claims: claims, header: header)
        let delivery = try verifier.verify(token: token, now: now)
        #expect(delivery.webhook == "example")
        #expect(try DeliveryVerifier.decodeUnverified(token: delivery.token).header == Array(header.utf8))
    }

    @Test(
        "kid, jku, x5u or jwk pointing elsewhere do not make another key acceptable",
        arguments: [
            #"{"alg":"HS256","kid":"attacker"}"#,
            #"{"alg":"HS256","jku":"https://attacker.example/jwks.json"}"#,
            #"{"alg":"HS256","x5u":"https://attacker.example/cert.pem"}"#,
            #"{"alg":"HS256","jwk":{"kty":"oct","k":"YXR0YWNrZXI"}}"#,
        ])
    func ignoredHeaderFieldsWrongKey(header: String) {
        // "attacker" is the key the embedded jwk names (k = base64url("attacker")).
        let token = TokenMinter.hmac(claims: claims, secret: "attacker", header: header)
        let error = TokenMinter.deliveryError { try verifier.verify(token: token, now: now) }
        #expect(error?.code == "invalid_signature")
    }

    @Test("typ must be a string when present")
    func typNotString() {
        let token = TokenMinter.hmac(claims: claims, header: #"{"alg":"HS256","typ":1}"#)
        let error = TokenMinter.deliveryError { try verifier.verify(token: token, now: now) }
        #expect(error?.code == "malformed_token")
    }
}
