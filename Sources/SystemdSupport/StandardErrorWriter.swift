import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Writes whole lines to file descriptor 2 with `write(2)`: Swift 6 cannot touch the C `stderr` global, and
/// `print` is buffered (a pipe to the journal would only see it at exit).
enum StandardErrorWriter {
    /// Serialises writers so two lines longer than `PIPE_BUF` never interleave.
    private static let lock = NSLock()

    /// Writes `line` (a newline is appended) to `fd`, retrying short writes and `EINTR`; other errors drop the
    /// line, since there is nowhere left to report them.
    static func writeLine(_ line: String, to fd: Int32 = 2) {
        var bytes = Array(line.utf8)
        bytes.append(UInt8(ascii: "\n"))
        lock.withLock {
            bytes.withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let written = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                    if written > 0 {
                        offset += written
                    } else if written < 0 && errno == EINTR {
                        continue
                    } else {
                        return
                    }
                }
            }
        }
    }
}
