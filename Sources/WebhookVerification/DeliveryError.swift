/// A refused delivery: a stable code from ``ReceiverErrorCode``, the HTTP status that goes with it, and a human
/// message safe to log.
public struct DeliveryError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Why it was refused.
    public let reason: ReceiverErrorCode
    /// A human explanation, safe to log.
    public let message: String

    /// Builds an error; the status comes from the code, so the two never disagree.
    public init(_ reason: ReceiverErrorCode, _ message: String) {
        self.reason = reason
        self.message = message
    }

    /// Stable machine-readable code, e.g. `invalid_signature`.
    public var code: String { reason.rawValue }
    /// The status the receiver answers with.
    public var httpStatus: Int { reason.httpStatus }

    /// `code: message`, safe to log.
    public var description: String { "\(code): \(message)" }
}
