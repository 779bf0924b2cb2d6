/// Finds the JWT inside the body Authy POSTs to a webhook URL.
///
/// The content type Authy really sends is unconfirmed (reference §4: its demo reads a `body` field from JSON or a form),
/// so every plausible variant is accepted, as long as the body names exactly one token:
/// - JSON `{"body":"<jwt>"}` (other keys allowed);
/// - form `body=<jwt>` (other fields allowed; percent-escapes and `+` decoded);
/// - the bare token as the whole body (surrounding whitespace trimmed).
///
/// The shape is sniffed from the body as well as the declared type, because a mislabelled sender is plausible: a body
/// whose first non-blank byte is `{` or `[` is read as JSON, a declared form as a form, an undeclared body starting
/// with `body=` as a form, anything else as the bare token. Only the signature makes a token trustworthy; the envelope
/// rules exist to refuse bodies that could be read two ways (two `body` fields, repeated JSON keys).
public enum DeliveryEnvelope {
    /// The nesting limit for a JSON envelope; a real one is one level deep.
    static let maxJSONDepth = StrictJSON.defaultMaxDepth

    /// The token carried by `body`, not yet verified.
    ///
    /// Errors: 415 `unsupported_media_type` (multipart, images, XML, ... see `EnvelopeMediaType`),
    /// 400 `unreadable_body` (empty, not UTF-8, broken JSON or percent-escapes),
    /// 400 `ambiguous_envelope` (no `body`, two `body` fields, a repeated JSON key, a `body` that is not a string).
    public static func extractToken(from body: [UInt8], contentType: String?) throws(DeliveryError) -> String {
        let mediaType = try EnvelopeMediaType(contentType: contentType)
        guard !body.isEmpty else { throw DeliveryError(.unreadableBody, "the request body is empty") }
        guard UTF8Validation.isValid(body) else { throw DeliveryError(.unreadableBody, "the request body is not UTF-8") }
        let trimmed = trimmedRange(of: body)
        guard !trimmed.isEmpty else { throw DeliveryError(.unreadableBody, "the request body is only whitespace") }

        let first = body[trimmed.lowerBound]
        if first == UInt8(ascii: "{") || first == UInt8(ascii: "[") {
            return try tokenFromJSON(body)
        }
        let text = body[trimmed]
        switch mediaType {
        case .form where text.contains(UInt8(ascii: "=")):
            return try tokenFromForm(text)
        case .json, .text, .unlabelled:
            if text.starts(with: "body=".utf8) { return try tokenFromForm(text) }
        case .form:
            // A "form" without a single `=` cannot hold fields: it is a mislabelled bare token.
            break
        }
        return String(decoding: text, as: UTF8.self)
    }

    // MARK: JSON

    private static func tokenFromJSON(_ body: [UInt8]) throws(DeliveryError) -> String {
        let document: JSONDocument
        do throws(StrictJSONError) {
            document = try StrictJSON.parse(body, maxDepth: maxJSONDepth)
        } catch {
            if error.kind == .duplicateKey {
                throw DeliveryError(.ambiguousEnvelope, "the JSON body repeats a key")
            }
            throw DeliveryError(.unreadableBody, "the JSON body is not valid JSON (\(error.message))")
        }
        guard document.kind(document.root) == .object else {
            throw DeliveryError(.ambiguousEnvelope, "the JSON body is not an object with a \"body\" field")
        }
        guard let value = document.member(document.root, "body") else {
            throw DeliveryError(.ambiguousEnvelope, "the JSON body has no \"body\" field")
        }
        guard let token = document.string(value) else {
            throw DeliveryError(.ambiguousEnvelope, "the JSON body's \"body\" field is not a string")
        }
        return token
    }

    // MARK: Form

    private static func tokenFromForm(_ text: ArraySlice<UInt8>) throws(DeliveryError) -> String {
        var found: [UInt8]?
        for field in text.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let equals = field.firstIndex(of: UInt8(ascii: "=")) ?? field.endIndex
            let name = try formDecode(field[field.startIndex..<equals])
            guard name == Array("body".utf8) else { continue }
            guard found == nil else { throw DeliveryError(.ambiguousEnvelope, "the form has more than one body field") }
            found = equals < field.endIndex ? try formDecode(field[(equals + 1)...]) : []
        }
        guard let value = found else { throw DeliveryError(.ambiguousEnvelope, "the form has no body field") }
        guard UTF8Validation.isValid(value) else {
            throw DeliveryError(.unreadableBody, "the form's body field is not UTF-8 once percent-decoded")
        }
        return String(decoding: value, as: UTF8.self)
    }

    /// application/x-www-form-urlencoded decoding: `+` is a space, `%HH` a byte.
    private static func formDecode(_ part: ArraySlice<UInt8>) throws(DeliveryError) -> [UInt8] {
        guard part.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "+") }) else { return Array(part) }
        var output = [UInt8]()
        output.reserveCapacity(part.count)
        var index = part.startIndex
        while index < part.endIndex {
            let byte = part[index]
            if byte == UInt8(ascii: "+") {
                output.append(UInt8(ascii: " "))
                index += 1
            } else if byte == UInt8(ascii: "%") {
                guard index + 2 < part.endIndex, let high = hexValue(part[index + 1]), let low = hexValue(part[index + 2])
                else { throw DeliveryError(.unreadableBody, "the form has an invalid percent-escape") }
                output.append(high << 4 | low)
                index += 3
            } else {
                output.append(byte)
                index += 1
            }
        }
        return output
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    // MARK: Helpers

    private static func trimmedRange(of body: [UInt8]) -> Range<Int> {
        func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
        var lower = 0
        var upper = body.count
        while lower < upper, isBlank(body[lower]) { lower += 1 }
        while upper > lower, isBlank(body[upper - 1]) { upper -= 1 }
        return lower..<upper
    }
}
