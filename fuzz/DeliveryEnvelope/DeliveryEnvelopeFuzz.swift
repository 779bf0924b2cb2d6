import Foundation

/// libFuzzer target for body extraction: `DeliveryEnvelope.extractToken` and the `EnvelopeMediaType`,
/// `UTF8Validation` and `StrictJSON` code under it.
///
/// Input: `Content-Type` value, a NUL byte, then the body; an input without a NUL is a body sent without a
/// `Content-Type` (the seeds are the hostile corpus' deliveries in this form).
///
/// The harness re-derives the answer with Foundation and the standard library (a differential check) and traps on
/// any disagreement, which libFuzzer reports as a crash:
/// - nothing traps, whatever the input;
/// - every refusal is `unsupported_media_type` (415), `unreadable_body` or `ambiguous_envelope` (400);
/// - the media type agrees with a `String`-based reading of the documented rules, and an unknown one is refused 415;
/// - the body is refused as unreadable exactly when it is empty, blank or not UTF-8 (`String(validating:)`);
/// - a JSON envelope's token is the `body` string `JSONSerialization` reads (ours is stricter: it may refuse what
///   Foundation reads, e.g. repeated keys, but never reads another token);
/// - a form's token is what `removingPercentEncoding` gives for the only `body` field (`+` as space), and zero or
///   two `body` fields are refused as ambiguous;
/// - otherwise the token is the body with surrounding blanks removed, byte for byte.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDeliveryEnvelope(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = UnsafeBufferPointer(start: data, count: size)
    let contentType: String?
    let body: [UInt8]
    if let nul = input.firstIndex(of: 0) {
        contentType = String(decoding: input[..<nul], as: UTF8.self)
        body = Array(input[(nul + 1)...])
    } else {
        contentType = nil
        body = Array(input)
    }
    let ours: Result<String, DeliveryError>
    do {
        ours = .success(try DeliveryEnvelope.extractToken(from: body, contentType: contentType))
    } catch {
        ours = .failure(error)
    }
    EnvelopeReference.check(ours, body: body, contentType: contentType)
    return 0
}

/// The documented rules, written again over `String` and Foundation.
enum EnvelopeReference {
    static func check(_ ours: Result<String, DeliveryError>, body: [UInt8], contentType: String?) {
        if case .failure(let error) = ours {
            let statuses = [
                ReceiverErrorCode.unsupportedMediaType.rawValue: 415, ReceiverErrorCode.unreadableBody.rawValue: 400,
                ReceiverErrorCode.ambiguousEnvelope.rawValue: 400,
            ]
            require(statuses[error.code] == error.httpStatus, "undocumented refusal \(error.code)")
        }
        // 1. The media type.
        let mediaType = try? EnvelopeMediaType(contentType: contentType)
        if let contentType {
            require(mediaType == referenceMediaType(contentType), "media type differs from the reference")
        }
        guard let mediaType else {
            require(code(ours) == ReceiverErrorCode.unsupportedMediaType.rawValue, "unknown media type not refused")
            return
        }
        // 2. Readable text.
        let isBlank: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
        guard String(validating: body, as: UTF8.self) != nil, body.contains(where: { !isBlank($0) }) else {
            require(code(ours) == ReceiverErrorCode.unreadableBody.rawValue, "unreadable body not refused as such")
            return
        }
        require(UTF8Validation.isValid(body))
        let trimmed = Array(body.drop(while: isBlank).reversed().drop(while: isBlank).reversed())
        // 3. JSON: one direction only (see the doc comment).
        if trimmed[0] == UInt8(ascii: "{") || trimmed[0] == UInt8(ascii: "[") {
            if case .success(let token) = ours, let object = try? JSONSerialization.jsonObject(with: Data(body)) {
                let theirs = (object as? [String: Any])?["body"] as? String
                require(theirs.map { Array($0.utf8) } == Array(token.utf8),
                        "JSON token differs from JSONSerialization's")
            }
            return
        }
        // 4. Forms.
        // Byte-wise, as HTTP is bytes: `String` would glue "=" or "&" to a following combining mark.
        let isForm = switch mediaType {
        case .form: trimmed.contains(UInt8(ascii: "="))
        case .json, .text, .unlabelled: trimmed.starts(with: "body=".utf8)
        }
        if isForm {
            checkForm(ours, trimmed)
            return
        }
        // 5. The bare token.
        require(token(ours).map { Array($0.utf8) } == trimmed, "bare token differs from the trimmed body")
    }

