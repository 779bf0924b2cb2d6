/// Sizes as systemd writes them: a number of bytes with an optional `K`, `M`, `G` or `T` suffix in powers of 1024
/// (`64K` = 65536), optionally followed by `B`; plain bytes (`65536`) and fractions (`1.5M`) are accepted too.
/// Suffixes are case-insensitive.
public enum ByteSize {
    /// Parses a size in bytes; throws `ValueFormatError` (`invalid_byte_size`) for anything else or on overflow.
    public static func parse(_ text: String) throws(ValueFormatError) -> Int {
        let scalars = Array(text.unicodeScalars)
        var index = 0
        func fail(_ why: String) -> ValueFormatError {
            ValueFormatError(code: "invalid_byte_size", message: "\(why); expected a size like 65536, 64K, 1M or 1G")
        }
        func skipSpaces() {
            while index < scalars.count, scalars[index].isWhitespace { index += 1 }
        }
        skipSpaces()
        if index == scalars.count { throw fail("empty size") }
        let numberStart = index
        guard let number = NumberScanner.scan(scalars, &index) else {
            // The scanner only moves past digits when they overflowed.
            throw fail(index > numberStart ? "size too large" : "expected a number")
        }
        skipSpaces()
        let suffixStart = index
        while index < scalars.count, scalars[index].properties.isAlphabetic { index += 1 }
        skipSpaces()
        guard index == scalars.count else { throw fail("unexpected text after the size") }
        let suffix = String(String.UnicodeScalarView(scalars[suffixStart..<index])).trimmingWhitespace().uppercased()
        let multiplier: Int64
        switch suffix {
        case "", "B": multiplier = 1
        case "K", "KB": multiplier = 1 << 10
        case "M", "MB": multiplier = 1 << 20
        case "G", "GB": multiplier = 1 << 30
        case "T", "TB": multiplier = 1 << 40
        default: throw fail("unknown size suffix \"\(suffix)\"")
        }
        if multiplier == 1, number.fraction != 0 { throw fail("a number of bytes must be whole") }
        guard let bytes = number.scaled(by: multiplier), let result = Int(exactly: bytes) else {
            throw fail("size too large")
        }
        return result
    }

    /// Formats a size with the largest suffix that divides it exactly: `64K`, `16M`, `1000`.
    public static func format(_ bytes: Int) -> String {
        guard bytes > 0 else { return "\(bytes)" }
        for (suffix, shift) in [("T", 40), ("G", 30), ("M", 20), ("K", 10)] {
            let unit = 1 << shift
            if bytes % unit == 0 { return "\(bytes / unit)\(suffix)" }
        }
        return "\(bytes)"
    }
}
