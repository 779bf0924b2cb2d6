import AsyncHTTPClient
import Foundation
import Logging

extension AuthyWebhooksClient {
    enum Method: String {
        case GET, POST, DELETE
    }

    /// What one attempt ended with.
    enum AttemptResult {
        case answered(status: Int, retryAfter: String?, body: Data)
        case timedOut
        case unreachable(detail: String)
        case tooLarge(status: Int)
        case cancelled
    }

    /// A 2xx answer.
    struct Answer {
        let status: Int
        let body: Data
    }

    /// Sends one signed call with retries and returns its 2xx answer.
    func send(
        _ method: Method,
        path: String,
        parameters: [AuthyParameter],
        operation: String
    ) async throws(AuthyAPIError) -> Answer {
        guard let base = signingBase else {
            throw AuthyAPIError(
                code: AuthyAPIError.Code.unreachable,
                message: "\(operation) failed: the Authy API URL \"\(baseURL)\" is not an http(s) URL with a host.")
        }
        let url = base + path
        let params = AuthyRequestSigner.canonicalParameters(
            parameters + [
                AuthyParameter("app_api_key", credentials.appAPIKey),
                AuthyParameter("access_key", credentials.accessKey),
            ])
        var metadata: Logger.Metadata = ["authy.method": "\(method.rawValue)", "authy.path": "\(path)"]

        var attempt = 1
        while true {
            metadata["authy.attempt"] = "\(attempt)"
            let result = await attemptOnce(method, url: url, params: params)
            let retryAfter: Duration?
            switch result {
            case .answered(let status, let retryAfterHeader, let body):
                metadata["authy.status"] = "\(status)"
                switch status {
                case 200...299:
                    logger.debug("Authy call succeeded", metadata: metadata)
                    return Answer(status: status, body: body)
                case 429, 500...599:
                    guard attempt < retryPolicy.attempts else {
                        throw httpError(code: AuthyAPIError.Code.unavailable, status: status, body: body, operation: operation, attempts: attempt)
                    }
                    retryAfter = retryAfterHeader.flatMap { RetryPolicy.parseRetryAfter($0) }
                case 400...499:
                    logger.debug("Authy rejected the call", metadata: metadata)
                    throw httpError(code: AuthyAPIError.Code.rejected, status: status, body: body, operation: operation, attempts: nil)
                default:
                    throw AuthyAPIError(
                        code: AuthyAPIError.Code.badResponse, status: status,
                        message: "\(operation) failed: Authy answered with unexpected HTTP status \(status).")
                }
            case .timedOut:
                metadata["authy.status"] = "timeout"
                guard attempt < retryPolicy.attempts else {
                    throw AuthyAPIError(
                        code: AuthyAPIError.Code.timeout,
                        message: "\(operation) failed: no answer from Authy within \(requestTimeout)\(attemptsSuffix(attempt)).")
                }
                retryAfter = nil
            case .unreachable(let detail):
                metadata["authy.status"] = "unreachable"
                guard attempt < retryPolicy.attempts else {
                    throw AuthyAPIError(
                        code: AuthyAPIError.Code.unreachable,
                        message: "\(operation) failed: could not reach Authy at \(baseURL) (\(detail))\(attemptsSuffix(attempt)).")
                }
                retryAfter = nil
            case .tooLarge(let status):
                throw AuthyAPIError(
                    code: AuthyAPIError.Code.badResponse, status: status,
                    message: "\(operation) failed: Authy's answer (HTTP \(status)) is larger than \(Self.maxResponseBytes) bytes.")
            case .cancelled:
                throw AuthyAPIError(code: AuthyAPIError.Code.cancelled, message: "\(operation) was cancelled.")
            }

            let delay = retryPolicy.delay(afterAttempt: attempt, retryAfter: retryAfter)
            metadata["authy.retry_in"] = "\(delay)"
            logger.notice("Authy call failed, retrying", metadata: metadata)
            do {
                try await Task.sleep(for: delay)
            } catch {
                throw AuthyAPIError(code: AuthyAPIError.Code.cancelled, message: "\(operation) was cancelled.")
            }
            attempt += 1
        }
    }