    /// Compared only when every `%` starts a valid escape: ours refuses a broken escape in a field name it decodes,
    /// while Foundation's `nil` does not say where the escape was.
    static func checkForm(_ ours: Result<String, DeliveryError>, _ bytes: [UInt8]) {
        for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: "%") {
            guard index + 2 < bytes.count, bytes[index + 1].isHexDigit, bytes[index + 2].isHexDigit else { return }
        }
        // "+" replaced byte-wise: `replacingOccurrences` would miss a "+" followed by a combining mark.
        func decode(_ part: ArraySlice<UInt8>) -> String? {
            let text = String(decoding: part.map { $0 == UInt8(ascii: "+") ? UInt8(ascii: " ") : $0 }, as: UTF8.self)
            // This toolchain's removingPercentEncoding gives U+FFFD for escapes that decode to invalid UTF-8 ("%A9")
            // instead of nil, so whether the decoded bytes are UTF-8 is asked of String(validating:) first.
            var bytes: [UInt8] = []
            var index = part.startIndex
            while index < part.endIndex {
                if part[index] == UInt8(ascii: "%"), let byte = UInt8(String(decoding: part[(index + 1)...(index + 2)], as: UTF8.self), radix: 16) {
                    bytes.append(byte)
                    index += 3
                } else {
                    bytes.append(part[index])
                    index += 1
                }
            }
            guard String(validating: bytes, as: UTF8.self) != nil else { return nil }
            return text.removingPercentEncoding
        }
        var values: [String?] = []
        for field in bytes.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let parts = field.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = decode(parts[0]), Array(name.utf8) == Array("body".utf8) else { continue }
            values.append(parts.count == 2 ? decode(parts[1]) : "")
        }
        switch values.count {
        case 1:
            if let value = values[0] {
                require(token(ours).map { Array($0.utf8) } == Array(value.utf8),
                        "form token differs from removingPercentEncoding's")
            } else {
                require(code(ours) == ReceiverErrorCode.unreadableBody.rawValue, "non-UTF-8 form body not refused")
            }
        default:
            require(code(ours) == ReceiverErrorCode.ambiguousEnvelope.rawValue, "\(values.count) body fields accepted")
        }
    }

    /// `EnvelopeMediaType`'s rules over `String`, split byte-wise as HTTP is bytes.
    static func referenceMediaType(_ contentType: String) -> EnvelopeMediaType? {
        var essence = contentType.utf8
            .split(separator: UInt8(ascii: ";"), maxSplits: 1, omittingEmptySubsequences: false).first ?? []
        while let first = essence.first, first == 0x20 || first == 0x09 { essence = essence.dropFirst() }
        while let last = essence.last, last == 0x20 || last == 0x09 { essence = essence.dropLast() }
        let lowered = String(decoding: essence.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }, as: UTF8.self)
        switch lowered {
        case "": return .unlabelled
        case "application/json", "text/json", "application/x-json": return .json
        case "application/x-www-form-urlencoded": return .form
        case "text/plain", "application/jwt", "application/jose", "application/octet-stream": return .text
        default:
            let parts = lowered.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
            if parts.count == 2, !parts[0].isEmpty, parts[1].count > 5, parts[1].suffix(5).elementsEqual("+json".utf8) {
                return .json
            }
            return nil
        }
    }

    static func code(_ result: Result<String, DeliveryError>) -> String? {
        if case .failure(let error) = result { error.code } else { nil }
    }

    static func token(_ result: Result<String, DeliveryError>) -> String? {
        if case .success(let token) = result { token } else { nil }
    }
}

extension UInt8 {
    fileprivate var isHexDigit: Bool {
        (0x30...0x39).contains(self) || (0x41...0x46).contains(self) || (0x61...0x66).contains(self)
    }
}
