/// A delivery whose signature checked out, with its events split out for storage.
public struct VerifiedDelivery: Sendable {
    /// The token as received.
    public let token: String
    /// The `webhook` label of the key that verified the signature.
    public let webhook: String
    /// One item per element of `params.events`, in order (possibly none, when the array is empty); or, when the
    /// claims could not be read that way, exactly one item with `type == nil` (see `eventsReadable`).
    public let events: [DeliveryEventItem]
    /// False when the claims were not a readable object with a `params.events` array and `events` holds the single
    /// fallback item. The delivery is still genuine: a correctly signed delivery is never refused for its shape.
    public let eventsReadable: Bool

    /// Built by `DeliveryVerifier` only: a value of this type means the signature checked out. The decoded header
    /// and claims are not kept: `DeliveryVerifier.decodeUnverified(token:)` gives them from `token`.
    init(token: String, webhook: String, events: [DeliveryEventItem], eventsReadable: Bool) {
        self.token = token
        self.webhook = webhook
        self.events = events
        self.eventsReadable = eventsReadable
    }
}

/// One event of a delivery.
///
/// `payloadJSON` is always a JSON text:
/// - for an element of `params.events`: that element's exact bytes, sliced out of the decoded claims (never
///   re-encoded, so key order, spacing and number spellings are Authy's);
/// - for the fallback item of unreadable claims: the whole decoded claims when they are valid JSON text nested at
///   most `DeliveryVerifier.fallbackMaxDepth` levels (duplicate keys allowed), else a small object
///   `{"unreadable_claims":"<reason>"}`. The raw token is stored by the daemon in any case, so nothing is lost.
public struct DeliveryEventItem: Sendable, Equatable {
    /// The element's `event` (e.g. `phone_verification_started`) when it is a string; nil otherwise.
    public let type: String?
    /// The element's `time`: a string as is, a number as its JSON text; nil otherwise.
    public let occurredAt: String?
    /// The element's `request.id`: a string as is, a number as its JSON text; nil otherwise.
    public let requestID: String?
    /// The element's JSON bytes (see the type's documentation).
    public let payloadJSON: [UInt8]

    /// Memberwise initializer.
    public init(type: String?, occurredAt: String?, requestID: String?, payloadJSON: [UInt8]) {
        self.type = type
        self.occurredAt = occurredAt
        self.requestID = requestID
        self.payloadJSON = payloadJSON
    }
}
