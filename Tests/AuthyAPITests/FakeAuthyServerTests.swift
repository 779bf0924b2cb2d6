import AsyncHTTPClient
import AuthyAPI
import FakeAuthyAPI
import Foundation
import Testing

/// The fake checks what it receives on its own terms, so a client bug cannot hide behind a shared canonicalization.
@Suite struct FakeAuthyServerTests {
    /// Sends `body` to the fake's list route, signed over `signedParameters`.
    func sendList(_ fake: FakeAuthy, body: String, signedParameters: String) async throws -> Int {
        let url = fake.baseURL + FakeAuthyServer.webhooksPath
        let nonce = AuthyRequestSigner.makeNonce()
        var request = HTTPClientRequest(url: url)
        request.method = .GET
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.headers.add(name: "X-Authy-Signature-Nonce", value: nonce)
        request.headers.add(
            name: "X-Authy-Signature",
            value: AuthyRequestSigner.signature(
                key: TestKeys.apiSigningKey, nonce: nonce, method: "GET", url: url, parameters: signedParameters))
        request.body = .bytes(Array(body.utf8))
        let response = try await fake.httpClient.execute(request, timeout: .seconds(5))
        return Int(response.status.code)
    }

    var canonical: String { "access_key=\(TestKeys.accessKey)&app_api_key=\(TestKeys.appAPIKey)" }

    @Test func acceptsParametersInAnyOrderBecauseItRebuildsTheCanonicalString() async throws {
        try await withFakeAuthy { fake in
            let reversed = "app_api_key=\(TestKeys.appAPIKey)&access_key=\(TestKeys.accessKey)"
            let status = try await sendList(fake, body: reversed, signedParameters: canonical)
            #expect(status == 200)
        }
    }

    @Test func rejectsABodyThatDiffersFromWhatWasSigned() async throws {
        try await withFakeAuthy { fake in
            let tampered = canonical + "&extra=1"
            let status = try await sendList(fake, body: tampered, signedParameters: canonical)
            #expect(status == 401)
            #expect(await fake.state.requestLog.first?.signatureValid == false)
            #expect(await fake.state.requestLog.first?.credentialsValid == true)
        }
    }

    @Test func rejectsASignatureOverTheWrongSpellingOfASpace() async throws {
        try await withFakeAuthy { fake in
            let body = canonical + "&note=a+b"
            let percentTwenty = try await sendList(fake, body: body, signedParameters: canonical + "&note=a%20b")
            let plus = try await sendList(fake, body: body, signedParameters: canonical + "&note=a+b")
            #expect(percentTwenty == 401)
            #expect(plus == 200)
        }
    }

    @Test func adminRoutesInjectFailuresAndShowState() async throws {
        try await withFakeAuthy { fake in
            var inject = HTTPClientRequest(url: fake.baseURL + "/__fake/failures")
            inject.method = .POST
            inject.body = .bytes(Array(#"[{"status":503,"message":"Down","retry_after":1},{"delay_ms":10},{"malformed":true}]"#.utf8))
            let injected = try await fake.httpClient.execute(inject, timeout: .seconds(5))
            #expect(injected.status.code == 200)
            #expect(await fake.state.pendingFailureCount == 3)

            var seed = HTTPClientRequest(url: fake.baseURL + "/__fake/webhooks")
            seed.method = .POST
            seed.body = .bytes(Array(#"{"name":"console","url":"https://example.com/c","events":["user_added"]}"#.utf8))
            let seeded = try await fake.httpClient.execute(seed, timeout: .seconds(5))
            #expect(seeded.status.code == 200)
            #expect(await fake.state.webhooks.map(\.name) == ["console"])

            let state = try await fake.httpClient.execute(HTTPClientRequest(url: fake.baseURL + "/__fake/webhooks"), timeout: .seconds(5))
            let text = String(buffer: try await state.body.collect(upTo: 1 << 20))
            #expect(text.contains("\"signing_key\":\"WSK_"))
            #expect(text.contains("\"pending_failures\":3"))
        }
    }

    @Test func adminRouteRefusesAnUnknownFailureShape() async throws {
        try await withFakeAuthy { fake in
            var inject = HTTPClientRequest(url: fake.baseURL + "/__fake/failures")
            inject.method = .POST
            inject.body = .bytes(Array(#"[{"explode":true}]"#.utf8))
            let refused = try await fake.httpClient.execute(inject, timeout: .seconds(5))
            #expect(refused.status.code == 400)
            #expect(await fake.state.pendingFailureCount == 0)
        }
    }
}
