import Foundation
import Testing
import WebhookVerification

@Suite("DeliveryVerifier: claims")
struct ClaimsTests {
    let verifier = TokenMinter.referenceVerifier()
    let now = TokenMinter.referenceTime
    var nowSeconds: Double { now.timeIntervalSince1970 }

    func code(_ claims: String, verifier: DeliveryVerifier? = nil) -> String? {
        let verifier = verifier ?? self.verifier
        let token = TokenMinter.hmac(claims: claims)
        return TokenMinter.deliveryError { try verifier.verify(token: token, now: now) }?.code
    }

    func verified(_ claims: String) throws -> VerifiedDelivery {
        try verifier.verify(token: TokenMinter.hmac(claims: claims), now: now)
    }

    func verified(claimsBytes: [UInt8]) throws -> VerifiedDelivery {
        try verifier.verify(token: TokenMinter.hs256(claimsBytes: claimsBytes), now: now)
    }

    // MARK: exp, nbf

    @Test("exp in the past beyond the leeway is expired; within the leeway it is fine")
    func expiry() {
        #expect(code(TokenMinter.claims(exp: nowSeconds - 61)) == "token_expired")
        #expect(code(TokenMinter.claims(exp: nowSeconds - 60)) == nil)
        #expect(code(TokenMinter.claims(exp: nowSeconds - 30)) == nil)
        #expect(code(TokenMinter.claims(exp: nowSeconds + 3600)) == nil)
        let strict = TokenMinter.referenceVerifier(leeway: 0)
        #expect(code(TokenMinter.claims(exp: nowSeconds - 1), verifier: strict) == "token_expired")
    }

    @Test("nbf in the future beyond the leeway is not yet valid; within the leeway it is fine")
    func notBefore() {
        #expect(code(TokenMinter.claims(nbf: nowSeconds + 61)) == "token_not_yet_valid")
        #expect(code(TokenMinter.claims(nbf: nowSeconds + 60)) == nil)
        #expect(code(TokenMinter.claims(nbf: nowSeconds + 30)) == nil)
        #expect(code(TokenMinter.claims(nbf: nowSeconds - 3600)) == nil)
    }

    @Test(
        "exp or nbf that is not a number is invalid",
        arguments: [
            #"{"exp":"1497654000"}"#, #"{"exp":null}"#, #"{"exp":true}"#, #"{"nbf":[1]}"#, #"{"nbf":{"t":1}}"#,
        ])
    func nonNumericDates(claims: String) {
        #expect(code(claims) == "invalid_claims")
    }

    @Test("the expiry check happens only after the signature: an expired token with a bad signature is a bad signature")
    func signatureFirst() {
        let token = TokenMinter.hmac(claims: TokenMinter.claims(exp: 1), secret: "wrong")
        let error = TokenMinter.deliveryError { try verifier.verify(token: token, now: now) }
        #expect(error?.code == "invalid_signature")
    }

    // MARK: url

    @Test("with a public URL configured, the url claim must be present and exactly equal")
    func publicURL() {
        let configured = TokenMinter.referenceVerifier(publicURL: "https://example.com/authy/webhook")
        #expect(code(TokenMinter.claims(), verifier: configured) == nil)
        #expect(code(TokenMinter.claims(url: "https://example.com/authy/webhook/"), verifier: configured) == "url_mismatch")
        #expect(code(TokenMinter.claims(url: "http://example.com/authy/webhook"), verifier: configured) == "url_mismatch")
        #expect(code(TokenMinter.claims(url: nil), verifier: configured) == "url_mismatch")
        #expect(code(#"{"url":1}"#, verifier: configured) == "url_mismatch")
        #expect(code("[]", verifier: configured) == "url_mismatch")
        // Without a public URL, the url claim is not looked at.
        #expect(code(TokenMinter.claims(url: "https://elsewhere.example/")) == nil)
        #expect(code(TokenMinter.claims(url: nil)) == nil)
    }

    // MARK: events

