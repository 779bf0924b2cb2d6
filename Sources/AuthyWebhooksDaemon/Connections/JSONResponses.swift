import ControlProtocol
import Foundation
import Hummingbird
import WebhookVerification

/// JSON answers of both servers. Errors are always `{"error":{"code":…,"message":…}}` with a stable code.
enum JSONResponse {
    static func error(_ status: HTTPResponse.Status, code: String, message: String, headers: HTTPFields = [:]) -> Response {
        text(status, errorBody(code: code, message: message), headers: headers)
    }

    /// A receiver's error answer, with the status that goes with `code`.
    static func error(_ code: ReceiverErrorCode, message: String, headers: HTTPFields = [:]) -> Response {
        error(HTTPResponse.Status(code: code.httpStatus), code: code.rawValue, message: message, headers: headers)
    }

    /// The error body alone, for answers written below Hummingbird (RequestReadDeadlineHandler's 431).
    static func errorBody(code: String, message: String) -> String {
        "{\"error\":{\"code\":" + JSONText.quoted(code) + ",\"message\":" + JSONText.quoted(message) + "}}\n"
    }

    static func encoded(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        do {
            var data = try ControlJSON.encoder().encode(value)
            data.append(0x0A)
            return Response(
                status: status, headers: [.contentType: "application/json"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
        } catch {
            return self.error(.internalServerError, code: "internal_error", message: "could not encode the answer: \(error)")
        }
    }

    static func text(_ status: HTTPResponse.Status, _ body: String, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }
}
