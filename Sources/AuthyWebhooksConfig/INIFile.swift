/// One `Key=Value` line of a configuration file.
struct Assignment: Sendable {
    var key: String
    var value: String
    var file: String
    var line: Int

    /// `file:line`, for messages that point at another place.
    var location: String { "\(file):\(line)" }
}

/// One `[Section]` of a file with the assignments under it.
struct INISection: Sendable {
    var name: String
    var file: String
    var line: Int
    var assignments: [Assignment]
}

/// The systemd-style INI syntax: `[Section]`, `Key=Value` (whitespace around both trimmed), comment lines starting
/// with `#` or `;`, blank lines. No quoting, no trailing comments, no line continuation.
enum INIFile {
    /// Splits `text` into sections; throws `config_syntax` with the line for anything else. Lines are never echoed
    /// in messages, since they may hold secrets.
    static func sections(file: String, text: String) throws(ConfigurationError) -> [INISection] {
        var sections: [INISection] = []
        var lineNumber = 0
        var body = Substring(text)
        if body.hasPrefix("\u{FEFF}") { body = body.dropFirst() }  // editors on other systems may add a BOM
        // Split on the byte: "\r\n" is one Character, and valid UTF-8 split at "\n" stays valid.
        for rawLine in body.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            var scalars = Substring(rawLine).unicodeScalars
            if scalars.last == "\r" { scalars.removeLast() }
            if let bad = scalars.first(where: { ($0.value < 0x20 && $0 != "\t") || (0x7F...0x9F).contains($0.value) }) {
                throw .syntax(file, lineNumber, "the line contains a control character (U+\(hex(bad.value)))")
            }
            // Invisible format characters (U+202E reverses the text after it, U+200B is a zero-width space) have no
            // place in paths, names, keys or URLs, and would disguise what the file says, or what an error quoting
            // the line shows on a terminal.
            if let bad = scalars.first(where: { $0.properties.generalCategory == .format }) {
                throw .syntax(file, lineNumber, "the line contains an invisible formatting character (U+\(hex(bad.value)))")
            }
            let line = String(scalars).trimmingWhitespace()
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]"), line.count >= 2 else {
                    throw .syntax(file, lineNumber, "a section header must look like [Section]")
                }
                let name = String(line.dropFirst().dropLast()).trimmingWhitespace()
                guard !name.isEmpty, name.unicodeScalars.allSatisfy(isKeyCharacter) else {
                    throw .syntax(file, lineNumber, "a section header must look like [Section]")
                }
                sections.append(INISection(name: name, file: file, line: lineNumber, assignments: []))
                continue
            }
            guard let equals = line.firstIndex(of: "=") else {
                throw .syntax(file, lineNumber, "expected Key=Value, a [Section] header or a comment starting with # or ;")
            }
            let key = String(line[..<equals]).trimmingWhitespace()
            let value = String(line[line.index(after: equals)...]).trimmingWhitespace()
            guard !key.isEmpty, key.unicodeScalars.allSatisfy(isKeyCharacter) else {
                throw .syntax(file, lineNumber, "expected Key=Value with a key made of letters and digits")
            }
            guard !sections.isEmpty else {
                throw .syntax(file, lineNumber, "\(key)= is outside any section; put it under a [Section] header")
            }
            sections[sections.count - 1].assignments.append(
                Assignment(key: key, value: value, file: file, line: lineNumber))
        }
        return sections
    }

    private static func isKeyCharacter(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_" || scalar == "-")
    }

    private static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