    @Test("each element of params.events becomes an item holding its exact bytes")
    func exactItemBytes() throws {
        let first = #"{"event" : "user_added", "time": 1497654000, "request":{"id":42}, "n": 1.0E+2}"#
        let second = #"{"event":"phone_\u0076erification_started","time":"t","request":{"id":"r\/2"}}"#
        let delivery = try verified(#"{"params":{"events":[ "# + first + " ,\n" + second + "]}}")
        #expect(delivery.eventsReadable)
        #expect(delivery.events == [
            DeliveryEventItem(type: "user_added", occurredAt: "1497654000", requestID: "42", payloadJSON: Array(first.utf8)),
            DeliveryEventItem(
                type: "phone_verification_started", occurredAt: "t", requestID: "r/2", payloadJSON: Array(second.utf8)),
        ])
    }

    @Test("elements that are not objects, and fields of other types, give nil fields but keep their bytes")
    func oddElements() throws {
        let delivery = try verified(#"{"params":{"events":[1,"x",null,[],{"event":7,"time":null,"request":"r"}]}}"#)
        #expect(delivery.eventsReadable)
        #expect(delivery.events.map(\.payloadJSON) == ["1", #""x""#, "null", "[]", #"{"event":7,"time":null,"request":"r"}"#].map { Array($0.utf8) })
        #expect(delivery.events.allSatisfy { $0.type == nil && $0.occurredAt == nil && $0.requestID == nil })
    }

    @Test("an empty events array is readable and has no items")
    func emptyEvents() throws {
        let delivery = try verified(#"{"params":{"events":[]}}"#)
        #expect(delivery.eventsReadable)
        #expect(delivery.events.isEmpty)
    }

    @Test("a payload nested 10 levels inside an event is stored as is")
    func tenLevels() throws {
        let nested = String(repeating: #"{"a":"#, count: 10) + "1" + String(repeating: "}", count: 10)
        let item = #"{"event":"user_added","objects":"# + nested + "}"
        let delivery = try verified(#"{"params":{"events":["# + item + "]}}")
        #expect(delivery.eventsReadable)
        #expect(delivery.events.map(\.payloadJSON) == [Array(item.utf8)])
        #expect(delivery.events.first?.type == "user_added")
    }

    @Test(
        "claims that are valid JSON but not a readable events object give one unknown item with the raw claims",
        arguments: [
            #"{"url":"x"}"#, #"{"params":{}}"#, #"{"params":[]}"#, #"{"params":{"events":{}}}"#,
            #"{"params":{"events":"phone_verification_started"}}"#, "[1,2]", #""text""#, "42", "null",
            #"{"params":{"events":[{"event":"a","event":"b"}]}}"#,  // duplicate keys: ambiguous, so unread
            "[" + String(repeating: "[", count: 100) + String(repeating: "]", count: 100) + "]",  // deeper than 64
        ])
    func unreadableButStorable(claims: String) throws {
        let delivery = try verified(claims)
        #expect(!delivery.eventsReadable)
        #expect(delivery.events == [
            DeliveryEventItem(type: nil, occurredAt: nil, requestID: nil, payloadJSON: Array(claims.utf8)),
        ])
        #expect(try DeliveryVerifier.decodeUnverified(token: delivery.token).claims == Array(claims.utf8))
    }

    @Test("claims that are not JSON give one unknown item describing why")
    func notJSON() throws {
        for claims in [Array("not json".utf8), [0xFF, 0xFE, 0x00], Array(#"{"a":1,}"#.utf8)] {
            let delivery = try verified(claimsBytes: claims)
            #expect(!delivery.eventsReadable)
            #expect(try DeliveryVerifier.decodeUnverified(token: delivery.token).claims == claims)
            #expect(delivery.events == [
                DeliveryEventItem(
                    type: nil, occurredAt: nil, requestID: nil,
                    payloadJSON: Array(#"{"unreadable_claims":"the claims are not valid UTF-8 JSON text"}"#.utf8)),
            ])
        }
    }

    @Test("a payload 10,000 levels deep still verifies, as one unknown item, without crashing")
    func tenThousandLevels() throws {
        let depth = 10_000
        let claims = #"{"params":{"events":[{"event":"x","objects":"# + String(repeating: "[", count: depth)
            + String(repeating: "]", count: depth) + "}]}}"
        let delivery = try verified(claims)
        #expect(!delivery.eventsReadable)
        #expect(try DeliveryVerifier.decodeUnverified(token: delivery.token).claims == Array(claims.utf8))
        #expect(delivery.events == [
            DeliveryEventItem(
                type: nil, occurredAt: nil, requestID: nil,
                payloadJSON: Array(#"{"unreadable_claims":"the claims nest deeper than allowed"}"#.utf8)),
        ])
    }
}
