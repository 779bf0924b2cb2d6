extension String {
    /// The string without leading and trailing whitespace (spaces, tabs, other Unicode whitespace).
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return String(scalars[first...last])
    }
}

extension Unicode.Scalar {
    /// Whitespace, checked for ASCII without the (slow) Unicode property lookup.
    var isWhitespace: Bool {
        isASCII ? self == " " || self == "\t" || self == "\n" || self == "\r" || value == 0x0B || value == 0x0C
            : properties.isWhitespace
    }
}
