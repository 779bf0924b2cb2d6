import AuthyAPI
import FakeAuthyAPI
import Testing

/// No key ever appears in what the client says about itself or its failures.
@Suite struct AuthySecretsTests {
    let keys = [TestKeys.appAPIKey, TestKeys.accessKey, TestKeys.apiSigningKey]

    func expectNoKey(in text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        for key in keys {
            #expect(!text.contains(key), "a key leaked into: \(text)", sourceLocation: sourceLocation)
        }
    }

    @Test func errorDescriptionsNeverContainAKey() async throws {
        try await withFakeAuthy { fake in
            // The fake's injected messages echo the keys, as a careless server might; the client must scrub them.
            let echo = "keys were \(TestKeys.appAPIKey) \(TestKeys.accessKey) \(TestKeys.apiSigningKey)"
            await fake.state.enqueueFailures([.status(400, message: echo)])
            await fake.state.enqueueFailures(Array(repeating: .status(503, message: echo), count: 3))
            await fake.state.enqueueFailures([.malformedJSON])

            var errors: [AuthyAPIError?] = []
            errors.append(await expectAuthyError { try await fake.client().list() })
            errors.append(await expectAuthyError { try await fake.client().list() })
            errors.append(await expectAuthyError { try await fake.client().list() })
            errors.append(await expectAuthyError { try await fake.client(apiSigningKey: TestKeys.apiSigningKey + "x").list() })
            errors.append(await expectAuthyError { try await fake.client().delete(id: TestKeys.appAPIKey + "-missing") })
            errors.append(await expectAuthyError {
                try await fake.client().create(name: "n", url: "https://e.com", events: [TestKeys.accessKey])
            })
            errors.append(await expectAuthyError {
                try await fake.client(baseURL: "http://127.0.0.1:1", requestTimeout: .milliseconds(300)).list()
            })

            let codes = errors.compactMap { $0?.code }
            #expect(codes.count == errors.count)
            #expect(
                Set(codes) == ["authy_rejected", "authy_unavailable", "authy_bad_response", "invalid_event", "authy_unreachable"])
            for error in errors.compactMap({ $0 }) {
                expectNoKey(in: error.description)
                expectNoKey(in: error.message)
                expectNoKey(in: error.authyMessage ?? "")
                expectNoKey(in: String(reflecting: error))
            }
        }
    }

    @Test func credentialsDescriptionAndDumpAreMasked() {
        let credentials = AuthyCredentials(
            appAPIKey: TestKeys.appAPIKey, accessKey: TestKeys.accessKey, apiSigningKey: TestKeys.apiSigningKey)
        var dumped = ""
        dump(credentials, to: &dumped)
        for text in [credentials.description, String(reflecting: credentials), "\(credentials)", dumped] {
            expectNoKey(in: text)
        }
    }

    @Test func webhookDescriptionMasksItsSigningKey() {
        let webhook = AuthyWebhook(id: "WH_1", name: "n", url: "https://e.com", events: [], signingKey: "WSK_secret_value")
        var dumped = ""
        dump(webhook, to: &dumped)
        #expect(!webhook.description.contains("WSK_secret_value"))
        #expect(!dumped.contains("WSK_secret_value"))
    }
}
