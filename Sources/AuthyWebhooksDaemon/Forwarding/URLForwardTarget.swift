import AsyncHTTPClient
import AuthyAPI
import Foundation
import NIOCore
import NIOHTTP1

/// `URL=`: POSTs the event with the Standard Webhooks headers; a 2xx delivers, a 410 refuses, anything else
/// (redirects included: they are not followed) is retried.
struct URLForwardTarget: ForwardTarget {
    static let maximumRetryAfter: Duration = .seconds(86_400)

    let url: String
    let signature: StandardWebhookSignature?
    let client: ForwardHTTPClient
    let userAgent: String

    func attempt(_ request: ForwardRequest) async -> ForwardResponse {
        var http = HTTPClientRequest(url: url)
        http.method = .POST
        let timestamp = Int64(Date().timeIntervalSince1970)
        http.headers.add(name: "Content-Type", value: "application/json")
        http.headers.add(name: "User-Agent", value: userAgent)
        http.headers.add(name: "webhook-id", value: request.webhookID)
        http.headers.add(name: "webhook-timestamp", value: String(timestamp))
        if let signature {
            http.headers.add(name: "webhook-signature", value: signature.header(id: request.webhookID, timestamp: timestamp, body: request.body))
        }
        http.headers.add(name: "Authy-Forward-Attempt", value: String(request.attempt))
        http.body = .bytes(ByteBuffer(bytes: request.body))
        do {
            // One limit for the whole attempt, the answer's body included: a handler that trickles cannot hold it.
            let prepared = http
            return try await withDeadline(request.timeout) { [client] in
                let response = try await client.client.execute(prepared, timeout: TimeAmount(request.timeout))
                var tail = OutputTail()
                for try await chunk in response.body {
                    tail.append(chunk.readableBytesView)
                }
                return Self.verdict(status: Int(response.status.code), headers: response.headers, output: tail.text)
            }
        } catch is DeadlineExceeded {
            return ForwardResponse(verdict: .failed(notBefore: nil), error: "no answer within Timeout=\(request.timeout)")
        } catch {
            return ForwardResponse(verdict: .failed(notBefore: nil), error: Self.describe(error))
        }
    }

    static func verdict(status: Int, headers: HTTPHeaders, output: String?) -> ForwardResponse {
        switch status {
        case 200..<300:
            return ForwardResponse(verdict: .delivered, httpStatus: status, output: output)
        case 410:
            return ForwardResponse(verdict: .refused, httpStatus: status, error: "the handler answered 410 Gone: it wants no more of this event", output: output)
        default:
            var notBefore: Duration?
            if status == 429 || status == 503, let value = headers.first(name: "Retry-After") {
                // The same reading as the Authy API client's; a handler asking for more than a day gets a day.
                notBefore = RetryPolicy.parseRetryAfter(value).map { min($0, Self.maximumRetryAfter) }
            }
            return ForwardResponse(verdict: .failed(notBefore: notBefore), httpStatus: status, error: "the handler answered HTTP \(status)", output: output)
        }
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout, .connectTimeout: return "timed out"
            case .remoteConnectionClosed: return "the handler closed the connection without an answer"
            default: return "HTTP error: \(error)"
            }
        }
        if error is CancellationError { return "cancelled: the daemon is stopping" }
        if let error = error as? IOError {
            // NIO's description repeats itself ("connection reset (error set): Connection refused) (errno: 111)").
            return "connection failed: " + String(cString: strerror(error.errnoCode))
        }
        return "connection failed: \(error)"
    }
}
