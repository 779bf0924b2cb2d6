/// What a delivery's declared `Content-Type` lets the envelope reader expect.
///
/// Readable types: JSON (`application/json`, `text/json`, `application/x-json`, any `+json`), forms
/// (`application/x-www-form-urlencoded`), and types a bare token plausibly travels as (`text/plain`, `application/jwt`,
/// `application/jose`, `application/octet-stream`) or no type at all. Everything else (multipart, images, XML, HTML,
/// a value that is not `type/subtype`) is refused with 415: Authy's real type is unconfirmed, but none of those can
/// carry a token we would read safely. Parameters such as `charset` are ignored: a token is ASCII, and the body is
/// checked to be UTF-8 anyway.
enum EnvelopeMediaType {
    case json, form, text, unlabelled

    /// Exact essences (lowercase `type/subtype`) and what they mean.
    private static let known: [(essence: StaticString, type: EnvelopeMediaType)] = [
        ("application/json", .json), ("text/json", .json), ("application/x-json", .json),
        ("application/x-www-form-urlencoded", .form),
        ("text/plain", .text), ("application/jwt", .text), ("application/jose", .text),
        ("application/octet-stream", .text),
    ]

    /// Classifies the header value by its essence, byte-wise and without allocating (this runs on every delivery).
    init(contentType: String?) throws(DeliveryError) {
        guard let contentType else {
            self = .unlabelled
            return
        }
        let utf8 = contentType.utf8
        let classified: EnvelopeMediaType?? = utf8.withContiguousStorageIfAvailable { Self.classify($0) }
            ?? Array(utf8).withUnsafeBufferPointer { Self.classify($0) }
        guard let classified, let mediaType = classified else {
            throw DeliveryError(.unsupportedMediaType, 
                "the content type is not one a webhook delivery can use (JSON, form, plain text or none)")
        }
        self = mediaType
    }

    /// nil for an unsupported essence. Parameters (after `;`) are ignored.
    private static func classify(_ value: UnsafeBufferPointer<UInt8>) -> EnvelopeMediaType? {
        let raw = UnsafeBufferPointer(rebasing: value[..<(value.firstIndex(of: UInt8(ascii: ";")) ?? value.count)])
        // Trim the spaces and tabs HTTP allows around a header value.
        var lower = 0
        var upper = raw.count
        while lower < upper, raw[lower] == 0x20 || raw[lower] == 0x09 { lower += 1 }
        while upper > lower, raw[upper - 1] == 0x20 || raw[upper - 1] == 0x09 { upper -= 1 }
        let essence = UnsafeBufferPointer(rebasing: raw[lower..<upper])
        if essence.isEmpty { return .unlabelled }
        for entry in known where equalsIgnoringASCIICase(essence, entry.essence) {
            return entry.type
        }
        // Any structured-syntax `type/subtype+json` (RFC 6839), e.g. application/jose+json.
        guard let slash = essence.firstIndex(of: UInt8(ascii: "/")), slash > 0,
            !essence[(slash + 1)...].contains(UInt8(ascii: "/")), essence.count - slash - 1 > 5
        else { return nil }
        let suffix = UnsafeBufferPointer(rebasing: essence[(essence.count - 5)...])
        return equalsIgnoringASCIICase(suffix, "+json") ? .json : nil
    }

    private static func equalsIgnoringASCIICase(_ bytes: UnsafeBufferPointer<UInt8>, _ lowercase: StaticString) -> Bool {
        guard bytes.count == lowercase.utf8CodeUnitCount else { return false }
        let expected = UnsafeBufferPointer(start: lowercase.utf8Start, count: lowercase.utf8CodeUnitCount)
        for index in 0..<bytes.count {
            var byte = bytes[index]
            if byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") { byte += 0x20 }
            if byte != expected[index] { return false }
        }
        return true
    }
}
