import Crypto
import Foundation

/// Canonical signing of a webhooks-API call (reference section 3).
///
/// Pure functions, so the known answers from authy-client and from Authy's docs pin them in unit tests.
public enum AuthyRequestSigner {
    /// The canonical parameter string: each parameter form-encoded as `key=value` chunks, the parameters sorted by
    /// their chunk text in byte order and joined with `&`.
    ///
    /// This is Rails' `Hash#to_query` model, which Authy's server is built on: an array parameter becomes one chunk
    /// (`events%5B%5D=a&events%5B%5D=b`) that sorts as a unit and keeps its values in their given order. An array
    /// parameter with no values yields `name=` as Rails does. The same string is both the request body and the signed
    /// `params`, so whatever canonicalization the server applies, it sees exactly the bytes that were signed.
    public static func canonicalParameters(_ parameters: [AuthyParameter]) -> String {
        let chunks = parameters.map { parameter -> String in
            let key = formEncode(parameter.name)
            guard !parameter.values.isEmpty else { return key + "=" }
            return parameter.values.map { key + "=" + formEncode($0) }.joined(separator: "&")
        }
        // Byte order, not String's Unicode ordering: the chunks are ASCII after encoding, but compare bytes to be exact.
        return chunks.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }.joined(separator: "&")
    }

    /// Form-encodes `s`: space as `+`, `A-Z a-z 0-9 - _ . ~` unchanged, every other UTF-8 byte as `%XX` (upper-case hex).
    public static func formEncode(_ s: String) -> String {
        var out = [UInt8]()
        out.reserveCapacity(s.utf8.count)
        for byte in s.utf8 {
            if isUnreserved(byte) {
                out.append(byte)
            } else if byte == UInt8(ascii: " ") {
                out.append(UInt8(ascii: "+"))
            } else {
                out.append(UInt8(ascii: "%"))
                out.append(hexDigits[Int(byte >> 4)])
                out.append(hexDigits[Int(byte & 0x0F)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Percent-encodes one URL path segment (a webhook id): like `formEncode`, but a space is `%20`, never `+`.
    public static func pathSegmentEncode(_ s: String) -> String {
        formEncode(s).replacingOccurrences(of: "+", with: "%20")
    }

    /// The signature header value: standard base64 (padded) of HMAC-SHA256 keyed with the API Signing Key's UTF-8
    /// bytes over `nonce|METHOD|url|parameters`.
    ///
    /// - Parameters:
    ///   - method: upper-cased here, so `post` and `POST` sign alike.
    ///   - url: scheme, host (and port) and path, without query string.
    ///   - parameters: the canonical parameter string (see `canonicalParameters`).
    public static func signature(key: String, nonce: String, method: String, url: String, parameters: String) -> String {
        let data = nonce + "|" + method.uppercased() + "|" + url + "|" + parameters
        let mac = HMAC<SHA256>.authenticationCode(for: Data(data.utf8), using: SymmetricKey(data: Data(key.utf8)))
        return Data(mac).base64EncodedString()
    }

    /// A fresh nonce for one request: Unix seconds, a dot, then 12 random digits.
    ///
    /// Authy treats the nonce as opaque as far as public sources show (seen: `1427849783.886085`, GUIDs, random
    /// integers); whether it checks freshness is unconfirmed, so the nonce is timestamp-shaped (readable as the current
    /// time by a server that parses it) while the random part makes it unique per request.
    public static func makeNonce() -> String {
        let seconds = Int(Date().timeIntervalSince1970)
        var generator = SystemRandomNumberGenerator()
        let digits = (0..<12).map { _ in String(UInt8.random(in: 0...9, using: &generator)) }.joined()
        return "\(seconds).\(digits)"
    }

    private static let hexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }
}
