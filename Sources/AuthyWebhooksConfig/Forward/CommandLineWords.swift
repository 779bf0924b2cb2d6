/// Splits a command line the way systemd splits `ExecStart=` (`systemd.service(5)`, "Command lines"), without a
/// shell: words are separated by whitespace; `"…"` and `'…'` quote; a backslash escapes the next character and
/// `\n`, `\t`, `\\`, `\"`, `\'` and `\ ` mean what C means. `$VAR` and `%` specifiers are not expanded.
enum CommandLineWords {
    static func split(_ text: String) throws(ValueFormatError) -> [String] {
        var words: [String] = []
        var current = ""
        var inWord = false
        var quote: Character?
        var iterator = text.makeIterator()
        while let character = iterator.next() {
            if character == "\\" {
                guard let next = iterator.next() else { throw fail("a trailing backslash escapes nothing") }
                switch next {
                case "n": current.append("\n")
                case "t": current.append("\t")
                default: current.append(next)
                }
                inWord = true
                continue
            }
            if let open = quote {
                if character == open { quote = nil } else { current.append(character) }
                continue
            }
            if character == "\"" || character == "'" {
                quote = character
                inWord = true
            } else if character.isWhitespace {
                if inWord { words.append(current) }
                current = ""
                inWord = false
            } else {
                current.append(character)
                inWord = true
            }
        }
        if quote != nil { throw fail("a quote is not closed") }
        if inWord { words.append(current) }
        return words
    }

    private static func fail(_ why: String) -> ValueFormatError {
        ValueFormatError(code: "invalid_command_line", message: why)
    }
}
