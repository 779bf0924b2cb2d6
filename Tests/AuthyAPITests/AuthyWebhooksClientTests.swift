import AuthyAPI
import FakeAuthyAPI
import Testing

/// The client against the fake on loopback: every request's signature is checked by the fake's own canonicalization.
@Suite struct AuthyWebhooksClientTests {
    @Test func createListDeleteRoundTrip() async throws {
        try await withFakeAuthy { fake in
            let client = fake.client()
            let created = try await client.create(
                name: "orders", url: "https://example.com/authy/webhook", events: ["user_added", "phone_verification_started"])
            #expect(created.id.hasPrefix("WH_"))
            #expect(created.name == "orders")
            #expect(created.url == "https://example.com/authy/webhook")
            #expect(created.events == ["phone_verification_started", "user_added"])
            #expect(created.signingKey?.hasPrefix("WSK_") == true)

            let listed = try await client.list()
            #expect(listed == [created])

            try await client.delete(id: created.id)
            let afterDelete = try await client.list()
            #expect(afterDelete.isEmpty)

            let log = await fake.state.requestLog
            #expect(log.map(\.method) == ["POST", "GET", "DELETE", "GET"])
            #expect(log.allSatisfy { $0.signatureValid && $0.credentialsValid })
            #expect(log[2].path == "/dashboard/json/application/webhooks/\(created.id)")
        }
    }

