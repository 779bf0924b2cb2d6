import Foundation

/// Reads configuration and credential files with the system's own error text (`No such file or directory`,
/// `Permission denied`), which Foundation's file APIs do not give reliably across platforms.
enum TextFileReader {
    /// Configuration files are small; a bound keeps a wrong path (a log, a device) from filling memory.
    static let maximumSize = 4 << 20

    /// The file's text, or nil when it does not exist and `missingIsNil` is set.
    static func contents(of path: String, missingIsNil: Bool = false) throws(ConfigurationError) -> String? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            let code = errno
            if code == ENOENT, missingIsNil { return nil }
            throw .unreadable(path, "cannot read: \(String(cString: strerror(code)))")
        }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                let code = errno
                if code == EINTR { continue }
                throw .unreadable(path, "cannot read: \(String(cString: strerror(code)))")
            }
            if count == 0 { break }
            bytes.append(contentsOf: buffer[0..<count])
            if bytes.count > maximumSize {
                throw .unreadable(path, "cannot read: larger than \(ByteSize.format(maximumSize))")
            }
        }
        return try decode(bytes, file: path)
    }

    /// UTF-8 text, or `config_syntax` naming the first line that is not.
    static func decode(_ bytes: [UInt8], file: String) throws(ConfigurationError) -> String {
        // Foundation's decoder rather than String(validating:), which needs macOS 15.
        if let text = String(bytes: bytes, encoding: .utf8) { return text }
        var lineNumber = 0
        for line in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            if String(bytes: line, encoding: .utf8) == nil { break }
        }
        throw .syntax(file, lineNumber, "the line is not valid UTF-8 text")
    }
}
