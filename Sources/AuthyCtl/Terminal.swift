import Foundation
import StandardStreams

/// Output: results to stdout (buffered, flushed at the end of each batch), diagnostics to stderr, both through
/// ``StandardStreams``: a closed pipe ends authyctl by SIGPIPE like cat, a failed write (a full disk) is exit 74.
enum Terminal {
    static func error(_ message: String) {
        StandardStreams.writeLine("authyctl: " + message, to: STDERR_FILENO)
    }

    static func note(_ message: String) {
        StandardStreams.writeLine(message, to: STDERR_FILENO)
    }

    static func print(_ text: String) {
        write(text + "\n")
    }

    static func write(_ text: String) {
        StandardStreams.writeResults(text, program: "authyctl")
    }

    static func write(_ bytes: UnsafeRawBufferPointer) {
        StandardStreams.writeResults(bytes, program: "authyctl")
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
