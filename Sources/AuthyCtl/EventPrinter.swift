import ControlProtocol
import Foundation

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

    mutating func consume(_ bytes: some Collection<UInt8>) {
        if format == .jsonl {
            // Lines arrive complete or split across chunks; either way they are printed unchanged.
            output.append(contentsOf: bytes)
            count += bytes.lazy.filter { $0 == 0x0A }.count
            flush()
            return
        }
        partial.append(contentsOf: bytes)
        var start = partial.startIndex
        while let newline = partial[start...].firstIndex(of: 0x0A) {
            handle(line: partial[start..<newline])
            start = newline + 1
        }
        partial.removeSubrange(partial.startIndex..<start)
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
        FileHandle.standardOutput.write(Data(output))
        output.removeAll(keepingCapacity: true)
    }
}
