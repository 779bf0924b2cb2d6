import Foundation
import Testing
import WebhookVerification

@Suite("The reference's synthetic delivery")
struct ReferenceDeliveryTests {
    @Test("verifies with WSK_example_signing_key and yields its one event")
    func referenceDeliveryVerifies() throws {
        let delivery = try TokenMinter.referenceVerifier()
            .verify(token: TokenMinter.referenceToken, now: TokenMinter.referenceTime)

        #expect(delivery.token == TokenMinter.referenceToken)
        #expect(delivery.webhook == "example")
        #expect(try DeliveryVerifier.decodeUnverified(token: delivery.token).header == Array(#"{"alg":"HS256","typ":"JWT"}"#.utf8))
        #expect(try DeliveryVerifier.decodeUnverified(token: delivery.token).claims == Array(TokenMinter.referenceClaims.utf8))
        #expect(delivery.eventsReadable)
        let expectedItem =
            #"{"event":"phone_verification_started","objects":{"app":{"s_id":"12345","s_type":"full"},"phone_verification":{"s_id":"pv_1","s_status":"pending","i_code_length":4}},"request":{"id":"req_1","ip":"203.0.113.7"},"time":"2017-06-16T23:00:00Z"}"#
        #expect(delivery.events == [
            DeliveryEventItem(
                type: "phone_verification_started", occurredAt: "2017-06-16T23:00:00Z", requestID: "req_1",
                payloadJSON: Array(expectedItem.utf8)),
        ])
    }

    @Test("the minted equivalent of the reference token is byte-identical (the test helper signs like Authy)")
    func minterReproducesReference() {
        #expect(TokenMinter.hmac(claims: TokenMinter.referenceClaims) == TokenMinter.referenceToken)
    }

    @Test("verifies with the matching public URL configured")
    func referenceWithPublicURL() throws {
        let delivery = try TokenMinter.referenceVerifier(publicURL: "https://example.com/authy/webhook")
            .verify(token: TokenMinter.referenceToken, now: TokenMinter.referenceTime)
        #expect(delivery.webhook == "example")
    }

    @Test("is refused with any other key")
    func wrongKey() {
        let verifier = DeliveryVerifier(keys: [WebhookSigningKey(webhook: "other", secret: "WSK_some_other_key")])
        let error = TokenMinter.deliveryError { try verifier.verify(token: TokenMinter.referenceToken) }
        #expect(error?.code == "invalid_signature")
        #expect(error?.httpStatus == 401)
    }

    @Test("decodeUnverified returns the exact header and claims bytes")
    func decodeUnverified() throws {
        let (header, claims) = try DeliveryVerifier.decodeUnverified(token: TokenMinter.referenceToken)
        #expect(header == Array(#"{"alg":"HS256","typ":"JWT"}"#.utf8))
        #expect(claims == Array(TokenMinter.referenceClaims.utf8))
        let error = TokenMinter.deliveryError { try DeliveryVerifier.decodeUnverified(token: "a.b") }
        #expect(error?.code == "malformed_token")
    }
}
