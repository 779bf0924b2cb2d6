import Foundation

/// Stable error codes of the control API. The daemon answers `{"error":{"code":…,"message":…}}`. (There is no
/// `method_not_allowed`: Hummingbird's router answers a known path with another method as `not_found`.)
public enum ControlErrorCode: String, Sendable, Codable, CaseIterable {
    case badRequest = "bad_request"
    case notFound = "not_found"
    case payloadTooLarge = "payload_too_large"
    case permissionDenied = "permission_denied"
    case storeUnavailable = "store_unavailable"
    case unknownWebhook = "unknown_webhook"
    /// No forward target of that name is known (configured or kept as removed).
    case unknownTarget = "unknown_target"
    case noSigningKey = "no_signing_key"
    case credentialsMissing = "credentials_missing"
    case invalidEvent = "invalid_event"
    case conflict = "conflict"
    case simulationFailed = "simulation_failed"
    case internalError = "internal_error"
}

/// The body of an error answer.
public struct ControlErrorResponse: Codable, Sendable, Equatable {
    /// The error itself.
    public struct Body: Codable, Sendable, Equatable {
        /// A stable code (``ControlErrorCode`` or, for Authy failures, Authy's own code string).
        public var code: String
        /// One human sentence, safe to print: never a secret.
        public var message: String
    }

    public var error: Body

    public init(code: String, message: String) {
        self.error = Body(code: code, message: message)
    }
}