    @Test func createSendsSortedDeduplicatedEventsAsTheExactSignedBody() async throws {
        try await withFakeAuthy { fake in
            let created = try await fake.client().create(
                name: "a b", url: "https://example.com/h",
                events: ["user_removed", "token_verified", "user_added", "token_verified"])
            #expect(created.events == ["token_verified", "user_added", "user_removed"])
            let record = try #require(await fake.state.requestLog.first)
            #expect(
                record.body
                    == "access_key=\(TestKeys.accessKey)&app_api_key=\(TestKeys.appAPIKey)"
                    + "&events%5B%5D=token_verified&events%5B%5D=user_added&events%5B%5D=user_removed"
                    + "&name=a+b&url=https%3A%2F%2Fexample.com%2Fh")
            #expect(record.signatureValid)
        }
    }

    @Test func awkwardCharactersInValuesSurviveSigningAndTheRoundTrip() async throws {
        try await withFakeAuthy { fake in
            let name = "ops | alerts & more = 1+1 / a:b  c"
            let url = "https://example.com/hook/a b?x=1&y=a|b:c+d"
            let created = try await fake.client().create(name: name, url: url, events: ["user_added"])
            #expect(created.name == name)
            #expect(created.url == url)
            #expect(await fake.state.webhooks.map(\.name) == [name])
            #expect(await fake.state.requestLog.allSatisfy { $0.signatureValid })
        }
    }

    @Test func deletePercentEncodesTheIdInTheSignedPath() async throws {
        try await withFakeAuthy { fake in
            await fake.state.seed(FakeWebhook(id: "WH_odd id/1", name: "odd", url: "https://example.com", events: []))
            try await fake.client().delete(id: "WH_odd id/1")
            let record = try #require(await fake.state.requestLog.first)
            #expect(record.path == "/dashboard/json/application/webhooks/WH_odd%20id%2F1")
            #expect(record.signatureValid)
            #expect(await fake.state.webhooks.isEmpty)
        }
    }

    @Test func listIncludesWebhooksMadeElsewhereWithTheirSigningKeys() async throws {
        try await withFakeAuthy { fake in
            let seeded = FakeWebhook(name: "console", url: "https://example.com/c", events: ["token_verified"])
            await fake.state.seed(seeded)
            let listed = try await fake.client().list()
            #expect(listed.count == 1)
            #expect(listed.first?.id == seeded.id)
            #expect(listed.first?.signingKey == seeded.signingKey)
            #expect(listed.first?.accountSID == seeded.accountSID)
            #expect(listed.first?.creationDate == seeded.creationDate)
        }
    }

    @Test func wrongSigningKeyIsRejectedWithAuthysMessageAndNotRetried() async throws {
        try await withFakeAuthy { fake in
            let error = await expectAuthyError { try await fake.client(apiSigningKey: "not-the-key").list() }
            #expect(error?.code == "authy_rejected")
            #expect(error?.status == 401)
            #expect(error?.authyMessage == "Invalid signature")
            #expect(error?.message.contains("401") == true)
            #expect(error?.message.contains("Invalid signature") == true)
            let log = await fake.state.requestLog
            #expect(log.count == 1)
            #expect(log.first?.signatureValid == false)
        }
    }

    @Test func wrongAppAPIKeyIsRejectedAsInvalidAPIKey() async throws {
        try await withFakeAuthy { fake in
            let error = await expectAuthyError { try await fake.client(appAPIKey: "wrong").list() }
            #expect(error?.status == 401)
            #expect(error?.authyMessage == "Invalid API key")
            #expect(error?.authyErrorCode == "60001")
        }
    }

    @Test func tooManyRequestsHonoursRetryAfterThenSucceeds() async throws {
        try await withFakeAuthy { fake in
            await fake.state.enqueueFailures([.status(429, message: "Too many requests", retryAfter: "1")])
            let listed = try await fake.client().list()
            #expect(listed.isEmpty)
            let log = await fake.state.requestLog
            #expect(log.map(\.status) == [429, 200])
            #expect(log[1].receivedAt - log[0].receivedAt >= .milliseconds(950))
            #expect(log[0].nonce != log[1].nonce)
            #expect(log.allSatisfy { $0.signatureValid })
        }
    }

    @Test func serviceUnavailableThreeTimesGivesUpAfterThreeAttempts() async throws {
        try await withFakeAuthy { fake in
            await fake.state.enqueueFailures(Array(repeating: .status(503, message: "Service unavailable"), count: 3))
            let error = await expectAuthyError { try await fake.client().list() }
            #expect(error?.code == "authy_unavailable")
            #expect(error?.status == 503)
            #expect(error?.authyMessage == "Service unavailable")
            #expect(error?.message.contains("after 3 attempts") == true)
            let log = await fake.state.requestLog
            #expect(log.count == 3)
            #expect(Set(log.compactMap(\.nonce)).count == 3)
        }
    }

    @Test func serverErrorThenSuccessIsRetriedTransparently() async throws {
        try await withFakeAuthy { fake in
            await fake.state.enqueueFailures([.status(500, message: "Internal error")])
            let created = try await fake.client().create(name: "n", url: "https://example.com", events: ["user_added"])
            #expect(await fake.state.webhooks.map(\.id) == [created.id])
            #expect(await fake.state.requestLog.map(\.status) == [500, 200])
        }
    }

    @Test func slowAnswerBeyondTheRequestTimeoutIsATimeout() async throws {
        try await withFakeAuthy { fake in
            await fake.state.enqueueFailures(Array(repeating: .delay(.seconds(3)), count: 3))
            let error = await expectAuthyError { try await fake.client(requestTimeout: .milliseconds(300)).list() }
            #expect(error?.code == "authy_timeout")
            #expect(error?.status == nil)
            #expect(await fake.state.requestLog.count == 3)
        }
    }

    @Test func oneSlowAnswerIsRetried() async throws {
        try await withFakeAuthy { fake in
            // Seconds, not milliseconds: with 300 tests running beside it on two cores, a 1 s attempt once timed out
            // three times in a row.
            await fake.state.enqueueFailures([.delay(.seconds(9))])
            let listed = try await fake.client(requestTimeout: .seconds(3)).list()
            #expect(listed.isEmpty)
            // The first attempt timed out and was retried. (On a loaded machine a retry may itself exceed the
            // per-attempt timeout, so the count is 2 or 3; what matters is that the call succeeded by retrying.)
            let log = await fake.state.requestLog
            #expect((2...3).contains(log.count))
            #expect(log.last?.status == 200)
        }
    }

    @Test func malformedJSONIsABadResponseAndNotRetried() async throws {
        try await withFakeAuthy { fake in
            await fake.state.enqueueFailures([.malformedJSON])
            let error = await expectAuthyError { try await fake.client().list() }
            #expect(error?.code == "authy_bad_response")
            #expect(error?.status == 200)
            #expect(await fake.state.requestLog.count == 1)
        }
    }

    @Test func unknownEventIsRefusedWithoutSendingAnything() async throws {
        try await withFakeAuthy { fake in
            let error = await expectAuthyError {
                try await fake.client().create(name: "n", url: "https://example.com", events: ["user_added", "not_an_event"])
            }
            #expect(error?.code == "invalid_event")
            #expect(error?.message.contains("not_an_event") == true)
            #expect(await fake.state.requestLog.isEmpty)
        }
    }

    @Test func unconfirmedEventIsRefusedWithAnExplanation() async throws {
        try await withFakeAuthy { fake in
            let error = await expectAuthyError {
                try await fake.client().create(name: "n", url: "https://example.com", events: ["user_registration_completed"])
            }
            #expect(error?.code == "invalid_event")
            #expect(error?.message.contains("not confirmed") == true)
            #expect(await fake.state.requestLog.isEmpty)
        }
    }

    @Test func unknownEventIsSentWhenAllowed() async throws {
        try await withFakeAuthy { fake in
            let created = try await fake.client().create(
                name: "n", url: "https://example.com", events: ["not_an_event", "user_added"], allowUnknownEvents: true)
            #expect(created.events == ["not_an_event", "user_added"])
        }
    }

    @Test func createWithoutEventsIsRefused() async throws {
        try await withFakeAuthy { fake in
            let error = await expectAuthyError {
                try await fake.client().create(name: "n", url: "https://example.com", events: [], allowUnknownEvents: true)
            }
            #expect(error?.code == "invalid_event")
            #expect(await fake.state.requestLog.isEmpty)
        }
    }

    @Test func deletingAnUnknownIdThrowsWithStatus404() async throws {
        try await withFakeAuthy { fake in
            let error = await expectAuthyError { try await fake.client().delete(id: "WH_00000000-0000-0000-0000-000000000000") }
            #expect(error?.status == 404)
            #expect(error?.code == "authy_rejected")
            #expect(error?.authyMessage == "Webhook not found")
            #expect(await fake.state.requestLog.count == 1)
        }
    }

    @Test func badRequestIsRejectedWithAuthysMessage() async throws {
        try await withFakeAuthy { fake in
            let error = await expectAuthyError {
                try await fake.client().create(name: "", url: "https://example.com", events: ["user_added"])
            }
            #expect(error?.status == 400)
            #expect(error?.authyMessage == "name is required")
            #expect(await fake.state.requestLog.count == 1)
        }
    }

    @Test func baseURLWithTrailingSlashSignsTheSameURL() async throws {
        try await withFakeAuthy { fake in
            let listed = try await fake.client(baseURL: fake.baseURL + "/").list()
            #expect(listed.isEmpty)
            #expect(await fake.state.requestLog.first?.signatureValid == true)
        }
    }

    @Test func invalidBaseURLFailsWithoutARequest() async throws {
        try await withFakeAuthy { fake in
            let error = await expectAuthyError { try await fake.client(baseURL: "ftp://127.0.0.1:\(fake.port)").list() }
            #expect(error?.code == "authy_unreachable")
            #expect(await fake.state.requestLog.isEmpty)
        }
    }

    @Test func nothingListeningIsUnreachable() async throws {
        // Port 1 on loopback: nothing listens there, so the connection is refused.
        try await withFakeAuthy { fake in
            let error = await expectAuthyError {
                try await fake.client(baseURL: "http://127.0.0.1:1", requestTimeout: .milliseconds(500)).list()
            }
            #expect(error?.code == "authy_unreachable")
            #expect(error?.status == nil)
        }
    }
}
