/// Why a webhook delivery was refused, with a stable `code` for logs and tests and the HTTP status the receiver answers.
///
/// Messages are written for operators and never contain the token, a signing key or any other request byte: the
/// sender is untrusted, and echoing its input would let it write into our logs.
public struct DeliveryError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Stable machine-readable code, e.g. `invalid_signature`.
    public let code: String
    /// A human explanation, safe to log.
    public let message: String
    /// The status the receiver answers with (400, 401 or 415).
    public let httpStatus: Int

    /// Builds an error; prefer the named factories below so codes and statuses stay consistent.
    public init(code: String, message: String, httpStatus: Int) {
        self.code = code
        self.message = message
        self.httpStatus = httpStatus
    }

    /// `code: message`, safe to log.
    public var description: String { "\(code): \(message)" }
}

extension DeliveryError {
    /// All codes this module produces, for callers that map them (metrics labels, tests).
    public enum Code {
        /// 415: the content type cannot carry a token we can read (multipart, images, XML, ...).
        public static let unsupportedMediaType = "unsupported_media_type"
        /// 400: the envelope does not name exactly one token (two `body` fields, duplicate JSON keys, no `body`, ...).
        public static let ambiguousEnvelope = "ambiguous_envelope"
        /// 400: the body is empty, not UTF-8, or not parseable in the format it claims.
        public static let unreadableBody = "unreadable_body"
        /// 400: the token is not three base64url segments with a JSON object header.
        public static let malformedToken = "malformed_token"
        /// 401: the header asks for anything but plain HS256.
        public static let unsupportedAlgorithm = "unsupported_algorithm"
        /// 401: no configured key produced the signature (or no key is configured).
        public static let invalidSignature = "invalid_signature"
        /// 401: `exp` is in the past beyond the leeway.
        public static let tokenExpired = "token_expired"
        /// 401: `nbf` is in the future beyond the leeway.
        public static let tokenNotYetValid = "token_not_yet_valid"
        /// 401: a registered claim we check has the wrong type.
        public static let invalidClaims = "invalid_claims"
        /// 401: the `url` claim differs from the configured public URL.
        public static let urlMismatch = "url_mismatch"
        /// 400: StrictJSON found a syntax error (mapped to a context-specific code by callers).
        public static let invalidJSON = "invalid_json"
        /// 400: StrictJSON found nesting deeper than allowed.
        public static let jsonTooDeep = "json_too_deep"
        /// 400: StrictJSON found the same key twice in one object.
        public static let duplicateKey = "duplicate_key"
    }

    static func unsupportedMediaType(_ message: String) -> DeliveryError {
        DeliveryError(code: Code.unsupportedMediaType, message: message, httpStatus: 415)
    }
    static func ambiguousEnvelope(_ message: String) -> DeliveryError {
        DeliveryError(code: Code.ambiguousEnvelope, message: message, httpStatus: 400)
    }
    static func unreadableBody(_ message: String) -> DeliveryError {
        DeliveryError(code: Code.unreadableBody, message: message, httpStatus: 400)
    }
    static func malformedToken(_ message: String) -> DeliveryError {
        DeliveryError(code: Code.malformedToken, message: message, httpStatus: 400)
    }
    static func unsupportedAlgorithm(_ message: String) -> DeliveryError {
        DeliveryError(code: Code.unsupportedAlgorithm, message: message, httpStatus: 401)
    }
    static func invalidSignature(_ message: String) -> DeliveryError {
        DeliveryError(code: Code.invalidSignature, message: message, httpStatus: 401)
    }
    static func tokenExpired(_ message: String) -> DeliveryError {
        DeliveryError(code: Code.tokenExpired, message: message, httpStatus: 401)
    }
    static func tokenNotYetValid(_ message: String) -> DeliveryError {
        DeliveryError(code: Code.tokenNotYetValid, message: message, httpStatus: 401)
    }
    static func invalidClaims(_ message: String) -> DeliveryError {
        DeliveryError(code: Code.invalidClaims, message: message, httpStatus: 401)
    }
    static func urlMismatch(_ message: String) -> DeliveryError {
        DeliveryError(code: Code.urlMismatch, message: message, httpStatus: 401)
    }
    static func invalidJSON(_ message: String) -> DeliveryError {
        DeliveryError(code: Code.invalidJSON, message: message, httpStatus: 400)
    }
    static func jsonTooDeep(_ message: String) -> DeliveryError {
        DeliveryError(code: Code.jsonTooDeep, message: message, httpStatus: 400)
    }
    static func duplicateKey(_ message: String) -> DeliveryError {
        DeliveryError(code: Code.duplicateKey, message: message, httpStatus: 400)
    }
}
