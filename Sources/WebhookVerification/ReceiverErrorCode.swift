/// Every code the receiver puts in an error answer `{"error":{"code":…,"message":…}}`, with the HTTP status it
/// goes with: the one list of them. The README's table of the receiver's answers is checked against it by a test,
/// and `DeliveryError` can only carry one of these.
public enum ReceiverErrorCode: String, CaseIterable, Sendable {
    // The request itself.
    /// 400: the body is empty, not UTF-8, or not parseable in the format it claims.
    case unreadableBody = "unreadable_body"
    /// 400: the envelope does not name exactly one token (two `body` fields, duplicate JSON keys, no `body`, ...).
    case ambiguousEnvelope = "ambiguous_envelope"
    /// 400: the token is not three base64url segments with a JSON object header.
    case malformedToken = "malformed_token"
    /// 404: a path the receiver does not serve.
    case notFound = "not_found"
    /// 405: another method than POST on the delivery path (or than GET/HEAD on `/healthz`).
    case methodNotAllowed = "method_not_allowed"
    /// 408: the body did not arrive within `ReadTimeout=`.
    case requestTimeout = "request_timeout"
    /// 413: the body is larger than `MaxBodySize=`.
    case payloadTooLarge = "payload_too_large"
    /// 415: the content type cannot carry a token we can read (multipart, images, XML, ...).
    case unsupportedMediaType = "unsupported_media_type"
    /// 431: the request line and headers are larger than `MaxHeaderSize=` (or hold over 100 fields).
    case headerTooLarge = "header_too_large"

    // Verification.
    /// 401: the header asks for anything but plain HS256 (`none` included).
    case unsupportedAlgorithm = "unsupported_algorithm"
    /// 401: no configured key produced the signature (or no key is configured).
    case invalidSignature = "invalid_signature"
    /// 401: `exp` is in the past beyond the leeway.
    case tokenExpired = "token_expired"
    /// 401: `nbf` is in the future beyond the leeway.
    case tokenNotYetValid = "token_not_yet_valid"
    /// 401: a registered claim we check has the wrong type.
    case invalidClaims = "invalid_claims"
    /// 401: the `url` claim differs from the configured public URL.
    case urlMismatch = "url_mismatch"

    // Nothing was stored; Authy retries later (`Retry-After`).
    /// 503: more deliveries wait for the store than `MaxPendingWrites=`.
    case overloaded = "overloaded"
    /// 503: the daemon is stopping.
    case shuttingDown = "shutting_down"
    /// 503: the database could not be opened.
    case storeUnavailable = "store_unavailable"
    /// 503: the disk (or the database's size limit) is full.
    case storeFull = "store_full"
    /// 503: another process holds the write lock past `BusyTimeout=`.
    case storeBusy = "store_busy"
    /// 503: an I/O error or a read-only file system.
    case storeIO = "store_io"
    /// 503: the database file is damaged.
    case storeCorrupt = "store_corrupt"
    /// 503: the store was closed (the daemon is stopping).
    case storeClosed = "store_closed"
    /// 503: any other failure of the store.
    case storeFailed = "store_failed"

    /// The status the receiver answers with.
    public var httpStatus: Int {
        switch self {
        case .unreadableBody, .ambiguousEnvelope, .malformedToken: 400
        case .notFound: 404
        case .methodNotAllowed: 405
        case .requestTimeout: 408
        case .payloadTooLarge: 413
        case .unsupportedMediaType: 415
        case .headerTooLarge: 431
        case .unsupportedAlgorithm, .invalidSignature, .tokenExpired, .tokenNotYetValid, .invalidClaims, .urlMismatch: 401
        case .overloaded, .shuttingDown, .storeUnavailable, .storeFull, .storeBusy, .storeIO, .storeCorrupt, .storeClosed,
             .storeFailed: 503
        }
    }
}
