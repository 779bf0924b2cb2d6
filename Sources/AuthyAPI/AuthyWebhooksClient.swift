import AsyncHTTPClient
import Foundation
import Logging

/// Signed client for Authy's webhooks API (`/dashboard/json/application/webhooks`): create, list and delete.
///
/// Every call sends its parameters, the two account keys included, as an `application/x-www-form-urlencoded` body
/// that is exactly the signed canonical string (for GET and DELETE too, as every public implementation does), signs it
/// with the API Signing Key and a fresh nonce per attempt, and retries 429, 5xx, timeouts and connection failures
/// according to `retryPolicy`. Errors are `AuthyAPIError`s whose messages never contain a key.
public struct AuthyWebhooksClient: Sendable {
    /// The API's scheme and host (and port) as configured, e.g. `https://api.authy.com`.
    public let baseURL: String
    /// The longest one attempt may take, from sending the request to the last byte of the answer.
    public let requestTimeout: Duration
    /// How failed attempts are retried.
    public let retryPolicy: RetryPolicy

    let credentials: AuthyCredentials
    let httpClient: HTTPClient
    let logger: Logger
    /// `baseURL` normalized for signing, or nil when it is not an http(s) URL with a host.
    let signingBase: String?

    static let webhooksPath = "/dashboard/json/application/webhooks"
    /// Authy's answers are small; anything larger is not an answer this client understands.
    static let maxResponseBytes = 1 << 20

    /// A client over `httpClient`, which the caller owns and shuts down.
    ///
    /// - Parameter baseURL: scheme and host (and port) of the API, e.g. `https://api.authy.com`; tests point it at a
    ///   local fake. An invalid URL makes every call fail with `authy_unreachable` (the initializer does not throw).
    public init(
        baseURL: String,
        credentials: AuthyCredentials,
        httpClient: HTTPClient,
        requestTimeout: Duration = .seconds(15),
        retryPolicy: RetryPolicy = .default,
        logger: Logger = Logger(label: "authy-api")
    ) {
        self.baseURL = baseURL
        self.credentials = credentials
        self.httpClient = httpClient
        self.requestTimeout = requestTimeout
        self.retryPolicy = retryPolicy
        self.logger = logger
        self.signingBase = Self.normalizedBase(baseURL)
    }

    /// Creates a webhook and returns it with its new `WSK_` signing key.
    ///
    /// Events are sorted and de-duplicated before signing (so every known server-side canonicalization sees the same
    /// bytes). A name outside `AuthyEventCatalogue.knownEvents`, or no event at all, is refused with `invalid_event`
    /// before anything is sent, unless `allowUnknownEvents` is set (an empty name is refused regardless).
    public func create(
        name: String,
        url: String,
        events: [String],
        allowUnknownEvents: Bool = false
    ) async throws(AuthyAPIError) -> AuthyWebhook {
        let operation = "Creating webhook \"\(name)\""
        do {
            let events = try Self.prepareEvents(events, allowUnknown: allowUnknownEvents, operation: operation)
            let answer = try await send(
                .POST,
                path: Self.webhooksPath,
                parameters: [AuthyParameter("name", name), AuthyParameter("url", url), AuthyParameter("events[]", values: events)],
                operation: operation
            )
            return try decodeCreated(answer, operation: operation)
        } catch {
            throw scrubbed(error)
        }
    }

    /// Lists the application's webhooks, signing keys included.
    public func list() async throws(AuthyAPIError) -> [AuthyWebhook] {
        let operation = "Listing webhooks"
        do {
            let answer = try await send(.GET, path: Self.webhooksPath, parameters: [], operation: operation)
            return try decodeList(answer, operation: operation)
        } catch {
            throw scrubbed(error)
        }
    }

    /// Deletes the webhook `id`. A webhook Authy does not know throws with `status` 404 (`authy_rejected`); the caller
    /// decides whether that means "already gone".
    public func delete(id: String) async throws(AuthyAPIError) {
        let operation = "Deleting webhook \(id)"
        guard !id.isEmpty else {
            throw AuthyAPIError(code: AuthyAPIError.Code.invalidArgument, message: "Deleting a webhook needs its id (got an empty one).")
        }
        let path = Self.webhooksPath + "/" + AuthyRequestSigner.pathSegmentEncode(id)
        do {
            let answer = try await send(.DELETE, path: path, parameters: [], operation: operation)
            try checkSuccessFlag(answer, operation: operation)
        } catch {
            throw scrubbed(error)
        }
    }

    /// `error` with every configured key replaced by `***` in each of its texts: whatever produced the text (Authy's
    /// message, an underlying error, a caller's argument echoed back), no key leaves the client.
    func scrubbed(_ error: AuthyAPIError) -> AuthyAPIError {
        AuthyAPIError(
            code: error.code, status: error.status, authyMessage: error.authyMessage.map(scrub),
            authyErrorCode: error.authyErrorCode.map(scrub), message: scrub(error.message))
    }

    /// Sorted (byte order), de-duplicated events, or `invalid_event`.
    static func prepareEvents(_ events: [String], allowUnknown: Bool, operation: String) throws(AuthyAPIError) -> [String] {
        let prepared = Set(events).sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        guard !prepared.isEmpty else {
            throw AuthyAPIError(code: AuthyAPIError.Code.invalidEvent, message: "\(operation) failed: at least one event is required.")
        }
        guard !prepared.contains("") else {
            throw AuthyAPIError(code: AuthyAPIError.Code.invalidEvent, message: "\(operation) failed: an event name is empty.")
        }
        let unknown = prepared.filter { !AuthyEventCatalogue.isKnown($0) }
        if !unknown.isEmpty && !allowUnknown {
            let unconfirmed = unknown.filter(AuthyEventCatalogue.isUnconfirmed)
            var message = "\(operation) failed: unknown event name\(unknown.count == 1 ? "" : "s") "
                + unknown.map { "\"\($0)\"" }.joined(separator: ", ")
                + " (Authy documents \(AuthyEventCatalogue.knownEvents.count) webhook event names)."
            if !unconfirmed.isEmpty {
                message += " " + unconfirmed.joined(separator: ", ")
                    + " \(unconfirmed.count == 1 ? "is" : "are") seen elsewhere but not confirmed as webhook events."
            }
            message += " Allow unknown events explicitly to send them anyway."
            throw AuthyAPIError(code: AuthyAPIError.Code.invalidEvent, message: message)
        }
        return prepared
    }

    /// `scheme://host[:port][/prefix]` lower-cased, without a default port or trailing slash: the form a server
    /// rebuilding the URL from the request would sign. Nil if not an http(s) URL with a host and nothing after the path.
    static func normalizedBase(_ raw: String) -> String? {
        var text = raw.trimmingCharacters(in: .whitespaces)
        while text.hasSuffix("/") { text.removeLast() }
        guard let components = URLComponents(string: text),
            let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
            var host = components.host?.lowercased(), !host.isEmpty,
            components.query == nil, components.fragment == nil, components.user == nil, components.password == nil
        else { return nil }
        if host.contains(":") && !host.hasPrefix("[") { host = "[" + host + "]" }
        var base = scheme + "://" + host
        if let port = components.port, !(scheme == "https" && port == 443), !(scheme == "http" && port == 80) {
            base += ":\(port)"
        }
        return base + components.percentEncodedPath
    }
}
