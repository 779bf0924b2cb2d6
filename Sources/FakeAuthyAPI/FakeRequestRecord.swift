/// What the fake saw of one API request (admin routes are not recorded).
public struct FakeRequestRecord: Sendable, Equatable {
    /// `GET`, `POST`, `DELETE`.
    public var method: String
    /// The path as received, percent-encoding included, without query.
    public var path: String
    /// The raw request body.
    public var body: String
    /// The `X-Authy-Signature-Nonce` header, if any.
    public var nonce: String?
    /// Whether `app_api_key` and `access_key` matched the fake's.
    public var credentialsValid: Bool
    /// Whether `X-Authy-Signature` matched the fake's own computation over the rebuilt parameters.
    public var signatureValid: Bool
    /// The status answered; nil while the answer is still being prepared (e.g. during an injected delay).
    public var status: Int?
    /// When the request arrived (compare records with each other, e.g. to see a retry's wait).
    public var receivedAt: ContinuousClock.Instant
}
