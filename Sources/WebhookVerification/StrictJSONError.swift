/// Why `StrictJSON` refused a text. Internal to parsing: every caller in this module turns it into the
/// `ReceiverErrorCode` that fits its context (a header that repeats a key is a malformed token, a body that does is
/// an ambiguous envelope), so these codes never reach an answer.
public struct StrictJSONError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kinds of refusal.
    public enum Kind: String, Sendable {
        /// Not RFC 8259 JSON text.
        case invalidJSON = "invalid_json"
        /// Nesting deeper than allowed.
        case tooDeep = "json_too_deep"
        /// The same key twice in one object.
        case duplicateKey = "duplicate_key"
    }

    public let kind: Kind
    /// A human explanation with the byte offset, safe to log.
    public let message: String

    init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// The kind's stable name, e.g. `duplicate_key`.
    public var code: String { kind.rawValue }

    public var description: String { "\(code): \(message)" }
}
