import Foundation
import StandardStreams

/// Writes whole log lines to file descriptor 2 with `write(2)`: Swift 6 cannot touch the C `stderr` global, and
/// `print` is buffered (a pipe to the journal would only see it at exit).
enum StandardErrorWriter {
    /// Serialises writers so two lines longer than `PIPE_BUF` never interleave.
    private static let lock = NSLock()

    /// Writes `line` (a newline is appended) to `fd`; an error drops the line, since there is nowhere left to
    /// report it.
    static func writeLine(_ line: String, to fd: Int32 = 2) {
        lock.withLock { StandardStreams.writeLine(line, to: fd) }
    }
}
