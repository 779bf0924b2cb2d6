/// A failed webhooks-API call, with a stable `code` and a human `message` that never contains a key.
///
/// Codes:
/// - `authy_rejected`: Authy answered 4xx (other than 429); not retried. `status` is set (a 404 on delete means the
///   webhook is already gone: the caller decides).
/// - `authy_unavailable`: 429 or 5xx on every attempt.
/// - `authy_unreachable`: no connection could be made (refused, DNS, TLS, connection dropped, invalid API URL).
/// - `authy_timeout`: no complete answer within the request timeout on every attempt.
/// - `authy_bad_response`: an answer that could not be read (not the expected JSON, over 1 MiB, unexpected status).
/// - `invalid_event`: an event name outside the catalogue (or no event at all) on create; nothing was sent.
/// - `invalid_argument`: an argument that cannot form a request (an empty webhook id); nothing was sent.
/// - `cancelled`: the calling task was cancelled.
public struct AuthyAPIError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Stable, machine-readable code (see the type's documentation).
    public let code: String
    /// The HTTP status of the last answer, if any.
    public let status: Int?
    /// Authy's own `message` field, if the answer carried one.
    public let authyMessage: String?
    /// Authy's `error_code` field, if the answer carried one.
    public let authyErrorCode: String?
    /// Human explanation: includes the status and Authy's message when there are any, never a key.
    public let message: String

    /// An error value; `message` should already be free of secrets (the client scrubs them).
    public init(code: String, status: Int? = nil, authyMessage: String? = nil, authyErrorCode: String? = nil, message: String) {
        self.code = code
        self.status = status
        self.authyMessage = authyMessage
        self.authyErrorCode = authyErrorCode
        self.message = message
    }

    public var description: String { "\(message) [\(code)]" }

    /// Stable codes, for callers that switch on them.
    public enum Code {
        public static let rejected = "authy_rejected"
        public static let unavailable = "authy_unavailable"
        public static let unreachable = "authy_unreachable"
        public static let timeout = "authy_timeout"
        public static let badResponse = "authy_bad_response"
        public static let invalidEvent = "invalid_event"
        public static let invalidArgument = "invalid_argument"
        public static let cancelled = "cancelled"
    }
}
