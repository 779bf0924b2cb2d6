import CSystemd
import Foundation
import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A swift-log handler writing structured entries to journald with `sd_journal_sendv`: `MESSAGE`, `PRIORITY`,
/// `SYSLOG_IDENTIFIER`, `CODE_FILE`/`CODE_LINE`/`CODE_FUNC`, and every metadata entry as its own field
/// (`delivery_id` → `DELIVERY_ID`, arrays as repeated fields), so `journalctl -u authy-webhooksd EVENT_TYPE=…`
/// selects entries. (`sd_journal_send` is variadic and cannot be called from Swift.)
public struct JournalLogHandler: LogHandler {
    /// The logger's label (e.g. `authy-webhooksd.receiver`).
    public let label: String
    /// The `SYSLOG_IDENTIFIER=` of every entry (`journalctl -t`).
    public let identifier: String
    private var level: HandlerLogLevel

    /// Metadata attached to every entry of this logger.
    public var metadata: Logger.Metadata = [:]
    /// Contextual metadata (e.g. task-local request IDs) merged under explicit metadata.
    public var metadataProvider: Logger.MetadataProvider?

    /// A handler following the process-wide level of ``SystemdLogging`` unless `logLevel` is given.
    public init(label: String, identifier: String = "authy-webhooksd", logLevel: Logger.Level? = nil,
                metadataProvider: Logger.MetadataProvider? = nil) {
        self.init(label: label, identifier: identifier, logLevel: logLevel, metadataProvider: metadataProvider,
                  shared: .process)
    }

    init(label: String, identifier: String, logLevel: Logger.Level?, metadataProvider: Logger.MetadataProvider?,
         shared: SharedLogLevel) {
        self.label = label
        self.identifier = identifier
        self.level = HandlerLogLevel(shared: shared, own: logLevel)
        self.metadataProvider = metadataProvider
    }

    /// This logger's level; setting it detaches this logger from the shared level.
    public var logLevel: Logger.Level {
        get { level.effective }
        set { level.effective = newValue }
    }

    /// One metadata entry of this logger.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Sends one entry; if journald refuses it (socket gone), the line goes to stderr instead, which under
    /// systemd is the journal's stream socket, so the message is still recorded.
    public func log(event: LogEvent) {
        let merged = LogMetadataMerge.merge(handler: metadata, provider: metadataProvider, event: event.metadata)
        let message = event.message.description
        let entries = JournalFields.entries(
            message: message, level: event.level, identifier: identifier,
            file: event.file, line: event.line, function: event.function,
            error: event.error, metadata: merged
        )
        if Self.send(entries) < 0 {
            StandardErrorWriter.writeLine(StderrLogHandler.format(
                date: Date(), level: event.level, message: message, error: event.error, metadata: merged
            ))
        }
    }

    /// Passes `entries` to `sd_journal_sendv` as one `iovec` each, all pointing into one buffer.
    /// Returns its result (0, or a negative errno).
    static func send(_ entries: [String]) -> Int32 {
        var buffer: [UInt8] = []
        var ranges: [Range<Int>] = []
        ranges.reserveCapacity(entries.count)
        for entry in entries {
            let start = buffer.count
            buffer.append(contentsOf: entry.utf8)
            ranges.append(start..<buffer.count)
        }
        return buffer.withUnsafeMutableBytes { bytes in
            let base = bytes.baseAddress!
            let vectors = ranges.map { range in
                iovec(iov_base: base + range.lowerBound, iov_len: range.count)
            }
            return vectors.withUnsafeBufferPointer { pointer in
                sd_journal_sendv(pointer.baseAddress, Int32(pointer.count))
            }
        }
    }
}
