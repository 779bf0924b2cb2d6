import Foundation
import Hummingbird

/// The JSON bodies the fake answers with, shaped as in the public demo's README.
struct CreatedBody: Encodable {
    let webhook: FakeWebhook
    let message: String
    let success: Bool
}

struct ListBody: Encodable {
    let webhooks: [FakeWebhook]
    let message: String
    let success: Bool
}

struct MessageBody: Encodable {
    let message: String
    let success: Bool
}

/// Authy's error shape: `{"message":…,"success":false,"error_code":…}`.
struct ErrorBody: Encodable {
    let message: String
    let success: Bool
    let errorCode: String?

    enum CodingKeys: String, CodingKey {
        case message, success
        case errorCode = "error_code"
    }
}

extension FakeAuthyServer {
    static func json(_ status: HTTPResponse.Status, _ value: some Encodable) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding these plain structs cannot fail; fall back to an empty object rather than crash the fake.
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return rawJSON(status, String(decoding: data, as: UTF8.self))
    }

    static func rawJSON(_ status: HTTPResponse.Status, _ text: String, retryAfter: String? = nil) -> Response {
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        if let retryAfter { headers[.retryAfter] = retryAfter }
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    static func errorResponse(
        _ status: HTTPResponse.Status,
        message: String,
        errorCode: String? = nil,
        retryAfter: String? = nil
    ) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(ErrorBody(message: message, success: false, errorCode: errorCode))) ?? Data("{}".utf8)
        return rawJSON(status, String(decoding: data, as: UTF8.self), retryAfter: retryAfter)
    }
}