    /// One signed request with a fresh nonce; never throws.
    func attemptOnce(_ method: Method, url: String, params: String) async -> AttemptResult {
        var request = HTTPClientRequest(url: url)
        switch method {
        case .GET: request.method = .GET
        case .POST: request.method = .POST
        case .DELETE: request.method = .DELETE
        }
        let nonce = AuthyRequestSigner.makeNonce()
        let signature = AuthyRequestSigner.signature(
            key: credentials.apiSigningKey, nonce: nonce, method: method.rawValue, url: url, parameters: params)
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: "authy-webhooksd")
        request.headers.add(name: "X-Authy-Signature-Nonce", value: nonce)
        request.headers.add(name: "X-Authy-Signature", value: signature)
        // Exactly the signed bytes: the body is the canonical parameter string.
        request.body = .bytes(Array(params.utf8))

        let deadline = ContinuousClock.now + requestTimeout
        do {
            // The client's deadline covers the answer's head; the body is raced against the same deadline below.
            let response = try await httpClient.execute(request, timeout: .nanoseconds(RetryPolicy.nanoseconds(requestTimeout)))
            let status = Int(response.status.code)
            let retryAfter = response.headers.first(name: "Retry-After")
            do {
                guard let body = try await Self.collectBody(response.body, until: deadline) else { return .timedOut }
                return .answered(status: status, retryAfter: retryAfter, body: body)
            } catch is BodyTooLarge {
                return .tooLarge(status: status)
            }
        } catch {
            return classify(error)
        }
    }

    struct BodyTooLarge: Error {}

    /// The whole body, at most `maxResponseBytes`; nil if `deadline` passes first.
    static func collectBody(_ body: HTTPClientResponse.Body, until deadline: ContinuousClock.Instant) async throws -> Data? {
        try await withThrowingTaskGroup(of: Data?.self) { group in
            group.addTask {
                var data = Data()
                for try await chunk in body {
                    guard data.count + chunk.readableBytes <= maxResponseBytes else { throw BodyTooLarge() }
                    data.append(contentsOf: chunk.readableBytesView)
                }
                return data
            }
            group.addTask {
                try await Task.sleep(until: deadline, clock: .continuous)
                return nil
            }
            defer { group.cancelAll() }
            return try await group.next() ?? nil
        }
    }

    /// Sorts an error from the HTTP client into timeout, unreachable or cancelled.
    func classify(_ error: any Error) -> AttemptResult {
        if Task.isCancelled { return .cancelled }
        if let clientError = error as? HTTPClientError {
            if clientError == .deadlineExceeded || clientError == .readTimeout || clientError == .writeTimeout {
                return .timedOut
            }
            return .unreachable(detail: clientError.shortDescription)
        }
        return .unreachable(detail: String(describing: error))
    }

    /// An error for an HTTP answer, carrying Authy's message if its body has one.
    func httpError(code: String, status: Int, body: Data, operation: String, attempts: Int?) -> AuthyAPIError {
        let envelope = AuthyEnvelope.decode(body)
        let authyMessage = envelope?.message
        let errorCode = envelope?.errorCode
        var text = "\(operation) failed: Authy answered HTTP \(status)"
        if let authyMessage, !authyMessage.isEmpty {
            text += ": \(authyMessage)"
        }
        if let errorCode, !errorCode.isEmpty {
            text += " (Authy error \(errorCode))"
        }
        if let attempts { text += attemptsSuffix(attempts) }
        text += "."
        return AuthyAPIError(code: code, status: status, authyMessage: authyMessage, authyErrorCode: errorCode, message: text)
    }

    func attemptsSuffix(_ attempts: Int) -> String {
        attempts > 1 ? ", after \(attempts) attempts" : ""
    }

    /// `text` with every configured key replaced by `***`.
    func scrub(_ text: String) -> String {
        text.scrubbing(credentials.secrets)
    }
}
