import Foundation
import Hummingbird

/// One entry of `POST /__fake/failures`: `{"status":503,"message":"…","retry_after":"1"}`, `{"delay_ms":2000}` or
/// `{"malformed":true}`.
struct FailureSpec: Decodable {
    let status: Int?
    let message: String?
    let retryAfter: String?
    let delayMilliseconds: Int?
    let malformed: Bool?

    enum CodingKeys: String, CodingKey {
        case status, message, malformed
        case retryAfter = "retry_after"
        case delayMilliseconds = "delay_ms"
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        status = try c.decodeIfPresent(Int.self, forKey: .status)
        message = try c.decodeIfPresent(String.self, forKey: .message)
        // Accept `"retry_after": 1` as well as `"1"`: scripts write either.
        if let text = try? c.decodeIfPresent(String.self, forKey: .retryAfter) {
            retryAfter = text
        } else {
            retryAfter = try c.decodeIfPresent(Int.self, forKey: .retryAfter).map(String.init)
        }
        delayMilliseconds = try c.decodeIfPresent(Int.self, forKey: .delayMilliseconds)
        malformed = try c.decodeIfPresent(Bool.self, forKey: .malformed)
    }

    var failure: FakeFailure? {
        if malformed == true { return .malformedJSON }
        if let delayMilliseconds, delayMilliseconds >= 0 { return .delay(.milliseconds(delayMilliseconds)) }
        if let status, (100...599).contains(status) {
            return .status(status, message: message ?? "Injected failure", retryAfter: retryAfter)
        }
        return nil
    }
}

/// `POST /__fake/webhooks`: a webhook to seed, as if made in the console; omitted fields are generated.
struct SeedSpec: Decodable {
    let id: String?
    let name: String
    let url: String
    let events: [String]?
    let signingKey: String?

    enum CodingKeys: String, CodingKey {
        case id, name, url, events
        case signingKey = "signing_key"
    }
}

/// One line of `GET /__fake/requests`.
struct RequestSummary: Encodable {
    let method: String
    let path: String
    let nonce: String?
    let credentialsValid: Bool
    let signatureValid: Bool
    let status: Int?

    enum CodingKeys: String, CodingKey {
        case method, path, nonce, status
        case credentialsValid = "credentials_valid"
        case signatureValid = "signature_valid"
    }
}

struct StateBody: Encodable {
    let webhooks: [FakeWebhook]
    let pendingFailures: Int

    enum CodingKeys: String, CodingKey {
        case webhooks
        case pendingFailures = "pending_failures"
    }
}

extension FakeAuthyServer {
    /// Admin routes for scripts and the README walk-through; they need no keys (it is a fake) and are not recorded.
    static func addAdminRoutes(to router: Router<BasicRequestContext>, state: FakeAuthyState) {
        router.post("/__fake/failures") { request, _ -> Response in
            var request = request
            let buffer = try await request.collectBody(upTo: 1 << 20)
            guard let specs = try? JSONDecoder().decode([FailureSpec].self, from: Data(buffer.readableBytesView)) else {
                return errorResponse(.badRequest, message: #"Expected a JSON array like [{"status":503,"message":"…","retry_after":"1"},{"delay_ms":2000},{"malformed":true}]"#)
            }
            var failures: [FakeFailure] = []
            for (position, spec) in specs.enumerated() {
                guard let failure = spec.failure else {
                    return errorResponse(.badRequest, message: "Entry \(position) is none of status (100-599), delay_ms (>= 0) or malformed")
                }
                failures.append(failure)
            }
            await state.enqueueFailures(failures)
            return json(.ok, MessageBody(message: "Queued \(failures.count) failure(s)", success: true))
        }
        router.get("/__fake/webhooks") { _, _ -> Response in
            json(.ok, StateBody(webhooks: await state.webhooks, pendingFailures: await state.pendingFailureCount))
        }
        router.post("/__fake/webhooks") { request, _ -> Response in
            var request = request
            let buffer = try await request.collectBody(upTo: 1 << 20)
            guard let spec = try? JSONDecoder().decode(SeedSpec.self, from: Data(buffer.readableBytesView)) else {
                return errorResponse(.badRequest, message: #"Expected {"name":"…","url":"…","events":["…"]} (id and signing_key optional)"#)
            }
            let webhook = FakeWebhook(
                id: spec.id ?? FakeWebhook.makeID(), name: spec.name, url: spec.url, events: spec.events ?? [],
                signingKey: spec.signingKey ?? FakeWebhook.makeSigningKey())
            await state.seed(webhook)
            return json(.ok, CreatedBody(webhook: webhook, message: "Webhook seeded", success: true))
        }
        router.get("/__fake/requests") { _, _ -> Response in
            let summaries = await state.requestLog.map {
                RequestSummary(
                    method: $0.method, path: $0.path, nonce: $0.nonce, credentialsValid: $0.credentialsValid,
                    signatureValid: $0.signatureValid, status: $0.status)
            }
            return json(.ok, summaries)
        }
    }
}
