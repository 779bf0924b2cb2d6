import Foundation
import Hummingbird

/// A local stand-in for Authy's webhooks API, in the spirit of stripe-mock: it keeps webhooks in memory, checks every
/// call's keys and signature with its own canonicalization, and serves injected failures (see `FakeAuthyState`).
public enum FakeAuthyServer {
    /// The API path the real service serves under `https://api.authy.com`.
    public static let webhooksPath = "/dashboard/json/application/webhooks"

    /// Builds the Hummingbird application; `onBound` receives the port actually bound (bind port 0 in tests).
    ///
    /// Routes: `POST`/`GET` `webhooksPath`, `DELETE` `webhooksPath/:id`, and the admin routes `POST /__fake/failures`,
    /// `GET /__fake/webhooks`, `POST /__fake/webhooks`, `GET /__fake/requests`.
    public static func buildApplication(
        state: FakeAuthyState,
        host: String = "127.0.0.1",
        port: Int = 0,
        onBound: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let router = Router()
        router.post(RouterPath(webhooksPath)) { request, _ in
            await handleAPI(request, operation: .create, state: state)
        }
        router.get(RouterPath(webhooksPath)) { request, _ in
            await handleAPI(request, operation: .list, state: state)
        }
        router.delete(RouterPath(webhooksPath + "/:id")) { request, _ in
            await handleAPI(request, operation: .delete, state: state)
        }
        addAdminRoutes(to: router, state: state)
        return Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "authy-fake-api"),
            onServerRunning: { channel in
                await onBound(channel.localAddress?.port ?? port)
            }
        )
    }

    enum Operation {
        case create, list, delete
    }

    /// Reads, records and answers one API call: injected failure first, then keys, then signature, then the operation.
    static func handleAPI(_ request: Request, operation: Operation, state: FakeAuthyState) async -> Response {
        var request = request
        let rawPath = String((request.head.path ?? "/").split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[0])
        let bodyText: String
        do {
            let buffer = try await request.collectBody(upTo: 1 << 20)
            bodyText = String(decoding: buffer.readableBytesView, as: UTF8.self)
        } catch {
            return errorResponse(.contentTooLarge, message: "Request body too large")
        }

        // Like a Rails server, only a form-encoded body yields parameters; anything else leaves them missing.
        let isForm = request.headers[.contentType]?.lowercased().hasPrefix("application/x-www-form-urlencoded") ?? false
        let form = isForm ? FakeForm.parse(bodyText) : FakeForm.empty
        let nonce = header("X-Authy-Signature-Nonce", of: request)
        let signature = header("X-Authy-Signature", of: request)
        let credentialsValid =
            form?.value("app_api_key") == state.appAPIKey && form?.value("access_key") == state.accessKey
        // The client signs the URL it calls: rebuild it from the Host header the way a server behind no proxy would.
        let url = "http://" + (request.head.authority ?? "") + rawPath
        var signatureValid = false
        if let form, let nonce, let signature {
            let expected = form.expectedSignature(
                key: state.apiSigningKey, nonce: nonce, method: request.method.rawValue, url: url)
            signatureValid = FakeForm.constantTimeEqual(expected, signature)
        }

        let index = await state.record(
            FakeRequestRecord(
                method: request.method.rawValue, path: rawPath, body: bodyText, nonce: nonce,
                credentialsValid: credentialsValid, signatureValid: signatureValid, status: nil,
                receivedAt: .now))
        let response = await answer(
            operation, rawPath: rawPath, form: form, credentialsValid: credentialsValid,
            signatureValid: signatureValid, state: state)
        await state.finish(index, status: Int(response.status.code))
        return response
    }

    /// The first value of the header `name` (case-insensitive).
    static func header(_ name: String, of request: Request) -> String? {
        let canonical = name.lowercased()
        return request.headers.first { $0.name.canonicalName == canonical }?.value
    }

    private static func answer(
        _ operation: Operation,
        rawPath: String,
        form: FakeForm?,
        credentialsValid: Bool,
        signatureValid: Bool,
        state: FakeAuthyState
    ) async -> Response {
        if let failure = await state.nextFailure() {
            switch failure {
            case .status(let code, let message, let retryAfter):
                return errorResponse(.init(code: code), message: message, retryAfter: retryAfter)
            case .malformedJSON:
                return rawJSON(.ok, #"{"webhooks":[{"id":"WH_"#)
            case .delay(let duration):
                try? await Task.sleep(for: duration)
            }
        }
        guard let form else {
            return errorResponse(.badRequest, message: "Malformed form body")
        }
        guard credentialsValid else {
            return errorResponse(.unauthorized, message: "Invalid API key", errorCode: "60001")
        }
        guard signatureValid else {
            return errorResponse(.unauthorized, message: "Invalid signature", errorCode: "60001")
        }

        switch operation {
        case .create:
            let name = form.value("name") ?? ""
            let url = form.value("url") ?? ""
            guard !name.isEmpty else { return errorResponse(.badRequest, message: "name is required") }
            guard !url.isEmpty else { return errorResponse(.badRequest, message: "url is required") }
            let webhook = await state.create(name: name, url: url, events: form.values("events[]"))
            return json(.ok, CreatedBody(webhook: webhook, message: "Webhook created", success: true))
        case .list:
            return json(.ok, ListBody(webhooks: await state.webhooks, message: "Webhooks retrieved", success: true))
        case .delete:
            let encodedID = String(rawPath.dropFirst(webhooksPath.count + 1))
            guard let id = encodedID.removingPercentEncoding, await state.delete(id: id) else {
                return json(.notFound, ErrorBody(message: "Webhook not found", success: false, errorCode: nil))
            }
            return json(.ok, MessageBody(message: "Webhook deleted", success: true))
        }
    }
}
