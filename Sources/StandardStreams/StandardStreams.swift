#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Writing to stdout and stderr with write(2), shared by both programs.
///
/// Not FileHandle: its write traps (`try!`) on any error, so `authyctl events | head` or
/// `authy-webhooksd --check-config > /dev/full` used to end in a fatal error and a stack trace.
public enum StandardStreams {
    /// EX_IOERR from sysexits.h: the results could not be written.
    public static let outputFailedStatus: Int32 = 74

    /// Writes every byte to `descriptor`, retrying short writes and EINTR. Returns the errno that stopped it, or
    /// nil once everything is written.
    @discardableResult
    public static func writeAll(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32) -> Int32? {
        guard var next = bytes.baseAddress else { return nil }
        var left = bytes.count
        while left > 0 {
            let written = write(descriptor, next, left)
            if written < 0 {
                if errno == EINTR { continue }
                return errno
            }
            // write(2) gives 0 for a non-empty buffer only on an odd device; retrying would spin.
            if written == 0 { return EIO }
            next += written
            left -= written
        }
        return nil
    }

    /// Writes a program's results to stdout, all of them or not at all. A reader that went away (`| head`) ends
    /// the process the way it ends cat or grep: by SIGPIPE, silently (status 141 in the shell). Any other failure
    /// (a full disk behind `> file`) prints `PROGRAM: cannot write the output: REASON` to stderr and exits 74, so
    /// truncated output is never mistaken for complete output.
    public static func writeResults(_ bytes: UnsafeRawBufferPointer, program: String) {
        guard let failure = writeAll(bytes, to: STDOUT_FILENO) else { return }
        if failure == EPIPE {
            // SwiftNIO ignores SIGPIPE for the whole process (its sockets rely on EPIPE instead): put the default
            // back before raising it.
            signal(SIGPIPE, SIG_DFL)
            raise(SIGPIPE)
        }
        writeLine("\(program): cannot write the output: \(String(cString: strerror(failure)))", to: STDERR_FILENO)
        exit(outputFailedStatus)
    }

    /// ``writeResults(_:program:)`` for text.
    public static func writeResults(_ text: String, program: String) {
        var text = text
        text.withUTF8 { writeResults(UnsafeRawBufferPointer($0), program: program) }
    }

    /// Writes `line` and a newline to `descriptor`; an error drops the line (there is nowhere left to report it).
    public static func writeLine(_ line: String, to descriptor: Int32) {
        var bytes = Array(line.utf8)
        bytes.append(UInt8(ascii: "\n"))
        bytes.withUnsafeBytes { _ = writeAll($0, to: descriptor) }
    }
}
