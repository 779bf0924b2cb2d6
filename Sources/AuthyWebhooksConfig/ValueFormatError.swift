/// A value (time span, byte size, listen address) that does not have the expected form.
///
/// Thrown by the public value parsers (`TimeSpan`, `ByteSize`, `ListenAddress`); the configuration parser turns it
/// into a `ConfigurationError` that also names the file and line.
public struct ValueFormatError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Stable code: `invalid_time_span`, `invalid_byte_size` or `invalid_listen_address`.
    public var code: String
    /// What is wrong and what is expected.
    public var message: String

    /// Creates an error with a code and a human message.
    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
