/// A strict RFC 8259 JSON reader for hostile input.
///
/// Why our own: Foundation's `JSONSerialization` silently keeps one of two duplicate keys (so `{"body":"a","body":"b"}`
/// would be read differently by us and by whatever sits in front of us), recurses on nesting, and re-encodes values.
/// This reader:
/// - never recurses (an explicit stack), and refuses nesting deeper than `maxDepth` with an error, so a
///   10,000-levels-deep payload costs a few bytes of heap, not the thread's stack;
/// - rejects duplicate keys in any object (comparing keys after unescaping, so `"a"` and `"\u0061"` collide);
/// - accepts only RFC 8259 grammar: no trailing commas, comments, NaN/Infinity, leading zeros, single quotes, raw
///   control characters in strings, invalid escapes, unpaired UTF-16 surrogate escapes (RFC 7493 I-JSON), malformed
///   UTF-8 or a byte-order mark;
/// - records the byte range of every value, so callers can keep a value exactly as received.
public enum StrictJSON {
    /// The nesting limit used when callers do not choose one.
    public static let defaultMaxDepth = 64

    /// Checks that `bytes` are exactly one JSON text under the rules above.
    ///
    /// Throws a `StrictJSONError` (`invalid_json`, `json_too_deep` or `duplicate_key`); callers in this module
    /// map it to the `ReceiverErrorCode` that fits their context. Never traps, whatever the input: a fuzz entry point.
    /// - Parameters:
    ///   - maxDepth: the number of nested objects/arrays allowed (a scalar alone has depth 0, `[]` depth 1).
    ///   - allowDuplicateKeys: accept repeated keys (still valid RFC 8259 JSON text, just ambiguous).
    public static func validate(
        _ bytes: [UInt8], maxDepth: Int = defaultMaxDepth, allowDuplicateKeys: Bool = false
    ) throws(StrictJSONError) {
        _ = try parse(bytes, maxDepth: maxDepth, allowDuplicateKeys: allowDuplicateKeys)
    }

    /// Parses `bytes` into a navigable document (see `validate` for the rules and errors).
    static func parse(
        _ bytes: [UInt8], maxDepth: Int = defaultMaxDepth, allowDuplicateKeys: Bool = false
    ) throws(StrictJSONError) -> JSONDocument {
        let result: Result<[JSONNode], StrictJSONError> = bytes.withUnsafeBufferPointer { buffer in
            var parser = StrictJSONParser(
                bytes: buffer, maxDepth: maxDepth, rejectDuplicateKeys: !allowDuplicateKeys
            )
            do throws(StrictJSONError) {
                try parser.run()
                return .success(parser.nodes)
            } catch {
                return .failure(error)
            }
        }
        return JSONDocument(bytes: bytes, nodes: try result.get())
    }
}
