/// Typed readers of an assignment's value; each failure is a `config_invalid_value` at the assignment's line.
extension Assignment {
    /// `invalid Key= value "v": why`; secret values are never quoted.
    func invalid(_ why: String, secret: Bool = false) -> ConfigurationError {
        if secret { return .invalidValue(file, line, "invalid \(key)= value: \(why)") }
        let shown = value.count > 100 ? String(value.prefix(100)) + "…" : value
        return .invalidValue(file, line, "invalid \(key)= value \"\(shown)\": \(why)")
    }

    /// The value, or nil for an empty assignment (which means "unset" for optional keys).
    var optionalValue: String? { value.isEmpty ? nil : value }

    func timeSpan(atLeast minimum: Duration = .zero, atMost maximum: Duration? = nil,
                  positive: Bool = false) throws(ConfigurationError) -> Duration {
        let span: Duration
        do { span = try TimeSpan.parse(value) } catch { throw invalid(error.message) }
        if positive, span <= .zero { throw invalid("must be more than 0") }
        if span < minimum { throw invalid("must be at least \(TimeSpan.format(minimum))") }
        if let maximum, span > maximum { throw invalid("must be at most \(TimeSpan.format(maximum))") }
        return span
    }

    func byteSize(atLeast minimum: Int, atMost maximum: Int) throws(ConfigurationError) -> Int {
        let size: Int
        do { size = try ByteSize.parse(value) } catch { throw invalid(error.message) }
        guard size >= minimum, size <= maximum else {
            throw invalid("must be between \(ByteSize.format(minimum)) and \(ByteSize.format(maximum))")
        }
        return size
    }

    func integer(atLeast minimum: Int, atMost maximum: Int) throws(ConfigurationError) -> Int {
        guard !value.isEmpty, value.count <= 19, value.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) }),
              let number = Int(value), number >= minimum, number <= maximum else {
            throw invalid("expected a whole number from \(minimum) to \(maximum)")
        }
        return number
    }

    func choice<Choice: RawRepresentable & CaseIterable>(_: Choice.Type) throws(ConfigurationError) -> Choice
    where Choice.RawValue == String {
        if let match = Choice.allCases.first(where: { $0.rawValue == value.lowercased() }) { return match }
        throw invalid("expected one of " + Choice.allCases.map(\.rawValue).joined(separator: ", "))
    }

    /// Permission bits in octal, `0660` or `660`, at most `0777`.
    func octalMode() throws(ConfigurationError) -> UInt32 {
        guard (1...4).contains(value.count), value.unicodeScalars.allSatisfy({ ("0"..."7").contains($0) }),
              let mode = UInt32(value, radix: 8), mode <= 0o777 else {
            throw invalid("expected octal permission bits such as 0660 (at most 0777)")
        }
        return mode
    }

    /// A group name or numeric GID, or nil when empty. Whether the group exists is checked by the daemon at start.
    func groupName() throws(ConfigurationError) -> String? {
        guard let name = optionalValue else { return nil }
        let scalars = Array(name.unicodeScalars)
        let allDigits = scalars.allSatisfy { ("0"..."9").contains($0) }
        func isNameCharacter(_ scalar: Unicode.Scalar) -> Bool {
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
                || scalar == "_" || scalar == "-" || scalar == ".")
        }
        // POSIX-portable names (as useradd accepts them, with Samba's trailing $), or a numeric GID.
        let validName = scalars.count <= 32 && !scalars[0].properties.isWhitespace && scalars[0] != "-"
            && scalars.dropLast(scalars.last == "$" ? 1 : 0).allSatisfy(isNameCharacter)
        guard allDigits ? UInt32(name) != nil : validName else {
            throw invalid("expected a group name or a numeric GID")
        }
        return name
    }

    /// A single token (no whitespace) for a secret, or nil when empty.
    func secret() throws(ConfigurationError) -> String? {
        guard let secret = optionalValue else { return nil }
        if secret.unicodeScalars.contains(where: { $0.properties.isWhitespace }) {
            throw invalid("a key must not contain spaces", secret: true)
        }
        return secret
    }

    /// An absolute `http://` or `https://` URL with a host, no user info and no fragment. `originOnly` also refuses
    /// a path (other than `/`) and a query, and returns the URL without a trailing `/`.
    func httpURL(originOnly: Bool) throws(ConfigurationError) -> String {
        let expectation = originOnly ? "expected http(s)://HOST[:PORT] such as https://api.authy.com"
            : "expected an http(s) URL such as https://example.com/authy/webhook"
        guard let url = HTTPURLSyntax(value) else { throw invalid(expectation) }
        if originOnly {
            guard url.rest.isEmpty || url.rest == "/" else { throw invalid(expectation + " (no path or query)") }
            return url.scheme + "://" + url.authority
        }
        return value
    }
}

/// Just enough of RFC 3986 to tell a usable http(s) URL from a typo, without Foundation's lenient parsing.
struct HTTPURLSyntax {
    var scheme: String
    var authority: String
    /// Path and query, starting with `/` or `?`, or empty.
    var rest: Substring

    init?(_ text: String) {
        // Printable ASCII without the characters RFC 3986 never allows unescaped.
        guard text.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F && !"\"<>\\^`{|}".unicodeScalars.contains($0) }),
              !text.contains("#"),
              let separator = text.range(of: "://") else { return nil }
        let scheme = text[..<separator.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else { return nil }
        let afterScheme = text[separator.upperBound...]
        let authorityEnd = afterScheme.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? afterScheme.endIndex
        let authority = afterScheme[..<authorityEnd]
        guard !authority.contains("@") else { return nil }  // user info would put a password in the config
        var host = authority
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]"),
                  ListenAddress.isIPv6(String(host[host.index(after: host.startIndex)..<close])) else { return nil }
            let port = host[host.index(after: close)...]
            guard port.isEmpty || (port.hasPrefix(":") && Self.isPort(port.dropFirst())) else { return nil }
        } else {
            if let colon = host.lastIndex(of: ":") {
                guard Self.isPort(host[host.index(after: colon)...]) else { return nil }
                host = host[..<colon]
            }
            guard ListenAddress.isIPv4(String(host)) || ListenAddress.isHostName(String(host)) else { return nil }
        }
        self.scheme = scheme
        self.authority = String(authority)
        self.rest = afterScheme[authorityEnd...]
        if !rest.isEmpty, !rest.hasPrefix("/"), !rest.hasPrefix("?") { return nil }
    }

    private static func isPort(_ text: Substring) -> Bool {
        !text.isEmpty && text.count <= 5 && text.allSatisfy { $0.isASCII && $0.isNumber }
            && Int(text).map { (1...65_535).contains($0) } == true
    }
}
