import Crypto
import Foundation

/// The fake's own reading of an `application/x-www-form-urlencoded` body and its own rebuilding of the canonical
/// parameter string.
///
/// Deliberately written apart from the client's signer (and FakeAuthyAPI does not import AuthyAPI): if both shared one
/// canonicalization, a bug in it would sign and verify consistently and no test would notice. This one works as a
/// server would: decode what arrived into pairs, then encode again, grouping an array parameter's values in the order
/// received and ordering the groups by their encoded key's bytes.
struct FakeForm {
    /// Decoded `(key, value)` pairs in received order.
    let pairs: [(key: String, value: String)]

    static let empty = FakeForm(pairs: [])

    /// Parses `a=b&c=d` (`+` as space, `%XX` escapes); nil if an escape is malformed.
    static func parse(_ body: String) -> FakeForm? {
        var pairs: [(key: String, value: String)] = []
        for field in body.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = field.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let key = decode(parts[0]) else { return nil }
            guard let value = parts.count > 1 ? decode(parts[1]) : "" else { return nil }
            pairs.append((key, value))
        }
        return FakeForm(pairs: pairs)
    }

    /// The first value of `key`.
    func value(_ key: String) -> String? {
        pairs.first { $0.key == key }?.value
    }

    /// Every value of `key`, in received order.
    func values(_ key: String) -> [String] {
        pairs.filter { $0.key == key }.map(\.value)
    }

    /// The canonical string: groups by key (first appearance), values in received order, groups sorted by encoded key.
    var canonical: String {
        var order: [String] = []
        var grouped: [String: [String]] = [:]
        for (key, value) in pairs {
            if grouped[key] == nil { order.append(key) }
            grouped[key, default: []].append(value)
        }
        let groups = order.map { key in (encodedKey: Self.encode(key), values: grouped[key]!.map(Self.encode)) }
        // A stable sort on the key's bytes (keys are unique after grouping, so stability does not matter).
        let sorted = groups.sorted { lhs, rhs in
            for (a, b) in zip(lhs.encodedKey.utf8, rhs.encodedKey.utf8) where a != b { return a < b }
            return lhs.encodedKey.utf8.count < rhs.encodedKey.utf8.count
        }
        return sorted.flatMap { group in group.values.map { group.encodedKey + "=" + $0 } }.joined(separator: "&")
    }

    /// HMAC-SHA256 over `nonce|METHOD|url|canonical`, base64.
    func expectedSignature(key: String, nonce: String, method: String, url: String) -> String {
        let message = [nonce, method, url, canonical].joined(separator: "|")
        let code = HMAC<SHA256>.authenticationCode(for: Array(message.utf8), using: SymmetricKey(data: Array(key.utf8)))
        return Data(code).base64EncodedString()
    }

    /// Compares in time independent of where the strings differ (the habit a real server needs).
    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    private static let unreserved = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~".utf8)

    private static func encode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            if unreserved.contains(byte) {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else if byte == 0x20 {
                out += "+"
            } else {
                out += String(format: "%%%02X", byte)
            }
        }
        return out
    }

    private static func decode(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "+"):
                bytes.append(0x20)
            case UInt8(ascii: "%"):
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                    return nil
                }
                bytes.append(high << 4 | low)
            default:
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
