import Foundation

/// An address the receiver listens on: `HOST:PORT`, with IPv6 hosts in brackets (`[::1]:8080`).
///
/// `host` is an IPv4 address, an IPv6 address (kept without brackets) or a host name such as `localhost`;
/// `port` is 0–65535, where 0 asks the kernel for a free port (tests use it).
public struct ListenAddress: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// The host: `127.0.0.1`, `::1` (no brackets) or a name.
    public var host: String
    /// The TCP port; 0 means any free port.
    public var port: Int

    /// Creates an address from its parts, without validation.
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// `127.0.0.1:8080`, or `[::1]:8080` for IPv6 hosts.
    public var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// Parses `HOST:PORT` or `[IPV6]:PORT`; throws `ValueFormatError` (`invalid_listen_address`).
    public static func parse(_ text: String) throws(ValueFormatError) -> ListenAddress {
        func fail(_ why: String) -> ValueFormatError {
            ValueFormatError(code: "invalid_listen_address",
                             message: "\(why); expected HOST:PORT such as 127.0.0.1:8080, [::1]:8080 or localhost:8080")
        }
        let host: String
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { throw fail("missing ] after the IPv6 address") }
            host = String(text[text.index(after: text.startIndex)..<close])
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { throw fail("missing :PORT after the IPv6 address") }
            portText = rest.dropFirst()
            guard isIPv6(host) else { throw fail("\"\(host)\" is not an IPv6 address") }
        } else {
            guard let colon = text.lastIndex(of: ":") else { throw fail("missing :PORT") }
            host = String(text[..<colon])
            portText = text[text.index(after: colon)...]
            if host.contains(":") { throw fail("IPv6 addresses need brackets, as in [::1]:8080") }
            if host.isEmpty { throw fail("missing host (use 0.0.0.0 for every IPv4 address, [::] for every IPv6 address)") }
            guard isIPv4(host) || isHostName(host) else { throw fail("\"\(host)\" is not an IPv4 address or a host name") }
        }
        guard !portText.isEmpty, portText.count <= 5, portText.allSatisfy({ $0.isASCII && $0.isNumber }),
              let port = Int(portText), port <= 65_535 else {
            throw fail("the port must be a number from 0 to 65535")
        }
        return ListenAddress(host: host, port: port)
    }

    static func isIPv4(_ host: String) -> Bool {
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { part in
            // No leading zeros: "010" reads as octal to some libraries and decimal to others.
            !part.isEmpty && part.count <= 3 && part.allSatisfy { $0.isASCII && $0.isNumber }
                && (part == "0" || !part.hasPrefix("0")) && Int(part).map { $0 <= 255 } == true
        }
    }

    static func isIPv6(_ host: String) -> Bool {
        guard !host.isEmpty, host.utf8.count <= 45,
              host.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isASCIIHexDigit || $0 == ":" || $0 == ".") })
        else { return false }
        var storage = in6_addr()
        return inet_pton(AF_INET6, host, &storage) == 1
    }

    /// RFC 1123 host names: dot-separated labels of letters, digits and inner hyphens; not all-numeric.
    static func isHostName(_ host: String) -> Bool {
        guard host.utf8.count <= 253 else { return false }
        let labels = host.split(separator: ".", omittingEmptySubsequences: false)
        let valid = labels.allSatisfy { label in
            !label.isEmpty && label.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
                && label.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-") }
        }
        // "1.2.3" or "999.1.1.1" are mistyped addresses, not names.
        return valid && !labels.allSatisfy { $0.allSatisfy(\.isNumber) }
    }
}
