import AuthyAPI
import Foundation
import Testing

/// Lenient decoding of the webhook shape, since only the demo's README shows it.
@Suite struct AuthyWebhookDecodingTests {
    func decode(_ json: String) throws -> AuthyWebhook {
        try JSONDecoder().decode(AuthyWebhook.self, from: Data(json.utf8))
    }

    @Test func decodesTheDemoReadmeShape() throws {
        let webhook = try decode(
            #"{"id":"WH_6a554f7f-4433-4a25-ba5d-0f083733c790","name":"n","account_sid":"AC123","service_id":"55","url":"https://example.com/h","signing_key":"WSK_abc","events":["user_added"]}"#
        )
        #expect(
            webhook
                == AuthyWebhook(
                    id: "WH_6a554f7f-4433-4a25-ba5d-0f083733c790", name: "n", url: "https://example.com/h",
                    events: ["user_added"], signingKey: "WSK_abc", accountSID: "AC123", serviceID: "55"))
    }

    @Test func ignoresUnknownFieldsAndToleratesMissingOptionalOnes() throws {
        let webhook = try decode(#"{"id":"WH_1","name":"n","url":"u","something_new":{"a":1}}"#)
        #expect(webhook.events == [])
        #expect(webhook.signingKey == nil)
        #expect(webhook.creationDate == nil)
    }

    @Test func acceptsNumbersWhereTextIsExpected() throws {
        let webhook = try decode(#"{"id":"WH_1","name":"n","url":"u","events":null,"service_id":12345,"creation_date":1497654000}"#)
        #expect(webhook.serviceID == "12345")
        #expect(webhook.creationDate == "1497654000")
        #expect(webhook.events == [])
    }

    @Test func requiresAnId() {
        #expect(throws: DecodingError.self) { try decode(#"{"name":"n","url":"u","events":[]}"#) }
    }

    @Test func encodesWithAuthysFieldNames() throws {
        let webhook = AuthyWebhook(id: "WH_1", name: "n", url: "u", events: ["a"], signingKey: "WSK_x", creationDate: "2024")
        let object = try JSONSerialization.jsonObject(with: JSONEncoder().encode(webhook)) as? [String: Any]
        #expect(object?["signing_key"] as? String == "WSK_x")
        #expect(object?["creation_date"] as? String == "2024")
        #expect(try decode(String(decoding: JSONEncoder().encode(webhook), as: UTF8.self)) == webhook)
    }
}

/// The event-name catalogue of reference section 5.
@Suite struct AuthyEventCatalogueTests {
    @Test func holdsTheTwentyThreeDocumentedNamesSortedAndUnique() {
        let known = AuthyEventCatalogue.knownEvents
        #expect(known.count == 23)
        #expect(known == known.sorted())
        #expect(Set(known).count == 23)
        #expect(known.allSatisfy(AuthyEventCatalogue.isKnown))
    }

    @Test func unconfirmedNamesAreNotKnown() {
        #expect(AuthyEventCatalogue.unconfirmedEvents.count == 5)
        #expect(!AuthyEventCatalogue.unconfirmedEvents.contains(where: AuthyEventCatalogue.isKnown))
        #expect(!AuthyEventCatalogue.isKnown("User_Added"))
        #expect(AuthyEventCatalogue.isKnown("phone_verification_started"))
    }
}

/// Backoff and Retry-After arithmetic.
@Suite struct RetryPolicyTests {
    @Test func retryAfterInSeconds() {
        #expect(RetryPolicy.parseRetryAfter("1") == .seconds(1))
        #expect(RetryPolicy.parseRetryAfter(" 120 ") == .seconds(120))
    }

    @Test func retryAfterAsHTTPDate() throws {
        let now = try #require(ISO8601DateFormatter().date(from: "2015-10-21T07:27:55Z"))
        #expect(RetryPolicy.parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", now: now) == .seconds(5))
        #expect(RetryPolicy.parseRetryAfter("Wednesday, 21-Oct-15 07:28:00 GMT", now: now) == .seconds(5))
        #expect(RetryPolicy.parseRetryAfter("Wed, 21 Oct 2015 07:00:00 GMT", now: now) == .zero)
    }

    @Test func unreadableRetryAfterIsIgnored() {
        #expect(RetryPolicy.parseRetryAfter("soon") == nil)
        #expect(RetryPolicy.parseRetryAfter("-1") == nil)
        #expect(RetryPolicy.parseRetryAfter("") == nil)
    }

    @Test func retryAfterIsCappedAtMaxDelay() {
        let policy = RetryPolicy(attempts: 3, baseDelay: .milliseconds(250), maxDelay: .seconds(10))
        #expect(policy.delay(afterAttempt: 1, retryAfter: .seconds(3600)) == .seconds(10))
        #expect(policy.delay(afterAttempt: 1, retryAfter: .seconds(2)) == .seconds(2))
    }

    @Test func jitteredBackoffStaysWithinTheDoublingCeiling() {
        let policy = RetryPolicy(attempts: 5, baseDelay: .milliseconds(100), maxDelay: .milliseconds(300))
        for _ in 0..<200 {
            #expect(policy.delay(afterAttempt: 1, retryAfter: nil) <= .milliseconds(100))
            #expect(policy.delay(afterAttempt: 2, retryAfter: nil) <= .milliseconds(200))
            #expect(policy.delay(afterAttempt: 4, retryAfter: nil) <= .milliseconds(300))
        }
        let delays = Set((0..<50).map { _ in policy.delay(afterAttempt: 2, retryAfter: nil) })
        #expect(delays.count > 1)
    }

    @Test func attemptsAreAtLeastOne() {
        #expect(RetryPolicy(attempts: 0).attempts == 1)
        #expect(RetryPolicy.default.attempts == 3)
    }
}
