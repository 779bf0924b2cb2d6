import Foundation

/// The Authy-wide answer envelope `{"message":…,"success":…,"error_code":…,"errors":{…}}`, decoded leniently:
/// every field optional, `error_code` a string or a number, `success` a boolean or its text, and the message taken
/// from `errors.message` when the top level has none.
struct AuthyEnvelope: Decodable {
    let message: String?
    let success: Bool?
    let errorCode: String?

    enum CodingKeys: String, CodingKey {
        case message, success, errors
        case errorCode = "error_code"
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        var message = c.lenientString(.message)
        if message == nil, let errors = try? c.nestedContainer(keyedBy: CodingKeys.self, forKey: .errors) {
            message = errors.lenientString(.message)
        }
        self.message = message
        if let flag = try? c.decodeIfPresent(Bool.self, forKey: .success) {
            self.success = flag
        } else {
            self.success = c.lenientString(.success).flatMap { Bool($0.lowercased()) }
        }
        self.errorCode = c.lenientString(.errorCode)
    }

    /// The envelope of `body`, or nil if it is not a JSON object.
    static func decode(_ body: Data) -> AuthyEnvelope? {
        try? JSONDecoder().decode(AuthyEnvelope.self, from: body)
    }
}

/// `{"webhook":{…}}` from create.
private struct CreatedEnvelope: Decodable {
    let webhook: AuthyWebhook?
}

/// `{"webhooks":[…]}` from list.
private struct ListEnvelope: Decodable {
    let webhooks: [AuthyWebhook]?
}

extension AuthyWebhooksClient {
    /// The webhook in a create answer. The demo shows it under `webhook`; a bare webhook object is accepted too
    /// (unconfirmed variant).
    func decodeCreated(_ answer: Answer, operation: String) throws(AuthyAPIError) -> AuthyWebhook {
        try checkSuccessFlag(answer, operation: operation)
        let body = answer.body
        let decoder = JSONDecoder()
        do {
            if let webhook = try decoder.decode(CreatedEnvelope.self, from: body).webhook {
                return webhook
            }
            return try decoder.decode(AuthyWebhook.self, from: body)
        } catch {
            throw badResponse(answer, operation: operation, detail: "no webhook with an id in it")
        }
    }

    /// The webhooks in a list answer: `{"webhooks":[…]}`, or (unconfirmed variant) a bare array.
    ///
    /// One unreadable entry fails the whole answer rather than being skipped: a caller syncing a registry would
    /// otherwise take a skipped webhook for a deleted one and drop its signing key.
    func decodeList(_ answer: Answer, operation: String) throws(AuthyAPIError) -> [AuthyWebhook] {
        try checkSuccessFlag(answer, operation: operation)
        let body = answer.body
        let decoder = JSONDecoder()
        if let list = try? decoder.decode([AuthyWebhook].self, from: body) {
            return list
        }
        do {
            guard let list = try decoder.decode(ListEnvelope.self, from: body).webhooks else {
                throw badResponse(answer, operation: operation, detail: "no \"webhooks\" list in it")
            }
            return list
        } catch let error as AuthyAPIError {
            throw error
        } catch {
            throw badResponse(answer, operation: operation, detail: "not the expected JSON")
        }
    }

    /// A 2xx answer that says `"success": false` is a refusal all the same.
    func checkSuccessFlag(_ answer: Answer, operation: String) throws(AuthyAPIError) {
        guard let envelope = AuthyEnvelope.decode(answer.body), envelope.success == false else { return }
        let authyMessage = envelope.message
        throw AuthyAPIError(
            code: AuthyAPIError.Code.rejected, status: answer.status, authyMessage: authyMessage, authyErrorCode: envelope.errorCode,
            message: "\(operation) failed: Authy answered HTTP \(answer.status) with success=false" + (authyMessage.map { ": \($0)" } ?? "") + ".")
    }

    func badResponse(_ answer: Answer, operation: String, detail: String) -> AuthyAPIError {
        AuthyAPIError(
            code: AuthyAPIError.Code.badResponse, status: answer.status,
            message: "\(operation) failed: Authy's answer (HTTP \(answer.status)) could not be read: \(detail).")
    }
}
