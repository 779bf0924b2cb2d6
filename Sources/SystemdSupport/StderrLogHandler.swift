import Foundation
import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A swift-log handler writing readable lines to stderr (fd 2, via `write(2)`):
/// `2026-11-29T10:00:00.123Z info  message key=value …` — used when stderr is not the journal (a terminal,
/// a test, a container runtime collecting output).
public struct StderrLogHandler: LogHandler {
    /// The logger's label (e.g. `authy-webhooksd.receiver`); not printed, kept for handler identity.
    public let label: String
    /// Where lines go; fd 2 except in tests.
    let fileDescriptor: Int32
    private var level: HandlerLogLevel

    /// Metadata attached to every line of this logger.
    public var metadata: Logger.Metadata = [:]
    /// Contextual metadata (e.g. task-local request IDs) merged under explicit metadata.
    public var metadataProvider: Logger.MetadataProvider?

    /// A handler following the process-wide level of ``SystemdLogging`` (changed by ``SystemdLogging/setLevel(_:)``)
    /// unless `logLevel` is given.
    public init(label: String, logLevel: Logger.Level? = nil, metadataProvider: Logger.MetadataProvider? = nil) {
        self.init(label: label, logLevel: logLevel, metadataProvider: metadataProvider,
                  shared: .process, fileDescriptor: 2)
    }

    init(label: String, logLevel: Logger.Level?, metadataProvider: Logger.MetadataProvider?,
         shared: SharedLogLevel, fileDescriptor: Int32) {
        self.label = label
        self.level = HandlerLogLevel(shared: shared, own: logLevel)
        self.metadataProvider = metadataProvider
        self.fileDescriptor = fileDescriptor
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

    /// Formats and writes one line.
    public func log(event: LogEvent) {
        let merged = LogMetadataMerge.merge(handler: metadata, provider: metadataProvider, event: event.metadata)
        let line = Self.format(date: Date(), level: event.level, message: event.message.description,
                               error: event.error, metadata: merged)
        StandardErrorWriter.writeLine(line, to: fileDescriptor)
    }

    /// `TIMESTAMP LEVEL MESSAGE key=value…`: UTC with milliseconds, the level padded to five columns, metadata
    /// sorted by key; values with spaces, quotes, `=` or control characters are quoted so a line stays parseable.
    static func format(date: Date, level: Logger.Level, message: String, error: (any Error)? = nil,
                       metadata: Logger.Metadata) -> String {
        let levelName = level.rawValue
        var line = timestamp(date) + " " + levelName
        line += String(repeating: " ", count: max(1, 6 - levelName.count))
        line += message
        if let error {
            line += " error=" + quoted("\(error)")
        }
        for key in metadata.keys.sorted() {
            line += " \(key)=" + quoted(render(metadata[key]!))
        }
        return line
    }

    /// An ISO 8601 UTC timestamp with milliseconds, built with `gmtime_r` (no formatter allocation per line).
    static func timestamp(_ date: Date) -> String {
        // Rounded to the nearest millisecond in integers: a Double such as .123 is really .12299…
        let totalMilliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded())
        var seconds = time_t(totalMilliseconds / 1000)
        let milliseconds = Int(totalMilliseconds % 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))"
            + "T\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2))"
            + ".\(pad(Int32(milliseconds), 3))Z"
    }

    /// Arrays as `a,b`, dictionaries as `k:v,…` (sorted): short, and enough to read a line.
    static func render(_ value: Logger.MetadataValue) -> String {
        switch value {
        case .string(let text): text
        case .stringConvertible(let convertible): convertible.description
        case .array(let elements): elements.map(render).joined(separator: ",")
        case .dictionary(let dictionary):
            dictionary.keys.sorted().map { "\($0):\(render(dictionary[$0]!))" }.joined(separator: ",")
        }
    }

    /// The value as is when it is one plain token, else in double quotes with `"` `\` and control characters
    /// escaped (so a newline in a value cannot start a fake log line).
    static func quoted(_ value: String) -> String {
        let needsQuotes = value.isEmpty || value.unicodeScalars.contains { scalar in
            scalar == " " || scalar == "\"" || scalar == "=" || scalar == "\\" || scalar.value < 0x20 || scalar.value == 0x7f
        }
        guard needsQuotes else { return value }
        var result = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7f:
                result += "\\x" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
