/// Why a configuration could not be used, pointing at the file (and line) to fix.
///
/// `description` is `file:line: message`, or `file: message` for problems not tied to one line (an unreadable
/// file, a credential file, a check across sections). `message` never contains a secret value.
public struct ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Stable machine-readable code: `config_unreadable`, `config_syntax`, `config_unknown_section`,
    /// `config_unknown_key`, `config_invalid_value`, `config_missing_key` or `config_duplicate`.
    public var code: String
    /// The file the problem is in, as it was named to the loader.
    public var file: String
    /// The 1-based line, when the problem is on one line.
    public var line: Int?
    /// What is wrong, for a human.
    public var message: String

    /// Creates an error; prefer the static constructors below, which fix the code strings.
    public init(code: String, file: String, line: Int?, message: String) {
        self.code = code
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String {
        if let line { "\(file):\(line): \(message)" } else { "\(file): \(message)" }
    }
}

extension ConfigurationError {
    static func unreadable(_ file: String, _ message: String) -> ConfigurationError {
        ConfigurationError(code: "config_unreadable", file: file, line: nil, message: message)
    }

    static func syntax(_ file: String, _ line: Int?, _ message: String) -> ConfigurationError {
        ConfigurationError(code: "config_syntax", file: file, line: line, message: message)
    }

    static func unknownSection(_ file: String, _ line: Int, _ message: String) -> ConfigurationError {
        ConfigurationError(code: "config_unknown_section", file: file, line: line, message: message)
    }

    static func unknownKey(_ file: String, _ line: Int, _ message: String) -> ConfigurationError {
        ConfigurationError(code: "config_unknown_key", file: file, line: line, message: message)
    }

    static func invalidValue(_ file: String, _ line: Int?, _ message: String) -> ConfigurationError {
        ConfigurationError(code: "config_invalid_value", file: file, line: line, message: message)
    }

    static func missingKey(_ file: String, _ line: Int?, _ message: String) -> ConfigurationError {
        ConfigurationError(code: "config_missing_key", file: file, line: line, message: message)
    }

    static func duplicate(_ file: String, _ line: Int?, _ message: String) -> ConfigurationError {
        ConfigurationError(code: "config_duplicate", file: file, line: line, message: message)
    }
}
