import ControlProtocol
import Foundation
import NIOCore

/// Prints the daemon's stream of JSON lines as it arrives: verbatim (jsonl), wrapped into one array (json), or as
/// aligned rows (table). Memory stays constant whatever the number of events.
struct EventPrinter {
    let format: OutputFormat
    private var partial: [UInt8] = []
    private var count = 0
    private var output: [UInt8] = []
    private let table: Table
    private let decoder = ControlJSON.decoder()

    init(format: OutputFormat) {
        self.format = format
        // id, received, type, webhook, request id: fits 80 columns, wider terminals give the type more room.
        let spare = max(0, Terminal.width - 80)
        self.table = Table(widths: [7, 19, 24 + min(spare, 10), 10 + min(max(0, spare - 10), 10), 12])
    }

    /// Takes the next chunk of the response. Works on the chunk's bytes in place (no per-byte generic iteration):
    /// an export of a whole database passes through here.
    mutating func consume(_ chunk: ByteBuffer) {
        chunk.withUnsafeReadableBytes { bytes in
            if format == .jsonl {
                // Lines arrive complete or split across chunks; either way they are printed unchanged.
                write(bytes)
                return
            }
            partial.append(contentsOf: bytes)
        }
        guard format != .jsonl else { return }
        var start = 0
        while let newline = partial.withUnsafeBufferPointer({ buffer -> Int? in
            guard start < buffer.count, let base = buffer.baseAddress,
                  let found = memchr(base + start, 0x0A, buffer.count - start) else { return nil }
            return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
        }) {
            handle(line: partial[start..<newline])
            start = newline + 1
        }
        partial.removeSubrange(0..<start)
        flush()
    }

    mutating func finish() {
        if !partial.isEmpty {
            handle(line: partial[...])
            partial.removeAll()
        }
        switch format {
        case .json: output.append(contentsOf: Array((count == 0 ? "[]\n" : "\n]\n").utf8))
        case .table where count == 0: Terminal.note("-- no events match --")
        default: break
        }
        flush()
    }

    private mutating func handle(line: ArraySlice<UInt8>) {
        guard !line.isEmpty else { return }
        switch format {
        case .jsonl:
            break
        case .json:
            output.append(contentsOf: Array((count == 0 ? "[\n" : ",\n").utf8))
            output.append(contentsOf: line)
        case .table:
            if count == 0 {
                output.append(contentsOf: Array((table.row(["ID", "RECEIVED", "TYPE", "WEBHOOK", "REQUEST ID"]) + "\n").utf8))
            }
            if let event = try? decoder.decode(EventRecord.self, from: Data(line)) {
                let row = table.row([String(event.id), Formatting.localTime(event.receivedAt), event.type, event.webhook, event.requestID ?? "-"])
                output.append(contentsOf: Array((row + "\n").utf8))
            }
        }
        count += 1
    }

    private mutating func flush() {
        guard !output.isEmpty else { return }
        output.withUnsafeBytes { write($0) }
        output.removeAll(keepingCapacity: true)
    }

    private func write(_ bytes: UnsafeRawBufferPointer) {
        Terminal.write(bytes)
    }
}
