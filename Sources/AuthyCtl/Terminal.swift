import Foundation

/// Output: results to stdout (buffered, flushed at the end of each batch), diagnostics to stderr.
///
/// Written with write(2), not FileHandle, whose write traps on any error. A reader that goes away
/// (`authyctl events | head`) ends authyctl the way it ends cat or grep: by SIGPIPE, silently (status 141 in the
/// shell). Any other failure to write results (a full disk behind `> file`) is an error: exit status 74, so a
/// truncated export is never mistaken for a complete one.
enum Terminal {
    /// EX_IOERR from sysexits.h: the results could not be written.
    static let outputFailedStatus: Int32 = 74

    static func error(_ message: String) {
        writeAll(Array(("authyctl: " + message + "\n").utf8), to: STDERR_FILENO)
    }

    static func note(_ message: String) {
        writeAll(Array((message + "\n").utf8), to: STDERR_FILENO)
    }

    static func print(_ text: String) {
        write(text + "\n")
    }

    static func write(_ text: String) {
        var text = text
        text.withUTF8 { write(UnsafeRawBufferPointer($0)) }
    }

    /// Writes results to stdout, all of them or not at all (see the type's comment).
    static func write(_ bytes: UnsafeRawBufferPointer) {
        guard let failure = writeAll(bytes, to: STDOUT_FILENO) else { return }
        if failure == EPIPE {
            // NIO ignores SIGPIPE for the whole process (its sockets rely on EPIPE); put the default back to end
            // like any other command in a pipeline.
            signal(SIGPIPE, SIG_DFL)
            raise(SIGPIPE)
        }
        error("cannot write the output: \(String(cString: strerror(failure)))")
        exit(outputFailedStatus)
    }

    /// Writes every byte, retrying short writes and EINTR; returns the errno that stopped it, if any.
    @discardableResult
    private static func writeAll(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32) -> Int32? {
        guard var next = bytes.baseAddress else { return nil }
        var left = bytes.count
        while left > 0 {
            let written = Foundation.write(descriptor, next, left)
            if written < 0 {
                if errno == EINTR { continue }
                return errno
            }
            next += written
            left -= written
        }
        return nil
    }

    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32) {
        bytes.withUnsafeBytes { _ = writeAll($0, to: descriptor) }
    }

    /// Columns of the terminal, 80 when it cannot be asked (a pipe).
    static var width: Int {
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 {
            return Int(size.ws_col)
        }
        return 80
    }
}

/// Left-aligned columns; a cell longer than its column is cut with "…" so rows stay aligned.
struct Table {
    var widths: [Int]

    func row(_ cells: [String]) -> String {
        var out = ""
        for (index, cell) in cells.enumerated() {
            let width = index < widths.count ? widths[index] : cell.count
            let isLast = index == cells.count - 1
            var text = cell
            if text.count > width {
                text = String(text.prefix(max(0, width - 1))) + "…"
            }
            out += isLast ? text : text.padding(toLength: width, withPad: " ", startingAt: 0) + "  "
        }
        return out
    }

    /// Column widths fitted to the rows (for short, complete lists).
    static func fitted(_ rows: [[String]], maxWidth: Int = Terminal.width) -> Table {
        guard let count = rows.first?.count else { return Table(widths: []) }
        var widths = (0..<count).map { column in rows.map { $0[column].count }.max() ?? 0 }
        var total = widths.reduce(0, +) + 2 * (count - 1)
        // Shrink the widest column until the table fits.
        while total > maxWidth, let widest = widths.indices.max(by: { widths[$0] < widths[$1] }), widths[widest] > 8 {
            widths[widest] -= 1
            total -= 1
        }
        return Table(widths: widths)
    }
}
