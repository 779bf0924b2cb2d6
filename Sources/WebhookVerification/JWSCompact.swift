/// A token split into its three JWS compact segments (RFC 7515 §7.1) and base64url-decoded, not yet verified.
struct JWSCompact {
    /// The token's ASCII bytes.
    let bytes: [UInt8]
    /// `bytes[..<signingInputEnd]` is `header.payload`, the HMAC input.
    let signingInputEnd: Int
    let header: [UInt8]
    let claims: [UInt8]
    let signature: [UInt8]

    /// Splits and decodes `token`; 400 `malformed_token` unless it is exactly three segments of canonical, unpadded
    /// base64url, the header and payload non-empty. An empty signature segment is kept (`signature` is empty) so that
    /// the verifier can read the header first: `HEADER.PAYLOAD.` with `alg` `none` is a well-formed unsecured JWS
    /// (RFC 7519 §6), refused as 401 `unsupported_algorithm`, not as unreadable.
    init(token: String) throws(DeliveryError) {
        let bytes = Array(token.utf8)
        let parts: (header: [UInt8], claims: [UInt8], signature: [UInt8]?, secondDot: Int)? =
            bytes.withUnsafeBufferPointer { buffer in
                guard let first = buffer.firstIndex(of: UInt8(ascii: ".")),
                    let second = buffer[(first + 1)...].firstIndex(of: UInt8(ascii: "."))
                else { return nil }
                guard !buffer[(second + 1)...].contains(UInt8(ascii: ".")) else { return nil }
                let signatureRange = (second + 1)..<buffer.count
                return (
                    Self.decode(buffer, 0..<first) ?? [], Self.decode(buffer, (first + 1)..<second) ?? [],
                    // nil only for a non-empty segment that is not base64url; an empty one is no bytes.
                    signatureRange.isEmpty ? [] : Self.decode(buffer, signatureRange), second
                )
            }
        guard let parts else {
            throw DeliveryError(.malformedToken, "the token does not have exactly three dot-separated segments")
        }
        // Base64url of a non-empty segment is never empty, so an empty result means empty or invalid.
        guard !parts.header.isEmpty, !parts.claims.isEmpty, let signature = parts.signature else {
            throw DeliveryError(.malformedToken, "a token segment is empty or not unpadded base64url")
        }
        self.bytes = bytes
        self.signingInputEnd = parts.secondDot
        self.header = parts.header
        self.claims = parts.claims
        self.signature = signature
    }

    private static func decode(_ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> [UInt8]? {
        range.isEmpty ? nil : Base64URL.decode(UnsafeBufferPointer(rebasing: buffer[range]))
    }
}
